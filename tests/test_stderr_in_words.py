"""The command line's messages name a question by its label and its section, never its path.

Issue 21 ("Words, not file syntax") and issue 14 item 11: a problem of an answers file is
printed on stderr as “label” (section “Section”): message, in French and in English, for
``check`` and ``build`` alike; the field path stays in the machine outputs (``field`` of
``check --json``, a batch's ``report.csv``). Several invalid files of several procedures
(types, consistency rules that refer to another answer, a list item, an unknown answer, a
file to attach, a date the rules do not cover) are checked and built, and their stderr is
scanned for any of the paths ``check --json`` reports and for anything that looks like a
dotted field path.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_cli
from pinned_examples import EXAMPLE_DAY, pinned_example_text

# A dotted path of answers: two identifiers, or an identifier and an item number.
DOTTED = re.compile(r"\b[a-z][a-z0-9_]*(?:\.[0-9]+)*\.[a-z][a-z0-9_]*\b|\b[a-z][a-z_]*\.[0-9]+\b")


def _example(procedure: str) -> dict:
    return yaml.safe_load(pinned_example_text(procedure))


def _bad_types(data):
    data["applicant"]["date_of_birth"] = "1990-02-30"
    data["applicant"]["nationality"] = ""


def _signed_before_decision(data):
    data["signature"]["date"] = "2026-01-02"


def _unknown_answer(data):
    data["applicant"]["haddad_note"] = "x"
    data["exhibits"][0]["colour"] = "red"


def _member_born_after_visa(data):
    data["members"][1]["date_of_birth"] = "2030-01-01"
    data["members"][0]["given_names"] = "Ğİ\u0635"


def _before_the_rules(data):
    data["decision"]["date"] = "2001-03-02"


def _missing_attachment(data):
    data["attachments"] = [{"file": "convocation.pdf", "description": "Convocation"}]


CASES = {
    "cnda-appeal-types": ("cnda-appeal", _bad_types),
    "cnda-appeal-rule": ("cnda-appeal", _signed_before_decision),
    "cnda-appeal-unknown": ("cnda-appeal", _unknown_answer),
    "cnda-appeal-rules-gap": ("cnda-appeal", _before_the_rules),
    "reunification-members": ("reunification", _member_born_after_visa),
    "interview-absence-attachment": ("interview-absence", _missing_attachment),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_no_field_path_on_stderr(case, lang, tmp_path):
    procedure, spoil = CASES[case]
    data = _example(procedure)
    spoil(data)
    answers = tmp_path / "case.yaml"
    answers.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    today = EXAMPLE_DAY[procedure].isoformat()

    commands = [["build", "--out", str(tmp_path / "out")]]
    if procedure == "interview-absence":  # the files to attach are read by build only
        fields, count = ["attachments.0.file"], 1
    else:
        machine = run_cli("check", procedure, "--answers", str(answers), "--today", today, "--json", "--lang", lang, cwd=tmp_path)
        assert machine.returncode == 1, machine.stderr
        report = json.loads(machine.stdout)
        fields = [p["field"] for p in report["problems"] if p["field"]]
        assert fields, report  # the machine output keeps the paths
        count = len(report["problems"])
        commands.insert(0, ["check"])

    for command in commands:
        result = run_cli(*command, procedure, "--answers", str(answers), "--today", today, "--lang", lang, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        problems = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
        assert len(problems) == count, result.stderr
        for field in fields:
            assert field not in result.stderr, (field, result.stderr)
        assert DOTTED.findall(result.stderr) == [], result.stderr
        assert not (tmp_path / "out").exists()


def test_the_scan_finds_a_path():
    assert DOTTED.findall("“Applicant › Date of birth” (applicant.date_of_birth): x") == ["applicant.date_of_birth"]
    assert DOTTED.findall("« Membres n° 2 › Prénoms » (members.1.given_names) : x") == ["members.1.given_names"]
    assert DOTTED.findall("(born.1) : x") == ["born.1"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "Error: The answers have 2 problems; nothing was written:",
                "  - “Applicant › Date of birth” (section “Applicant”): not a valid date: this day does not exist in the "
                "calendar (check the day and the month).",
                "  - “Applicant › Nationality” (section “Applicant”): this answer cannot be empty.",
            ],
        ),
        (
            "fr",
            [
                "Erreur : Les réponses comportent 2 problèmes ; rien n'a été écrit :",
                "  - « Personne requérante › Date de naissance » (partie « Personne requérante ») : date invalide : ce jour "
                "n'existe pas dans le calendrier (vérifiez le jour et le mois).",
                "  - « Personne requérante › Nationalité » (partie « Personne requérante ») : cette réponse ne peut pas être vide.",
            ],
        ),
    ],
)
def test_a_problem_names_its_question_and_section(lang, expected, tmp_path):
    data = _example("cnda-appeal")
    _bad_types(data)
    answers = tmp_path / "case.yaml"
    answers.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli("check", "cnda-appeal", "--answers", str(answers), "--today", EXAMPLE_DAY["cnda-appeal"].isoformat(),
                     "--lang", lang, cwd=ROOT)
    assert result.returncode == 1
    assert result.stderr.splitlines() == expected


def test_an_unknown_answer_names_its_group_and_section(tmp_path):
    data = _example("cnda-appeal")
    data["exhibits"][0]["colour"] = "red"
    answers = tmp_path / "case.yaml"
    answers.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli("check", "cnda-appeal", "--answers", str(answers), "--today", EXAMPLE_DAY["cnda-appeal"].isoformat(), cwd=ROOT)
    assert result.returncode == 1
    assert result.stderr.splitlines()[1] == (
        "  - “Exhibits (besides the contested decision) no. 1” (section “Exhibits”): this group holds an answer that this procedure does not know "
        "(check the spelling of its name, or remove it)."
    )
    assert "colour" not in result.stderr


def test_the_batch_report_keeps_the_path_for_the_lawyer(tmp_path):
    """report.csv is a machine output read beside the answers files: the path stays there."""
    import csv

    cases = tmp_path / "cases"
    cases.mkdir()
    data = _example("cnda-appeal")
    _bad_types(data)
    (cases / "a.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("batch", "cnda-appeal", str(cases), "--jobs", "1", "--out", str(out), "--today", EXAMPLE_DAY["cnda-appeal"].isoformat(), cwd=ROOT)
    assert result.returncode != 0
    for field in ("applicant.date_of_birth", "applicant.nationality"):
        assert field not in result.stderr + result.stdout
    with (out / "report.csv").open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["messages"].splitlines()[1:] == [
        "“Applicant › Date of birth” (applicant.date_of_birth): not a valid date: this day does not exist in the calendar "
        "(check the day and the month).",
        "“Applicant › Nationality” (applicant.nationality): this answer cannot be empty.",
    ]
