"""Small helpers to write docxtpl templates with python-docx, reproducibly.

Rules from ENGINEERING.md: one run per Jinja tag; ``{%p %}`` and ``{%tr %}`` tags alone in
their paragraph / table row; no ``%`` or ``}`` inside a ``{%p %}`` tag; no space in ``{% tr``.
"""

from __future__ import annotations

import datetime as dt

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FONT = "Liberation Serif"  # metric-compatible with Times New Roman; installed with LibreOffice


def new_document(font: str = FONT, size: int = 11):
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    style = doc.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rFonts")
    if fonts is not None:
        for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{attr}", font)
    style.paragraph_format.space_after = Pt(4)
    # The documents' language, which Word's proofing and LibreOffice's PDF (/Lang, read by
    # screen readers) take from here: French (python-docx's default says en-US). An English
    # summary sheet gets en-GB when it is rendered (render/docx.py DOCUMENT_LANGUAGE_TAGS).
    doc.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang")[0].set(f"{W}val", "fr-FR")
    for name in ("Title", "Heading 1", "Heading 2"):
        heading = doc.styles[name]
        heading.font.name = font
        heading.font.color.rgb = RGBColor(0, 0, 0)
    props = doc.core_properties
    fixed = dt.datetime(2000, 1, 1)
    props.author = props.last_modified_by = "asylumdocs"
    props.created = props.modified = props.last_printed = fixed
    props.revision = 1
    props.title = ""
    props.comments = ""
    return doc


def para(doc_or_cell, text: str = "", *, bold=False, italic=False, align=None, size=None, style=None, color=None, space_after=None):
    """A paragraph with one run (so a Jinja tag is never split across runs)."""
    paragraph = doc_or_cell.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        run.italic = italic
        if size:
            run.font.size = Pt(size)
        if color:
            run.font.color.rgb = RGBColor(*color)
    if align == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "justify":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if space_after is not None:
        paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def runs(doc_or_cell, *parts, align=None, style=None):
    """A paragraph of several runs: each part is text or (text, {"bold": True, ...})."""
    paragraph = doc_or_cell.add_paragraph(style=style)
    for part in parts:
        text, fmt = (part, {}) if isinstance(part, str) else part
        run = paragraph.add_run(text)
        run.bold = fmt.get("bold", False)
        run.italic = fmt.get("italic", False)
        run.underline = fmt.get("underline", False)
    if align == "justify":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    elif align == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def tag(doc_or_cell, statement: str):
    """A paragraph holding only a ``{%p ... %}`` tag: docxtpl removes the paragraph itself."""
    return doc_or_cell.add_paragraph(f"{{%p {statement} %}}")


def lines_block(doc, expression: str, *, align=None, bold_first: str | None = None):
    """An address as one paragraph per line: ``{% for line in <expression> %}``."""
    if bold_first:
        para(doc, f"{{{{ {bold_first} }}}}", bold=True, align=align, space_after=0)
    tag(doc, f"for line in {expression}")
    para(doc, "{{ line }}", align=align, space_after=0)
    tag(doc, "endfor")


def sender_block(doc, who: str, *extra_lines: str):
    """The sender at the top left: name in bold, address lines, file numbers, contact."""
    lines_block(doc, f"{who}.address_lines", bold_first=f"{who}.full_name")
    for line in extra_lines:
        para(doc, line, space_after=0)
    tag(doc, f"if {who}.contact")
    para(doc, f"{{{{ {who}.contact }}}}", space_after=0)
    tag(doc, "endif")
    para(doc, "")


def subject_block(doc):
    """The letter's ``subject`` after "Objet :", in bold, then after a blank line its ``salutation``."""
    para(doc, "Objet : {{ subject }}", bold=True)
    para(doc, "")
    para(doc, "{{ salutation }}")


