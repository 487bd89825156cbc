"""Which files each procedure's CLI build writes, and the context each DOCX gets.

Read by the generator (``tools/make_docassemble.py``: one attachment per document) and
by the glue (the attachment's ``code:``). No docassemble import here, so the generator
runs without docassemble.

The contexts are computed by the procedures' own functions (``render_context``,
``summary``…), exactly as their ``render()`` does for the command line. The docassemble
tests (``tests/docassemble/test_da_walk.py``) assert that docassemble assembles every one
of these documents to the same text as the CLI, and that the set of DOCX files equals
the CLI's: a change in a procedure's ``render()`` that is not mirrored here fails there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from docassemble_asylum.i18n import N_, gettext


@dataclass(frozen=True)
class Document:
    filename: str  # as the CLI names it
    template: str  # under data/templates (the repository's templates/)
    title_msgid: str  # translated when shown (the CLI's description of the file)
    # (validated answers, today) -> the CLI's context (DOCX), or field name -> value (PDF form)
    context: Callable[[Any, dt.date], dict]
    kind: str = "docx"  # or "pdf": a form filled by docassemble (pdf template file) with the CLI's values
    when: Callable[[Any, dt.date], bool] | None = None  # the CLI writes it only in some cases

    @property
    def stem(self) -> str:
        return self.filename.rsplit(".", 1)[0]

    def title(self) -> str:
        return gettext(self.title_msgid)


def _cnda_letter(answers, today):
    from docassemble_asylum.procedures import cnda_appeal

    return cnda_appeal.render_context(answers)


def _cnda_summary(answers, today):
    from docassemble_asylum.procedures import cnda_appeal

    context = cnda_appeal.render_context(answers)
    deadline = cnda_appeal.compute_deadline(answers, today)
    return cnda_appeal.summary(answers, deadline, context).as_context()


def _reexamination_letter(answers, today):
    from docassemble_asylum.procedures import reexamination

    return reexamination.render_context(answers)


def _reexamination_summary(answers, today):
    from docassemble_asylum.procedures import reexamination

    context = reexamination.render_context(answers)
    deadline = reexamination.compute_deadline(answers, today)
    return reexamination.summary(answers, deadline, context).as_context()


def _notice_letter(answers, today):
    from docassemble_asylum.procedures import interview_notice

    deadline = interview_notice.compute_deadline(answers, today)
    return interview_notice.render_context(answers, today, interview_notice.is_late(deadline))


def _notice_summary(answers, today):
    from docassemble_asylum.procedures import interview_notice

    return interview_notice.summary(answers, interview_notice.compute_deadline(answers, today)).as_context()


def _reunification(answers, today):
    from docassemble_asylum.procedures import reunification

    return reunification, reunification.evaluate(answers, today)


def _reunification_any(answers, today) -> bool:
    _module, verdicts = _reunification(answers, today)
    return any(v.included for v in verdicts)


def _reunification_form(answers, today):
    """The values of the family-situation form as the CLI fills it (same fill code).

    Read back from the CLI's filled form, so that docassemble writes exactly what the CLI
    shows in each box: text wrapped by the CLI's filler, "see the addendum" pointers.
    """
    module, verdicts = _reunification(answers, today)
    filled, _latin = module.fill_form(answers, verdicts)
    return form_values(filled.data)


def form_values(data: bytes) -> dict[str, Any]:
    """Field name -> text, True/False for a checkbox, the chosen option for a radio group."""
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


def _reunification_letter(answers, today):
    module, verdicts = _reunification(answers, today)
    return module.letter_context(answers, verdicts, today)


def _reunification_sheet(name):
    def context(answers, today):
        from docassemble_asylum.procedures import reunification_packet as packet

        _module, verdicts = _reunification(answers, today)
        return getattr(packet, name)(answers, verdicts, today).as_context()

    return context


def _reunification_summary(answers, today):
    """As reunification_packet.documents() builds it: the listing of the packet's files."""
    from docassemble_asylum.procedures import reunification_packet as packet

    module, verdicts = _reunification(answers, today)
    included = any(v.included for v in verdicts)
    latin: list[str] = []
    before: list[str] = []
    if included:
        _form, latin = module.fill_form(answers, verdicts)
        before = [module.FORM, module.LETTER]
    described = {
        module.FORM: gettext("the family-situation form (provisional model), filled"),
        module.LETTER: gettext("the cover letter to the Bureau des familles de réfugiés (French, to sign)"),
    }
    listing = [(name, described.get(name, "")) for name in before]
    if included:
        listing.append((packet.CHECKLISTS, gettext("the documents to gather, member by member")))
    listing.append((packet.TIMELINE, gettext("the steps and their dates")))
    listing.append((packet.REPORT, gettext("the eligibility of each member, with reasons and sources")))
    listing.append((packet.SUMMARY, gettext("this summary sheet")))
    return packet.summary(answers, verdicts, today, latin, listing).as_context()


