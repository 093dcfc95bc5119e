"""Read press releases in the press office's plain-text format.

A release file looks like demo/data/kreisblatt-2017-10-06.txt: a kicker and the release
date, the headline, the lead, photo captions, body paragraphs with quotes, and a contact block at
the end. This module turns such a text into a `ParsedRelease`. It is a pure parser: no database,
no files, no settings. `releases.importing` stores the result; `releases.exporting` writes the same
format, which this parser must read back unchanged (round trip).

Everything here is a heuristic over free text, so every step is linear in the length of the text
and every guess that could be wrong is either conservative or reported as a warning.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _

from press.kinds import Kind

# Release texts give German local time ("10 Uhr"), whatever zone the server runs in.
BERLIN = ZoneInfo("Europe/Berlin")

# Larger files are not press releases (logs, exports of whole mailboxes); refuse them early.
MAX_BYTES = 2_000_000
MAX_TITLE = 300  # Article.title
MAX_KICKER = 200  # Article.kicker

PRESS_RELEASE, KREISBLATT, NOTICE = Kind.PRESS_RELEASE, Kind.KREISBLATT, Kind.NOTICE

# Month names as they occur in release dates, including the usual abbreviations.
MONTHS = {
    "januar": 1, "jan": 1, "jänner": 1,
    "februar": 2, "feb": 2, "febr": 2,
    "märz": 3, "maerz": 3, "mär": 3, "mrz": 3,
    "april": 4, "apr": 4,
    "mai": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
}  # fmt: skip
MONTH_NAMES = (
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
    "Oktober", "November", "Dezember",
)  # fmt: skip

# Document labels: the kind of text, never its kicker.
LABELS = {
    "pressemitteilung": PRESS_RELEASE,
    "presseinformation": PRESS_RELEASE,
    "pressemeldung": PRESS_RELEASE,
    "pressenotiz": PRESS_RELEASE,
    "medieninformation": PRESS_RELEASE,
    "meldung": NOTICE,
    "kurzmeldung": NOTICE,
    "kreisblatt-beitrag": KREISBLATT,
}


def kind_label(kind: str) -> str:
    """The label a release of `kind` (a `Kind` value) carries, in German whatever the
    language of the request: 'Pressemitteilung', 'Kreisblatt-Beitrag', 'Meldung'."""
    with translation.override("de"):
        return str(Kind(kind).label)


class ReleaseFormatError(ValueError):
    """The file is not a press release this parser can read; the message says why (German)."""


# --- the result -------------------------------------------------------------------------------


@dataclass
class Caption:
    text: str
    credit: str = ""


@dataclass
class ParsedQuote:
    speaker: str
    function: str
    text: str


@dataclass
class Contact:
    name: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    person: str = ""  # a second name line, e.g. the person at the press office

    def is_empty(self) -> bool:
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


@dataclass
class ParsedRelease:
    kind: str = PRESS_RELEASE
    kicker: str = ""
    title: str = ""
    date: date | None = None
    embargo: datetime | None = None
    lead: str = ""
    blocks: list[Block] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    quotes: list[ParsedQuote] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
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
                {"name": c.name, "phone": c.phone, "fax": c.fax, "email": c.email}
                for c in self.contacts
            ],
            "warnings": list(self.warnings),
        }


# --- bytes to text ----------------------------------------------------------------------------

BINARY_SIGNATURES = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "Word/ZIP"),
    (b"\xd0\xcf\x11\xe0", "Word (.doc)"),
    (b"{\\rtf", "RTF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
)


def decode(data: bytes) -> str:
    """The text of a release file: UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1252.

    Raises ReleaseFormatError for empty, oversized and binary files."""
    if len(data) > MAX_BYTES:
        raise ReleaseFormatError(
            _("Die Datei ist zu groß für eine Pressemitteilung (mehr als %(size)d MB).")
            % {"size": MAX_BYTES // 1_000_000}
        )
    for signature, name in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise ReleaseFormatError(
                _("Das ist keine Textdatei, sondern %(format)s. Bitte als reinen Text speichern.")
                % {"format": name}
            )
    if data.startswith(codecs.BOM_UTF8):
        text = _decode_strict(data[len(codecs.BOM_UTF8) :], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode_strict(data, "utf-16")
    elif b"\x00" in data:
        raise ReleaseFormatError(_("Das ist keine Textdatei (Binärdaten)."))
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Not UTF-8: Word and older Windows editors save Windows-1252 ("ANSI").
            text = _decode_strict(data, "cp1252")
    if not text.strip():
        raise ReleaseFormatError(_("Die Datei ist leer."))
    controls = sum(
        1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0x7F <= ord(ch) < 0xA0
    )
    if controls > max(3, len(text) // 100):
        raise ReleaseFormatError(_("Das ist keine Textdatei (Binärdaten)."))
    return text


def _decode_strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ReleaseFormatError(
            _("Unbekannte Zeichenkodierung (weder UTF-8 noch Windows-1252).")
        ) from error


def normalise(text: str) -> str:
    """One spelling of the same text: NFC, LF line ends, no BOM, no trailing spaces, page breaks
    as blank lines. The content hash is taken from this, so a release saved once with CRLF and
    once with LF, or once in UTF-8 and once in Windows-1252, is the same release."""
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u200b", "")
    text = text.replace("\u00ad", "")  # soft hyphens from word processors
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def source_hash(text: str) -> str:
    """Content hash of a release (64 hex digits, Article.source_hash)."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


# --- dates ------------------------------------------------------------------------------------

