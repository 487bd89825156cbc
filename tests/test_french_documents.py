"""Every document of every procedure, read as a French reader reads it (issue 16).

Each procedure is built from its example (French, and English for the summary sheets),
and the text of every DOCX (its ``w:t`` runs, paragraph by paragraph), of the e-mail and
of the filled PDF form is scanned: no ordinary space before ; : ! ? », none after «,
no "(e)" or "(s)" outside a quoted title, no straight apostrophe in French running text,
page numbers in every DOCX footer. A second test puts a marker with a colon and an
apostrophe in every text answer and follows it into the documents.
"""

from __future__ import annotations

import copy
import datetime as dt
import email
import email.policy
import io
import re
import zipfile

import pytest
import yaml

from docassemble_asylum.i18n import language
from docassemble_asylum.procedures import available, get
from docassemble_asylum.procedures.base import BuildOptions
from docassemble_asylum.render.typography import plain
from pinned_examples import pinned_example_text
from tests.test_question_sets import TODAY

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
URL_OR_EMAIL = re.compile(r"https?://\S+|www\.\S+|[\w.+'-]+@[\w.-]+")
QUOTED = re.compile(r"«[^»]*»|“[^”]*”")  # a quoted official title keeps its own spelling


def build(procedure: str, lang: str, raw: dict | None = None) -> dict[str, bytes]:
    spec = get(procedure)
    raw = raw if raw is not None else yaml.safe_load(pinned_example_text(procedure))
    today = dt.date.fromisoformat(TODAY[procedure])
    with language(lang):
        files = spec.build_outputs(spec.validate(raw, today), BuildOptions(today=today, lang=lang), b"test")
    return {f.name: f.data for f in files}


def paragraphs(data: bytes, member: str) -> list[str]:
    """The text of each paragraph of a part, from its w:t runs (w:noBreakHyphen read as "-")."""
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(member))
    out = []
    for p in root.iter(f"{W}p"):
        text = "".join(
            (e.text or "") if e.tag == f"{W}t" else "-" if e.tag == f"{W}noBreakHyphen" else "\n"
            for e in p.iter(f"{W}t", f"{W}noBreakHyphen", f"{W}br", f"{W}tab")
        )
        out.extend(line for line in text.split("\n") if line.strip())
    return out


def parts(data: bytes) -> list[str]:
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    return [n for n in names if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]


def french_faults(line: str) -> list[str]:
    text = URL_OR_EMAIL.sub("", line)
    faults = []
    if re.search(r" [;:!?»]", text):
        faults.append("ordinary space before ; : ! ? »")
    if "« " in text:
        faults.append("ordinary space after «")
    if re.search(r"\((?:e|s|es|ne|le)\)", QUOTED.sub("", text)):
        faults.append("(e) or (s)")
    if "'" in text:
        faults.append("straight apostrophe")
    return faults


def email_body(data: bytes) -> str:
    message = email.message_from_bytes(data, policy=email.policy.default)
    return message.get_body(("plain",)).get_content()


def form_values(data: bytes) -> dict[str, str]:
    from pypdf import PdfReader

    fields = PdfReader(io.BytesIO(data)).get_fields() or {}
    return {name: str(f.get("/V")) for name, f in fields.items() if isinstance(f.get("/V"), str)}


FRENCH_SHEETS = {"summary.docx", "calendrier.docx", "eligibilite.docx", "pieces-a-reunir.docx"}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("procedure", sorted(available()))
def test_every_document_follows_french_typography(procedure, lang):
    files = build(procedure, lang)
    faults = []
    docx = {name: data for name, data in files.items() if name.endswith(".docx")}
    assert docx
    for name, data in docx.items():
        members = parts(data)
        footers = [m for m in members if "footer" in m]
        footer_xml = "".join(zipfile.ZipFile(io.BytesIO(data)).read(m).decode() for m in footers)
        assert " PAGE " in footer_xml and " NUMPAGES " in footer_xml, f"{name}: no page X / Y in the footer"
        french = lang == "fr" or name not in FRENCH_SHEETS
        for member in members:
            for line in paragraphs(data, member):
                if french:
                    faults += [(name, fault, line) for fault in french_faults(line)]
                else:
                    assert not re.search(r"(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, ", line), (name, line)
    for name, data in files.items():
        if name.endswith(".eml"):
            body = email_body(data)
            assert "\u2011" not in body and "n°\u00a025-04-12345" in body  # typeset, hyphens plain
            faults += [(name, fault, line) for line in body.splitlines() for fault in french_faults(line)]
        if name.endswith(".pdf"):
            for field, value in form_values(data).items():
                assert "\u202f" not in value and "\u2011" not in value, (field, value)
                value.encode("cp1252")  # Helvetica's WinAnsi
                faults += [(name, fault, value) for fault in french_faults(value)]
    assert faults == []


def test_a_french_letter_protects_its_numbers_and_raises_its_ordinals():
    files = build("cnda-appeal", "fr")
    xml = zipfile.ZipFile(io.BytesIO(files["recours-cnda.docx"])).read("word/document.xml").decode()
    assert "2026</w:t><w:noBreakHyphen/><w:t>000123" in xml  # the decision number never splits
    assert '<w:vertAlign w:val="superscript"/></w:rPr><w:t>er</w:t>' in xml  # "article 1er A 2"
    text = "\n".join(paragraphs(files["recours-cnda.docx"], "word/document.xml"))
    assert "I. Identité de la requérante" in text
    assert "La requérante souhaite être entendue en arabe." in text
    assert "Montreuil, le 28\u00a0avril 2026" in text


