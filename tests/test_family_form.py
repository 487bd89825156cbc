"""The provisional family-situation form and the PDF filler (render/pdf_form.py).

What is checked is what a person and a viewer see: values read back from the filled
form's fields, ``pdftotext`` of the flattened form, and pixels of ``pdftoppm`` for the
checkboxes and radio buttons (poppler, installed by .ci/run).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from docassemble_asylum.forms.mapping import load_mapping, plan, resolve
from docassemble_asylum.render import pdf_form
from docassemble_asylum.render.pdf_form import FontCoverageError, FormError, coverage_checker, fill, read_fields
from tests.conftest import ROOT, require_tool, run_cli

FORM = ROOT / "templates" / "forms" / "family_situation.pdf"
MAPPING = ROOT / "templates" / "forms" / "family_situation.mapping.yaml"
FRENCH = "François-Xavier Œdipe « l'aîné » – ça"
# What the form carries: French typography within WinAnsi (render/typography.py), and what a
# reader sees (the no-break space is drawn as a space).
FRENCH_VALUE = "François-Xavier Œdipe «\u00a0l’aîné\u00a0» – ça"
FRENCH_SEEN = "François-Xavier Œdipe « l’aîné » – ça"


@pytest.fixture(scope="module")
def template() -> bytes:
    return FORM.read_bytes()


def pdftotext(data: bytes, tmp_path: Path, name: str = "f.pdf", *, layout: bool = False) -> str:
    tool = require_tool("pdftotext")
    path = tmp_path / name
    path.write_bytes(data)
    args = [tool, *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def field_values(data: bytes) -> dict:
    return {name: f.get("/V") for name, f in (PdfReader(io.BytesIO(data)).get_fields() or {}).items()}


def widget_states(data: bytes, name: str) -> list[str]:
    states = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            parent = annot.get("/Parent")
            title = annot.get("/T") or (parent.get_object().get("/T") if parent else None)
            if title == name:
                states.append(str(annot.get("/AS")))
    return states


def darkness(data: bytes, tmp_path: Path, page: int, rect) -> float:
    """Mean darkness (0 white … 1 black) inside ``rect`` (PDF points) of a 72 dpi grey rendering."""
    tool = require_tool("pdftoppm")
    path = tmp_path / "render.pdf"
    path.write_bytes(data)
    subprocess.run([tool, "-gray", "-r", "72", "-f", str(page), "-l", str(page), str(path), str(tmp_path / "img")], check=True)
    (image,) = tmp_path.glob("img*.pgm")
    raw = image.read_bytes()
    image.unlink()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", raw)
    width, height = int(header.group(1)), int(header.group(2))
    pixels = raw[header.end():]
    x0, y0, x1, y1 = (int(round(v)) for v in rect)
    total = count = 0
    for row in range(height - y1 + 2, height - y0 - 2):
        for col in range(x0 + 2, x1 - 2):
            total += 255 - pixels[row * width + col]
            count += 1
    return total / count / 255


# --- the form as authored -------------------------------------------------------------------


def test_the_committed_form_is_what_its_script_writes():
    result = subprocess.run([sys.executable, "tools/forms/make_family_form.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_page_is_marked_provisional(template, tmp_path):
    text = pdftotext(template, tmp_path)
    pages = text.split("\f")[:-1]
    assert len(pages) == 5  # page 5: the sections of the Bureau's questionnaire (issue 19)
    for page in pages:
        assert "MODÈLE PROVISOIRE" in page
        assert "Modèle provisoire établi par asylumdocs : le formulaire officiel du Bureau des familles de réfugiés" in page


def test_the_blank_form_writes_french_as_a_lawyer_does(template, tmp_path):
    """Typographic apostrophes, and no "(e)" outside the Bureau's own quoted title (issue 16)."""
    import re

    text = pdftotext(template, tmp_path)
    assert re.findall(r"\w'\w", text) == []
    assert "d’asile" in text and "l’honneur" in text
    quoted_title = "réfugié(e)"  # « FORMULAIRE à renseigner par le/la réfugié(e) … », the Bureau's own words
    assert re.findall(r"\w\(e\)", text.replace(quoted_title, "")) == []
    assert "provisionnel" not in text.lower()