_WEEKDAY = (
    r"(?:(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag"
    r"|Mo|Di|Mi|Do|Fr|Sa|So)\.?,?\s+)?"
)
_DATE = (
    _WEEKDAY + r"(?:(?P<d1>\d{1,2})\.\s?(?P<m1>\d{1,2})\.\s?(?P<y1>\d{4}|\d{2})(?!\d)"
    r"|(?P<d2>\d{1,2})\.\s*(?P<mon>[A-Za-zÄä]{3,9})\.?\s+(?P<y2>\d{4})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{1,2})-(?P<d3>\d{1,2}))"
)
_TIME = (
    r"(?:,?\s*(?:um\s+)?(?P<hh>\d{1,2})(?:[:.](?P<mm>\d{2}))?\s*Uhr"
    r"|,?\s+(?P<hh2>\d{1,2}):(?P<mm2>\d{2}))"
)
_LABEL = r"(?P<label>" + "|".join(re.escape(label) for label in LABELS) + r")"

DATE_LINE = re.compile(r"^(?:(?:Datum|Stand)\s*:\s*)?" + _DATE + r"\.?$", re.I)
LABEL_LINE = re.compile(
    r"^" + _LABEL + r"(?:\s+Nr\.?\s*[\w/.-]+)?(?:\s*(?:vom|,)\s*" + _DATE + r")?\.?$", re.I
)
EMBARGO_LINE = re.compile(
    r"^Sperrfrist\s*(?::\s*|\s+)(?:bis\s+(?:zum\s+)?)?" + _DATE + _TIME + r"?\.?$", re.I
)
PLACE_DATE_LINE = re.compile(
    r"^(?P<place>[A-ZÄÖÜ][\w.\- ]{1,40}?),\s*(?:(?:den|am)\s+)?" + _DATE + r"\.?$"
)
PREFIX_DATE_LINE = re.compile(r"^(?P<prefix>[^\d„“\"»]{2,80}?)\s+vom\s+" + _DATE + r"\.?$", re.I)
DATELINE_IN_LEAD = re.compile(
    r"^(?P<place>[A-ZÄÖÜ][\w.\-/ ]{1,40}?)(?:\s*\([^)]{1,30}\))?,\s*(?:den\s+)?"
    + _DATE
    + r"\s*[–—-]+\s+(?=\S)"
)


def _date_from(match: re.Match) -> date | None:
    groups = match.groupdict()
    try:
        if groups.get("d1"):
            year = int(groups["y1"])
            year = year + 2000 if year < 100 else year
            return date(year, int(groups["m1"]), int(groups["d1"]))
        if groups.get("d2"):
            month = MONTHS.get(groups["mon"].lower().rstrip("."))
            return date(int(groups["y2"]), month, int(groups["d2"])) if month else None
        if groups.get("y3"):
            return date(int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
    except ValueError:  # 31.02., month 13: not a date after all
        return None
    return None


def _time_from(match: re.Match) -> tuple[int, int]:
    groups = match.groupdict()
    hour, minute = groups.get("hh") or groups.get("hh2"), groups.get("mm") or groups.get("mm2")
    return (int(hour), int(minute or 0)) if hour else (0, 0)


def german_date(day: date) -> str:
    """'6. Oktober 2017'."""
    return f"{day.day}. {MONTH_NAMES[day.month - 1]} {day.year}"


@dataclass
class Meta:
    """What a header line says about the release."""

    date: date | None = None
    embargo: datetime | None = None
    kind: str | None = None
    text: str = ""  # what is left of the line for the kicker, e.g. "Zuarbeit Kreisblatt vom …"


def parse_meta_line(line: str) -> Meta | None:
    """A date, label or embargo line ('06.10.2017', 'Pressemitteilung vom 06.10.2017',
    'Sperrfrist: 26. Februar 2009, 10 Uhr', 'Halberstadt, 6. Oktober 2017'), else None.

    Only whole lines count: a date inside a sentence ("am 11. März lädt …") is never one."""
    if len(line) > 120:
        return None
    if match := EMBARGO_LINE.match(line):
        day = _date_from(match)
        if day is None:
            return None
        hour, minute = _time_from(match)
        if hour > 23 or minute > 59:
            return None
        return Meta(embargo=datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN))
    if match := LABEL_LINE.match(line):
        if match.group("d1") or match.group("d2") or match.group("y3"):
            day = _date_from(match)
            if day is None:
                return None
        else:
            day = None
        return Meta(date=day, kind=LABELS[match.group("label").lower()])
    for pattern in (DATE_LINE, PLACE_DATE_LINE):
        if match := pattern.match(line):
            day = _date_from(match)
            return Meta(date=day) if day else None
    if match := PREFIX_DATE_LINE.match(line):
        day = _date_from(match)
        return Meta(date=day, text=match.group("prefix").strip()) if day else None
    return None


# --- words and names --------------------------------------------------------------------------


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


