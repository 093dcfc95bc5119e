"""Press contacts as vCard 3.0 (RFC 2426), for the address book of a newsroom."""

from __future__ import annotations


def escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 2425)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > 74:
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def vcard(contact) -> str:
    name = contact.person or contact.label
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"FN:{escape(name)}",
        f"N:{escape(name)};;;;" if not contact.person else _structured_name(contact.person),
        f"ORG:{escape(contact.label)}",
    ]
    if contact.phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{contact.phone_uri.removeprefix('tel:')}")
    if contact.fax:
        lines.append(f"TEL;TYPE=WORK,FAX:{contact.fax_uri.removeprefix('tel:')}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{escape(contact.email)}")
    if contact.address:
        lines.append(f"LABEL;TYPE=WORK:{escape(contact.address)}")
    lines.append("END:VCARD")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


def _structured_name(person: str) -> str:
    given, _, family = person.rpartition(" ")
    return f"N:{escape(family)};{escape(given)};;;"
