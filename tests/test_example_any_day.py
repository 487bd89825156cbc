"""``asylumdocs example PROCEDURE`` gives a case that builds on the day it runs, any day.

The bundled examples used to carry fixed 2026 dates: months later the first build of a
new user said that the deadline had passed (or refused the interview notice: the
interview was over). Now the example's dates move to the day it runs, keeping its story
(docassemble_asylum/example_dates.py), and ``--today DATE`` gives it as of a fixed day.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fuzz_support import run_in_process

from docassemble_asylum import yamlio
from docassemble_asylum.example_dates import STORIES, find_lag, reference_day, shift_text, stored_text
from docassemble_asylum.french_calendar import holidays_in, is_working_day
from docassemble_asylum.i18n import language
from docassemble_asylum.procedures import available

PROCEDURES = sorted(available())
# What the shared pre-stop check looks for in a build's output, in both languages.
PASSED = re.compile(r"has passed|est dépassé|est passé")


def _spread_of_days() -> list[dt.date]:
    """A year from the first day these tests ran: every fifth day (every weekday comes
    round), and each public holiday with the two days either side."""
    start = dt.date(2026, 12, 5)
    days = {start + dt.timedelta(days=n) for n in range(0, 366, 5)}
    for year in (2026, 2027):
        for holiday in holidays_in(year):
            days |= {holiday + dt.timedelta(days=n) for n in range(-2, 3)}
    return sorted(day for day in days if start <= day <= start + dt.timedelta(days=366))


SPREAD = _spread_of_days()
# For full builds: weekdays, weekends and the holidays that shift deadlines most.
BUILD_DAYS = [
    dt.date(2026, 12, 24),  # Christmas Eve (Thursday): Christmas then a weekend
    dt.date(2026, 12, 31),  # New Year's Eve
    dt.date(2027, 3, 27),  # Saturday before Easter Monday
    dt.date(2027, 5, 1),  # Labour Day, a Saturday
    dt.date(2027, 5, 6),  # Ascension
    dt.date(2027, 5, 16),  # Whit Sunday
    dt.date(2027, 7, 14),  # Bastille Day
    dt.date(2027, 8, 15),  # Assumption, a Sunday
    dt.date(2027, 11, 10),  # the day before Armistice Day
    dt.date(2027, 2, 22),  # an ordinary Monday
]


@pytest.fixture(autouse=True)
def english(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with language("en"):
        yield


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_the_story_is_found_on_every_day_of_a_year(procedure):
    """Every day of the spread gets a story with the stored example's outcome (nothing
    passed, the same certainties and verdicts) within MAX_LAG days."""
    assert len(SPREAD) > 100
    missing = [day.isoformat() for day in SPREAD if find_lag(procedure, day) is None]
    assert missing == []


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_example_then_check_on_a_spread_of_days(procedure, tmp_path):
    """``example --today D`` then ``check --today D``: valid, and nothing says "passed"."""
    for day in SPREAD[::4]:
        printed = run_in_process(["example", procedure, "--today", day.isoformat()])
        assert (printed.code, printed.stderr) == (0, ""), day
        answers = tmp_path / f"{day}.yaml"
        answers.write_text(printed.stdout, encoding="utf-8")
        checked = run_in_process(["check", procedure, "--answers", str(answers), "--today", day.isoformat(), "--lang", "en"])
        assert (checked.code, checked.stderr) == (0, ""), (day, checked.stderr)
        assert checked.stdout.startswith("The answers are complete and consistent.\n"), day
        assert not PASSED.search(checked.stdout), (day, checked.stdout)


@pytest.mark.parametrize("day", BUILD_DAYS, ids=str)
@pytest.mark.parametrize("procedure", PROCEDURES)
def test_example_then_build_on_weekends_and_holidays(procedure, day, tmp_path):
    """The shared pre-stop check, on the days that move deadlines: the build succeeds and
    its output never says that a day has passed, in French or in English."""
    printed = run_in_process(["example", procedure, "--today", day.isoformat()])
    answers = tmp_path / "case.yaml"
    answers.write_text(printed.stdout, encoding="utf-8")
    for lang in ("en", "fr"):
        built = run_in_process(
            ["build", procedure, "--answers", str(answers), "--out", str(tmp_path / lang), "--today", day.isoformat(), "--lang", lang]
        )
        assert built.code == 0, built.stderr
        assert built.stdout.startswith(("Documents written to", "Documents écrits dans")), built.stdout
        assert not PASSED.search(built.stdout + built.stderr), built.stdout


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_without_today_the_example_builds_today(procedure, tmp_path):
    """No --today anywhere, as a new user types it (the failure this fixes, on the day it ran)."""
    printed = run_in_process(["example", procedure])
    assert printed.code == 0
    assert printed.stdout == run_in_process(["example", procedure, "--today", dt.date.today().isoformat()]).stdout
    answers = tmp_path / "case.yaml"
    answers.write_text(printed.stdout, encoding="utf-8")
    built = run_in_process(["build", procedure, "--answers", str(answers), "--out", str(tmp_path / "out"), "--lang", "en"])
    assert built.code == 0, built.stderr
    assert not PASSED.search(built.stdout + built.stderr), built.stdout


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_on_its_reference_day_the_stored_file_is_printed_byte_for_byte(procedure):
    printed = run_in_process(["example", procedure, "--today", reference_day(procedure).isoformat()])
    assert printed.stdout == stored_text(procedure)


def test_the_same_day_gives_the_same_example_and_another_day_moves_every_date():
    first = run_in_process(["example", "cnda-appeal", "--today", "2027-03-10"]).stdout
    assert first == run_in_process(["example", "cnda-appeal", "--today", "2027-03-10"]).stdout
    lag = find_lag("cnda-appeal", dt.date(2027, 3, 10))
    shift = (dt.date(2027, 3, 10) - reference_day("cnda-appeal")).days - lag
    stored, moved = yamlio.loads(stored_text("cnda-appeal")), yamlio.loads(first)
    for path in (("decision", "date"), ("decision", "notification", "received_on"), ("legal_aid", "requested_on"), ("signature", "date")):
        before, after = stored, moved
        for key in path:
            before, after = before[key], after[key]
        assert dt.date.fromisoformat(str(after)) - dt.date.fromisoformat(str(before)) == dt.timedelta(days=shift), path
    # the dates written in the texts move with them
    assert "le 17 août 1994" in stored["facts"]
    assert f"née à Idlib le {_french(dt.date(1994, 8, 17) + dt.timedelta(days=shift))}." in moved["facts"]
    assert moved["applicant"]["date_of_birth"] == (dt.date(1994, 8, 17) + dt.timedelta(days=shift)).isoformat()


def _french(day: dt.date) -> str:
    from docassemble_asylum.i18n import format_date_fr

    return format_date_fr(day)


def test_shift_text_moves_iso_and_french_dates_only():
    text = 'date: "2026-03-01"\nnumber: "2026-000123"\nfacts: le 1er mars 2026, puis le 28 février 2026 ; en 2024.\n'
    assert shift_text(text, 31) == 'date: "2026-04-01"\nnumber: "2026-000123"\nfacts: le 1er avril 2026, puis le 31 mars 2026 ; en 2024.\n'
    assert shift_text(shift_text(text, 400), -400) == text


def _values_at(data, parts: list[str]):
    if not parts:
        yield data
        return
    head, rest = parts[0], parts[1:]
    items = data if head == "*" else [data.get(head)] if isinstance(data, dict) else []
    for item in items:
        if item is not None:
            yield from _values_at(item, rest)


def test_key_dates_of_the_moved_stories_are_working_days():
    """An interview, a registration, a decision never fall on a Sunday or a holiday."""
    checked = 0
    for procedure, story in STORIES.items():
        for day in (dt.date(2027, 5, 8), dt.date(2027, 12, 25), dt.date(2027, 8, 1)):
            moved = yamlio.loads(run_in_process(["example", procedure, "--today", day.isoformat()]).stdout)
            for path in story.working_days:
                for value in _values_at(moved, path.split(".")):
                    assert is_working_day(dt.date.fromisoformat(str(value))), (procedure, day, path, value)
                    checked += 1
    assert checked >= 3 * 6


@pytest.mark.parametrize("day", ["2025-12-31", "2100-01-01", "0001-01-01", "9999-12-31"])
def test_a_day_outside_the_rules_is_a_clean_error(day):
    """Before 2026 the stories' earliest events predate the rules; after 2099 their
    deadlines pass the rules' horizon: one message, exit 1, never a traceback."""
    result = run_in_process(["example", "reunification", "--today", day, "--lang", "en"])
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: --today: an example can be given for a day from Thursday 1 January 2026 to Thursday 31 December 2099.\n"
    )
    result = run_in_process(["example", "cnda-appeal", "--today", day, "--lang", "fr"])
    assert result.stderr == (
        "Erreur : --today : un exemple peut être donné pour un jour du jeudi 1er janvier 2026 au jeudi 31 décembre 2099.\n"
    )


@pytest.mark.parametrize("procedure", PROCEDURES)
@pytest.mark.parametrize("day", ["2026-01-01", "2026-06-10", "2099-12-31"])
def test_the_first_and_last_days_give_a_valid_example(procedure, day, tmp_path):
    printed = run_in_process(["example", procedure, "--today", day])
    assert printed.code == 0, printed.stderr
    answers = tmp_path / "case.yaml"
    answers.write_text(printed.stdout, encoding="utf-8")
    checked = run_in_process(["check", procedure, "--answers", str(answers), "--today", day, "--lang", "en"])
    assert (checked.code, checked.stderr) == (0, "")
    assert not PASSED.search(checked.stdout), checked.stdout