TERMINAL = tuple(".!?:;…)]“”\"»«'’")
SENTENCE_END = tuple(".!?…")
FUNCTION_WORDS = word_set(
    """der die das dem den des ein eine einer einem einen eines und oder aber sowie mit für von
    vom zu zum zur im in am an auf bei nach aus über unter vor durch gegen ohne um dass wie als
    ist sind war waren hat haben wird werden kann können sich es nicht auch noch so sehr"""
)
# Capitalised words at a sentence start that are never (part of) a person's name.
NOT_NAMES = word_set(
    """Das Die Der Den Dem Des Dazu Dabei Damit Danach Darum Daher Denn Doch Aber Auch Und Oder
    Wir Sie Er Es Ich Ihr Man Ein Eine Einer Im In Am An Auf Bei Mit Für Nach Zum Zur Von Vom
    Unser Unsere Diese Dieser Dieses Jetzt Heute Hier Dort So Wie Was Wer Wenn Weil Als Nun
    Herr Frau Laut Zitat Fazit Motto Thema Projekt Ziel Jobcenter Landkreis Harz KoBa"""
)
TITLES = ("Dr.", "Prof.", "Dipl.-Ing.", "Dipl.-Kfm.", "Dipl.-Päd.", "Dr.-Ing.", "med.", "h.c.")
PARTICLES = frozenset({"von", "van", "de", "zu", "vom", "ter", "da", "di"})
ROLE_SUFFIXES = (
    "leiter", "leiterin", "rat", "rätin", "meister", "meisterin", "sprecher", "sprecherin",
    "chef", "chefin", "direktor", "direktorin", "präsident", "präsidentin", "beauftragte",
    "beauftragter", "minister", "ministerin", "sekretär", "sekretärin", "referent", "referentin",
    "koordinator", "koordinatorin", "berater", "beraterin", "führer", "führerin", "vorsitzende",
    "vorsitzender", "mitarbeiter", "mitarbeiterin", "dezernent", "dezernentin", "manager",
    "managerin", "fachkraft", "teilnehmer", "teilnehmerin", "coach", "trainer", "trainerin",
    "dozent", "dozentin", "vorstand", "inhaber", "inhaberin", "kollegin", "kollege",
)  # fmt: skip
ROLE_WORD = re.compile(r"^[A-ZÄÖÜ][\w-]+$")
NAME_WORD = re.compile(r"^[A-ZÄÖÜ][a-zäöüßéèáàç]+(?:-[A-ZÄÖÜ][a-zäöüßéèáàç]+)*$")
TOKEN = re.compile(
    r"Dipl\.-\w+\.|Dr\.-Ing\.|Prof\.|Dr\.|med\.|h\.c\.|[^\W\d_][\w’'-]*|\d+|[^\s\w]", re.UNICODE
)
PRONOUNS = frozenset({"sie", "er"})
SPEECH_VERBS = word_set(
    """so sagt sagte erklärt erklärte betont betonte ergänzt ergänzte meint meinte berichtet
    berichtete unterstreicht unterstrich erläutert erläuterte hebt hob fügt fügte freut freute
    resümiert resümierte bilanziert bilanzierte fordert forderte appelliert appellierte weiß
    wusste schildert schilderte beschreibt beschrieb bekräftigt bekräftigte bestätigt bestätigte
    kündigt kündigte verspricht versprach fasst fasste mahnt mahnte warnt warnte räumt räumte
    sieht sah fragt fragte antwortet antwortete wünscht wünschte lobt lobte dankt dankte begrüßt
    begrüßte rät riet empfiehlt empfahl verweist verwies stellt stellte zeigt zeigte
    informiert informierte kommentiert kommentierte"""
)
FILLERS = word_set(
    """sich dazu hierzu auch weiter abschließend zufrieden erfreut überzeugt die der das den
    dem noch heute nun außerdem zudem ebenfalls"""
)


def is_role_word(word: str) -> bool:
    return word.lower().endswith(ROLE_SUFFIXES)


def words(text: str) -> list[str]:
    return TOKEN.findall(text)


@dataclass
class NameRef:
    """A person named in an attribution: a full name, a surname, a role ('die Leiterin') or a
    pronoun ('sagt sie'); `role` is a function found before the name ('Landrat Dr. …')."""

    kind: str  # "full", "surname", "role", "pronoun"
    name: str = ""
    role: str = ""


def name_at(tokens: list[str], start: int) -> tuple[NameRef | None, int]:
    """The name whose run of capitalised words begins at tokens[start]; returns it and the index
    after the run."""
    index = start
    run: list[str] = []
    while index < len(tokens):
        token = tokens[index]
        is_name_part = (
            token in TITLES
            or NAME_WORD.match(token)
            or (ROLE_WORD.match(token) and is_role_word(token))
            # 'von', 'van', 'de' inside a name, never at its end
            or (
                token in PARTICLES
                and run
                and index + 1 < len(tokens)
                and NAME_WORD.match(tokens[index + 1])
            )
        )
        if not is_name_part:
            break
        run.append(token)
        index += 1
    if not run:
        return None, start
    return ref_from_run(run), index


def ref_from_run(run: list[str]) -> NameRef | None:
    """'Landrat Dr. Henning Albrecht' -> full name 'Dr. Henning Albrecht', role 'Landrat'."""
    if run[0] in {"Herr", "Frau"}:
        run = run[1:]
    roles: list[str] = []
    while run and run[0] not in TITLES and (is_role_word(run[0]) or run[0] in NOT_NAMES):
        if run[0] not in NOT_NAMES:
            roles.append(run[0])
        run = run[1:]
    role = " ".join(roles)
    name_words = [token for token in run if token not in TITLES and token not in PARTICLES]
    if not name_words:
        return NameRef("role", role=role) if role else None
    if any(token in NOT_NAMES for token in name_words):
        return None
    if len(name_words) > 4:
        return None
    if len(name_words) == 1:
        return NameRef("surname", name=name_words[0], role=role)
    return NameRef("full", name=" ".join(run), role=role)


def person_name(text: str) -> str | None:
    """`text` if it is nothing but a person's name ('Dr. Henning Albrecht'), else None."""
    tokens = words(text)
    ref, end = name_at(tokens, 0)
    if ref is None or ref.kind != "full" or ref.role or end != len(tokens):
        return None
    return ref.name


def name_key(name: str) -> str:
    """Comparable form of a person's name: without titles, case and extra spaces."""
    parts = [part for part in name.split() if part not in TITLES]
    return " ".join(parts).casefold()


