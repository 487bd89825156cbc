"""The family-situation form prepared once per process (render/pdf_form_prepared.py) fills
exactly what the plain fill (pdf_form.fill_plain, pypdf on a fresh parse) fills.

For the bundled example, a case that overflows to annex pages with dates of birth known
by their year alone, and every field of the form filled (checkboxes and the radio group
too), flattened or not: the same bytes; and, said the way a reader would check it, the
same field values read back with pypdf, the same appearance stream for every widget, the
same text for pdftotext. Errors are the same too, a changed form file is prepared again,
and a form the prepared fill does not reproduce is filled the plain way.
"""

from __future__ import annotations

import datetime as dt
import io

import pikepdf
import pytest
import yaml
from pypdf import PdfReader

from docassemble_asylum.procedures import get, reunification
from docassemble_asylum.render import pdf_form, pdf_form_prepared
from docassemble_asylum.render.pdf_form import FontCoverageError, FormError, fill, fill_plain, read_fields
from family_cases import overflowing_case
from pinned_examples import pinned_example_text
from tests.conftest import ROOT
from tests.test_family_form import pdftotext

FORM = ROOT / "templates" / "forms" / "family_situation.pdf"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def template() -> bytes:
    return FORM.read_bytes()


def _example() -> dict:
    return yaml.safe_load(pinned_example_text("reunification"))


def _overflowing_years_only() -> dict:
    """Six children, three born in a year only, and observations longer than their box."""
    return overflowing_case(("2011", "2012", "2013"))


def _context(data: dict) -> dict:
    spec = get("reunification")
    return reunification.form_context(spec.validate(data, TODAY), TODAY)


def _every_field(template: bytes) -> dict:
    """Every field of the form: a text in each box, each checkbox on, the radio group's first choice."""
    values: dict = {}
    for number, info in enumerate(read_fields(template)):
        if info.kind == "checkbox":
            values[info.name] = True
        elif info.kind == "radio":
            values[info.name] = info.on_states[0]
        elif info.kind == "text":
            values[info.name] = "Première ligne\nSeconde ligne « ça »" if info.multiline else f"Élise n° {number} (née)"
    return {"values": values}


def _placeholders() -> dict:
    """Yasin's other parent left out, and a placeholder wrapped over two lines of the
    observations: both fills draw the same yellow marks (pdf_form._highlight_placeholders)."""
    data = _example()
    del data["members"][3]["other_parent"]
    data["observations"] += "\n" + "Texte de remplissage. " * 20 + "[À compléter : une suite de plusieurs mots à écrire plus tard]"
    return data


CASES = {
    "example": lambda t: _context(_example()),
    "overflow": lambda t: _context(_overflowing_years_only()),
    "every field": _every_field,
    "placeholders": lambda t: _context(_placeholders()),
}


def _appearances(data: bytes) -> dict:
    """Per widget (field name, page, position): its state and the bytes of its normal appearance."""
    seen = {}
    for page_number, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        for position, annot in enumerate(page.get("/Annots", []) or []):
            annot = annot.get_object()
            parent = annot.get("/Parent")
            name = annot.get("/T") or (parent.get_object().get("/T") if parent else None)
            normal = (annot.get("/AP") or {}).get("/N")
            if hasattr(normal, "get_data"):
                drawn = normal.get_data()
            else:  # a button: the appearance of the state it shows
                state = annot.get("/AS")
                drawn = normal[state].get_object().get_data() if normal is not None and state in normal else None
            seen[(str(name), page_number, position)] = (str(annot.get("/AS")), drawn)
    return seen


def _values(data: bytes) -> dict:
    return {name: f.get("/V") for name, f in (PdfReader(io.BytesIO(data)).get_fields() or {}).items()}


def test_the_product_form_is_prepared(template):
    form = pdf_form_prepared.prepared(template)
    assert isinstance(form, pdf_form_prepared.PreparedForm)
    assert pdf_form_prepared.prepared(template) is form  # once per process


