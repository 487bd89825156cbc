"""A child of a previous union on the family-situation form (review F-04).

The Bureau's questionnaire asks each child's other parent (section I) and the previous
unions (section II, the form's section 9). A child "of a previous union" printed with no
other parent and no previous union is a contradiction in the protected person's sworn
declaration: the form prints the other parent, or a highlighted placeholder listed among
the unfinished parts, and the summary and ``check`` warn when no previous union is given.
Read back from the filled PDF (fields, appearance, pixels) and the summary's DOCX text.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pikepdf
import pytest
import yaml
from pypdf import PdfReader

from docassemble_asylum.render.docx import docx_text
from docassemble_asylum.render.typography import plain as typeset
from pinned_examples import pinned_example_text
from tests.conftest import ROOT, require_tool, run_cli

TODAY = "2026-11-23"
FORM = "formulaire-situation-familiale.pdf"
YASIN = 3  # the example's child of a first union (members[3])
LINK = "Enfant de la personne protégée (union précédente)"
QUESTION_EN = "Family members no. 4 › For a child: the other parent's name"
UNIONS_EN = "Current marital situation › Previous unions, and any other spouse"
SUMMARY_WARNING_FR = (
    "Vous déclarez un enfant d'une union précédente : indiquez cette union (mariage, divorce, décès, séparation) dans la "
    "rubrique 9. Une déclaration incomplète peut entraîner un refus."
)
SUMMARY_WARNING_EN = (
    "You declare a child of a previous union: give that union (marriage, divorce, death, separation) in section 9. "
    "An incomplete declaration can lead to a refusal."
)
CHECK_WARNING_EN = (
    "Warning: a child of a previous union is declared (“Family members no. 4”), and no previous union: if the protected "
    "person was in a union before (marriage, divorce, death, separation), give it here (section 9 of the form); an "
    "incomplete declaration can lead to a refusal. If the child was not born of a union, nothing is missing. "
    f"(question: “{UNIONS_EN}”)"
)


def example() -> dict:
    return yaml.safe_load(pinned_example_text("reunification"))


def write(tmp_path: Path, data: dict, name: str = "case") -> Path:
    case = tmp_path / f"{name}.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return case


def build(tmp_path: Path, data: dict, *, lang: str = "en", name: str = "out"):
    out = tmp_path / name
    result = run_cli(
        "build", "reunification", "--answers", str(write(tmp_path, data, name)), "--out", str(out), "--today", TODAY, "--lang", lang
    )
    assert result.returncode == 0, result.stderr
    return result, out


def check(tmp_path: Path, data: dict, *args: str, lang: str = "en"):
    return run_cli("check", "reunification", "--answers", str(write(tmp_path, data, "check")), "--today", TODAY, "--lang", lang, *args)


def answered(unfinished: list[dict]) -> list[dict]:
    """The unfinished parts an answer fills (not the Bureau's unconfirmed address, tests/test_bureau_address_mark.py)."""
    return [part for part in unfinished if part["field"] is not None]


def values(form: Path) -> dict:
    """The fields' values, no-break spaces (French typography, winansi) read as spaces."""
    return {name: str(f.get("/V") or "").replace("\u00a0", " ") for name, f in PdfReader(str(form)).get_fields().items()}


def yellow_pixels_in_field(form: Path, field: str) -> int:
    """Yellow pixels (the highlight) inside ``field``'s box, on the page rendered by pdftoppm at 72 dpi."""
    tool = require_tool("pdftoppm")
    with pikepdf.open(form) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for annotation in page.get("/Annots") or []:
                if str(annotation.get("/T", "")) == field:
                    x0, y0, x1, y1 = (float(v) for v in annotation.Rect)
                    height = float(page.mediabox[3])
                    break
            else:
                continue
            break
        else:
            raise AssertionError(f"no field {field}")
    ppm = subprocess.run([tool, "-r", "72", "-f", str(number), "-l", str(number), str(form)], capture_output=True, check=True).stdout
    header, rest = ppm.split(b"\n", 1)
    assert header == b"P6"
    size, rest = rest.split(b"\n", 1)
    width, _ = (int(v) for v in size.split())
    _maxval, pixels = rest.split(b"\n", 1)
    count = 0
    for row in range(int(height - y1) + 1, int(height - y0) - 1):
        for col in range(int(x0) + 1, int(x1) - 1):
            r, g, b = pixels[(row * width + col) * 3 : (row * width + col) * 3 + 3]
            count += r > 200 and g > 200 and b < 80
    return count


def test_the_example_gives_yasins_other_parent_and_his_parents_previous_union(tmp_path):
    _, out = build(tmp_path, example())
    found = values(out / FORM)
    assert found["children3_name_first"] == "Yasin"
    assert found["children3_relationship"] == f"{LINK} — autre parent : Nasrin Karimi"
    assert found["children1_relationship"] == "Enfant du couple — autre parent : Laila Sadat"
    assert found["marital_other_unions"] == "Nasrin Karimi — Mariage coutumier ou religieux — divorce"
    assert yellow_pixels_in_field(out / FORM, "children3_relationship") == 0
    summary = docx_text((out / "summary.docx").read_bytes())
    assert SUMMARY_WARNING_EN not in summary and QUESTION_EN not in summary
    body = json.loads(check(tmp_path, example(), "--json").stdout)
    assert (body["warnings"], answered(body["unfinished"])) == ([], [])


def test_a_missing_other_parent_is_a_highlighted_placeholder_listed_as_unfinished(tmp_path):
    data = example()
    del data["members"][YASIN]["other_parent"]
    result, out = build(tmp_path, data)
    form = out / FORM
    assert values(form)["children3_relationship"] == f"{LINK} — autre parent : [À compléter : nom]"
    assert "autre parent : [À compléter : nom]" in subprocess.run(
        [require_tool("pdftotext"), str(form), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert yellow_pixels_in_field(form, "children3_relationship") > 100  # the placeholder's own words, in yellow
    assert yellow_pixels_in_field(form, "children1_relationship") == 0
    unfinished = (
        "The form does not name the other parent of this child of a previous union (the place is highlighted). "
        f"(question: “{QUESTION_EN}”)"
    )
    assert f"  • {unfinished}" in result.stdout.splitlines()
    summary = docx_text((out / "summary.docx").read_bytes())
    assert f"Unfinished parts: complete them before sending\n" in summary and unfinished in summary
    body = json.loads(check(tmp_path, data, "--json").stdout)
    assert answered(body["unfinished"]) == [
        {
            "field": f"members.{YASIN}.other_parent",
            "question": QUESTION_EN,
            "message": "The form does not name the other parent of this child of a previous union (the place is highlighted).",
        }
    ]
    fr = answered(json.loads(check(tmp_path, data, "--json", lang="fr").stdout)["unfinished"])[0]
    assert fr["message"] == "Le formulaire ne nomme pas l'autre parent de cet enfant d'une union précédente (l'emplacement est surligné)."
    assert fr["question"] == "Membres de la famille n° 4 › Pour un enfant : nom de l'autre parent"


def test_a_child_whose_filiation_is_established_to_one_parent_has_no_other_parent_to_give(tmp_path):
    data = example()
    yasin = data["members"][YASIN]
    del yasin["other_parent"], yasin["custody_judgment"]
    yasin["one_parent_basis"] = "sole_filiation"
    _, out = build(tmp_path, data)
    assert values(out / FORM)["children3_relationship"] == LINK
    assert answered(json.loads(check(tmp_path, data, "--json").stdout)["unfinished"]) == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_child_of_a_previous_union_with_no_union_declared_is_a_warning_in_the_summary(tmp_path, lang):
    data = example()
    del data["marital_situation"]["other_unions"]
    _, out = build(tmp_path, data, lang=lang)
    summary = docx_text((out / "summary.docx").read_bytes())
    expected = SUMMARY_WARNING_EN if lang == "en" else typeset(SUMMARY_WARNING_FR)
    assert f"⚠ {expected}" in summary


def test_check_reports_the_missing_previous_union_as_a_warning_naming_the_question(tmp_path):
    data = example()
    del data["marital_situation"]["other_unions"]
    result = check(tmp_path, data)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "The answers are complete and consistent."
    assert CHECK_WARNING_EN in result.stdout.splitlines()
    assert "Nasrin" not in result.stdout and "Yasin" not in result.stderr
    body = json.loads(check(tmp_path, data, "--json").stdout)
    assert body["valid"] is True
    assert body["warnings"] == [
        {
            "field": "marital_situation.other_unions",
            "question": UNIONS_EN,
            "message": CHECK_WARNING_EN.removeprefix("Warning: ").removesuffix(f" (question: “{UNIONS_EN}”)"),
        }
    ]
    fr = check(tmp_path, data, lang="fr")
    assert fr.returncode == 0
    assert (
        "Attention : un enfant d'une union précédente est déclaré (« Membres de la famille n° 4 »), mais aucune union "
        "précédente : si la personne protégée a connu une union auparavant (mariage, divorce, décès, séparation), "
        "indiquez-la ici (rubrique 9 du formulaire) ; une déclaration incomplète peut entraîner un refus. Si l'enfant "
        "n'est pas né d'une union, rien ne manque. (question : « Situation matrimoniale actuelle › Unions précédentes, "
        "et tout autre conjoint »)"
    ) in fr.stdout.splitlines()


def test_the_spouses_child_of_a_previous_union_asks_no_union_of_the_protected_person(tmp_path):
    data = example()
    del data["marital_situation"]["other_unions"]
    data["members"][YASIN]["whose_child"] = "partner"
    body = json.loads(check(tmp_path, data, "--json").stdout)
    assert body["warnings"] == []
    _, out = build(tmp_path, data)
    assert SUMMARY_WARNING_EN not in docx_text((out / "summary.docx").read_bytes())


def test_yesterdays_answers_file_still_loads_and_is_told_what_is_missing(tmp_path):
    """The bundled example as it was on main before issue 19: no other parent for Yasin, no previous union."""
    old = ROOT / "tests" / "old_answers" / "reunification-as-of-main.yaml"
    result = run_cli("check", "reunification", "--answers", str(old), "--json", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert [w["field"] for w in body["warnings"]] == ["marital_situation.other_unions"]
    assert [u["field"] for u in answered(body["unfinished"])] == [f"members.{YASIN}.other_parent"]