def squash(text: str) -> str:
    return " ".join(text.split())


# --- quotes -----------------------------------------------------------------------------------

# Opening mark -> the marks that close it. „…“ and »…« are German; “…” English; "…" typewriter.
CLOSERS = {"„": "“”", "»": "«", "“": "”“", '"': '"'}
NESTING = {"„", "»"}  # only these can nest: the closing mark differs from the opening one


@dataclass
class Span:
    start: int  # index of the opening mark
    end: int  # index of the closing mark (len(text) if unclosed)
    text: str
    closed: bool


def quote_spans(text: str) -> list[Span]:
    """The quoted passages of a paragraph, outermost only, in one pass."""
    spans: list[Span] = []
    index, length = 0, len(text)
    while index < length:
        mark = text[index]
        if mark not in CLOSERS or (mark == '"' and not _opens(text, index)):
            index += 1
            continue
        closers, depth, cursor = CLOSERS[mark], 1, index + 1
        while cursor < length:
            char = text[cursor]
            if mark in NESTING and char == mark:
                depth += 1
            elif char in closers:
                depth -= 1
                if depth == 0:
                    break
            cursor += 1
        closed = cursor < length
        spans.append(Span(index, cursor, text[index + 1 : cursor].strip(), closed))
        index = cursor + 1
    return spans


def _opens(text: str, index: int) -> bool:
    """A typewriter quote opens at the start or after a space/bracket, before a non-space."""
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return (before.isspace() or before in "([–—-/") and not after.isspace()


ABBREVIATIONS = word_set(
    "Dr Prof Nr bzw ca usw vgl z.B d.h Abs St Str Tel Ing Dipl u.a o.ä inkl ggf evtl"
)


def sentence_start(text: str, position: int, floor: int = 0) -> int:
    """Index where the sentence containing `position` begins (not before `floor`)."""
    index = position - 1
    while index > floor:
        char = text[index]
        if char in "!?" and text[index + 1 : index + 2].isspace():
            return index + 1
        if char == "." and text[index + 1 : index + 2].isspace():
            word = _word_before(text, index, floor).lstrip('(„“"»')
            if word and not word.isdigit() and word not in ABBREVIATIONS and len(word) > 1:
                return index + 1
        index -= 1
    return floor


def _word_before(text: str, index: int, floor: int) -> str:
    """The word that ends at `index` (exclusive), not reaching back before `floor`."""
    begin = index
    while begin > floor and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:index]


def _sentence_end(text: str, start: int, limit: int = 200) -> int:
    """Index of the end of the sentence that continues at `start`."""
    stop = min(len(text), start + limit)
    index = start
    while index < stop:
        char = text[index]
        if char in '!?„“”»«"':
            return index
        if char == ".":
            word = _word_before(text, index, start)
            if word not in ABBREVIATIONS and word + "." not in TITLES:
                return index
        index += 1
    return stop


@dataclass
class Attribution:
    ref: NameRef | None = None
    function: str = ""  # "Name, Funktion" at this quote


def attribution_after(text: str) -> Attribution | None:
    """'“, so Claudia Langer.' / '“, erklärt Sabine Krüger, Teamleiterin …' / '“, sagt sie.'"""
    match = re.match(r"\s*(?:,\s*(?:[–—-]\s*)?|[–—-]\s*)", text)
    if match is None:
        return None
    rest = text[match.end() :]
    tokens = words(rest[:240])
    if not tokens or tokens[0].lower() not in SPEECH_VERBS:
        return None
    index = 1
    skipped = 0
    while index < len(tokens) and tokens[index] in FILLERS and skipped < 3:
        index, skipped = index + 1, skipped + 1
    if index < len(tokens) and tokens[index].lower() in PRONOUNS and skipped == 0:
        return Attribution(NameRef("pronoun"))
    ref, end = name_at(tokens, index)
    if ref is None:
        return None
    function = ""
    if end < len(tokens) and tokens[end] == ",":
        # Find the comma in the raw text to keep the function's own spelling.
        consumed = _offset_after_tokens(rest, end + 1)
        function = squash(rest[consumed : _sentence_end(rest, consumed)]).rstrip(",;:–- ")
        if len(function) > 150 or not function:
            function = ""
    return Attribution(ref, function)


def _offset_after_tokens(text: str, count: int) -> int:
    """Character offset in `text` just after its first `count` tokens."""
    position = 0
    for number, match in enumerate(TOKEN.finditer(text)):
        position = match.end()
        if number + 1 >= count:
            break
    return position


def attribution_before(chunk: str) -> Attribution | None:
    """The text of a sentence before ': „…“': 'Claudia Langer, Eigenbetriebsleiterin' or
    'Dazu sagt Landrat Dr. Henning Albrecht' or 'Claudia Langer erklärt'."""
    chunk = squash(chunk)
    if not chunk or len(chunk) > 200:
        return None
    if ", " in chunk:
        name, function = chunk.split(", ", 1)
        if (full := person_name(name)) and len(function) <= 150:
            return Attribution(NameRef("full", name=full), function.strip())
    tokens = words(chunk)
    for index, token in enumerate(tokens):
        if token.lower() in SPEECH_VERBS and token != "so":
            after, _end = name_at(tokens, index + 1) if index + 1 < len(tokens) else (None, 0)
            if after is not None:
                return Attribution(after)
            # 'Die Eigenbetriebsleiterin Claudia Langer betont': the name ends before the verb.
            start = index
            while start > 0 and (
                tokens[start - 1] in TITLES
                or NAME_WORD.match(tokens[start - 1])
                or tokens[start - 1] in PARTICLES
            ):
                start -= 1
            before, end = name_at(tokens, start)
            return Attribution(before) if before is not None and end == index else None
    if full := person_name(chunk):
        return Attribution(NameRef("full", name=full))
    return None


