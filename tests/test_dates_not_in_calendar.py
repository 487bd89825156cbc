"""A date written YYYY-MM-DD that names no real day (2026-02-30, 2026-13-01) is told apart
from a date written wrongly: the user must fix the day or the month, not the form.

The three ways a date comes in: an answers file (the models' ``Day``, errors.py), a DATE
option of the command line (commands/runner.py), and an answer typed in the terminal
interview (YYYY-MM-DD or DD/MM/YYYY, questions/runner.py; see test_question_sets.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import Field, TypeAdapter, ValidationError

from docassemble_asylum.commands.runner import parse_cli_date
from docassemble_asylum.errors import UserError, translate_error, validation_problems
from docassemble_asylum.i18n import language
from docassemble_asylum.models.common import Answers, Day

NO_SUCH_DAY = {
    "en": "not a valid date: this day does not exist in the calendar (check the day and the month).",
    "fr": "date invalide : ce jour n'existe pas dans le calendrier (vérifiez le jour et le mois).",
}
BAD_FORM = {
    "en": "not a valid date: write it as YYYY-MM-DD, for example 2026-03-02.",
    "fr": "date invalide : écrivez-la AAAA-MM-JJ, par exemple 2026-03-02.",
}
OPTION_NO_SUCH_DAY = {
    "en": "--today: not a valid date: this day does not exist in the calendar (check the day and the month).",
    "fr": "--today : date invalide : ce jour n'existe pas dans le calendrier (vérifiez le jour et le mois).",
}
OPTION_BAD_FORM = {
    "en": "--today: not a valid date: write it as YYYY-MM-DD, for example 2026-03-02.",
    "fr": "--today : date invalide : écrivez-la AAAA-MM-JJ, par exemple 2026-03-02.",
}
IMPOSSIBLE = ["2026-02-30", "2025-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32"]
MALFORMED = ["2026-2-3", "02/03/2026", "2026/03/02", "20260302", "2026-W10-1", "2026-03-02T00:00", "tomorrow", "",
             "٢٠٢٦-٠٣-٠٢"]  # (Arabic-Indic digits)


class Case(Answers):
    day: Day = Field(title="Date of birth")


def _problems(value, lang: str) -> list[str]:
    with pytest.raises(ValidationError) as error:
        Case.model_validate({"day": value})
    with language(lang):
        return validation_problems(Case, error.value)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("value", IMPOSSIBLE)
def test_answers_file_a_day_that_does_not_exist(value, lang):
    quote = {"en": "“Date of birth”: ", "fr": "« Date de naissance » : "}[lang]
    assert _problems(value, lang) == [quote + NO_SUCH_DAY[lang]]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("value", MALFORMED)
def test_answers_file_a_date_written_wrongly_keeps_the_format_message(value, lang):
    quote = {"en": "“Date of birth”: ", "fr": "« Date de naissance » : "}[lang]
    assert _problems(value, lang) == [quote + BAD_FORM[lang]]


def test_real_days_are_accepted():
    assert Case.model_validate({"day": "2024-02-29"}).day == dt.date(2024, 2, 29)
    assert Case.model_validate({"day": " 2026-12-31 "}).day == dt.date(2026, 12, 31)


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01"])
def test_pydantic_own_date_type_says_the_same(value):
    # A field typed datetime.date (not Day) gets pydantic's error: same message.
    with pytest.raises(ValidationError) as error:
        TypeAdapter(dt.date).validate_python(value)
    (found,) = error.value.errors(include_url=False, include_input=False)
    with language("en"):
        assert translate_error(found) == NO_SUCH_DAY["en"]
    with pytest.raises(ValidationError) as error:
        TypeAdapter(dt.date).validate_python("tomorrow")
    (found,) = error.value.errors(include_url=False, include_input=False)
    with language("en"):
        assert translate_error(found) == BAD_FORM["en"]


def test_the_message_does_not_repeat_the_value():
    for lang in ("en", "fr"):
        (message,) = _problems("2026-02-30", lang)
        assert "2026" not in message.replace("2026-03-02", "") and "30" not in message


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_cli_option_a_day_that_does_not_exist(lang):
    for value in IMPOSSIBLE:
        with language(lang), pytest.raises(UserError) as error:
            parse_cli_date(value, "--today")
        assert error.value.message == OPTION_NO_SUCH_DAY[lang], value
    for value in MALFORMED:
        with language(lang), pytest.raises(UserError) as error:
            parse_cli_date(value, "--today")
        assert error.value.message == OPTION_BAD_FORM[lang], value
    assert parse_cli_date("2024-02-29", "--today") == dt.date(2024, 2, 29)
    assert parse_cli_date(None, "--today") is None


def test_cli_option_message_on_the_command_line(tmp_path):
    from fuzz_support import run_in_process

    for value, expected in (("2026-02-30", OPTION_NO_SUCH_DAY["en"]), ("2026-2-30", OPTION_BAD_FORM["en"])):
        result = run_in_process(["build", "cnda-appeal", "--out", str(tmp_path / "out"), "--today", value, "--lang", "en"])
        assert result.code == 1, result.stderr
        assert result.stderr == f"Error: {expected}\n"
        assert not (tmp_path / "out").exists()
