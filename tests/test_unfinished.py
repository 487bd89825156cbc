"""Unfinished parts: placeholders highlighted in every DOCX, listed by build, first on the
summary sheet, and reported by ``check --json`` for every procedure."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import yaml
from lxml import etree

from docassemble_asylum.render.docx_highlight import highlighted_texts, highlight_placeholders
from docassemble_asylum.render.docx import docx_text
from docassemble_asylum.render.placeholders import placeholder
from docassemble_asylum.render.typography import plain as typeset
from pinned_examples import EXAMPLE_DAY, pinned_example_text
from tests.conftest import run_cli

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def body(data: bytes):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))


def paragraph(*runs: tuple[str, str]):
    """A w:p of runs (properties XML, text)."""
    xml = "".join(f"<w:r>{props}<w:t xml:space='preserve'>{text}</w:t></w:r>" for props, text in runs)
    return etree.fromstring(f"<w:p xmlns:w='{W}'>{xml}</w:p>")


def runs_of(element):
    out = []
    for run in element.iter(f"{{{W}}}r"):
        text = "".join(t.text or "" for t in run.iter(f"{{{W}}}t"))
        props = run.find(f"{{{W}}}rPr")
        marked = props is not None and props.find(f"{{{W}}}highlight") is not None
        out.append((text, marked))
    return out


def test_a_placeholder_across_runs_is_highlighted_and_the_rest_left_alone():
    p = paragraph(("<w:rPr><w:b/><w:u w:val='single'/></w:rPr>", "Moyen : [À compl"), ("", "éter : la suite] fin."))
    highlight_placeholders(p)
    assert runs_of(p) == [("Moyen : ", False), ("[À compl", True), ("éter : la suite]", True), (" fin.", False)]
    # the split run keeps its properties, and w:highlight comes before w:u (the schema's order)
    props = p.findall(f"{{{W}}}r")[1].find(f"{{{W}}}rPr")
    assert [etree.QName(c).localname for c in props] == ["b", "highlight", "u"]
    assert props.find(f"{{{W}}}highlight").get(f"{{{W}}}val") == "yellow"


def test_text_without_placeholder_is_not_touched():
    p = paragraph(("", "Texte [entre crochets] à compléter plus tard."))
    before = etree.tostring(p)
    highlight_placeholders(p)
    assert etree.tostring(p) == before


def test_placeholder_forms():
    assert placeholder() == "[À compléter]"
    assert placeholder("nom") == "[À compléter : nom]"


def build(tmp_path, data, lang="en", *extra):
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "cnda-appeal", "--answers", str(case), "--out", str(out), "--today", "2026-04-28", "--lang", lang, *extra)
    return result, out, case


def example():
    return yaml.safe_load(pinned_example_text("cnda-appeal"))


def test_empty_grounds_are_highlighted_listed_and_first_on_the_summary(tmp_path):
    data = example()
    data["decision_reasons"] = []  # the example leaves one reason unanswered: only the grounds here
    data["grounds"] = [{"heading": "Sur les craintes", "text": ""}, {"heading": "Sur la protection subsidiaire", "text": "Argument écrit."}]
    result, out, case = build(tmp_path, data, "fr")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index("Parties inachevées (surlignées dans le projet), à compléter avant l'envoi :")
    assert lines[start + 1] == "  • Ce moyen a un intitulé mais pas d'argumentation. (question : « Moyens (arguments juridiques) n° 1 › Argumentation »)"
    assert not lines[start + 2].startswith("  • ")
    letter = (out / "recours-cnda.docx").read_bytes()
    marked = highlighted_texts(body(letter))
    assert "[À compléter : développer ce moyen]" in [m.replace("\u00a0", " ") for m in marked]
    assert "Argument écrit." in docx_text(letter)
    sheet = docx_text((out / "summary.docx").read_bytes()).splitlines()
    # opens with the warnings (the lawyer designated under legal aid), then the list, then the deadline
    assert sheet[3].startswith(typeset("⚠ L'aide juridictionnelle a désigné Maître Claire Martin pour vous assister"))
    assert sheet[4] == typeset("Parties inachevées : à compléter avant l'envoi")
    assert sheet[6] == typeset("Ce moyen a un intitulé mais pas d'argumentation. (question : « Moyens (arguments juridiques) n° 1 › Argumentation »)")
    assert sheet[7].startswith("Délai")


def test_nothing_unfinished_nothing_listed(tmp_path):
    data = example()
    data["decision_reasons"] = []  # the example leaves one reason unanswered
    data["grounds"] = [{"heading": "Sur les craintes", "text": "Argument."}]
    result, out, case = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    assert "Unfinished" not in result.stdout
    assert "Unfinished parts" not in docx_text((out / "summary.docx").read_bytes())
    check = run_cli("check", "cnda-appeal", "--answers", str(case), "--json", "--today", "2026-04-28")
    assert check.returncode == 0
    assert json.loads(check.stdout)["unfinished"] == []


def test_check_json_reports_unfinished_parts(tmp_path):
    data = example()
    data["decision_reasons"] = []  # the example leaves one reason unanswered: only the grounds here
    data["grounds"] = []
    _, _, case = build(tmp_path, data)
    check = run_cli("check", "cnda-appeal", "--answers", str(case), "--json", "--today", "2026-04-28")
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout)["unfinished"] == [
        {
            "field": "grounds",
            "question": "Grounds (legal arguments)",
            "message": "No ground is written: the draft has the two usual headings with nothing under them.",
        }
    ]


@pytest.mark.parametrize("procedure", sorted(EXAMPLE_DAY))
def test_every_procedure_reports_unfinished_as_a_list(tmp_path, procedure):
    case = tmp_path / "case.yaml"
    case.write_text(pinned_example_text(procedure), encoding="utf-8")
    check = run_cli("check", procedure, "--answers", str(case), "--json", "--today", EXAMPLE_DAY[procedure].isoformat())
    assert check.returncode == 0, check.stderr
    assert isinstance(json.loads(check.stdout)["unfinished"], list)