@dataclass
class QuoteCandidate:
    paragraph: int
    span: Span
    attribution: Attribution | None
    sentence_start: bool  # the quote begins a sentence (or the paragraph)
    after_comma: bool  # the quote follows ', ' (a quote split by its attribution)
    gap_before: str  # text between the previous quote of the paragraph and this one


def _word_count(text: str) -> int:
    return len(text.split())


class QuoteFinder:
    """Finds quotes in the lead and body paragraphs and attributes them to persons.

    Two passes: the first collects every full name (with functions) the text attributes or
    captions, so that 'so Langer' can be resolved even before the full name is printed."""

    def __init__(self, captions: list[Caption], known_names: Iterable[str], warnings: list[str]):
        self.warnings = warnings
        self.known = list(dict.fromkeys(squash(name) for name in known_names if name))
        self.functions: dict[str, str] = {}  # name key -> function from "Name, Funktion"
        self.roles: dict[str, str] = {}  # name key -> role before the name ('Landrat')
        self.names: dict[str, str] = {}  # name key -> name as printed first
        for caption in captions:
            if ", " in caption.text:
                name, function = caption.text.split(", ", 1)
                if full := person_name(name):
                    self._remember(full, function.strip())

    def _remember(self, name: str, function: str = "", role: str = "") -> None:
        key = name_key(name)
        self.names.setdefault(key, name)
        if function:
            self.functions.setdefault(key, function)
        if role:
            self.roles.setdefault(key, role)

    def find(self, paragraphs: list[str]) -> list[ParsedQuote]:
        candidates = [self._candidates(number, text) for number, text in enumerate(paragraphs)]
        for paragraph in candidates:
            for candidate in paragraph:
                ref = candidate.attribution.ref if candidate.attribution else None
                if ref is not None and ref.kind == "full":
                    self._remember(ref.name, candidate.attribution.function, ref.role)
        quotes: list[ParsedQuote] = []
        last_speaker: str | None = None
        carried: str | None = None  # speaker of a quote left open at the end of a paragraph
        for number, paragraph in enumerate(candidates):
            current = carried
            carried = None
            resolved: list[str | None] = []
            for candidate in paragraph:
                speaker = self._resolve(candidate, last_speaker)
                if speaker is None and current and self._continues(candidate):
                    speaker = current
                resolved.append(speaker)
                if speaker:
                    current = last_speaker = speaker
            # '„A.“ „B“, sagt X.': an unattributed quote right before X's quote is X's as well.
            for index in range(len(paragraph) - 2, -1, -1):
                if (
                    resolved[index] is None
                    and resolved[index + 1]
                    and not paragraph[index + 1].gap_before.strip()
                    and self._statement(paragraph[index])
                ):
                    resolved[index] = resolved[index + 1]
            for candidate, speaker in zip(paragraph, resolved, strict=True):
                if speaker is None:
                    if self._statement(candidate) and _word_count(candidate.span.text) >= 6:
                        self.warnings.append(
                            _("Zitat ohne erkennbare Person in Absatz %(number)d: „%(text)s“")
                            % {"number": number + 1, "text": _short(candidate.span.text)}
                        )
                    continue
                if not candidate.span.closed:
                    self.warnings.append(
                        _(
                            "Anführungszeichen nicht geschlossen in Absatz %(number)d; das Zitat "
                            "reicht bis zum Absatzende: „%(text)s“"
                        )
                        % {"number": number + 1, "text": _short(candidate.span.text)}
                    )
                    carried = speaker
                quotes.append(
                    ParsedQuote(
                        speaker=speaker,
                        function=self._function(speaker, candidate.attribution),
                        text=squash(candidate.span.text),
                    )
                )
        return quotes

    def _candidates(self, number: int, text: str) -> list[QuoteCandidate]:
        result = []
        previous_end = 0
        for span in quote_spans(text):
            attribution = None
            if _word_count(span.text) >= 2:
                before = text[previous_end : span.start]
                if before.rstrip().endswith(":"):
                    colon = previous_end + len(before.rstrip()) - 1
                    begin = sentence_start(text, colon, previous_end)
                    attribution = attribution_before(text[begin:colon])
                if attribution is None and span.closed:
                    attribution = attribution_after(text[span.end + 1 :])
            head = text[previous_end : span.start].rstrip()
            result.append(
                QuoteCandidate(
                    paragraph=number,
                    span=span,
                    attribution=attribution,
                    sentence_start=not head or head.endswith(SENTENCE_END + ("“", "”", "«")),
                    after_comma=head.endswith(","),
                    gap_before=text[previous_end : span.start] if result else "x",
                )
            )
            previous_end = min(len(text), span.end + 1)
        return result

    def _statement(self, candidate: QuoteCandidate) -> bool:
        """Looks like something said, not a title or a scare quote: at least three words, ends
        like a sentence, starts one (or follows the comma of a split quote)."""
        text = candidate.span.text
        return (
            _word_count(text) >= 3
            and (text.endswith(SENTENCE_END) or not candidate.span.closed)
            and (candidate.sentence_start or candidate.after_comma)
        )

    def _continues(self, candidate: QuoteCandidate) -> bool:
        if candidate.attribution is not None:
            return False
        if candidate.after_comma and _word_count(candidate.span.text) >= 3:
            return len(candidate.gap_before) <= 120
        return self._statement(candidate)

    def _resolve(self, candidate: QuoteCandidate, last_speaker: str | None) -> str | None:
        attribution = candidate.attribution
        if attribution is None or attribution.ref is None:
            return None
        ref = attribution.ref
        if ref.kind == "full":
            return self.names.get(name_key(ref.name), ref.name)
        if ref.kind == "pronoun":
            return last_speaker
        if ref.kind == "surname":
            return self._by_surname(ref.name)
        if ref.kind == "role":
            return self._by_role(ref.role)
        return None

    def _by_surname(self, surname: str) -> str | None:
        for pool in (list(self.names.values()), self.known):
            matches = {name for name in pool if name.split()[-1] == surname}
            if len(matches) == 1:
                return matches.pop()
            if len(matches) > 1:
                self.warnings.append(
                    _("„%(surname)s“ ist nicht eindeutig (%(names)s); Zitat nicht zugeordnet.")
                    % {"surname": surname, "names": ", ".join(sorted(matches))}
                )
                return None
        self.warnings.append(
            _("„%(surname)s“: keine Person mit diesem Nachnamen im Text; Zitat nicht zugeordnet.")
            % {"surname": surname}
        )
        return None

    def _by_role(self, role: str) -> str | None:
        wanted = role.casefold()
        matches = {
            self.names[key]
            for key, text in {**self.roles, **self.functions}.items()
            if wanted and wanted in text.casefold()
        }
        return matches.pop() if len(matches) == 1 else None

    def _function(self, speaker: str, attribution: Attribution | None) -> str:
        if attribution is not None and attribution.function:
            return attribution.function
        key = name_key(speaker)
        if key in self.functions:
            return self.functions[key]
        if attribution is not None and attribution.ref is not None and attribution.ref.role:
            return attribution.ref.role
        return self.roles.get(key, "")


