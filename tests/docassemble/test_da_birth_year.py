"""A date of birth known only by its year, on docassemble as in the terminal and answers files.

docassemble's date field holds a whole date: the generated screen asks which the documents
give (the full date or only the year), then shows the date field or a year field. The answer
is the one an answers file holds ("2007"), so the documents are the command line's: the year
written alone where a date would be, and the age rules uncertain when the year cannot
settle them. A year after today's is refused on its own screen (test_da_screens.py).
"""

from __future__ import annotations

import pytest
from da_fixtures import installed, offline, requires_docassemble  # noqa: F401 (fixtures)
from offline import TODAY, address
from pinned_examples import pinned_example_text
from test_da_walk import cli_build

pytestmark = requires_docassemble


def with_year(procedure: str, path: tuple, year: str) -> dict:
    """The bundled example with one date of birth replaced by the year alone."""
    from docassemble_asylum import yamlio

    answers = yamlio.loads(pinned_example_text(procedure))
    holder = answers
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = year
    return answers


def walk_and_build(offline, tmp_path, procedure: str, answers: dict):
    import yaml

    from docassemble_asylum.procedures import get

    spec = get(procedure)
    walk = offline.walk(address(procedure), answers, "fr", TODAY[procedure], model=spec.model)
    cli = cli_build(procedure, "fr", tmp_path, yaml.safe_dump(answers, allow_unicode=True))
    return walk, cli


def docx_texts(files: dict[str, bytes]) -> dict[str, str]:
    from docassemble_asylum.render.docx import docx_text

    return {name: docx_text(data) for name, data in files.items() if name.endswith(".docx")}


def test_a_child_born_in_a_known_year_only_makes_the_reunification_verdict_uncertain(offline, tmp_path):
    from docassemble_asylum.i18n import language
    from docassemble_asylum.procedures import get
    from docassemble_asylum.render.typography import plain as typeset

    procedure, day = "reunification", TODAY["reunification"]
    answers = with_year(procedure, ("members", 2, "date_of_birth"), "2007")  # Sara, a child of the couple
    walk, cli = walk_and_build(offline, tmp_path, procedure, answers)
    # The child's screen asked which the documents give; the person gave the year, in the year field.
    screen = next(s for s in walk.steps if "members[2].date_of_birth" in s.variables)
    assert screen.variables == ["members[2].asylum_date_of_birth_known", "members[2].date_of_birth", "members[2].asylum_date_of_birth_year"]
    assert ("L'année seule", "year") in screen.choices
    assert walk.session.eval("members[2].asylum_date_of_birth_year") == 2007
    assert not walk.session.eval("defined('members[2].date_of_birth')")
    collected = walk.session.eval("asylum_answers")
    assert collected["members"][2]["date_of_birth"] == "2007"
    assert [m["date_of_birth"] for m in collected["members"][:2]] == [m["date_of_birth"] for m in answers["members"][:2]]
    spec = get(procedure)
    assert spec.validate(collected, day) == spec.validate(answers, day)
    # The documents screen says the verdict is uncertain, and why.
    shown = walk.final.subquestion.replace("\\", "")
    with language("fr"):
        lines = spec.report_lines(spec.validate(answers, day), day)
    assert "Sara RAHIMI (enfant du couple) : incertain" in lines
    because = "  - Seule l'année de naissance est connue (2007) : l'âge de 19 ans est atteint un jour inconnu de 2026. " \
        "La date de naissance exacte (acte de naissance, passeport) permet de trancher."
    assert because in lines
    assert "**Sara RAHIMI (enfant du couple) : incertain**" in walk.final.subquestion
    assert because.removeprefix("  - ") in shown
    # The documents are the command line's: the year alone where the date would be, the uncertainty said.
    assembled, written = docx_texts(walk.session.attachment_files()), docx_texts(cli)
    assert set(assembled) == set(written)
    for name in sorted(written):
        assert assembled[name] == written[name], f"{name} differs from the CLI's"
    assert "Sara RAHIMI\nEnfant du couple\n2007, Hérat (Afghanistan)\n" in assembled["lettre-bureau-des-familles.docx"]
    assert typeset(because.removeprefix("  - ")) in assembled["eligibilite.docx"]
    assert "1er janvier 2007" not in assembled["lettre-bureau-des-familles.docx"]


def test_an_applicant_born_in_a_known_year_only_is_born_in_that_year_in_the_letter(offline, tmp_path):
    procedure = "interview-notice"
    answers = with_year(procedure, ("applicant", "date_of_birth"), "1994")
    walk, cli = walk_and_build(offline, tmp_path, procedure, answers)
    assert walk.session.eval("asylum_answers")["applicant"]["date_of_birth"] == "1994"
    assembled, written = docx_texts(walk.session.attachment_files()), docx_texts(cli)
    letter = "accompagnement-entretien-ofpra.docx"
    assert assembled[letter] == written[letter]
    assert "née en 1994, dossier Ofpra" in assembled[letter].replace("\u00a0", " ")
    assert "le 1994" not in assembled[letter]
