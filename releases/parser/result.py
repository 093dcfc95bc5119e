"""What the release parser returns: the result dataclasses, the kind constants and
ReleaseFormatError, which every step raises for a text it cannot read; and the `Deadline` a
parse may be given.

The lowest module of the package: it imports nothing from the others."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import translation
from django.utils.translation import gettext as _

from press.kinds import Kind

PRESS_RELEASE, KREISBLATT, NOTICE = Kind.PRESS_RELEASE, Kind.KREISBLATT, Kind.NOTICE


def kind_label(kind: str) -> str:
    """The label a release of `kind` (a `Kind` value) carries, in German whatever the
    language of the request: 'Pressemitteilung', 'Kreisblatt-Beitrag', 'Meldung'.

    Raises ValueError if `kind` is not a `Kind` value."""
    with translation.override("de"):
        return str(Kind(kind).label)


class ReleaseFormatError(ValueError):
    """The file is not a press release this parser can read; the message says why (German)."""


class OverBudgetError(ReleaseFormatError):
    """The file is over a size or time budget (RELEASE_IMPORT_MAX_BYTES,
    RELEASE_IMPORT_MAX_SECONDS); the message says which."""


class Deadline:
    """A time budget for one parse: `check()` raises OverBudgetError once `seconds` (of the
    monotonic clock) have passed since the deadline was made; None means no budget.

    The parser is linear in the length of the text, and the size budget bounds that length; the
    time budget is the second line of defence, for a slow server or a shape of text that is
    slow in a way nobody has found yet. The steps call `check()` once per block or paragraph."""

    def __init__(self, seconds: float | None = None):
        self.seconds = seconds
        self._at = None if seconds is None else time.monotonic() + seconds

    def expired(self) -> bool:
        """True once the budget is used up."""
        return self._at is not None and time.monotonic() > self._at

    def check(self) -> None:
        """Raises OverBudgetError if the budget is used up."""
        if self.expired():
            raise OverBudgetError(
                _(
                    "Die Datei braucht zu lange zum Lesen (Zeitlimit %(seconds)s Sekunden); für "
                    "eine Pressemitteilung ist sie viel zu lang oder zu ungewöhnlich aufgebaut."
                )
                % {"seconds": f"{self.seconds:g}"}
            )


# --- the result -------------------------------------------------------------------------------


@dataclass
class Caption:
    """A photo caption: its text ('Name, Funktion' or any short text) and the photo credit
    ('' if none)."""

    text: str
    credit: str = ""


@dataclass
class ParsedQuote:
    """A quote: who said it (`speaker`, the name as printed), the speaker's function ('' if
    unknown) and the quoted text without its quotation marks."""

    speaker: str
    function: str
    text: str


@dataclass
class Contact:
    """A press contact from the contact block: a name line (an office or a person), phone,
    fax and e-mail as printed; any of them may be ''."""

    name: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    person: str = ""  # a second name line, e.g. the person at the press office
    address: str = ""  # street and town as printed ('Lindenallee 4, 01234 Wiesental')
    web: str = ""  # a web address of the contact block

    def is_empty(self) -> bool:
        """True if the contact has neither a name nor a phone number, fax or e-mail."""
        return not (self.name or self.phone or self.fax or self.email)


@dataclass
class Block:
    """One element of the body: a paragraph ("p"), a subheading ("h") or a list ("ul", "ol")."""

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        """The block as it is written in a release file (and as `paragraphs` lists it)."""
        if self.kind == "ul":
            return "\n".join(f"- {item}" for item in self.items)
        if self.kind == "ol":
            return "\n".join(f"{number}. {item}" for number, item in enumerate(self.items, 1))
        return self.text


def _field_labels() -> dict[str, str]:
    """The German names of the fields of UNCERTAIN_FIELDS, in the order of the form."""
    return {
        "kicker": _("Dachzeile"),
        "title": _("Überschrift"),
        "date": _("Datum"),
        "embargo": _("Sperrfrist"),
        "lead": _("Vorspann"),
        "paragraphs": _("Text"),
        "captions": _("Bildunterschriften"),
        "quotes": _("Zitate"),
        "contacts": _("Pressekontakt"),
    }


# The fields of a ParsedRelease that can be flagged as uncertain (`ParsedRelease.flag`).
UNCERTAIN_FIELDS = frozenset(
    {"kicker", "title", "date", "embargo", "lead", "paragraphs", "captions", "quotes", "contacts"}
)


@dataclass
class ParsedRelease:
    """Everything the parser read from one release text. `kind` is a `Kind` value; `date` and
    `embargo` (aware, Europe/Berlin) are None if the text gives none; `warnings` lists what was
    guessed or left out, for the editor."""

    kind: str = PRESS_RELEASE
    kicker: str = ""
    title: str = ""
    date: date | None = None
    embargo: datetime | None = None
    lead: str = ""
    blocks: list[Block] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    quotes: list[ParsedQuote] = field(default_factory=list)
    # Public correction notes of an exported article ('Korrekturen:'); informational only.
    corrections: list[str] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The fields the parser guessed and an editor should check (names from UNCERTAIN_FIELDS),
    # for the import preview and `import_releases --dry-run`.
    uncertain: set[str] = field(default_factory=set)
    # Lines (or parts of lines) read as information about the release rather than as its text:
    # date, label and Sperrfrist lines, datelines, the sign-off, contact headings. Shown beside
    # the fields, so that no line of the file is lost from sight.
    meta_lines: list[str] = field(default_factory=list)

    def uncertain_labels(self) -> list[str]:
        """The German names of the uncertain fields, in the order of the form
        ('Dachzeile', 'Sperrfrist', …)."""
        return [label for name, label in _field_labels().items() if name in self.uncertain]

    def flag(self, name: str, warning: str = "") -> None:
        """Marks the field `name` (one of UNCERTAIN_FIELDS) as a guess, with `warning` (German)
        for the editor if given.

        Raises ValueError for a name that is not a field of the result."""
        if name not in UNCERTAIN_FIELDS:
            raise ValueError(name)
        self.uncertain.add(name)
        if warning:
            self.warnings.append(warning)

    @property
    def paragraphs(self) -> list[str]:
        """The body blocks as text, one string per block (see `Block.as_text`)."""
        return [block.as_text() for block in self.blocks]

    def as_json(self, file: str = "") -> dict:
        """The shape `import_releases --dry-run --json` prints."""
        return {
            "file": file,
            "kind": self.kind,
            "kicker": self.kicker,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "embargo": self.embargo.isoformat() if self.embargo else None,
            "lead": self.lead,
            "paragraphs": self.paragraphs,
            "captions": [{"text": c.text, "credit": c.credit} for c in self.captions],
            "quotes": [
                {"speaker": q.speaker, "function": q.function, "text": q.text} for q in self.quotes
            ],
            "contacts": [
                {
                    "name": c.name,
                    "person": c.person,
                    "phone": c.phone,
                    "fax": c.fax,
                    "email": c.email,
                    "address": c.address,
                    "web": c.web,
                }
                for c in self.contacts
            ],
            "warnings": list(self.warnings),
            "uncertain": sorted(self.uncertain),
            "meta_lines": list(self.meta_lines),
        }
