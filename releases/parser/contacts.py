"""Photo captions (with credits) and the contact block at the end of a release."""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext as _

from .dates import PIPE, sign_off_date
from .names import SENTENCE_END, TERMINAL, _short, person_name, squash
from .result import Caption, Contact

CREDIT_LINE = re.compile(
    r"^\(?(?:Foto|Fotos|Bild|Bildquelle|Foto/Grafik|Grafik|Quelle)\s*:\s*(?P<credit>.+?)\)?$", re.I
)
CREDIT_TAIL = re.compile(r"\s*[(|–—-]?\s*\(?(?:Foto|Bild)\s*:\s*(?P<credit>[^()|]+?)\)?\s*$", re.I)
QUOTE_MARKS = frozenset('„“”»«"')
# 'Bild (Stadt Eichbrück): Jonas Brettschneider und …': the credit in brackets, then the text.
CREDIT_FIRST = re.compile(
    r"^(?:Foto|Fotos|Bild|Abbildung)\s*\((?P<credit>[^()]{1,80})\)\s*:\s*(?P<text>\S.*)$", re.I
)


def caption_of(lines: list[str], *, credit_required: bool = False) -> Caption | None:
    """A photo caption: 'Name,' / 'Funktion' lines (as in the sample), or any short text with
    a 'Foto: …' line giving the credit."""
    if len(lines) > 4 or any(len(line) > 200 for line in lines):
        return None
    if match := CREDIT_FIRST.match(lines[0]):
        text = squash(" ".join([match.group("text"), *lines[1:]]))
        return Caption(text=text, credit=match.group("credit").strip())
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


def titled_caption(lines: list[str]) -> Caption | None:
    """'Schlüsselübergabe' / 'Hanna Vogt und Jonas Brettschneider vor dem neuen Eingang': a
    short title line over a one-line description, as captions are written at the end of a
    release; the caption is 'title – description'. Only the last block of the text is asked
    (a guess the parser flags), else None."""
    if len(lines) != 2:
        return None
    title, description = lines
    text = title + description
    if (
        len(title) > 40
        or len(title.split()) > 4
        or title.endswith(TERMINAL + (",", "-"))
        or not title[:1].isupper()
        or len(description) > 200
        or description.endswith(SENTENCE_END + (":", ",", ";"))
        or any(mark in text for mark in QUOTE_MARKS)
    ):
        return None
    return Caption(text=f"{title} – {description}")


