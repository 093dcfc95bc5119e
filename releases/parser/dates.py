"""Header lines with dates: release dates, document labels ('Pressemitteilung vom …'),
embargoes ('Sperrfrist: …') and datelines, read as `Meta`; and dates written the German way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .result import KREISBLATT, NOTICE, PRESS_RELEASE

# Release texts give German local time ("10 Uhr"), whatever zone the server runs in.
BERLIN = ZoneInfo("Europe/Berlin")

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
    "presseinfo": PRESS_RELEASE,
    "pressemeldung": PRESS_RELEASE,
    "pressenotiz": PRESS_RELEASE,
    "medieninformation": PRESS_RELEASE,
    "meldung": NOTICE,
    "kurzmeldung": NOTICE,
    "kreisblatt-beitrag": KREISBLATT,
}

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

# A time after a date line ('14.02.2022 09:30', '…, 10 Uhr'); read, but a release date is a day.
_CLOCK = r"(?:,?\s*(?:um\s+)?\d{1,2}(?:[:.]\d{2})?\s*Uhr|,?\s+\d{1,2}:\d{2})"
# 'Nr. 12', 'Nr.: 12/2022': the office's running number of its releases.
_NUMBER = r"Nr\.?\s*:?\s*[\w/.-]+"
# A separator between the parts of a label line: 'vom', a comma, a dash.
_SEP = r"\s*(?:vom|,|[–—-])\s*"

DATE_LINE = re.compile(r"^(?:(?:Datum|Stand)\s*:\s*)?" + _DATE + _CLOCK + r"?\.?$", re.I)
LABEL_LINE = re.compile(
    r"^\(?(?:" + _LABEL + r"(?:\s+" + _NUMBER + r")?|" + _NUMBER + r")(?:" + _SEP + _DATE
    + r")?\.?\)?$",
    re.I,
)  # fmt: skip
EMBARGO_LINE = re.compile(
    r"^Sperrfrist\s*(?::\s*|\s+)(?:bis\s+(?:zum\s+)?)?" + _DATE + _TIME + r"?\.?$", re.I
)
# 'Sperrfrist: 10:00 Uhr': a time only, which applies on the release date.
EMBARGO_TIME_LINE = re.compile(
    r"^Sperrfrist\s*(?::\s*|\s+)(?:bis\s+)?(?:heute,?\s+)?"
    r"(?:um\s+)?(?P<hh>\d{1,2})(?:[:.](?P<mm>\d{2}))?\s*(?:Uhr)?\.?$",
    re.I,
)
EMBARGO_WORD = re.compile(r"^Sperrfrist\b", re.I)
PLACE_DATE_LINE = re.compile(
    r"^(?P<place>[A-ZÄÖÜ][\w.\- ]{1,40}?),\s*(?:(?:den|am)\s+)?" + _DATE + r"\.?$"
)
PREFIX_DATE_LINE = re.compile(r"^(?P<prefix>[^\d„“\"»]{2,80}?)\s+vom\s+" + _DATE + r"\.?$", re.I)
# '03.06.2021 Jobcenter Wiesental öffnet neuen Standort': a date in front of the headline.
DATE_BEFORE_TEXT = re.compile(r"^" + _DATE + r"(?:\s*[:|–—-])?\s+(?P<rest>[A-ZÄÖÜ„\"»].*)$")
# 'Pressestelle … | 12.05.2021', '28.02.2022 | Presseinfo Nr. 12': parts of one line.
PIPE = re.compile(r"\s+\|\s+")
DATELINE_IN_LEAD = re.compile(
    r"^(?P<place>[A-ZÄÖÜ][\w.\-/ ]{1,40}?)(?:\s*\([^)]{1,30}\))?,\s*(?:den\s+)?"
    + _DATE
    + r"(?:\s*[–—-]+\s+|:\s+)(?=\S)"
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
    heading: str = ""  # what is left of the line for the headline ('03.06.2021 Jobcenter …')
    embargo_time: time | None = None  # 'Sperrfrist: 10:00 Uhr': on the release date
    unread_embargo: str = ""  # a 'Sperrfrist' line whose time could not be read


def parse_meta_line(line: str) -> Meta | None:
    """A date, label or embargo line ('06.10.2017', '14.02.2022 09:30', 'Pressemitteilung vom
    06.10.2017', '(Presseinformation Nr. 7)', 'Nr.: 12/2022 – 1. März 2022', '28.02.2022 |
    Presseinfo Nr. 12', 'Sperrfrist: 26. Februar 2009, 10 Uhr', 'Sperrfrist: 10:00 Uhr',
    'Halberstadt, 6. Oktober 2017'), else None. A line that begins with 'Sperrfrist' is never
    taken for text: if its time cannot be read, `unread_embargo` says so.

    Only whole lines count: a date inside a sentence ("am 11. März lädt …") is never one; a date
    in front of a headline is read by `date_before_heading`."""
    if len(line) > 120:
        return None
    if PIPE.search(line):
        return _pipe_line(line)
    if match := EMBARGO_LINE.match(line):
        day = _date_from(match)
        if day is None:
            return Meta(unread_embargo=line)
        hour, minute = _time_from(match)
        if hour > 23 or minute > 59:
            return Meta(unread_embargo=line)
        return Meta(embargo=datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN))
    if match := EMBARGO_TIME_LINE.match(line):
        hour, minute = int(match.group("hh")), int(match.group("mm") or 0)
        if hour > 23 or minute > 59:
            return Meta(unread_embargo=line)
        return Meta(embargo_time=time(hour, minute))
    if EMBARGO_WORD.match(line):
        return Meta(unread_embargo=line)
    if match := LABEL_LINE.match(line):
        if match.group("d1") or match.group("d2") or match.group("y3"):
            day = _date_from(match)
            if day is None:
                return None
        else:
            day = None
        label = match.group("label")
        return Meta(date=day, kind=LABELS[label.lower()] if label else None)
    for pattern in (DATE_LINE, PLACE_DATE_LINE):
        if match := pattern.match(line):
            day = _date_from(match)
            return Meta(date=day) if day else None
    if match := PREFIX_DATE_LINE.match(line):
        day = _date_from(match)
        return Meta(date=day, text=match.group("prefix").strip()) if day else None
    return None


def _pipe_line(line: str) -> Meta | None:
    """'28.02.2022 | Presseinfo Nr. 12': a line whose parts are all date or label lines."""
    merged = Meta()
    for part in PIPE.split(line):
        meta = parse_meta_line(part)
        if meta is None or meta.text or meta.heading or meta.unread_embargo:
            return None
        merged.date = merged.date or meta.date
        merged.kind = merged.kind or meta.kind
        merged.embargo = merged.embargo or meta.embargo
        merged.embargo_time = merged.embargo_time or meta.embargo_time
    return merged


def date_before_heading(line: str) -> Meta | None:
    """'03.06.2021 Jobcenter Wiesental öffnet neuen Standort': the date, and the rest of the
    line as `heading`; else None. Only for the first lines of a release, where a headline
    stands; in the body such a line is text."""
    if len(line) > 300 or not (match := DATE_BEFORE_TEXT.match(line)):
        return None
    day = _date_from(match)
    return Meta(date=day, heading=match.group("rest").strip()) if day else None


def sign_off_date(piece: str) -> date | None:
    """The date of a part of a sign-off line ('12.05.2021'), else None."""
    meta = parse_meta_line(piece)
    return meta.date if meta is not None and not meta.text and meta.date else None
