"""Reunification cases the family-situation form's tests share.

``overflowing_case``: more children and longer observations than the provisional form has
room for, so that it goes on to its annex pages (test_family_form_annex.py reads those
pages; test_family_form_prepared.py fills the form both ways and compares).
"""

from __future__ import annotations

import copy

import yaml

from pinned_examples import pinned_example_text

LONG_OBSERVATIONS = "Nous communiquons chaque jour par téléphone et par messages. " * 40


def overflowing_case(dates_of_birth: tuple[str, str, str]) -> dict:
    """The bundled reunification example with six children and observations longer than their box.

    The three children added are copies of the example's first child (``members[1]``) named
    Nima, Reza and Mina, born on ``dates_of_birth`` (a day or a year alone), without a visa
    application reference of their own.
    """
    data = yaml.safe_load(pinned_example_text("reunification"))
    child = data["members"][1]
    for name, born in zip(["Nima", "Reza", "Mina"], dates_of_birth, strict=True):
        extra = copy.deepcopy(child)
        extra.update(given_names=name, date_of_birth=born)
        extra.pop("visa_application_reference", None)
        data["members"].append(extra)
    data["observations"] += "\n" + LONG_OBSERVATIONS
    return data
