"""The prepared renderer (render/docx_prepared.py) gives the very bytes docxtpl gives.

It re-implements none of docxtpl's transformations (it calls them), but it does choose
which steps run once per template and which per document, and it writes the ZIP
itself: so every product template is rendered both ways, with the contexts of real
builds and with values that exercise docxtpl's per-document steps (line breaks and tabs
for resolve_listing, markup characters for escaping), and the files must be identical.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import yaml

from docassemble_asylum.procedures import available, get
from docassemble_asylum.procedures.base import BuildOptions
from docassemble_asylum.render import docx as docx_module
from docassemble_asylum.render.docx import docx_text, render_docx, render_with_docxtpl
from docassemble_asylum.resources import letter_template
from tests.test_question_sets import TODAY
from pinned_examples import pinned_example_text


def _rendered_contexts(procedure: str, mutate=None) -> list[tuple]:
    """(template, context, bytes) of every DOCX one build of the procedure's example renders."""
    spec = get(procedure)
    raw = yaml.safe_load(pinned_example_text(procedure))
    if mutate:
        mutate(raw)
    today = dt.date.fromisoformat(TODAY[procedure])
    seen = []
    real = docx_module.render_docx

    def recording(template, context):
        data = real(template, context)
        seen.append((template, context, data))
        return data

    docx_module.render_docx = recording
    try:
        spec.build_outputs(spec.validate(raw, today), BuildOptions(today=today, lang="fr"), b"test")
    finally:
        docx_module.render_docx = real
    return seen


def _with_awkward_text(raw: dict) -> None:
    """Line breaks, a tab and markup characters in every free text of the example."""

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                # Free text: long, with a space (a choice's keyword, "customary_or_religious_marriage", has none).
                if isinstance(value, str) and len(value) > 25 and " " in value and not value[:4].isdigit() and "@" not in value:
                    node[key] = value + "\nSuite & <fin>\tcolonne « é »"
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(raw)


@pytest.mark.parametrize("awkward", [False, True], ids=["example", "awkward-text"])
@pytest.mark.parametrize("procedure", sorted(available()))
def test_prepared_rendering_is_docxtpl_byte_for_byte(procedure, awkward):
    records = _rendered_contexts(procedure, _with_awkward_text if awkward else None)
    assert records, "the build rendered no DOCX"
    for template, context, data in records:
        reference = render_with_docxtpl(template, context)
        if data != reference:  # say which part differs
            ours, theirs = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(reference))
            assert ours.namelist() == theirs.namelist()
            assert [n for n in theirs.namelist() if ours.read(n) != theirs.read(n)] == []
        assert data == reference, template.name
    if awkward:
        texts = "\n".join(docx_text(data) for _t, _c, data in records)
        assert "Suite & <fin>" in texts  # the awkward text reached the documents


def test_every_product_template_is_prepared():
    # None of them falls back to docxtpl's full path (that would lose the speed silently).
    from docassemble_asylum.resources import templates_dir

    templates = sorted((templates_dir() / "letters").glob("*.docx"))
    assert len(templates) >= 5
    for template in templates:
        assert docx_module._prepared(template) is not None, template.name


def _docx_with(*, header: str = "", title: str = "", paragraphs=("Nom : {{ name }}",)) -> bytes:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if title:
        document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_headers_and_tables_are_rendered_as_docxtpl_does(tmp_path):
    template = tmp_path / "with-header.docx"
    template.write_bytes(_docx_with(header="Dossier {{ number }}", paragraphs=("Nom : {{ name }}", "{{ lines }}")))
    context = {"name": "Amina & <Co>", "number": "25-04-12345", "lines": "un\ndeux\tdeux bis"}
    assert docx_module._prepared(template).headers_footers  # the header path is exercised
    data = render_docx(template, context)
    assert data == render_with_docxtpl(template, context)
    text = docx_text(data)
    assert text.splitlines()[0] == "Dossier 25-04-12345"  # w:noBreakHyphen reads as "-"
    assert "Nom\u00a0: Amina & <Co>" in text  # the French layer ran on the body
    header = zipfile.ZipFile(io.BytesIO(data)).read("word/header1.xml").decode()
    assert "<w:t>Dossier 25</w:t><w:noBreakHyphen/><w:t>04</w:t><w:noBreakHyphen/><w:t>12345</w:t>" in header  # and on the header


def test_a_template_with_jinja_in_its_properties_is_rendered_by_docxtpl(tmp_path):
    template = tmp_path / "titled.docx"
    template.write_bytes(_docx_with(title="Recours {{ name }}"))
    assert docx_module._prepared(template) is None
    data = render_docx(template, {"name": "Amina"})
    assert data == render_with_docxtpl(template, {"name": "Amina"})
    from docx import Document

    assert Document(io.BytesIO(data)).core_properties.title == "Recours Amina"


def test_a_missing_value_names_the_template():
    template = letter_template("cnda_appeal.docx")
    with pytest.raises(docx_module.TemplateError, match=r"^cnda_appeal\.docx: 'applicant' is undefined"):
        render_docx(template, {})
