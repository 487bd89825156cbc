"""French procedural date arithmetic (CPC art. 640-642, CE 1 July 2020 n° 438152).

Every month computation says which convention it uses (a lesson from Catala's date
library): here it is always "de quantième à quantième" with the fallback to the last day
of the month when the day does not exist (31 January + 1 month = 28/29 February).

Holidays come from the rule data (Code du travail L.3133-1, plus local days), not from
code, so that a change of the law is a data change.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools

from dateutil.easter import easter

from docassemble_asylum.rules import rulebook

ONE_DAY = dt.timedelta(days=1)


def add_months(start: dt.date, months: int) -> dt.date:
    """Same day number ``months`` later; the last day of that month if the day is missing."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last))


def _expand(definitions: list[dict], year: int) -> dict[dt.date, str]:
    days: dict[dt.date, str] = {}
    for item in definitions:
        if "fixed" in item:
            month, day = (int(x) for x in item["fixed"].split("-"))
            days[dt.date(year, month, day)] = item["name"]
        else:
            days[easter(year) + dt.timedelta(days=int(item["easter_offset"]))] = item["name"]
    return days


@functools.cache
def holidays_in(year: int, department: str | None = None) -> dict[dt.date, str]:
    """Public holidays of ``year``: national ones, plus the department's local ones if given."""
    book = rulebook()
    reference_day = dt.date(year, 7, 1)
    days = _expand(book["calendar.public_holidays"].at(reference_day).value, year)
    if department is not None:
        local = book["calendar.local_holidays"].at(reference_day).value
        days.update(_expand(local.get(department, []), year))
    return days


def holiday_name(day: dt.date, department: str | None = None) -> str | None:
    return holidays_in(day.year, department).get(day)


def is_working_day(day: dt.date, department: str | None = None) -> bool:
    return day.weekday() < 5 and holiday_name(day, department) is None


def why_not_working(day: dt.date, department: str | None = None) -> str | None:
    """'samedi', 'dimanche' or the holiday's name; None for a working day."""
    if day.weekday() == 5:
        return "saturday"
    if day.weekday() == 6:
        return "sunday"
    return holiday_name(day, department)


def roll_forward(day: dt.date, department: str | None = None) -> dt.date:
    """Art. 642 CPC: a period ending on a Saturday, Sunday or holiday ends on the next working day."""
    while not is_working_day(day, department):
        day += ONE_DAY
    return day


def roll_back(day: dt.date, department: str | None = None) -> dt.date:
    """For periods counted backwards from an event: move earlier, never later."""
    while not is_working_day(day, department):
        day -= ONE_DAY
    return day


def days_after(start: dt.date, days: int) -> dt.date:
    """A period in days: the day of the event is not counted (art. 641 CPC)."""
    return start + dt.timedelta(days=days)


def days_before(event: dt.date, days: int) -> dt.date:
    return event - dt.timedelta(days=days)


def franc_last_day(expiry: dt.date) -> dt.date:
    """Délai franc: neither the first day nor the day of expiry counts, so the last day is expiry + 1."""
    return expiry + ONE_DAY
