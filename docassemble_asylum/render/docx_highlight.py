"""Placeholders made visible: a yellow Word highlight on every "[À compléter…]" of a rendered part.

Runs after Jinja (and after the French typographic layer, ``docx_typography.py``), on
the XML tree of every rendered part of every document, whatever its language: the text
of a paragraph is read across its runs, as the reader sees it, so a placeholder split
between a template's words and an answer is found too. Each run inside a placeholder
gets ``<w:highlight w:val="yellow"/>``; a run only partly inside is split at the
placeholder's edges (same properties). Word shows the highlight on screen, and
LibreOffice keeps it in the PDF. Runs without a placeholder are not touched.
"""

from __future__ import annotations

import copy

from docassemble_asylum.render.docx_typography import W, XML_SPACE, _SEPARATORS, _own_runs, etree_subelement
from docassemble_asylum.render.placeholders import placeholder_spans

_P, _R, _T, _RPR = (f"{{{W}}}{n}" for n in ("p", "r", "t", "rPr"))
_HIGHLIGHT = f"{{{W}}}highlight"
COLOUR = "yellow"
# rPr children that come after highlight in the schema's order (CT_RPr).
_AFTER_HIGHLIGHT = {
    f"{{{W}}}{n}"
    for n in ("u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange")
}


def highlight_placeholders(root) -> None:
    """Highlight every placeholder in the paragraphs under ``root`` (an lxml element)."""
    for paragraph in root.iter(_P):
        _paragraph(paragraph)


def _paragraph(paragraph) -> None:
    layout = []  # (run, [(child, start, text or None)])
    chars: list[str] = []
    for run in _own_runs(paragraph):
        children = []
        for child in run:
            if child.tag == _RPR:
                continue
            if child.tag == _T:
                text = child.text or ""
                children.append((child, len(chars), text))
            else:
                text = _SEPARATORS.get(child.tag, "")
                children.append((child, len(chars), None))
            chars.extend(text)
        layout.append((run, children))
    spans = placeholder_spans("".join(chars))
    if not spans:
        return
    for run, children in layout:
        _mark_run(run, children, spans)


def _inside(spans: list[tuple[int, int]], index: int) -> bool:
    return any(start <= index < end for start, end in spans)


def _mark_run(run, children, spans) -> None:
    pieces: list[tuple[bool, object]] = []  # (highlighted, kept element or text)
    for child, start, text in children:
        if text is None:
            pieces.append((_inside(spans, start), child))
            continue
        for offset, char in enumerate(text):
            marked = _inside(spans, start + offset)
            if pieces and pieces[-1][0] == marked and isinstance(pieces[-1][1], str):
                pieces[-1] = (marked, pieces[-1][1] + char)
            else:
                pieces.append((marked, char))
    if not any(marked for marked, _ in pieces):
        return
    if all(marked for marked, _ in pieces):
        _set_highlight(_properties(run))
        return
    groups: list[tuple[bool, list]] = []
    for marked, piece in pieces:
        if groups and groups[-1][0] == marked:
            groups[-1][1].append(piece)
        else:
            groups.append((marked, [piece]))
    parent = run.getparent()
    position = parent.index(run)
    rpr = run.find(_RPR)
    for offset, (marked, group) in enumerate(groups):
        new_run = etree_subelement(parent, _R)
        for name, value in run.attrib.items():
            new_run.set(name, value)
        if rpr is not None:
            new_run.append(copy.deepcopy(rpr))
        if marked:
            _set_highlight(_properties(new_run))
        for piece in group:
            if isinstance(piece, str):
                element = etree_subelement(new_run, _T)
                element.text = piece
                if piece[:1] == " " or piece[-1:] == " ":
                    element.set(XML_SPACE, "preserve")
            else:
                new_run.append(piece)
        parent.insert(position + offset, new_run)
    parent.remove(run)


def _properties(run):
    properties = run.find(_RPR)
    if properties is None:
        properties = etree_subelement(run, _RPR)
        run.insert(0, properties)
    return properties


def _set_highlight(properties) -> None:
    for old in properties.findall(_HIGHLIGHT):
        properties.remove(old)
    mark = etree_subelement(properties, _HIGHLIGHT)
    mark.set(f"{{{W}}}val", COLOUR)
    for index, child in enumerate(properties):
        if child.tag in _AFTER_HIGHLIGHT:
            properties.insert(index, mark)  # moves it before: the schema's order
            return


def highlighted_texts(root) -> list[str]:
    """The text of each highlighted run under ``root``, in order (what tests and checks read)."""
    found = []
    for run in root.iter(_R):
        properties = run.find(_RPR)
        if properties is not None and properties.find(_HIGHLIGHT) is not None:
            found.append("".join(t.text or "" for t in run.iter(_T)))
    return found


def highlighted_in_docx(data: bytes) -> list[str]:
    """The highlighted texts of a DOCX's body, in order (the CLI's and docassemble's are compared)."""
    import io
    import zipfile

    from lxml import etree

    return highlighted_texts(etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")))