def _short(text: str, length: int = 60) -> str:
    text = squash(text)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def parse_quote_line(text: str) -> ParsedQuote | None:
    """One entry of a 'Zitate:' section: 'Name, Funktion: „Text“'."""
    text = squash(text)
    match = re.search(r":\s*([„»“\"])", text)
    if match is None:
        return None
    head, mark = text[: match.start()], match.group(1)
    body = text[match.end() :]
    closers = CLOSERS[mark]
    if body and body[-1] in closers:
        body = body[:-1]
    name, _comma, function = head.partition(", ")
    # The section is explicit, so any name is taken, also 'Pressestelle KoBa Harz'.
    if not name.strip() or len(name) > 150 or not body.strip():
        return None
    return ParsedQuote(speaker=name.strip(), function=function.strip(), text=body.strip())


# --- captions and contacts --------------------------------------------------------------------

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
EMAIL_FIELD = re.compile(r"^(?:E-?Mail|Mail)\s*:?\s*(?P<value>\S+@\S+)$", re.I)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
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
    return [piece.strip() for piece in SEPARATORS.split(line) if piece and piece.strip()]


def is_contact_field(piece: str) -> bool:
    return bool(
        PHONE_FIELD.match(piece) or FAX_FIELD.match(piece) or EMAIL_FIELD.match(piece)
    ) or bool(EMAIL.fullmatch(piece))


def parse_contacts(lines: list[str], warnings: list[str]) -> list[Contact]:
    """'Pressestelle KoBa Harz' / 'Tel.: … | Fax: … | E-Mail: …' lines into contacts."""
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


# --- blocks of lines --------------------------------------------------------------------------

BULLET = re.compile(r"^(?:[-–•*·▪]\s+)(?P<item>.*)$")
NUMBERED = re.compile(r"^\d{1,2}[.)]\s+(?P<item>.*)$")
END_MARKER = re.compile(
    r"^(?:\*{3,}|-{3,}|_{3,}|#{3,}|[–—-]\s*Ende\s*[–—-]|\(?Ende(?: der Pressemitteilung)?\)?"
    r"|\d[\d.]*\s+(?:Zeichen|Anschläge)(?:\s*\(.{0,40}\))?"
    r"|(?:Zeichen|Anschläge)(?:\s*\(.{0,40}\))?\s*:\s*\d[\d.]*)$",
    re.I,
)
QUOTES_HEADING = re.compile(r"^Zitate\s*:?$", re.I)