def test_field_names_follow_the_assemblyline_convention(template):
    names = [f.name for f in read_fields(template)]
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"[a-z][a-z0-9_]*?(__\d+)?", name), name
    for expected in (
        "users1_name_first",
        "users1_name_last",
        "users1_birthdate",
        "users1_address_line_one",
        "spouses1_name_first",
        "children1_birthdate",
        "children4_name_last",
        "parents2_birthdate",
        "siblings2_name_first",
        "users1_name_full__2",
        "users1_name_full__4",
        "spouses1_declared_to_ofpra_yes",
        "spouses1_declared_to_ofpra_no",
    ):
        assert expected in names, expected


def test_the_mapping_is_data_that_covers_exactly_the_forms_fields(template):
    mapping = load_mapping(MAPPING)
    assert mapping.form == FORM.name and mapping.status == "provisional"
    pdf = {f.name for f in read_fields(template)}
    assert mapping.pdf_field_names() | set(mapping.unmapped) == pdf


def test_form_fields_lists_names_types_on_states_and_max_length(tmp_path):
    result = run_cli("form", "fields", str(FORM), "--json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    fields = {f["name"]: f for f in json.loads(result.stdout)["fields"]}
    assert fields["users1_protection_type"]["type"] == "radio"
    assert fields["users1_protection_type"]["on_states"] == ["refugie", "protection_subsidiaire", "apatride"]
    assert fields["spouses1_declared_to_ofpra_yes"]["type"] == "checkbox"
    assert fields["spouses1_declared_to_ofpra_yes"]["on_states"] == ["Yes"]
    assert fields["users1_name_last"] | {} == fields["users1_name_last"]
    assert (fields["users1_name_last"]["type"], fields["users1_name_last"]["max_length"]) == ("text", 100)
    assert fields["users1_address_line_one"]["max_length"] == 200
    assert fields["observations"]["multiline"] is True and fields["observations"]["max_length"] == 20000
    assert fields["users1_name_full__3"]["pages"] == [3]
    text = run_cli("form", "fields", str(FORM), "--lang", "fr")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].split() == ["nom", "type", "valeurs", "cochées", "longueur", "max.", "page", "libellé"]
    assert re.search(r"^users1_protection_type\s+radio\s+refugie,protection_subsidiaire,apatride\s+1\s+Protection accordée$", text.stdout, re.M)


@pytest.mark.parametrize(
    ("lang", "message"),
    [("en", "Error: {path} is not a PDF file that can be read.\n"), ("fr", "Erreur : {path} n'est pas un fichier PDF lisible.\n")],
)
def test_form_fields_refuses_a_file_that_is_not_a_pdf(tmp_path, lang, message):
    bogus = tmp_path / "not-a-form.pdf"
    bogus.write_text("hello", encoding="utf-8")
    result = run_cli("form", "fields", str(bogus), "--lang", lang)
    assert result.returncode == 1
    assert result.stderr == message.format(path=bogus)


# --- filling -------------------------------------------------------------------------------


def test_values_are_read_back_from_the_fields_with_accents_checkboxes_and_radio(template):
    filled = fill(
        template,
        {
            "users1_name_first": FRENCH,
            "users1_name_last": "DUPONT & FILS <SELECT>",
            "users1_protection_type": "protection_subsidiaire",
            "spouses1_declared_to_ofpra_yes": True,
            "spouses1_declared_to_ofpra_no": False,
        },
    ).data
    values = field_values(filled)
    assert values["users1_name_first"] == FRENCH_VALUE
    assert values["users1_name_last"] == "DUPONT & FILS <SELECT>"
    assert values["spouses1_declared_to_ofpra_yes"] == "/Yes"
    assert values["spouses1_declared_to_ofpra_no"] == "/Off"
    assert values["users1_protection_type"] == "/protection_subsidiaire"
    assert widget_states(filled, "users1_protection_type") == ["/Off", "/protection_subsidiaire", "/Off"]
    assert widget_states(filled, "spouses1_declared_to_ofpra_yes") == ["/Yes"]
    # pypdf drew the appearances; viewers are not asked to regenerate them
    acro = PdfReader(io.BytesIO(filled)).trailer["/Root"]["/AcroForm"]
    assert acro.get("/NeedAppearances") in (None, False)