def paragraphs_block(doc, expression: str):
    """Justified paragraphs, one per item of ``<expression>`` (a list of strings)."""
    tag(doc, f"for paragraph in {expression}")
    para(doc, "{{ paragraph }}", align="justify")
    tag(doc, "endfor")


def bullets_block(doc, expression: str):
    """A bulleted list, one item per item of ``<expression>`` (enclosures, requests)."""
    tag(doc, f"for item in {expression}")
    para(doc, "{{ item }}", style="List Bullet")
    tag(doc, "endfor")


def signature_block(doc, name: str = "signature.name", *, kept: bool = False):
    """After a blank line, at the right: "Fait à <place>, le <date>", the signatory's
    ``name`` (an expression) and the place to sign. ``kept``: the lines stay together on
    one page (a signature alone on a page can be detached from what it signs)."""
    lines = [
        para(doc, ""),
        para(doc, "Fait à {{ signature.place }}, le {{ signature.date }}", align="right"),
        para(doc, f"{{{{ {name} }}}}", align="right"),
    ]
    para(doc, "(signature)", italic=True, align="right", size=9)
    if kept:
        for line in lines:
            keep_with_next(line)


def heading(doc, text: str, level: int = 1):
    """A heading that stays with its first paragraph (a title never ends a page)."""
    paragraph = doc.add_heading(text, level=level)
    keep_with_next(paragraph)
    return paragraph


def keep_with_next(paragraph, together: bool = False):
    paragraph.paragraph_format.keep_with_next = True
    if together:
        paragraph.paragraph_format.keep_together = True
    return paragraph


def _field(paragraph, instruction: str, size):
    """A Word field (PAGE, NUMPAGES) as its three runs; "1" is shown until the reader updates it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("result", "1"), ("end", None)):
        run = paragraph.add_run()
        run.font.size = size
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
            run._r.append(element)
        elif kind == "result":
            run.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)


def footer_text(doc, text: str, page_label: str = "page"):
    """The footer: ``text``, then "page X / Y" (Word and LibreOffice fill the fields)."""
    footer = doc.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.text = text
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in paragraph.runs:
        run.font.size = Pt(8)
    numbers = footer.add_paragraph()
    numbers.alignment = WD_ALIGN_PARAGRAPH.CENTER
    label = numbers.add_run(f"{page_label} ")
    label.font.size = Pt(8)
    _field(numbers, "PAGE", Pt(8))
    numbers.add_run(" / ").font.size = Pt(8)
    _field(numbers, "NUMPAGES", Pt(8))
    return paragraph


def set_widths(table, widths_cm):
    """Column widths that Word AND LibreOffice respect: the grid and every cell."""
    from docx.oxml.ns import qn

    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def rows_never_split(table):
    """No row of ``table`` is cut across two pages (``w:cantSplit``): an exhibit's line in a
    bordereau, a fact of an identity table, is read whole. The row a ``{%tr for %}`` repeats
    carries it to every row docxtpl writes."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for row in table.rows:
        properties = row._tr.get_or_add_trPr()
        if properties.find(qn("w:cantSplit")) is None:
            properties.append(OxmlElement("w:cantSplit"))


def identity_table(doc):
    """The applicant's identity as the CNDA's letters give it (appeal, legal-aid request): one
    table, one row a fact, from the ``applicant`` of the context."""
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in (
        ("Nom", "{{ applicant.family_name }}"),
        ("Prénoms", "{{ applicant.given_names }}"),
        ("Autres noms ou graphies", "{{ applicant.other_names }}"),
        ("Date et lieu de naissance", "{{ applicant.birth }}"),
        ("Nationalité", "{{ applicant.nationality }}"),
        ("Adresse", "{{ applicant.address_inline }}"),
        ("N° de dossier Ofpra", "{{ applicant.ofpra_file_number }}"),
    ):
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].paragraphs[0].add_run(value)
    set_widths(table, (5.0, 11.6))
    rows_never_split(table)
    return table
