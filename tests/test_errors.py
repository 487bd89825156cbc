"""How validation problems are named: by the question's label, in the user's language."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, ValidationError

from docassemble_asylum.errors import field_label, validation_problems
from docassemble_asylum.i18n import format_date, format_date_fr, language
from docassemble_asylum.models.common import Answers, Day, Name


class Lawyerish(Answers):
    kind: Literal["lawyer"] = "lawyer"
    bar: Name = Field(title="Bar (barreau)")


class Volunteer(Answers):
    kind: Literal["association"] = "association"
    association: Name = Field(title="Nationality")


class Case(Answers):
    companion: Lawyerish | Volunteer = Field(discriminator="kind", title="Lawyer")
    born: list[Day] = Field(title="Date of birth")


def test_union_tag_selects_the_member_and_is_not_a_label():
    with language("en"):
        _check_union_labels()


def _check_union_labels():
    assert field_label(Case, ("companion", "lawyer", "bar")) == ("Lawyer › Bar (barreau)", "companion.lawyer.bar")
    assert field_label(Case, ("companion", "association", "association"))[0] == "Lawyer › Nationality"


def test_list_items_are_numbered_from_one_and_translated():
    try:
        Case.model_validate({"companion": {"kind": "lawyer", "bar": "Paris"}, "born": ["2020-01-01", "2020-02-30"]})
    except ValidationError as exc:
        with language("fr"):
            problems = validation_problems(Case, exc)
    assert problems == [
        "« Date de naissance n° 2 » : date invalide : ce jour n'existe pas dans le calendrier (vérifiez le jour et le mois)."
    ]


def test_first_of_the_month_is_premier_in_french_only():
    day = dt.date(2026, 4, 1)
    assert format_date(day, "fr") == "mercredi 1er avril 2026"
    assert format_date_fr(day) == "1er avril 2026"
    assert format_date_fr(dt.date(2026, 4, 11)) == "11 avril 2026"
    assert format_date(day, "en") == "Wednesday 1 April 2026"