def test_what_a_person_sees_on_the_flattened_form(template, tmp_path):
    flat = fill(
        template,
        {"users1_name_first": FRENCH, "users1_birthdate": "05/05/1985", "users1_protection_type": "refugie", "spouses1_declared_to_ofpra_yes": True},
        flatten=True,
    ).data
    with pikepdf.open(io.BytesIO(flat)) as pdf:
        assert "/AcroForm" not in pdf.Root
        assert all("/Annots" not in page or len(page.Annots) == 0 for page in pdf.pages)
    text = pdftotext(flat, tmp_path)
    assert FRENCH_SEEN in text and "05/05/1985" in text
    assert "?" not in text
    # the selected radio button and the checked box are drawn; the others are not
    fields = {f.name: f for f in read_fields(template)}
    box_on = fields["spouses1_declared_to_ofpra_yes"].rect
    box_off = fields["spouses1_declared_to_ofpra_no"].rect
    assert darkness(flat, tmp_path, 1, box_on) > darkness(flat, tmp_path, 1, box_off) + 0.1
    radios = [w for w in PdfReader(io.BytesIO(template)).pages[0]["/Annots"] if w.get_object().get("/Parent")]
    rects = [[float(v) for v in w.get_object()["/Rect"]] for w in radios]
    chosen, other = darkness(flat, tmp_path, 1, rects[0]), darkness(flat, tmp_path, 1, rects[1])
    assert chosen > other + 0.05


def test_a_checkbox_is_checked_by_its_own_on_state(template, tmp_path):
    # The same form with the box's "on" appearance renamed /Oui, as in many French forms.
    with pikepdf.open(io.BytesIO(template)) as pdf:
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                if str(annot.get("/T", "")) == "spouses1_declared_to_ofpra_yes":
                    for key in ("/N", "/D"):
                        states = annot.AP[key]
                        states[pikepdf.Name("/Oui")] = states[pikepdf.Name("/Yes")]
                        del states[pikepdf.Name("/Yes")]
        buffer = io.BytesIO()
        pdf.save(buffer)
    renamed = buffer.getvalue()
    assert {f.name: f for f in read_fields(renamed)}["spouses1_declared_to_ofpra_yes"].on_states == ("Oui",)
    filled = fill(renamed, {"spouses1_declared_to_ofpra_yes": True}).data
    assert field_values(filled)["spouses1_declared_to_ofpra_yes"] == "/Oui"
    assert widget_states(filled, "spouses1_declared_to_ofpra_yes") == ["/Oui"]


def test_unknown_choices_and_fields_are_errors_not_silent_blanks(template):
    with pytest.raises(FormError) as info:
        fill(template, {"users1_protection_type": "Yes"})
    assert info.value.kind == "unknown_choice"
    with pytest.raises(FormError) as info:
        fill(template, {"spouses1_declared_to_ofpra_yes": "Yes"})
    assert info.value.kind == "checkbox_needs_bool"
    with pytest.raises(FormError) as info:
        fill(template, {"users1_nom": "x"})
    assert (info.value.kind, info.value.field) == ("unknown_field", "users1_nom")


def test_multiline_text_is_wrapped_into_the_box(template, tmp_path):
    text = "Première ligne de l'observation.\n\n" + " ".join(f"mot{i}" for i in range(60))
    result = fill(template, {"observations": text}, flatten=True)
    assert result.overflowed == [] and result.addendum_pages == 0
    seen = pdftotext(result.data, tmp_path)
    assert "Première ligne de l’observation." in seen
    assert " ".join(seen.split()).count("mot59") == 1
    filled = fill(template, {"observations": text}).data
    # The value is the text as given, typeset (a lawyer editing it gets no wrapping breaks);
    # the appearance that viewers show is wrapped: one text-showing operator per line.
    assert field_values(filled)["observations"] == text.replace("l'o", "l’o")
    from pypdf import PdfReader

    (widget,) = [a.get_object() for page in PdfReader(io.BytesIO(filled)).pages for a in page.get("/Annots", [])
                 if a.get_object().get("/T") == "observations"]
    appearance = widget["/AP"]["/N"].get_object().get_data().decode("latin-1")
    assert appearance.count(" Tj") >= 4 and "mot59" in appearance


@pytest.mark.parametrize("base_font", ["Helvetica", "Times-Roman"])
def test_a_word_wider_than_the_line_is_cut_into_pieces_that_each_fit(base_font):
    metrics = pdf_form._FontMetrics(base_font=base_font)
    word = "Ééééiiiiiiiiiiiiiiiiiiii" + "W" * 57 + "l" * 301 + "«»œ"
    lines = pdf_form.wrap(f"avant {word} après", metrics, 10, 100)
    assert lines[0] == "avant" and lines[-1].endswith(" après")
    pieces = lines[1:-1] + [lines[-1].removesuffix(" après")]
    assert "".join(pieces) == word
    for piece in pieces:
        assert metrics.width(piece, 10) <= 100 + 1e-9
    # each piece but the last is as long as it can be: one more character would not fit
    for piece, following in zip(pieces, pieces[1:]):
        assert metrics.width(piece + following[0], 10) > 100