def _summary(context: Callable[[Any, dt.date], dict]) -> Document:
    return Document("summary.docx", "letters/summary.docx", N_("Summary sheet (for you, not to send)"), context)


DOCUMENTS: dict[str, tuple[Document, ...]] = {
    "cnda-appeal": (
        Document("recours-cnda.docx", "letters/cnda_appeal.docx", N_("Appeal draft (French, to complete and sign)"), _cnda_letter),
        _summary(_cnda_summary),
    ),
    "reexamination": (
        Document(
            "demande-reexamen.docx",
            "letters/reexamination.docx",
            N_("Re-examination request to Ofpra (French, to sign)"),
            _reexamination_letter,
        ),
        _summary(_reexamination_summary),
    ),
    "reunification": (
        Document(
            "formulaire-situation-familiale.pdf",
            "forms/family_situation.pdf",
            N_("Family-situation form (provisional model), filled"),
            _reunification_form,
            kind="pdf",
            when=_reunification_any,
        ),
        Document(
            "lettre-bureau-des-familles.docx",
            "letters/reunification_cover_letter.docx",
            N_("Cover letter to the Bureau des familles de réfugiés (French, to sign)"),
            _reunification_letter,
            when=_reunification_any,
        ),
        Document(
            "pieces-a-reunir.docx",
            "letters/summary.docx",
            N_("the documents to gather, member by member"),
            _reunification_sheet("checklists"),
            when=_reunification_any,
        ),
        Document("calendrier.docx", "letters/summary.docx", N_("the steps and their dates"), _reunification_sheet("timeline")),
        Document(
            "eligibilite.docx",
            "letters/summary.docx",
            N_("the eligibility of each member, with reasons and sources"),
            _reunification_sheet("eligibility_report"),
        ),
        _summary(_reunification_summary),
    ),
    "interview-notice": (
        Document(
            "accompagnement-entretien-ofpra.docx",
            "letters/interview_notice.docx",
            N_("Notice to Ofpra (French letter, attached to the e-mail)"),
            _notice_letter,
        ),
        _summary(_notice_summary),
    ),
}


@dataclass(frozen=True)
class Email:
    """An e-mail the CLI writes as an .eml file: shown on the documents screen, to send from one's mailbox.

    (docassemble's raw attachments run their content through Mako, which would run any
    ``${ }`` a person typed; the .eml itself is therefore not offered.)
    """

    filename: str  # the CLI's .eml
    attachment: str  # the DOCX to attach
    fields: Callable[[Any, dt.date], dict]  # -> {"to", "subject", "body"}


def _notice_email(answers, today):
    from docassemble_asylum.procedures import interview_notice

    context = _notice_letter(answers, today)
    return {
        "to": answers.interview.convocation_email,
        "subject": context["email_subject"],
        "body": interview_notice.email_body(context),
    }


EMAILS: dict[str, tuple[Email, ...]] = {
    "interview-notice": (Email("accompagnement-entretien-ofpra.eml", "accompagnement-entretien-ofpra.docx", _notice_email),),
}


def emails(procedure: str) -> tuple[Email, ...]:
    return EMAILS.get(procedure, ())


def documents(procedure: str) -> tuple[Document, ...]:
    return DOCUMENTS.get(procedure, ())


def document(procedure: str, filename: str) -> Document:
    for found in documents(procedure):
        if found.filename == filename:
            return found
    raise LookupError(f"{procedure} has no document {filename}")
