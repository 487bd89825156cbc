"""Birthdays and ages, with the two ambiguities a case brings: 29 February, and a date of
birth known only by its year.

A person born on 29 February has no birthday in a common year. Whether they reach an age
on 28 February or on 1 March is not settled, so an anniversary is a *window* of one or
two days; a date inside the window gets an uncertain answer instead of a guess. A person
whose documents give only the year of birth (models/common.py BirthYear) reaches an age
on some day of that year: the window is the whole year, from 1 January to 31 December.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Anniversary:
    """The day(s) on which a person born on ``born`` reaches ``years`` (earliest..latest)."""

    born: dt.date
    years: int
    earliest: dt.date
    latest: dt.date

    @property
    def ambiguous(self) -> bool:
        return self.earliest != self.latest


def anniversary(born: dt.date, years: int) -> Anniversary:
    year = born.year + years
    if year_only(born):
        return Anniversary(born, years, dt.date(year, 1, 1), dt.date(year, 12, 31))
    if born.month == 2 and born.day == 29:
        try:
            day = dt.date(year, 2, 29)
            return Anniversary(born, years, day, day)
        except ValueError:
            return Anniversary(born, years, dt.date(year, 2, 28), dt.date(year, 3, 1))
    day = dt.date(year, born.month, born.day)
    return Anniversary(born, years, day, day)


def year_only(born: dt.date) -> bool:
    """The date of birth is known only by its year."""
    return type(born).__name__ == "BirthYear"


def doubt(window: Anniversary) -> tuple[str, dict]:
    """(message id, its values) saying why reaching ``window.years`` on a day of the window is
    not settled; the message takes ``{age}`` from its caller."""
    from docassemble_asylum.i18n import N_

    if year_only(window.born):
        return (
            N_(
                "Only the year of birth is known ({year}): the age of {age} is reached on an unknown day of {birthday_year}. "
                "The exact date of birth (birth certificate, passport) settles it."
            ),
            {"year": str(window.born.year), "birthday_year": str(window.earliest.year)},
        )
    return N_("Born on 29 February: whether the age of {age} is reached on 28 February or 1 March is not settled."), {}


class Position(str, Enum):
    """Where a day falls against an anniversary window."""

    before = "before"
    on = "on"
    after = "after"


def position(day: dt.date, window: Anniversary) -> Position:
    if day < window.earliest:
        return Position.before
    if day > window.latest:
        return Position.after
    return Position.on


def has_reached(day: dt.date, window: Anniversary) -> bool | None:
    """Has the person reached the age on ``day``? None when the 29 February window makes it unsure.

    Reaching an age happens on the anniversary itself ("dix-huit ans accomplis").
    """
    if day < window.earliest:
        return False
    if day >= window.latest:
        return True
    return None


def age_years_months(born: dt.date, day: dt.date) -> tuple[int, int]:
    """Completed years and months on ``day`` (for display: "18 years and 11 months"); for a
    date of birth known only by its year, counted from its 1 January (the oldest possible)."""
    months = (day.year - born.year) * 12 + day.month - born.month - (1 if day.day < born.day else 0)
    months = max(months, 0)
    return months // 12, months % 12
