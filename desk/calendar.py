"""The desk's calendar of scheduled releases: a week or a month as rows of seven days, Monday
first (ISO 8601 weeks, as German calendars count them), in the site's time zone.

What a visitor asks for comes from the query string (`ansicht=woche|monat`, `datum=YYYY-MM-DD`);
anything else there gives this month, never an error.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext

from press.models import Article

WEEK, MONTH = "woche", "monat"
# Days outside these years are no release dates; asked for, they give this month.
FIRST_YEAR, LAST_YEAR = 1900, 2999


@dataclass
class Day:
    day: date
    articles: list[Article]
    in_period: bool  # False for the days of the neighbouring months that fill a month's weeks
    today: bool


@dataclass
class Week:
    number: int  # ISO 8601 calendar week (KW)
    days: list[Day]


@dataclass
class Calendar:
    view: str  # WEEK or MONTH
    caption: str
    weeks: list[Week]
    previous: date  # the `datum` of the previous and the next period
    next: date
    weekdays: list[tuple[str, str]]  # (abbreviation, full name), Monday first


def requested(query) -> tuple[str, date]:
    """The view and the day a query string (a QueryDict) asks for; this month for anything
    missing or unusable (an unknown view, a date that does not exist or is out of range)."""
    view = query.get("ansicht")
    view = view if view in (WEEK, MONTH) else MONTH
    today = timezone.localdate()
    try:
        day = date.fromisoformat(query.get("datum", "")[:10])
    except ValueError:
        day = today
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        day = today
    return view, day


def build(
    view: str, day: date, articles_between: Callable[[date, date], dict[date, list[Article]]]
) -> Calendar:
    """The week (Monday to Sunday) or the month around `day`; each day with its articles, which
    `articles_between(first, last)` gives by day for the days shown (missing days have none)."""
    if view == WEEK:
        monday = day - timedelta(days=day.weekday())
        rows = [[monday + timedelta(days=n) for n in range(7)]]
        sunday = rows[0][-1]
        caption = gettext("KW %(week)d: %(first)s bis %(last)s") % {
            "week": monday.isocalendar().week,
            "first": formats.date_format(monday, "SHORT_DATE_FORMAT"),
            "last": formats.date_format(sunday, "SHORT_DATE_FORMAT"),
        }
        previous, following = monday - timedelta(days=7), monday + timedelta(days=7)
        in_period = {*rows[0]}
    else:
        first = day.replace(day=1)
        rows = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
            first.year, first.month
        )
        caption = formats.date_format(first, "F Y")
        previous = (first - timedelta(days=1)).replace(day=1)
        following = (first + timedelta(days=31)).replace(day=1)
        in_period = {d for row in rows for d in row if d.month == first.month}
    today = timezone.localdate()
    articles_by_day = articles_between(rows[0][0], rows[-1][-1])
    return Calendar(
        view=view,
        caption=caption,
        weeks=[
            Week(
                number=row[0].isocalendar().week,
                days=[Day(d, articles_by_day.get(d, []), d in in_period, d == today) for d in row],
            )
            for row in rows
        ],
        previous=previous,
        next=following,
        weekdays=[(str(WEEKDAYS_ABBR[n]), str(WEEKDAYS[n])) for n in range(7)],
    )