@pytest.mark.parametrize("flatten", [False, True], ids=["fillable", "flattened"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_prepared_fill_is_the_plain_fill(template, case, flatten, tmp_path):
    context = CASES[case](template)
    plain = fill_plain(template, **context, flatten=flatten)
    options = pdf_form.FillOptions(**{k: v for k, v in context.items() if k != "values"}, flatten=flatten)
    ours = pdf_form_prepared.PreparedForm(template).fill(context["values"], options)
    assert ours is not None  # filled by the prepared form, not handed back to the plain fill
    assert (ours.overflowed, ours.addendum_pages) == (plain.overflowed, plain.addendum_pages)
    if case == "overflow":
        assert ours.overflowed and ours.addendum_pages == 2
    if not flatten:
        values = _values(ours.data)
        assert values == _values(plain.data)
        assert sum(1 for v in values.values() if v not in (None, "", "/Off")) >= (20 if case != "every field" else 160)
        appearances = _appearances(ours.data)
        assert appearances == _appearances(plain.data)
        assert len(appearances) >= 170
    text = pdftotext(ours.data, tmp_path, "ours.pdf")
    assert text == pdftotext(plain.data, tmp_path, "plain.pdf")
    if case == "placeholders" and not flatten:
        marks = {key[0]: drawn.count(b"1 1 0 rg") for key, (_, drawn) in appearances.items() if drawn and b"1 1 0 rg" in drawn}
        assert marks == {"children3_relationship": 1, "observations": 2}  # the wrapped placeholder: one mark per line
    if case == "overflow":
        assert "Date de naissance : 2012" in text and "[Suite : annexe, point 3]" in text  # the no-break space drawn as a space
    assert ours.data == plain.data  # all of the above, and the rest of the file


def test_fill_takes_the_prepared_form_and_gives_the_same_bytes_every_time(template, monkeypatch):
    context = _context(_overflowing_years_only())
    first = fill(template, **context).data
    assert fill(template, **context).data == first

    def refused(*args, **kwargs):
        raise AssertionError("the plain fill was used")

    monkeypatch.setattr(pdf_form, "fill_plain", refused)
    assert fill(template, **context).data == first


@pytest.mark.parametrize(
    "values, error, kind, field, detail",
    [
        ({"users1_name_last": "Rahimi", "no_such_field": "x"}, FormError, "unknown_field", "no_such_field", "(1 unknown)"),
        ({"users1_name_first": "Farid", "users1_name_last": "رحيمي"}, FontCoverageError, "font_coverage", "users1_name_last", "رحيم"),
        ({"spouses1_declared_to_ofpra_yes": "oui"}, FormError, "checkbox_needs_bool", "spouses1_declared_to_ofpra_yes", ""),
        (
            {"users1_protection_type": "asile"},
            FormError,
            "unknown_choice",
            "users1_protection_type",
            "refugie, protection_subsidiaire, apatride",
        ),
    ],
    ids=["unknown field", "arabic", "checkbox", "radio"],
)
def test_the_same_errors_as_the_plain_fill(template, values, error, kind, field, detail):
    with pytest.raises(error) as plain:
        fill_plain(template, values)
    with pytest.raises(error) as ours:
        pdf_form_prepared.prepared(template).fill(values, pdf_form.FillOptions())
    assert (ours.value.kind, ours.value.field, ours.value.detail) == (plain.value.kind, plain.value.field, plain.value.detail)
    assert (ours.value.kind, ours.value.field, ours.value.detail) == (kind, field, detail)


def _wider_first_name_box(template: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(template)) as pdf:
        for field in pdf.Root.AcroForm.Fields:
            if field.get("/T") == "users1_name_first":
                rect = [float(v) for v in field.Rect]
                field.Rect = pikepdf.Array([rect[0], rect[1], rect[2] + 60, rect[3]])
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def test_a_changed_form_is_prepared_again(template):
    """The prepared forms are kept by the SHA-256 of the form's bytes: a form file that
    changes (here, the first name box made wider) is another form, never the old one's fill."""
    changed = _wider_first_name_box(template)
    values = {"users1_name_first": "Farid", "users1_name_last": "Rahimi"}
    before = fill(template, values).data
    assert pdf_form_prepared.prepared(changed) is not pdf_form_prepared.prepared(template)
    after = fill(changed, values).data
    assert after == fill_plain(changed, values).data
    assert after != before
    assert fill(template, values).data == before


def test_a_form_file_replaced_while_the_process_runs_is_the_one_filled(template, tmp_path, monkeypatch):
    from docassemble_asylum import resources
    from docassemble_asylum.procedures.outputs import render_document

    (tmp_path / "forms").mkdir()
    mapping = "forms/family_situation.mapping.yaml"
    (tmp_path / mapping).write_bytes((resources.templates_dir() / mapping).read_bytes())
    monkeypatch.setattr(resources, "templates_dir", lambda: tmp_path)
    spec = get("reunification")
    document = spec.document(reunification.FORM)
    path = tmp_path / document.template_path
    path.write_bytes(template)
    answers = spec.validate(_example(), TODAY)
    context = _context(_example())
    assert render_document(document, answers, TODAY) == fill_plain(template, **context).data
    changed = _wider_first_name_box(template)
    path.write_bytes(changed)
    assert render_document(document, answers, TODAY) == fill_plain(changed, **context).data != fill_plain(template, **context).data


def test_a_form_with_a_choice_field_is_filled_the_plain_way(monkeypatch):
    """What the prepared fill does not reproduce (here a choice field) is left to the plain fill."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, invariant=1)
    c.acroForm.textfield(name="name", x=50, y=700, width=200, height=16, fontName="Helvetica", fontSize=9, maxlen=0)
    c.acroForm.choice(name="country", value="France", options=["France", "Iran"], x=50, y=650, width=200, height=16)
    c.showPage()
    c.save()
    form = buffer.getvalue()
    assert pdf_form_prepared.prepared(form) is None
    values = {"name": "Élise", "country": "Iran"}
    assert fill(form, values).data == fill_plain(form, values).data
    assert _values(fill(form, values).data)["country"] == "Iran"