def split_blocks(text: str) -> list[list[str]]:
    """Lines grouped by blank lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


@dataclass
class Chunk:
    """A body block before classification: its source lines."""

    lines: list[str]

    @property
    def is_list(self) -> bool:
        if BULLET.match(self.lines[0]):
            return True
        return len(self.lines) >= 2 and all(NUMBERED.match(line) for line in self.lines)

    @property
    def text(self) -> str:
        return squash(" ".join(self.lines))


def split_lists(lines: list[str]) -> list[Chunk]:
    """'Die Änderungen:' followed by '- …' lines without a blank line: paragraph, then list."""
    if BULLET.match(lines[0]):
        return [Chunk(lines)]
    for index in range(1, len(lines)):
        if BULLET.match(lines[index]) and all(
            BULLET.match(line) or not line[:1].isupper() for line in lines[index:]
        ):
            return [Chunk(lines[:index]), Chunk(lines[index:])]
    return [Chunk(lines)]


def continues(previous: Chunk, following: Chunk) -> bool:
    """A paragraph that a page break of the original document cut in two: the first part stops
    mid-sentence, and the second starts in lower case or the first ends on a word that never
    ends a sentence ('… sind es' / 'aber Wert …')."""
    if previous.is_list or following.is_list:
        return False
    text = previous.text
    if text.endswith(TERMINAL):
        return False
    first = following.text[:1]
    last_word = text.rsplit(None, 1)[-1].lower() if text else ""
    return first.islower() or text.endswith((",", "-")) or last_word in FUNCTION_WORDS


def to_block(chunk: Chunk, is_last: bool) -> Block:
    if chunk.is_list:
        numbered = not BULLET.match(chunk.lines[0])
        pattern = NUMBERED if numbered else BULLET
        items: list[str] = []
        for line in chunk.lines:
            if match := pattern.match(line):
                items.append(match.group("item").strip())
            elif items:
                items[-1] = f"{items[-1]} {line}"
        return Block("ol" if numbered else "ul", items=[squash(item) for item in items])
    text = chunk.text
    if (
        len(chunk.lines) == 1
        and not is_last
        and len(text) <= 100
        and len(text.split()) <= 12
        and not text.endswith(TERMINAL + (",",))
        and (text[:1].isupper() or text[:1].isdigit())
    ):
        return Block("h", text=text)
    return Block("p", text=text)


# --- the parser -------------------------------------------------------------------------------


class ReleaseParser:
    """One release text -> ParsedRelease. Use `parse_release()`."""

    def __init__(self, text: str, known_names: Iterable[str] = ()):
        self.text = normalise(text)
        self.known_names = list(known_names)
        self.result = ParsedRelease()
        self.kind_from_label: str | None = None
        self.dates: list[date] = []
        self._above_meta: set[int] = set()  # ids of header line groups followed by a date line

    @property
    def warnings(self) -> list[str]:
        return self.result.warnings

    def parse(self) -> ParsedRelease:
        blocks = split_blocks(self.text)
        if not blocks:
            raise ReleaseFormatError(_("Die Datei ist leer."))
        rest = self._header(blocks)
        content, quote_lines, contact_lines = self._sections(rest)
        self._body(content)
        self._quotes(quote_lines)
        self.result.contacts = parse_contacts(contact_lines, self.warnings)
        self._finish()
        return self.result

    # header: kicker, labels, dates, title

    def _header(self, blocks: list[list[str]]) -> list[list[str]]:
        """Reads kicker, date lines and title from the top; returns the remaining blocks."""
        groups: list[list[str]] = []  # runs of text lines, split by blank lines and meta lines
        index = 0
        while index < len(blocks):
            lines = blocks[index]
            if caption := caption_of(lines, credit_required=True):
                self.result.captions.append(caption)
                index += 1
                continue
            if is_contact_heading(lines[0]) or QUOTES_HEADING.match(lines[0]):
                break
            block_groups = self._header_groups(lines)
            if block_groups is None:
                break
            if groups and block_groups and not self._header_line_group(block_groups[0]):
                break  # the lead: a short paragraph that ends like a sentence
            groups.extend(block_groups)
            index += 1
            if len(groups) >= 3:
                break
        if not groups:
            raise ReleaseFormatError(_("Keine Überschrift gefunden."))
        # Kicker and headline, or headline alone; a third short line on top (a letterhead)
        # only if the kicker is short as well and the last line reads like a headline.
        position = 0
        if len(groups) >= 2 and (self._kicker_like(groups[0]) or self._marked(groups[0])):
            position = 1
            if (
                len(groups) >= 3
                and self._kicker_like(groups[1])
                and not " ".join(groups[2]).endswith(TERMINAL)
                and len(" ".join(groups[2])) <= 200
            ):
                position = 2
        title = squash(" ".join(groups[position]))
        if len(title) > MAX_TITLE:
            raise ReleaseFormatError(
                _("Keine Überschrift gefunden (der Text beginnt mit einem langen Absatz).")
            )
        self.result.title = title
        if position:
            self.result.kicker = squash(" ".join(groups[position - 1]))
            for ignored in groups[: position - 1]:
                self.warnings.append(
                    _("Zeile über der Dachzeile ignoriert: „%(text)s“")
                    % {"text": _short(" ".join(ignored))}
                )
        return groups[position + 1 :] + blocks[index:]

    def _header_groups(self, lines: list[str]) -> list[list[str]] | None:
        """The text lines of a header block in groups (meta lines split them), or None if the
        block is prose and the header is over."""
        groups: list[list[str]] = [[]]
        for line in lines:
            meta = parse_meta_line(line)
            if meta is not None:
                self._apply(meta)
                if meta.text:
                    groups.append([meta.text])
                # A line right above a date line is the kicker, however long it is
                # ('Zuarbeit Kreisblatt' / '06.10.2017' in the sample).
                if groups[-1]:
                    self._above_meta.add(id(groups[-1]))
                groups.append([])
                continue
            groups[-1].append(line)
        groups = [group for group in groups if group]
        for group in groups:
            if len(group) > 3 or sum(len(line) for line in group) > MAX_TITLE:
                return None
        result = []
        for group in groups:
            result.extend(self._split_kicker_line(group))
        return result

    def _split_kicker_line(self, group: list[str]) -> list[list[str]]:
        """'Zuarbeit Kreisblatt' directly above the headline, without a blank line."""
        if len(group) >= 2 and self._kicker_like([group[0]]):
            second = group[1][:1]
            if second.isupper() or second.isdigit() or second in QUOTE_MARKS:
                return [[group[0]], group[1:]]
        return [group]

    def _marked(self, group: list[str]) -> bool:
        return len(group) == 1 and id(group) in self._above_meta

    @staticmethod
    def _kicker_like(group: list[str]) -> bool:
        text = " ".join(group)
        last = text.rsplit(None, 1)[-1].lower() if text else ""
        return (
            len(group) == 1
            and len(text) <= 60
            and len(text.split()) <= 6
            and not text.endswith(TERMINAL + (",", "-"))
            and last not in FUNCTION_WORDS
        )

    @staticmethod
    def _header_line_group(group: list[str]) -> bool:
        """Could be a kicker or headline: short, and does not end like a sentence."""
        text = " ".join(group)
        return len(text) <= MAX_TITLE and not text.endswith((".", ";", ","))

    def _apply(self, meta: Meta) -> None:
        if meta.date:
            self.dates.append(meta.date)
        if meta.embargo:
            if self.result.embargo and self.result.embargo != meta.embargo:
                self.warnings.append(_("Mehrere Sperrfristen gefunden; die erste gilt."))
            else:
                self.result.embargo = meta.embargo
        if meta.kind and self.kind_from_label is None:
            self.kind_from_label = meta.kind

    # sections after the headline

    def _sections(self, blocks: list[list[str]]) -> tuple[list[Chunk], list[str], list[str]]:
        content: list[Chunk] = []
        quote_lines: list[str] = []
        contact_lines: list[str] = []
        section = "content"
        for number, lines in enumerate(blocks):
            if section != "contact" and self._contact_starts(lines, blocks[number + 1 :]):
                section = "contact"
                heading = CONTACT_HEADING.match(lines[0])
                if heading:
                    first = (heading.group("rest") or "").strip()
                    lines = ([first] if first else []) + lines[1:]
            if section == "contact":
                contact_lines.extend(lines)
                continue
            if QUOTES_HEADING.match(lines[0]):
                section = "quotes"
                lines = lines[1:]
            if section == "quotes":
                # One quote per block; its lines were wrapped.
                if lines:
                    quote_lines.append(" ".join(lines))
                continue
            if caption := caption_of(lines):
                self.result.captions.append(caption)
                continue
            metas = [parse_meta_line(line) for line in lines]
            if all(meta is not None and not meta.text for meta in metas):
                for meta in metas:
                    self._apply(meta)
                continue
            lines = [line for line in lines if not END_MARKER.match(line)]
            if lines:
                content.extend(split_lists(lines))
        return content, quote_lines, contact_lines

    @staticmethod
    def _contact_starts(lines: list[str], following: list[list[str]]) -> bool:
        if is_contact_heading(lines[0]):
            return True
        # Contact lines without a heading count only at the very end of the text.
        pieces = [piece for line in lines for piece in contact_pieces(line)]
        return (
            bool(pieces)
            and any(is_contact_field(piece) for piece in pieces)
            and all(is_contact_field(p) or len(p) <= 60 for p in pieces)
            and len(following) <= 2
            and all(len(block) <= 3 and max(map(len, block)) <= 120 for block in following)
        )

    # lead and body

    def _body(self, chunks: list[Chunk]) -> None:
        merged: list[Chunk] = []
        for chunk in chunks:
            if merged and continues(merged[-1], chunk):
                merged[-1] = Chunk(merged[-1].lines + chunk.lines)
            else:
                merged.append(chunk)
        if not merged:
            raise ReleaseFormatError(_("Nach der Überschrift folgt kein Text."))
        first, *rest = merged
        if first.is_list:
            self.warnings.append(_("Kein Vorspann: der Text beginnt mit einer Liste."))
            rest = merged
        else:
            lead = first.text
            # 'Halberstadt, 6. Oktober 2017 – Am Samstag …': the dateline gives the date.
            match = None if self.dates else DATELINE_IN_LEAD.match(lead)
            if match and (day := _date_from(match)):
                self.dates.append(day)
                lead = lead[match.end() :]
            self.result.lead = lead
        self.result.blocks = [
            to_block(chunk, number == len(rest) - 1) for number, chunk in enumerate(rest)
        ]

    def _quotes(self, section_lines: list[str]) -> None:
        finder = QuoteFinder(self.result.captions, self.known_names, self.warnings)
        if section_lines:
            # An explicit 'Zitate:' section (written by the exporter, or by hand) lists the
            # quotes of the release; quotes in the running text are then only text.
            for line in section_lines:
                if quote := parse_quote_line(line):
                    quote.speaker = finder.names.get(name_key(quote.speaker), quote.speaker)
                    self.result.quotes.append(quote)
                else:
                    self.warnings.append(
                        _("Eintrag im Abschnitt „Zitate“ nicht erkannt: „%(text)s“")
                        % {"text": _short(line)}
                    )
            return
        texts = [self.result.lead] if self.result.lead else []
        texts += [block.text for block in self.result.blocks if block.kind == "p"]
        self.result.quotes = finder.find(texts)

    def _finish(self) -> None:
        result = self.result
        if self.dates:
            result.date = self.dates[0]
            if len(set(self.dates)) > 1:
                self.warnings.append(
                    _("Mehrere Datumsangaben gefunden; verwendet wird %(date)s.")
                    % {"date": result.date.strftime("%d.%m.%Y")}
                )
        elif result.embargo:
            result.date = result.embargo.date()
        else:
            self.warnings.append(_("Kein Veröffentlichungsdatum gefunden."))
        if len(result.kicker) > MAX_KICKER:
            self.warnings.append(_("Dachzeile zu lang; sie wird weggelassen."))
            result.kicker = ""
        if self.kind_from_label:
            result.kind = self.kind_from_label
        elif "kreisblatt" in result.kicker.lower():
            result.kind = KREISBLATT
        if not result.contacts:
            self.warnings.append(_("Kein Pressekontakt gefunden; es gilt der Standardkontakt."))


def parse_release(text: str, known_names: Iterable[str] = ()) -> ParsedRelease:
    """Parse the text of one release. `known_names` (names of existing spokespersons) help to
    resolve surname-only references ('so Langer') that the text itself does not resolve.

    Raises ReleaseFormatError if the text has no headline or no text after it."""
    return ReleaseParser(text, known_names).parse()
