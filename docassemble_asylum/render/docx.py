"""DOCX rendering with docxtpl, following the measured traps of ENGINEERING.md.

- Sandboxed Jinja: a template cannot reach Python internals.
- StrictUndefined: a missing field is an error, never a blank in a legal letter.
- autoescape: ``&`` and ``<`` in a value are kept (docxtpl drops them otherwise).
- Values are cleaned when answers are validated (models/common.py), never re-templated.
- Reproducible bytes: fixed ZIP timestamps and document metadata, so the same answers
  give the same file and a lawyer can diff two drafts.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
from pathlib import Path
from typing import Any


@functools.cache
def _template_bytes(path: Path) -> bytes:
    return path.read_bytes()


@functools.cache
def jinja_env():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from docassemble_asylum.render.filters import FILTERS

    class CompiledOnce(ImmutableSandboxedEnvironment):
        """docxtpl compiles each part's XML on every render; the XML of a template never
        changes, so its compiled form is kept (a compiled template renders any context)."""

        _compiled: dict = {}

        def from_string(self, source, globals=None, template_class=None):
            if globals is not None or template_class is not None or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            template = self._compiled.get(source)
            if template is None:
                if len(self._compiled) > 256:
                    self._compiled.clear()
                template = self._compiled[source] = super().from_string(source)
            return template

    env = CompiledOnce(undefined=StrictUndefined, autoescape=True, finalize=keep_underscores)
    env.filters.update(FILTERS)
    return env


def keep_underscores(value: Any) -> Any:
    """A value's text as typed, even with ``{_{``, ``}_}``, ``{_%`` or ``%_}`` in it.

    docxtpl lets a template show a literal ``{{`` by writing ``{_{``, and turns every
    ``{_{`` of the RENDERED XML into ``{{`` (``}_}``, ``{_%``, ``%_}`` likewise): after the
    values are in, so a value's ``{_{`` was changed too. Each ``_`` of a value is written
    as the character reference ``&#95;``: the same character for every XML reader, but not
    the text docxtpl's replacement looks for. (Nothing is re-templated either way: the
    result is XML, never Jinja again.) Applied by Jinja to every ``{{ … }}`` output, after
    the filters and before the autoescape, which leaves the returned Markup alone.
    """
    from markupsafe import Markup, escape

    if value is None or isinstance(value, Markup):
        return value
    text = value if isinstance(value, str) else str(value)
    if "_" not in text:
        return value
    return Markup(str(escape(text)).replace("_", "&#95;"))


class TemplateError(RuntimeError):
    """A template does not match its context: a bug in the product, not in the answers."""


def _fixed_properties(props) -> None:
    """Document metadata that does not change with the day or the machine (reproducible bytes)."""
    import datetime as dt

    props.author = "asylumdocs"
    props.last_modified_by = "asylumdocs"
    props.revision = 1
    fixed = dt.datetime(2000, 1, 1)
    props.created = fixed
    props.modified = fixed
    props.last_printed = fixed


@functools.lru_cache(maxsize=32)
def _prepared(template: Path):
    """The template prepared once per process (docx_prepared.py), or None when it uses a
    docxtpl feature that module does not reproduce."""
    from jinja2 import TemplateError as JinjaTemplateError

    from docassemble_asylum.render.docx_prepared import NotSupported, PreparedTemplate

    try:
        return PreparedTemplate(_template_bytes(template), jinja_env(), _fixed_properties)
    except NotSupported:
        return None
    except JinjaTemplateError as exc:
        raise TemplateError(f"{template.name}: {exc}") from exc


LANGUAGE_KEY = "document_language"
"""The context key naming a document's language ("fr" when absent: the letters are French).
A French document goes through the typographic layer (docx_typography.py); another is left
as written (the English summary sheet)."""


DOCUMENT_LANGUAGE_TAGS = {"fr": "fr-FR", "en": "en-GB"}
"""The language a DOCX declares (its default run properties' ``w:lang``), from which Word
proofs it and LibreOffice writes the PDF's ``/Lang``. The templates say fr-FR
(tools/templates/docx_kit.py); a document in another language is given its own here."""

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def declare_language(styles, context: dict[str, Any]) -> bool:
    """Set the document language of a ``word/styles.xml`` tree to that of ``context``;
    True when it changed (a French document keeps the template's fr-FR)."""
    tag = DOCUMENT_LANGUAGE_TAGS.get(context.get(LANGUAGE_KEY, "fr"), DOCUMENT_LANGUAGE_TAGS["fr"])
    found = styles.findall(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}lang")
    if not found or found[0].get(f"{_W}val") == tag:
        return False
    found[0].set(f"{_W}val", tag)
    return True


def _finishing_pass(context: dict[str, Any]):
    """What is done to each rendered part: the French typographic layer for a French
    document, then, for every document, the highlight of its placeholders
    (``docx_highlight.py``: a part left "[À compléter]" is seen, on screen and in the PDF)."""
    from docassemble_asylum.render.docx_highlight import highlight_placeholders

    if context.get(LANGUAGE_KEY, "fr") != "fr":
        return highlight_placeholders
    return _french_then_highlight


def _french_then_highlight(root) -> None:
    from docassemble_asylum.render.docx_highlight import highlight_placeholders
    from docassemble_asylum.render.docx_typography import french_pass

    french_pass(root)
    highlight_placeholders(root)


def render_docx(template: Path, context: dict[str, Any]) -> bytes:
    """The DOCX of ``template`` for ``context``: the bytes ``render_with_docxtpl`` gives,
    without redoing for each document the work that depends only on the template."""
    from jinja2 import TemplateError as JinjaTemplateError

    template = Path(template)
    prepared = _prepared(template)
    if prepared is None:
        return render_with_docxtpl(template, context)
    try:
        data = prepared.render(context, _finishing_pass(context), lambda styles: declare_language(styles, context))
    except JinjaTemplateError as exc:
        raise _template_error(template, exc) from exc
    return normalise_zip(data)


def typeset_rendered(doc, context) -> None:
    """The finishing pass over a DocxTemplate that docxtpl has just rendered (body, headers,
    footers): French typography for a French document, and the placeholders' highlight for
    every document. What ``render_with_docxtpl`` does, and what the docassemble glue does
    after docassemble's own rendering, so that both give the same document."""
    finish = _finishing_pass(context)
    from docassemble_asylum.render.docx_prepared import FOOTER_URI, HEADER_URI

    declare_language(doc.docx.styles.element, context)

    finish(doc.docx.element.body)
    for rel in doc.docx.part.rels.values():
        if rel.reltype in (HEADER_URI, FOOTER_URI):
            finish(rel.target_part._element)


def render_with_docxtpl(template: Path, context: dict[str, Any]) -> bytes:
    """docxtpl's own render and save: the reference ``render_docx`` is checked against,
    and the path for a template using what docx_prepared.py does not reproduce."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError as JinjaTemplateError

    doc = DocxTemplate(io.BytesIO(_template_bytes(Path(template))))
    try:
        doc.render(context, jinja_env=jinja_env(), autoescape=True)
    except JinjaTemplateError as exc:
        raise _template_error(Path(template), exc) from exc
    typeset_rendered(doc, context)
    _fixed_properties(doc.docx.core_properties)
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_zip(buffer.getvalue())


def _template_error(template: Path, exc: Exception) -> TemplateError:
    where = getattr(exc, "docx_context", None)
    return TemplateError(f"{template.name}: {exc}" + (f" near: {' '.join(where)}" if where else ""))


FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # FIXED_ZIP_TIME in the ZIP format


def normalise_zip(data: bytes) -> bytes:
    """Same bytes but every ZIP timestamp set to 1980-01-01: identical input, identical file.

    The timestamps are patched in place (local headers and central directory) rather than
    by rewriting the archive: recompressing every part cost as much as the rendering.
    """
    buffer = bytearray(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    for info in archive.infolist():
        offset = info.header_offset
        if buffer[offset : offset + 4] != b"PK\x03\x04":
            raise ValueError("unexpected ZIP layout (local header)")
        struct.pack_into("<HH", buffer, offset + 10, _DOS_TIME, _DOS_DATE)
    end = data.rfind(b"PK\x05\x06")
    size, start = struct.unpack_from("<II", data, end + 12)
    position = start
    while position < start + size:
        if buffer[position : position + 4] != b"PK\x01\x02":
            raise ValueError("unexpected ZIP layout (central directory)")
        struct.pack_into("<HH", buffer, position + 12, _DOS_TIME, _DOS_DATE)
        name, extra, comment = struct.unpack_from("<HHH", buffer, position + 28)
        position += 46 + name + extra + comment
    return bytes(buffer)


def docx_text(data: bytes) -> str:
    """All paragraph text of a DOCX (body, tables, headers, footers), one paragraph a line.

    Used by tests and by the docassemble comparison: what a reader sees, not the XML.
    """
    from docx import Document

    document = Document(io.BytesIO(data))
    lines: list[str] = []

    def walk(container):
        for block in container.iter_inner_content():
            if hasattr(block, "rows"):
                for row in block.rows:
                    seen = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        walk(cell)
            else:
                lines.append(block.text)

    for section in document.sections:
        walk(section.header)
    walk(document)
    for section in document.sections:
        walk(section.footer)
    return "\n".join(lines)
