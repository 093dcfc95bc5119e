"""Header lines with dates: release dates, document labels ('Pressemitteilung vom …'),
embargoes ('Sperrfrist: …') and datelines, read as `Meta`; and dates written the German way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
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
