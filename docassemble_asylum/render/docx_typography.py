"""The French typographic layer applied to a rendered Word part (body, header, footer).

Runs after Jinja, on the XML tree, so that it sees the template's own words and the
user's answers together, as the reader will: a paragraph's text is read across its
runs, ``typography.analyse`` says what to change, and each run is rewritten with the
change that falls in it. What only Word can carry is done here: a hyphen that must not
break becomes ``<w:noBreakHyphen/>`` (copied as "-"), an ordinal's letters a run with
``<w:vertAlign w:val="superscript"/>``. Runs without a change are not touched.

Applied the same way by both renderers (``docx.render_with_docxtpl`` and
``docx_prepared``), so they still give the same bytes.
"""

from __future__ import annotations

import copy

from docassemble_asylum.render import typography

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_P, _R, _T, _RPR = (f"{{{W}}}{n}" for n in ("p", "r", "t", "rPr"))
_NO_BREAK_HYPHEN, _VERT_ALIGN = f"{{{W}}}noBreakHyphen", f"{{{W}}}vertAlign"
_SEPARATORS = {f"{{{W}}}{n}": "\n" for n in ("br", "cr", "fldChar", "instrText", "delText")}
_SEPARATORS[f"{{{W}}}tab"] = "\t"
_SEPARATORS[_NO_BREAK_HYPHEN] = "\u2011"  # already protected: a hyphen no rule changes
# rPr children that come after vertAlign in the schema's order (CT_RPr).
_AFTER_VERT_ALIGN = {f"{{{W}}}{n}" for n in ("rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")}


def french_pass(root) -> None:
    """Apply French typography to every paragraph under ``root`` (an lxml element)."""
    for paragraph in root.iter(_P):
        _paragraph(paragraph)


def _own_runs(paragraph):
    """The runs of the paragraph itself (not of a text box's paragraph inside it)."""
    for run in paragraph.iter(_R):
        parent = run.getparent()
        while parent is not None and parent.tag != _P:
            parent = parent.getparent()
        if parent is paragraph:
            yield run


def _paragraph(paragraph) -> None:
    pieces = []  # (run, child, text or None): text None for a separator
    chars: list[str] = []
    for run in _own_runs(paragraph):
        for child in run:
            if child.tag == _T:
                text = child.text or ""
                pieces.append((run, child, len(chars)))
                chars.extend(text)
            elif child.tag in _SEPARATORS:
                chars.append(_SEPARATORS[child.tag])
    text = "".join(chars)
    if not text.strip():
        return
    edits = typography.analyse(text)
    if not edits:
        return
    changed: dict = {}
    for run, child, start in pieces:
        end = start + len(child.text or "")
        if _touches(edits, start, end, last=(run, child) == pieces[-1][:2]):
            changed.setdefault(run, []).append((child, start, end))
    for run, children in changed.items():
        _rewrite_run(run, dict((id(c), (s, e)) for c, s, e in children), edits, len(text))


def _touches(edits: typography.Edits, start: int, end: int, last: bool) -> bool:
    stop = end + 1 if last else end  # an insertion at the very end belongs to the last text
    return (
        any(start <= i < end for i in edits.replace)
        or any(start <= i < stop for i in edits.insert)
        or any(start <= i < end for i in edits.no_break_hyphens)
        or any(start <= i < end for i in edits.superscript)
    )


def _rewrite_run(run, spans: dict, edits: typography.Edits, total: int) -> None:
    """Replace ``run`` by runs holding the edited text: same properties, plus a
    superscript run for ordinals and ``w:noBreakHyphen`` for protected hyphens."""
    rpr = run.find(_RPR)
    pieces: list[tuple[bool, object]] = []  # (superscript, kept element | text | None for a hyphen)
    for child in list(run):
        if child is rpr:
            continue
        span = spans.get(id(child))
        if span is None:
            pieces.append((False, child))
            continue
        start, end = span
        current: list[str] = []
        state = {"sup": False}

        def flush():
            if current:
                pieces.append((state["sup"], "".join(current)))
                current.clear()

        def switch(sup: bool):
            if sup != state["sup"]:
                flush()
                state["sup"] = sup

        for offset, char in enumerate(child.text or ""):
            i = start + offset
            if edits.insert.get(i):
                switch(False)
                current.append(edits.insert[i])
            switch(i in edits.superscript)
            if i in edits.no_break_hyphens:
                flush()
                pieces.append((state["sup"], None))
            else:
                current.append(edits.replace.get(i, char))
        if end == total and edits.insert.get(total):
            switch(False)
            current.append(edits.insert[total])
        flush()
        run.remove(child)
    if not any(sup for sup, _ in pieces):
        for child in list(run):
            if child is not rpr:
                run.remove(child)
        _fill(run, [piece for _sup, piece in pieces])
        return
    parent = run.getparent()
    position = parent.index(run)
    groups: list[tuple[bool, list]] = []
    for sup, piece in pieces:
        if groups and groups[-1][0] == sup:
            groups[-1][1].append(piece)
        else:
            groups.append((sup, [piece]))
    for offset, (sup, group) in enumerate(groups):
        new_run = etree_subelement(parent, _R)
        for name, value in run.attrib.items():
            new_run.set(name, value)
        if rpr is not None:
            new_run.append(copy.deepcopy(rpr))
        if sup:
            properties = new_run.find(_RPR)
            if properties is None:
                properties = etree_subelement(new_run, _RPR)
            _set_superscript(properties)
        _fill(new_run, group)
        parent.insert(position + offset, new_run)
    parent.remove(run)


def _fill(run, pieces: list) -> None:
    for piece in pieces:
        if piece is None:
            etree_subelement(run, _NO_BREAK_HYPHEN)
        elif isinstance(piece, str):
            element = etree_subelement(run, _T)
            element.text = piece
            if piece[:1] == " " or piece[-1:] == " ":  # U+00A0 needs no preserve
                element.set(XML_SPACE, "preserve")
        else:
            run.append(piece)


def _set_superscript(properties) -> None:
    for old in properties.findall(_VERT_ALIGN):
        properties.remove(old)
    mark = etree_subelement(properties, _VERT_ALIGN)
    mark.set(f"{{{W}}}val", "superscript")
    for index, child in enumerate(properties):
        if child.tag in _AFTER_VERT_ALIGN:
            properties.insert(index, mark)  # moves it before: the schema's order
            return


def etree_subelement(parent, tag: str):
    """A new element in ``parent``'s tree (it reuses the tree's ``w:`` prefix)."""
    from lxml import etree

    return etree.SubElement(parent, tag)
