"""What a procedure produces, declared once as data: its documents and its e-mails.

A procedure lists its outputs in order (``Procedure.outputs``). Each says its file name,
its template, its title for the user (a message id), the function that makes what the
template shows from the validated answers and the day, and, when it is not always
written, the condition. Everything that produces files reads this one declaration:

- the command line and batches (``Procedure.render`` -> ``render_outputs`` below);
- the docassemble generator (``tools/make_docassemble.py``: one attachment per document)
  and its glue (``docassemble/asylum/glue.py``: the attachment's context).

Three kinds of document:

- ``letter``: a DOCX template of ``templates/letters/`` (French, to the authorities);
  its context is a dict of plain values;
- ``sheet``: the shared sheet template (``SHEET_TEMPLATE``) laid out from a ``Summary``
  in the user's language; its context is ``Summary.as_context()``;
- ``form``: a fillable PDF of ``templates/forms/``; its context is the keyword arguments
  of ``render.pdf_form.fill`` (``values``, and optionally ``sections``, ``labels``,
  ``addendum_title``).

An e-mail (``Email``) is written as an ``.eml`` with one of the documents attached.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docassemble_asylum.i18n import N_, gettext

if TYPE_CHECKING:
    from docassemble_asylum.output import OutputFile

LETTER = "letter"
SHEET = "sheet"
FORM = "form"
_FOLDERS = {LETTER: "letters", SHEET: "letters", FORM: "forms"}

# The shared sheet template (tools/templates/summary.py) and the summary sheet every
# procedure ends with.
SHEET_TEMPLATE = "summary.docx"
SUMMARY = "summary.docx"

Condition = Callable[[Any, dt.date], bool]


def template_path(kind: str, template: str) -> str:
    return f"{_FOLDERS[kind]}/{template}"


@dataclass(frozen=True)
class Document:
    filename: str  # as it is written in the case folder
    template: str  # its file name in templates/letters/ (letter, sheet) or templates/forms/ (form)
    title: str  # message id, translated when shown (the file's description)
    # (validated answers, today) -> what the template shows (see the module's docstring)
    context: Callable[[Any, dt.date], Any]
    kind: str = LETTER
    # (validated answers, today) -> whether it is written; None: always. Documents written
    # in the same cases share one function (docassemble makes one screen per combination).
    when: Condition | None = None

    @property
    def template_path(self) -> str:
        """The template under ``templates/`` (a docassemble package's ``data/templates``)."""
        return template_path(self.kind, self.template)

    @property
    def format(self) -> str:
        return "pdf" if self.kind == FORM else "docx"

    @property
    def stem(self) -> str:
        return self.filename.rsplit(".", 1)[0]


@dataclass(frozen=True)
class Email:
    """An ``.eml`` ready to open in a mail program and send, one document attached."""

    filename: str
    attachment: str  # the file name of a document declared before it
    title: str  # message id
    # (validated answers, today) -> {"to", "subject", "body"} and optionally "to_name", "sender"
    fields: Callable[[Any, dt.date], dict]
    when: Condition | None = None


Output = Document | Email


def letter(filename: str, template: str, title: str, context, when: Condition | None = None) -> Document:
    return Document(filename, template, title, context, LETTER, when)


def form(filename: str, template: str, title: str, context, when: Condition | None = None) -> Document:
    return Document(filename, template, title, context, FORM, when)


def sheet(filename: str, title: str, context, when: Condition | None = None) -> Document:
    return Document(filename, SHEET_TEMPLATE, title, context, SHEET, when)


def summary_sheet(context) -> Document:
    """The summary sheet for the user: what to do, by when, on what authority."""
    return sheet(SUMMARY, N_("Summary sheet (for you, not to send)"), context)


def deadline_summary_sheet(summary: Callable[[Any, Any], Any], deadline: Callable[[Any, dt.date], Any]) -> Document:
    """The summary sheet of a procedure whose sheet is drawn from its answers and its deadline
    alone: ``summary(answers, deadline(answers, today))`` (a ``Summary``), as its context."""
    return summary_sheet(functools.partial(_deadline_summary_context, summary, deadline))


def _deadline_summary_context(summary, deadline, answers: Any, today: dt.date) -> dict:
    return summary(answers, deadline(answers, today)).as_context()


# --- rendering -------------------------------------------------------------------------------


def applies(output: Output, answers: Any, today: dt.date) -> bool:
    return output.when is None or bool(output.when(answers, today))


def _form_template(path: str) -> bytes:
    """Read for each document (150 kB): the form prepared from it is kept per process by the
    hash of these bytes (render/pdf_form_prepared.py), so a form file replaced while a
    process runs is the one filled."""
    from docassemble_asylum.resources import templates_dir

    return (templates_dir() / path).read_bytes()


def render_document(document: Document, answers: Any, today: dt.date, *, flatten: bool = False) -> bytes:
    """The bytes of one document, as the command line writes it."""
    context = document.context(answers, today)
    if document.kind == FORM:
        from docassemble_asylum.render.pdf_form import fill

        return fill(_form_template(document.template_path), **context, flatten=flatten).data
    from docassemble_asylum.render.docx import render_docx
    from docassemble_asylum.resources import templates_dir

    return render_docx(templates_dir() / document.template_path, context)


def render_email(email: Email, answers: Any, today: dt.date, attachment: bytes, files=(), *, pdf: bool = False) -> bytes:
    """The ``.eml``: its document (the DOCX, or with ``pdf`` its PDF) then the user's ``files``
    (``attachments.LoadedFile``: the convocation, a certificate), each with its MIME type."""
    from docassemble_asylum.email_message import PDF_TYPE, Attachment, build_eml

    if pdf:
        first = Attachment(pdf_name(email.attachment), attachment, *PDF_TYPE)
    else:
        first = Attachment(email.attachment, attachment)
    extra = [Attachment(f.name, f.data, f.maintype, f.subtype) for f in files]
    return build_eml(**email.fields(answers, today), day=today, attachments=[first, *extra])


def pdf_name(filename: str) -> str:
    """The PDF that ``--pdf`` writes next to a DOCX (``render.pdf_convert.add_pdfs``)."""
    return filename.rsplit(".", 1)[0] + ".pdf"


def render_outputs(
    outputs: tuple[Output, ...], answers: Any, today: dt.date, *, flatten: bool = False, attachments=()
) -> list[OutputFile]:
    """The files the declaration gives for these answers, in its order (manifest excluded)."""
    from docassemble_asylum.output import OutputFile

    files: list[OutputFile] = []
    for output in outputs:
        if not applies(output, answers, today):
            continue
        if isinstance(output, Email):
            attached = next(f.data for f in files if f.name == output.attachment)
            data = render_email(output, answers, today, attached, attachments)
        else:
            data = render_document(output, answers, today, flatten=flatten)
        files.append(OutputFile(output.filename, data, gettext(output.title)))
    return files


def attach_pdfs(outputs: tuple[Output, ...], answers: Any, today: dt.date, files: list[OutputFile], attachments=()) -> list[OutputFile]:
    """After ``--pdf``: each e-mail whose document has a PDF attaches the PDF instead of the
    DOCX (what Ofpra should receive is the letter as signed, not an editable file)."""
    from docassemble_asylum.output import OutputFile

    by_name = {f.name: f for f in files}
    replaced: dict[str, OutputFile] = {}
    for output in outputs:
        if isinstance(output, Email) and output.filename in by_name and pdf_name(output.attachment) in by_name:
            data = render_email(output, answers, today, by_name[pdf_name(output.attachment)].data, attachments, pdf=True)
            replaced[output.filename] = OutputFile(output.filename, data, by_name[output.filename].description)
    return [replaced.get(f.name, f) for f in files]


def filled_values(data: bytes) -> dict[str, Any]:
    """A filled PDF form's values: field name -> text, True/False for a checkbox, the chosen
    option for a radio group (what docassemble fills its copy of the form with, so that it
    shows in each box what the command line shows: wrapped text, "see the addendum")."""
    import io

    from pypdf import PdfReader

    values: dict[str, Any] = {}
    for name, found in (PdfReader(io.BytesIO(data)).get_fields() or {}).items():
        kind, value = found.get("/FT"), found.get("/V")
        if kind is None or value is None:
            continue
        if kind == "/Btn":
            state = str(value).lstrip("/")
            radio = int(found.get("/Ff", 0)) & (1 << 15)
            values[name] = (state if state != "Off" else None) if radio else state != "Off"
        else:
            values[name] = str(value)
    return values
