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
import zipfile
from pathlib import Path
from typing import Any

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_CORE_TIME = "2000-01-01T00:00:00Z"


@functools.cache
def _template_bytes(path: Path) -> bytes:
    return path.read_bytes()


@functools.cache
def jinja_env():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from docassemble_asylum.render.filters import FILTERS

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    env.filters.update(FILTERS)
    return env


class TemplateError(RuntimeError):
    """A template does not match its context: a bug in the product, not in the answers."""


def render_docx(template: Path, context: dict[str, Any]) -> bytes:
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError as JinjaTemplateError

    doc = DocxTemplate(io.BytesIO(_template_bytes(Path(template))))
    try:
        doc.render(context, jinja_env=jinja_env(), autoescape=True)
    except JinjaTemplateError as exc:
        where = getattr(exc, "docx_context", None)
        raise TemplateError(f"{Path(template).name}: {exc}" + (f" near: {where}" if where else "")) from exc
    props = doc.docx.core_properties
    props.author = "asylumdocs"
    props.last_modified_by = "asylumdocs"
    props.revision = 1
    import datetime as dt

    fixed = dt.datetime(2000, 1, 1)
    props.created = fixed
    props.modified = fixed
    props.last_printed = fixed
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_zip(buffer.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """Same content, fixed timestamps and order: byte-identical output for identical input."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


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
