"""Press contacts as vCard 3.0 (RFC 2426), for the address book of a newsroom.

Version 3.0 because the address books of newsrooms (Outlook above all) read it; the two things
the later RFC 6350 adds and we need are written as well: `KIND` (an office is an organisation,
a named contact a person; readers of 3.0 ignore a property they do not know) and, for Apple's
address books, which look at no `KIND`, `X-ABShowAs:COMPANY`. Escaping and folding are the same
in both RFCs. tests/public/test_contacts.py reads every card back with the vobject library.
"""

from __future__ import annotations

import re

from press.text import xml_text

# RFC 6350, section 3.2: a content line is folded after at most 75 octets (without the CRLF);
# the continuation starts with one space, which counts towards its 75.
LINE_OCTETS = 75


def escape(value: str) -> str:
    """A text value for a content line (RFC 6350, section 3.4; RFC 2426, section 4):
    backslash, comma and semicolon escaped with a backslash, every line end (CRLF, CR, LF, and
    Word's manual line break U+000B) written as `\\n`, other control characters dropped
    (`xml_text`): 'Musterstraße 1' CRLF '38820 Halberstadt' -> 'Musterstraße 1\\\\n38820
    Halberstadt'."""
    value = re.sub(r"\r\n?", "\n", xml_text(value))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """`line` folded into physical lines of at most 75 octets of UTF-8, the continuations after
    CRLF and a space (RFC 6350, section 3.2); a character is never split across lines."""
    parts, current, limit = [], b"", LINE_OCTETS
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > limit:
            parts.append(current.decode())
            current, limit = b"", LINE_OCTETS - 1
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def vcard(contact) -> str:
    """The vCard of a `PressContact` as text with CRLF line ends: an organisation (the label)
    when it names no person, else the person at the organisation; phone and fax in
    international form (`press.text.international_number`), e-mail, the address as a label."""
    if contact.person:
        identity = ["KIND:individual", f"FN:{escape(contact.person)}", _structured_name(contact)]
    else:
        name = escape(contact.label)
        identity = ["KIND:org", "X-ABShowAs:COMPANY", f"FN:{name}", "N:;;;;"]
    lines = ["BEGIN:VCARD", "VERSION:3.0", *identity, f"ORG:{escape(contact.label)}"]
    if contact.phone_uri:
        lines.append(f"TEL;TYPE=WORK,VOICE:{contact.phone_uri.removeprefix('tel:')}")
    if contact.fax_uri:
        lines.append(f"TEL;TYPE=WORK,FAX:{contact.fax_uri.removeprefix('tel:')}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{escape(contact.email)}")
    if contact.address:
        lines.append(f"LABEL;TYPE=WORK:{escape(contact.address)}")
    lines.append("END:VCARD")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


def _structured_name(contact) -> str:
    """N (family; given; additional; prefixes; suffixes) of the contact's person: the last word
    is taken as the family name, as German names are written."""
    given, _, family = xml_text(contact.person).strip().rpartition(" ")
    return f"N:{escape(family)};{escape(given)};;;"