def _neutral(raw: dict) -> None:
    raw["applicant"]["sex"] = "other"


@pytest.mark.parametrize("procedure", ["cnda-appeal", "reexamination", "interview-notice"])
def test_unknown_sex_gives_a_neutral_wording(procedure):
    raw = yaml.safe_load(pinned_example_text(procedure))
    _neutral(raw)
    if procedure == "interview-notice":
        raw["companion"].pop("sex")
    files = build(procedure, "fr", raw)
    letter = next(name for name in files if name.endswith(".docx") and name != "summary.docx")
    text = "\n".join(paragraphs(files[letter], "word/document.xml"))
    expected = {
        "cnda-appeal": ["I. Identité de la partie requérante", "La partie requérante souhaite être entendue en arabe."],
        "reexamination": ["Je, ", ", personne née le ", "Je souhaite que mon entretien se déroule en "],
        "interview-notice": ["Membre du barreau de Paris, je vous informe", "personne née le", "souhaite que l’entretien se déroule en arabe"],
    }[procedure]
    for wording in expected:
        assert wording in text
    for masculine in ("requérant ", "né le", "entendu ", "Avocat au barreau", "soussigné "):
        assert masculine not in text


# ------------------------------------------------------------------ the marker test

MARKER = "Marq'ueur{n} : fin"
SKIP = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}|[\w.+-]+@[\w.-]+|[a-z_]+|[\d\s+().-]+")  # dates, times, e-mails, choices, numbers


def _mark(raw) -> dict[int, str]:
    """A numbered marker appended to every free text answer: {number: the answer's path}."""
    used = {}

    def walk(node, path):
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            where = f"{path}.{key}" if path else str(key)
            if isinstance(value, (dict, list)):
                walk(value, where)
            elif isinstance(value, str) and value and not SKIP.fullmatch(value) and key not in NOT_FREE_TEXT:
                n = len(used)
                node[key] = f"{value} {MARKER.format(n=n)}"
                used[n] = where

    walk(raw, "")
    return used


# Answers that no document prints (they are only used to decide): the example's fifth
# family member is not eligible, so no document gives her address; the protected person's
# other names are asked for the eligibility checks, not printed.
NOT_PRINTED = {"reunification": {"members.4.address_of_residence", "protected_person.other_names.0"}}


# Text answers that are codes or names looked up in the rule data, not free text: a marker
# would make them unknown (and the answers file refused), so they keep their value; the period
# printed on the decision ("un mois") is read as a number and a unit.
NOT_FREE_TEXT = {"stated_period", "ofpra_file_number", "agdref_number", "number", "postal_code", "bar", "country", "department", "country_of_residence", "consulate", "language", "nationality", "association", "place_of_birth"}


@pytest.mark.parametrize("procedure", sorted(available()))
def test_every_text_answer_reaches_the_documents_through_the_layer(procedure):
    raw = yaml.safe_load(pinned_example_text(procedure))
    marked = copy.deepcopy(raw)
    used = _mark(marked)
    assert used
    files = build(procedure, "fr", marked)
    texts = []
    for name, data in files.items():
        if name.endswith(".docx"):
            texts += [line for member in parts(data) for line in paragraphs(data, member)]
        elif name.endswith(".eml"):
            texts += email_body(data).splitlines()
        elif name.endswith(".pdf"):
            texts += list(form_values(data).values())
    everything = "\n".join(texts).lower()  # family names are printed in capitals
    assert "marq'ueur" not in everything  # never the raw form: every marker went through the layer
    missing = [path for n, path in used.items() if plain(MARKER.format(n=n)).lower() not in everything]
    assert sorted(missing) == sorted(NOT_PRINTED.get(procedure, ()))


# ------------------------------------------------------------------ the PDF, as printed


def test_no_line_of_a_printed_french_document_breaks_at_a_protected_place(tmp_path):
    """Every French DOCX converted by LibreOffice (one call): no printed line starts with
    ; : ! ? » or ends with «, and no decision or file number is cut at its hyphen. The PDF's
    text shows a no-break space as a space, so it is the line breaks that are checked."""
    import subprocess

    from docassemble_asylum.render.pdf_convert import convert
    from tests.conftest import require_tool

    require_tool("soffice")
    pdftotext = require_tool("pdftotext")
    folder = tmp_path / "docx"
    folder.mkdir()
    numbers = set()
    for procedure in sorted(available()):
        for name, data in build(procedure, "fr").items():
            if name.endswith(".docx"):
                (folder / f"{procedure}-{name}").write_bytes(data)
                for member in parts(data):
                    for line in paragraphs(data, member):
                        numbers.update(re.findall(r"\b\d+(?:-\d+)+\b", line))
    pdfs = convert(sorted(folder.glob("*.docx")), tmp_path / "pdf")
    assert len(pdfs) == len(list(folder.glob("*.docx")))
    faults = []
    for pdf in pdfs:
        text = subprocess.run([pdftotext, "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        for line in text.splitlines():
            stripped = line.strip()
            if re.match(r"[;:!?»]", stripped) or stripped.endswith("«"):
                faults.append((pdf.name, stripped))
            for number in numbers:
                head = number.split("-")[0]
                if stripped.endswith(f"{head}-") and not stripped.endswith(number):
                    faults.append((pdf.name, stripped))
    assert numbers and faults == []
