"""French procedural calendar: holidays from the rule data, months, roll forward/back."""

from __future__ import annotations

import datetime as dt

import pytest

from docassemble_asylum import french_calendar as fc

holidays = pytest.importorskip("holidays")

D = dt.date
YEARS = range(2020, 2036)


@pytest.mark.parametrize("year", YEARS)
def test_national_holidays_match_the_holidays_package(year):
    ours = set(fc.holidays_in(year))
    theirs = set(holidays.France(years=year))
    assert ours == theirs
    assert len(ours) == 11


@pytest.mark.parametrize("year", YEARS)
def test_alsace_moselle_holidays_match_the_holidays_package(year):
    ours = fc.holidays_in(year, "57")
    theirs = holidays.France(years=year, subdiv="57")
    assert set(ours) == set(theirs)
    good_friday = min(d for d, name in ours.items() if name == "Vendredi saint")
    assert good_friday.weekday() == 4
    assert ours[D(year, 12, 26)] == "Saint-Étienne"


@pytest.mark.parametrize("year", YEARS)
def test_guadeloupe_adds_the_abolition_of_slavery_day(year):
    ours = fc.holidays_in(year, "971")
    theirs = holidays.France(years=year, subdiv="971")
    assert ours[D(year, 5, 27)] == "Abolition de l'esclavage"
    assert set(ours) <= set(theirs)
    # The package also lists customary local days that the rule data (Code du travail and
    # RULES.md §1: national list + abolition day) does not claim; nothing else differs.
    extra = {theirs[d] for d in set(theirs) - set(ours)}
    assert extra == {"Mi-Careme", "Good Friday", "Victor Schoelcher Day"}


@pytest.mark.parametrize(
    ("year", "easter_monday", "ascension", "whit_monday"),
    [
        (2024, D(2024, 4, 1), D(2024, 5, 9), D(2024, 5, 20)),
        (2025, D(2025, 4, 21), D(2025, 5, 29), D(2025, 6, 9)),
        (2026, D(2026, 4, 6), D(2026, 5, 14), D(2026, 5, 25)),
        (2027, D(2027, 3, 29), D(2027, 5, 6), D(2027, 5, 17)),
    ],
)
def test_easter_based_holidays(year, easter_monday, ascension, whit_monday):
    days = fc.holidays_in(year)
    assert days[easter_monday] == "Lundi de Pâques"
    assert days[ascension] == "Ascension"
    assert days[whit_monday] == "Lundi de Pentecôte"


def test_the_national_list_has_no_local_days():
    assert fc.is_working_day(D(2026, 4, 3))  # Good Friday: only in 57/67/68
    assert not fc.is_working_day(D(2026, 4, 3), "57")
    assert fc.is_working_day(D(2026, 12, 28)) and fc.is_working_day(D(2026, 5, 27))
    assert not fc.is_working_day(D(2026, 5, 27), "971")


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 3, 2), 1, D(2026, 4, 2)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),  # no 31 February: last day of the month
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2024, 1, 30), 1, D(2024, 2, 29)),
        (D(2025, 2, 28), 1, D(2025, 3, 28)),  # not 31 March
        (D(2024, 2, 29), 1, D(2024, 3, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2025, 12, 31), 2, D(2026, 2, 28)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),
        (D(2025, 1, 31), 2, D(2025, 3, 31)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2026, 5, 10), 0, D(2026, 5, 10)),
    ],
)
def test_add_months_de_quantieme_a_quantieme(start, months, expected):
    assert fc.add_months(start, months) == expected


def test_roll_forward_over_weekend_and_holidays():
    assert fc.roll_forward(D(2025, 3, 1)) == D(2025, 3, 3)  # Saturday
    assert fc.roll_forward(D(2025, 3, 2)) == D(2025, 3, 3)  # Sunday
    assert fc.roll_forward(D(2025, 7, 14)) == D(2025, 7, 15)  # Fête nationale (Monday)
    assert fc.roll_forward(D(2026, 4, 4)) == D(2026, 4, 7)  # Saturday, Sunday, Easter Monday
    assert fc.roll_forward(D(2026, 5, 14)) == D(2026, 5, 15)  # Ascension (Thursday)
    assert fc.roll_forward(D(2026, 4, 3)) == D(2026, 4, 3)  # Good Friday is a working day nationally
    assert fc.roll_forward(D(2026, 4, 3), "57") == D(2026, 4, 7)
    assert fc.roll_forward(D(2026, 12, 25)) == D(2026, 12, 28)  # Friday Christmas, then weekend
    assert fc.roll_forward(D(2026, 3, 4)) == D(2026, 3, 4)  # a Wednesday stays


def test_roll_back_moves_earlier_never_later():
    assert fc.roll_back(D(2026, 5, 17)) == D(2026, 5, 15)  # Sunday -> Friday
    assert fc.roll_back(D(2026, 5, 15)) == D(2026, 5, 15)
    assert fc.roll_back(D(2026, 4, 6)) == D(2026, 4, 3)  # Easter Monday -> Friday
    assert fc.roll_back(D(2026, 4, 6), "57") == D(2026, 4, 2)  # ... Good Friday too in Moselle
    assert fc.roll_back(D(2027, 1, 1)) == D(2026, 12, 31)
    assert fc.roll_back(D(2026, 5, 25)) == D(2026, 5, 22)  # Whit Monday


def test_why_not_working():
    assert fc.why_not_working(D(2025, 3, 1)) == "saturday"
    assert fc.why_not_working(D(2025, 3, 2)) == "sunday"
    assert fc.why_not_working(D(2025, 7, 14)) == "Fête nationale"
    assert fc.why_not_working(D(2025, 7, 15)) is None


def test_day_arithmetic():
    assert fc.days_after(D(2026, 3, 3), 8) == D(2026, 3, 11)
    assert fc.days_after(D(2026, 12, 28), 8) == D(2027, 1, 5)
    assert fc.days_before(D(2026, 4, 14), 7) == D(2026, 4, 7)
    assert fc.days_before(D(2026, 3, 3), 4) == D(2026, 2, 27)
    assert fc.franc_last_day(D(2026, 2, 28)) == D(2026, 3, 1)
    assert fc.franc_last_day(D(2024, 2, 28)) == D(2024, 2, 29)
