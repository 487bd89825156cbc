"""Birthdays and ages, with the one ambiguity the law leaves: 29 February.

A person born on 29 February has no birthday in a common year. Whether they reach an age
on 28 February or on 1 March is not settled, so an anniversary is a *window* of one or
two days; a date inside the window gets an uncertain answer instead of a guess.
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
    if born.month == 2 and born.day == 29:
        try:
            day = dt.date(year, 2, 29)
            return Anniversary(born, years, day, day)
        except ValueError:
            return Anniversary(born, years, dt.date(year, 2, 28), dt.date(year, 3, 1))
    day = dt.date(year, born.month, born.day)
    return Anniversary(born, years, day, day)


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
    """Completed years and months on ``day`` (for display: "18 years and 11 months")."""
    months = (day.year - born.year) * 12 + day.month - born.month - (1 if day.day < born.day else 0)
    months = max(months, 0)
    return months // 12, months % 12
