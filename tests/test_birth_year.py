"""A date of birth known only by its year ("1990"), as many refugees' documents give it.

One date type (models/common.py BirthDate) for every model's date of birth: an answers
file, a CSV cell or the terminal may give the year alone; it is saved as "1990", written
in French documents as "né en 1990", and an age reached on an unknown day of a year makes
an eligibility at 18 or 19 uncertain when the year alone cannot settle it. Full dates load
and save exactly as before.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from docassemble_asylum.eligibility.ages import anniversary, has_reached
from docassemble_asylum.eligibility.reunification import evaluate
from docassemble_asylum.errors import translate_error
from docassemble_asylum.i18n import language
from docassemble_asylum.models.common import BirthYear, Person
from docassemble_asylum.procedures import available, get
from pinned_examples import EXAMPLE_DAY, pinned_example_text


def _person(born):
    return Person.model_validate(
        {"family_name": "Haddad", "given_names": "Amina", "date_of_birth": born, "place_of_birth": "Alep", "nationality": "syrienne"}
    )


@pytest.mark.parametrize("given", ["1990", 1990, " 1990 "])
def test_the_year_alone_is_a_date_of_birth(given):
    born = _person(given).date_of_birth
    assert isinstance(born, BirthYear) and born == dt.date(1990, 1, 1)
    assert _person(given).model_dump(mode="json")["date_of_birth"] == "1990"


def test_a_full_date_loads_and_saves_as_before():
    person = _person("1990-03-02")
    assert type(person.date_of_birth) is dt.date
    assert person.model_dump(mode="json")["date_of_birth"] == "1990-03-02"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_date_of_birth_in_no_form_says_the_year_is_accepted(lang):
    with pytest.raises(ValueError) as refused:
        _person("2/3/90")
    (error,) = refused.value.errors()
    with language(lang):
        shown = translate_error(error)
    assert shown == {
        "en": "not a valid date: write it as YYYY-MM-DD, for example 1990-03-02, or the year alone (1990) when only the year is known.",
        "fr": "date invalide : écrivez-la AAAA-MM-JJ, par exemple 1990-03-02, ou l'année seule (1990) si seule l'année est connue.",
    }[lang]
    with pytest.raises(ValueError) as refused:
        _person("1990-02-30")
    assert refused.value.errors()[0]["type"] == "date_not_in_calendar"


def test_the_json_schema_says_how():
    schema = Person.model_json_schema()["properties"]["date_of_birth"]
    assert {"type": "string", "pattern": "^[0-9]{4}$"} in schema["anyOf"]
    assert {"type": "string", "format": "date"} in schema["anyOf"]


@pytest.mark.parametrize("procedure", sorted(EXAMPLE_DAY))
def test_bundled_examples_load_and_save_unchanged(procedure):
    if procedure not in available():
        pytest.skip("procedure not installed")
    spec = get(procedure)
    raw = yaml.safe_load(pinned_example_text(procedure))
    answers = spec.validate(raw, EXAMPLE_DAY[procedure])
    dumped = answers.model_dump(mode="json", exclude_unset=True)
    for key in ("applicant", "protected_person"):
        if key in raw:
            assert dumped[key]["date_of_birth"] == raw[key]["date_of_birth"]
            assert type(getattr(answers, key).date_of_birth) is dt.date


def test_a_year_makes_the_anniversary_a_whole_year():
    window = anniversary(BirthYear(2007), 19)
    assert (window.earliest, window.latest) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert has_reached(dt.date(2025, 12, 31), window) is False
    assert has_reached(dt.date(2026, 6, 1), window) is None
    assert has_reached(dt.date(2026, 12, 31), window) is True


def _child_verdict(born: str):
    spec = get("reunification")
    day = EXAMPLE_DAY["reunification"]
    data = yaml.safe_load(pinned_example_text("reunification"))
    child = data["members"][2]  # a child of the couple, no visa application yet (assessed on 2026-11-23)
    assert child["relationship"] == "child" and child.get("visa_application_date") is None
    child["date_of_birth"] = born
    return evaluate(spec.validate(data, day), day)[2]


def _texts(verdict) -> list[str]:
    from docassemble_asylum.i18n import translate

    with language("en"):
        return [translate(r.msgid).format(**{k: str(v) for k, v in r.ctx.items()}) for r in [*verdict.reasons, *verdict.cautions]]


def test_nineteen_in_the_year_of_the_assessment_is_uncertain():
    verdict = _child_verdict("2007")
    assert verdict.verdict.value == "uncertain"
    assert (
        "Only the year of birth is known (2007): the age of 19 is reached on an unknown day of 2026. "
        "The exact date of birth (birth certificate, passport) settles it."
    ) in _texts(verdict)


def test_nineteen_in_the_year_of_the_grant_is_uncertain_not_too_old():
    # Protection granted on 2025-09-18: born in 2006, the child turned 19 before or after it.
    verdict = _child_verdict("2006")
    assert verdict.verdict.value == "uncertain"
    assert any(text.startswith("Only the year of birth is known (2006): the age of 19 is reached on an unknown day of 2025.") for text in _texts(verdict))


def test_a_year_that_settles_it_keeps_the_verdict_with_the_safe_day():
    verdict = _child_verdict("2008")
    assert verdict.verdict.value == "eligible"
    assert verdict.apply_before == dt.date(2027, 1, 1)  # the earliest possible 19th birthday
    assert (
        "Only the year of birth is known (2008): ages and dates here count from 1 January 2008, the earliest possible "
        "birthday (the safe day to apply before). The exact date of birth may give more time."
    ) in _texts(verdict)


def test_documents_write_born_in_the_year():
    from docassemble_asylum.procedures.interview_notice import render_context as notice_context
    from docassemble_asylum.procedures.reexamination import render_context as reexamination_context

    data = yaml.safe_load(pinned_example_text("interview-notice"))
    data["applicant"]["date_of_birth"] = "1990"
    answers = get("interview-notice").validate(data, EXAMPLE_DAY["interview-notice"])
    text = "\n".join(notice_context(answers, EXAMPLE_DAY["interview-notice"], False)["paragraphs"])
    assert " en 1990, dossier Ofpra" in text and " le 1990" not in text
    data = yaml.safe_load(pinned_example_text("reexamination"))
    data["applicant"]["date_of_birth"] = "1990"
    answers = get("reexamination").validate(data, EXAMPLE_DAY["reexamination"])
    assert " en 1990 à " in reexamination_context(answers)["introduction"]


def test_a_csv_batch_takes_the_year_alone(tmp_path):
    from test_batch import batch, case_named, flatten, read_report, write_csv

    from docassemble_asylum.render.docx import docx_text

    row = flatten(case_named("Haddad"))
    row["applicant.date_of_birth"] = "1994"
    row["case_id"] = "year-only"
    out = tmp_path / "out"
    result = batch(str(write_csv(tmp_path / "cases.csv", [row])), "--out", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert [(r["case_id"], r["status"]) for r in read_report(out)] == [("year-only", "built")]
    text = docx_text((out / "year-only" / "recours-cnda.docx").read_bytes())
    assert "1994 à " in text and "1er janvier 1994" not in text
