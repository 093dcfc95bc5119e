"""Photo captions (with credits) and the contact block at the end of a release."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .names import SENTENCE_END, _short, person_name, squash
from .result import Caption, Contact

CREDIT_LINE = re.compile(
    r"^\(?(?:Foto|Fotos|Bild|Bildquelle|Foto/Grafik|Grafik|Quelle)\s*:\s*(?P<credit>.+?)\)?$", re.I
)
CREDIT_TAIL = re.compile(r"\s*[(|–—-]?\s*\(?(?:Foto|Bild)\s*:\s*(?P<credit>[^()|]+?)\)?\s*$", re.I)
QUOTE_MARKS = frozenset('„“”»«"')


def caption_of(lines: list[str], *, credit_required: bool = False) -> Caption | None:
    """A photo caption: 'Name,' / 'Funktion' lines (as in the sample), or any short text with
    a 'Foto: …' line giving the credit."""
    if len(lines) > 4 or any(len(line) > 200 for line in lines):
        return None
    credit = ""
    rest: list[str] = []
    for line in lines:
        if match := CREDIT_LINE.match(line):
            credit = match.group("credit").strip()
        elif (match := CREDIT_TAIL.search(line)) and not credit:
            credit = match.group("credit").strip()
            rest.append(line[: match.start()].strip())
        else:
            rest.append(line)
    text = squash(" ".join(rest))
    if credit:
        return Caption(text=text, credit=credit)
    if credit_required or len(lines) > 3 or any(mark in text for mark in QUOTE_MARKS):
        return None
    if ", " not in text or text.endswith(SENTENCE_END + (":", ";")) or len(text) > 200:
        return None
    name, function = text.split(", ", 1)
    if person_name(name) and function and not function.endswith(","):
        return Caption(text=text)
    return None


CONTACT_HEADING = re.compile(
    r"^(?:Presse-?kontakte?|Medienkontakte?|Kontakt\s+für\s+(?:die\s+)?(?:Presse|Medien)"
    r"|(?:Für\s+|Bei\s+)?Rückfragen|Ansprechpartner(?:in)?\s+für\s+(?:die\s+)?(?:Presse|Medien))"
    r"(?![\w-])[^:]{0,80}?(?::\s*(?P<rest>.*))?$",
    re.I,
)
_NUMBER = r"(?P<value>\+?[\d(][\d\s/()+.–—-]{4,})$"
PHONE_FIELD = re.compile(r"^(?:Tel(?:efon)?|Fon|Phone|Mobil|Handy)\.?\s*:?\s*" + _NUMBER, re.I)
FAX_FIELD = re.compile(r"^(?:Telefax|Fax)\.?\s*:?\s*" + _NUMBER, re.I)
# Linear for every input (issue 12, item 8): the part before '@' excludes '@', and an address is
# only tried where a run of address characters begins, not again inside it; '\S+@\S+' and a
# search without the look-behind took O(n²) on a line of n at signs or letters.
EMAIL_FIELD = re.compile(r"^(?:E-?Mail|Mail)\s*:?\s*(?P<value>[^\s@]+@\S+)$", re.I)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WEB_FIELD = re.compile(r"^(?:Internet|Web|Homepage)\s*:|^(?:https?://|www\.)", re.I)
ADDRESS = re.compile(
    r"^\d{5}\s+\w|(?:straße|str\.|platz|weg|allee|gasse|ring|damm|markt)\s*\d", re.I
)
SEPARATORS = re.compile(
    r"\s*(?:\||•|·|;|\t+|\s{3,})\s*|,\s*(?=(?:Tel|Fax|Telefax|E-?Mail|Mobil)\b)"
)


def is_contact_heading(line: str) -> bool:
    """'Pressekontakt KoBa Harz:', 'Rückfragen bitte an: …', 'Medienkontakt' – not a sentence
    that happens to begin with 'Rückfragen'."""
    return len(line) <= 120 and not line.endswith(".") and bool(CONTACT_HEADING.match(line))


def contact_pieces(line: str) -> list[str]:
    """The pieces of a contact line, split at '|', '•', '·', ';', tabs, wide gaps and at the
    comma before 'Tel', 'Fax' or 'E-Mail'."""
    return [piece.strip() for piece in SEPARATORS.split(line) if piece and piece.strip()]


def is_contact_field(piece: str) -> bool:
    """True if `piece` is a phone, fax or e-mail field, or a bare e-mail address."""
    return bool(
        PHONE_FIELD.match(piece) or FAX_FIELD.match(piece) or EMAIL_FIELD.match(piece)
    ) or bool(EMAIL.fullmatch(piece))


def parse_contacts(lines: list[str], warnings: list[str]) -> list[Contact]:
    """'Pressestelle KoBa Harz' / 'Tel.: … | Fax: … | E-Mail: …' lines into contacts.

    Pieces it cannot read are reported in `warnings`."""
    contacts: list[Contact] = []
    current = Contact()
    for line in lines:
        for piece in contact_pieces(line):
            if match := PHONE_FIELD.match(piece):
                current.phone = current.phone or match.group("value").strip()
            elif match := FAX_FIELD.match(piece):
                current.fax = current.fax or match.group("value").strip()
            elif (match := EMAIL_FIELD.match(piece)) or (match := EMAIL.search(piece)):
                found = EMAIL.search(match.group(0))
                if found:
                    current.email = current.email or found.group(0).rstrip(".")
            elif WEB_FIELD.match(piece) or ADDRESS.search(piece):
                continue
            elif len(piece) <= 100 and not piece.endswith(SENTENCE_END):
                if current.phone or current.email or current.fax:
                    contacts.append(current)
                    current = Contact()
                if not current.name:
                    current.name = piece.rstrip(":,")
                elif not current.person:
                    current.person = piece.rstrip(":,")
            else:
                warnings.append(
                    _("Zeile im Kontaktblock nicht erkannt: „%(text)s“") % {"text": _short(piece)}
                )
    if not current.is_empty():
        contacts.append(current)
    return contacts