def test_a_100000_character_word_is_wrapped_in_linear_time():
    metrics = pdf_form._FontMetrics(base_font="Helvetica")
    lines = pdf_form.wrap("A" * 100_000, metrics, 10, 300)
    assert "".join(lines) == "A" * 100_000 and len({len(line) for line in lines[:-1]}) == 1


def test_text_too_long_for_its_box_goes_to_an_addendum_never_cut(template, tmp_path):
    long_text = "Début. " + "Une phrase assez longue pour remplir la case des observations. " * 80 + "Fin du texte."
    address = (
        "Bâtiment B, escalier 4, appartement 56, résidence des Tilleuls, chez l'association Accueil & Droits, "
        "123 avenue du Général-de-Gaulle prolongée"
    )
    result = fill(
        template,
        {"observations": long_text, "users1_address_line_one": address, "users1_nationality": "x" * 150},
        labels={"observations": "Observations", "users1_address_line_one": "Adresse en France", "users1_nationality": "Nationalité"},
        addendum_title="Annexe au formulaire de test",
        flatten=True,
    )
    # numbered in reading order: nationality (too many characters), address (too wide), observations (too many lines)
    assert result.overflowed == ["users1_nationality", "users1_address_line_one", "observations"]
    assert result.addendum_pages >= 2
    seen = pdftotext(result.data, tmp_path)
    assert "Annexe au formulaire de test" in seen
    # every word of every value is somewhere a person can read it (page titles and footers aside)
    body = [line for line in seen.splitlines() if not line.startswith("Annexe au formulaire de test")]
    flat = " ".join(" ".join(body).split())
    assert " ".join(long_text.split()) in flat
    assert address.replace("l'a", "l’a") in flat
    assert "x" * 150 in "".join(flat.split())  # a word longer than a line is broken, not cut
    # and the boxes say where
    assert "Voir l’annexe, point" in seen and "[Suite : annexe, point" in seen
    assert "Voir l’annexe, point 1." in seen and "Voir l’annexe, point 2." in seen and "[Suite : annexe, point 3]" in seen
    assert "1. Nationalité" in seen and "2. Adresse en France" in seen and "3. Observations" in seen


def test_letters_the_font_cannot_show_are_refused_never_written_as_question_marks(template):
    for value in ("حداد", "Привет", "Şahin İzmir"):
        with pytest.raises(FontCoverageError) as info:
            fill(template, {"users1_name_last": value})
        assert info.value.field == "users1_name_last"
    check = coverage_checker(template)
    assert check("users1_name_last", FRENCH + " € Š ž") == ""
    assert check("users1_name_last", "Ахмед") == "Ахмед"
    assert check(None, "هرات") == "هرات"


def test_a_question_mark_from_the_pdf_library_is_caught_after_filling(template, monkeypatch):
    # Even if the coverage check were wrong, an appearance with a '?' the value lacks never leaves.
    monkeypatch.setattr(pdf_form._FontMetrics, "can_show", lambda self, text: "")
    with pytest.raises(FontCoverageError) as info:
        fill(template, {"users1_name_last": "Ахмед"})
    assert info.value.characters == "?"
    assert fill(template, {"users1_name_last": "Qui ? Quoi ?"}).data  # a real '?' is fine


def test_filling_is_reproducible(template):
    values = {"users1_name_first": FRENCH, "observations": "x " * 3000, "users1_protection_type": "apatride"}
    first, second = fill(template, values).data, fill(template, values).data
    assert first == second
    assert fill(template, values, flatten=True).data == fill(template, values, flatten=True).data
    with pikepdf.open(io.BytesIO(first)) as pdf:
        assert len(pdf.trailer.ID) == 2
        assert str(pdf.docinfo["/CreationDate"]) == "D:20000101000000+00'00'"