CONTACT_HEADING = re.compile(
    r"^(?:Presse-?kontakte?|Medienkontakte?|Kontakt\s+für\s+(?:die\s+)?(?:Presse|Medien)"
    r"|(?:Für\s+|Bei\s+)?Rückfragen|Ansprechpartner(?:in)?\s+für\s+(?:die\s+)?(?:Presse|Medien)"
    # The press portals' layout: 'Firmenkontakt und Herausgeber der Meldung:', then
    # 'Ansprechpartner:' (a heading only with its colon; in a sentence it is a word).
    r"|Firmenkontakt(?:\s+und\s+Herausgeber(?:\s+der\s+(?:Meldung|Mitteilung))?)?"
    r"|(?:Ansprechpartner(?:in|innen)?|Herausgeber(?:in)?|Kontakt)(?=\s*:))"
    r"(?![\w-])[^:]{0,80}?(?::\s*(?P<rest>.*))?$",
    re.I,
)
# 'Pressestelle Agentur für Arbeit Eichbrück': a sign-off that names the office.
SIGN_OFF_NAME = re.compile(
    r"^(?:Pressestelle|Presse-\s*und\s+Öffentlichkeitsarbeit|Pressesprecher(?:in)?)\b", re.I
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


def sign_off(line: str) -> tuple[str, date | None] | None:
    """The last line of a release as a sign-off: ('Pressestelle Agentur für Arbeit Eichbrück',
    date(2021, 5, 12)) for 'Pressestelle Agentur für Arbeit Eichbrück | 12.05.2021'; the date
    is None for a line that only names the press office. None if `line` is not a sign-off."""
    if len(line) > 160 or line.endswith(SENTENCE_END) or any(m in line for m in QUOTE_MARKS):
        return None
    names, day = [], None
    for part in PIPE.split(line):
        if day is None and (found := sign_off_date(part)):
            day = found
        elif len(part) <= 100 and part[:1].isupper():
            names.append(part.strip())
        else:
            return None
    if len(names) != 1 or (day is None and not SIGN_OFF_NAME.match(names[0])):
        return None
    return names[0], day


_ADDRESS_PART = re.compile(r"^\d{5}\s+\w|\w\s+\d+\s*[a-z]?$", re.I)


def _split_address(piece: str) -> tuple[str, str]:
    """'Jobcenter Wiesental, Lindenallee 4, 01234 Wiesental' -> ('Jobcenter Wiesental',
    'Lindenallee 4, 01234 Wiesental'): the name before the first part that is a street or
    a postcode, and the address from there."""
    parts = piece.split(", ")
    for index, part in enumerate(parts):
        if ADDRESS.search(part) or _ADDRESS_PART.search(part):
            return ", ".join(parts[:index]), ", ".join(parts[index:])
    return "", piece


_SHARED_PHONE = re.compile(r"^(?P<base>.*?)(?P<last>\d+)(?P<others>(?:/\d+)+)$")


def _split_shared(contact: Contact, emails: list[str]) -> list[Contact]:
    """'Anna Roth/Ben Kurz' with one e-mail each and 'Tel: 01234.567 81/82': one contact per
    person, each with their own e-mail and extension. A contact of one person comes back as
    it is."""
    names = [name.strip() for name in contact.name.split("/")]
    if len(names) < 2 or not all(person_name(name) for name in names):
        return [contact]
    phones = [contact.phone] * len(names)
    # A phone number is short; the length bound keeps the pattern's backtracking small.
    if len(contact.phone) <= 60 and (match := _SHARED_PHONE.match(contact.phone)):
        ends = [match.group("last")] + match.group("others").split("/")[1:]
        if len(ends) == len(names) and all(len(end) == len(ends[0]) for end in ends):
            phones = [match.group("base") + end for end in ends]
    mails = emails if len(emails) == len(names) else [contact.email] * len(names)
    return [
        Contact(name=name, phone=phone, fax=contact.fax, email=mail, address=contact.address)
        for name, phone, mail in zip(names, phones, mails, strict=True)
    ]


def parse_contacts(
    lines: list[str],
    warnings: list[str],
    uncertain: set[str] | None = None,
    headings: list[str] | None = None,
) -> list[Contact]:
    """'Pressestelle KoBa Harz' / 'Tel.: … | Fax: … | E-Mail: …' lines into contacts. A
    heading inside the block ('Ansprechpartner:') begins the next contact; an address line
    ('Jobcenter Wiesental, Lindenallee 4, 01234 Wiesental') gives name and address; two
    persons in one block ('Anna Roth/Ben Kurz', two e-mails, 'Tel: … 81/82') become two
    contacts, and `uncertain` (if given) gets 'contacts'. The headings inside the block are
    appended to `headings` (if given).

    Pieces it cannot read, and fields it cannot place, are reported in `warnings` by their
    text: nothing is dropped silently."""
    contacts: list[Contact] = []
    current = Contact()
    emails: list[str] = []  # every e-mail of the current contact, in order

    def close() -> None:
        nonlocal current, emails
        if not current.is_empty() or current.address:
            split = _split_shared(current, emails)
            if len(split) > 1 and uncertain is not None:
                uncertain.add("contacts")
            elif len(emails) > 1:
                for extra in emails[1:]:
                    warnings.append(
                        _("Weitere E-Mail-Adresse im Kontaktblock nicht zugeordnet: „%(text)s“")
                        % {"text": extra}
                    )
            contacts.extend(split)
        current, emails = Contact(), []

    def unplaced(piece: str) -> None:
        warnings.append(
            _("Zeile im Kontaktblock nicht zugeordnet: „%(text)s“") % {"text": _short(piece)}
        )

    for line in lines:
        if is_contact_heading(line) and (heading := CONTACT_HEADING.match(line)):
            close()
            if headings is not None:
                headings.append(line)
            line = (heading.group("rest") or "").strip()
        for piece in contact_pieces(line):
            if match := PHONE_FIELD.match(piece):
                if current.phone:
                    unplaced(piece)
                current.phone = current.phone or match.group("value").strip()
            elif match := FAX_FIELD.match(piece):
                if current.fax:
                    unplaced(piece)
                current.fax = current.fax or match.group("value").strip()
            elif (match := EMAIL_FIELD.match(piece)) or (match := EMAIL.search(piece)):
                found = EMAIL.search(match.group(0))
                if found:
                    emails.append(found.group(0).rstrip("."))
                    current.email = current.email or emails[0]
            elif WEB_FIELD.match(piece):
                if current.web:
                    unplaced(piece)
                current.web = current.web or piece
            elif len(piece) <= 200 and ADDRESS.search(piece):
                name, address = _split_address(piece)
                if name:
                    if current.phone or current.email or current.fax:
                        close()
                    current.name = current.name or name.rstrip(":,")
                current.address = ", ".join(filter(None, (current.address, address)))
            elif len(piece) <= 100 and not piece.endswith(SENTENCE_END):
                if current.phone or current.email or current.fax:
                    close()
                if not current.name:
                    current.name = piece.rstrip(":,")
                elif not current.person:
                    current.person = piece.rstrip(":,")
                else:
                    unplaced(piece)
            else:
                warnings.append(
                    _("Zeile im Kontaktblock nicht erkannt: „%(text)s“") % {"text": _short(piece)}
                )
    close()
    return contacts