def test_form_fill_command_fills_and_flattens(tmp_path):
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"users1_name_first": FRENCH, "users1_protection_type": "refugie"}), encoding="utf-8")
    out = tmp_path / "out.pdf"
    result = run_cli("form", "fill", str(FORM), "--values", str(values), "--out", str(out), "--flatten", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Filled form written to {out}.\n"
    assert FRENCH_SEEN in pdftotext(out.read_bytes(), tmp_path)
    values.write_text(json.dumps({"users1_name_last": "Ахмед"}), encoding="utf-8")
    refused = run_cli("form", "fill", str(FORM), "--values", str(values), "--out", str(tmp_path / "x.pdf"), "--lang", "fr")
    assert refused.returncode == 1
    assert refused.stderr == (
        "Erreur : la police du champ « users1_name_last » ne peut pas imprimer une lettre de cette valeur "
        "(U+0410 CYRILLIC CAPITAL LETTER A…) : donnez cette valeur en lettres latines que la police peut imprimer.\n"
    )
    assert not (tmp_path / "x.pdf").exists()


# --- the mapping: Latin spellings and members beyond the slots --------------------------------


def _data(children: list[dict], **person) -> dict:
    base = {
        "family_name": "حداد",
        "given_names": "Samira",
        "latin_spelling": {"family_name": "Haddad", "given_names": "", "place_of_birth": ""},
        "date_of_birth": None,
        "place_of_birth": "Idlib",
        "nationality": "syrienne",
        "ofpra_file_number": "1",
        "protection": "refugee",
        "protection_granted_on": None,
        "asylum_application_date": None,
        "address": {"street": "1 rue A", "complement": "", "postal_code": "75001", "city": "Paris"},
        "phone": "",
        "email": "",
        "computed": {"marital_status": "", "residence_document": ""},
        "date_of_arrival_in_france": None,
        "bureau_reference": "",
    }
    base.update(person)
    bureau = {"visa_references": "", "current_union": "", "other_unions": "", "not_requested": ""}
    return {
        "protected_person": base,
        "spouses": [],
        "children": children,
        "parents": [],
        "siblings": [],
        "observations": "",
        "signature": {"place": "Paris", "date": None},
        "contact_abroad": None,
        "bureau": {"computed": bureau},
    }


def _child(n: int, **changes) -> dict:
    child = {
        "_path": ["members", n],
        "family_name": f"Enfant{n}",
        "given_names": "Test",
        "latin_spelling": {"family_name": "", "given_names": "", "place_of_birth": ""},
        "date_of_birth": None,
        "place_of_birth": "Idlib",
        "nationality": "syrienne",
        "country_of_residence": "Liban",
        "consulate": "",
        "address_of_residence": "",
        "visa_application_date": None,
        "declared_to_ofpra": True,
        "custody_judgment": None,
        "computed": {"relationship": "Enfant du couple", "marital_status": "Célibataire", "custody": "", "caution": "", "other_parent": ""},
    }
    child.update(changes)
    return child


def test_the_latin_spelling_replaces_only_the_part_the_font_cannot_show(template):
    resolved = resolve(plan(load_mapping(MAPPING), _data([])), coverage_checker(template))
    assert resolved.problems == []
    assert resolved.values["users1_name_last"] == "HADDAD"
    assert resolved.values["users1_name_full__2"] == "Samira Haddad"
    assert [p.source for p in resolved.latin_used] == [("protected_person", "family_name")]


def test_a_value_without_latin_spelling_is_a_problem_located_at_the_answer(template):
    data = _data([_child(3, given_names="Ахмед")], latin_spelling={"family_name": "", "given_names": "", "place_of_birth": ""})
    resolved = resolve(plan(load_mapping(MAPPING), data), coverage_checker(template))
    found = {(p.field, p.source, p.latin_source) for p in resolved.problems}
    assert ("users1_name_last", ("protected_person", "family_name"), ("protected_person", "latin_spelling", "family_name")) in found
    assert ("children1_name_first", ("members", 3, "given_names"), ("members", 3, "latin_spelling", "given_names")) in found


def test_members_beyond_the_forms_slots_go_to_the_addendum(template, tmp_path):
    children = [_child(n) for n in range(6)]
    resolved = resolve(plan(load_mapping(MAPPING), _data(children)), coverage_checker(template))
    assert [heading for heading, _ in resolved.sections] == ["Enfant n° 5", "Enfant n° 6"]
    assert resolved.sections[0][1][:2] == ["Nom : ENFANT4", "Prénoms : Test"]
    assert "Figure dans la demande d’asile faite à l’Ofpra : oui" in resolved.sections[0][1]
    result = fill(template, resolved.values, sections=[pdf_form.AddendumSection(h, lines) for h, lines in resolved.sections], flatten=True)
    seen = pdftotext(result.data, tmp_path)
    assert "1. Enfant n° 5" in seen and "2. Enfant n° 6" in seen and "Nom : ENFANT5" in seen
