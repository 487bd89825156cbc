"""Each procedure's declaration of its outputs is what the command line writes and what docassemble reads.

The command line (``Procedure.render``) and the docassemble glue (``asylum_document_context``,
``asylum_document_applies``, ``asylum_emails``) read one declaration (``Procedure.outputs``).
For every procedure's example, and the cases where some documents are not written:

- a build writes the declared outputs whose condition holds, in the declared order, each
  with its declared title, then the manifest, which lists them;
- each DOCX is its declared template rendered with its declared context: the context the
  glue hands docassemble for the same answers;
- a PDF form's values read back from the command line's form are those the glue hands
  docassemble (docassemble fills its copy with them);
- each e-mail attaches its declared document, to the declared address and subject;
- the reunification summary sheet lists exactly the files written (its listing is written
  by hand in ``reunification.summary_context``).

``tests/docassemble/test_da_walk.py`` then checks, with docassemble itself, that the
documents it assembles have the text of the command line's.
"""

from __future__ import annotations

import copy
import datetime as dt
import email
import functools
import json
from email import policy

import pytest

from docassemble_asylum import yamlio
from docassemble_asylum.email_message import typeset
from docassemble_asylum.i18n import gettext, language
from docassemble_asylum.procedures import available, get
from docassemble_asylum.procedures.base import BuildOptions
from docassemble_asylum.procedures.outputs import FORM, Email, applies, filled_values, render_document
from docassemble_asylum.render.docx import docx_text, render_docx
from docassemble_asylum.resources import templates_dir

from pinned_examples import pinned_example_text

TODAY = {
    "cnda-appeal": dt.date(2026, 4, 28),
    "cnda-legal-aid": dt.date(2026, 3, 5),
    "reexamination": dt.date(2026, 3, 5),
    "interview-notice": dt.date(2026, 4, 1),
    "interview-absence": dt.date(2026, 4, 8),
    "reunification": dt.date(2026, 11, 23),
    "visa-appeal": dt.date(2026, 12, 4),
    "bureau-letter": dt.date(2026, 12, 4),
    "visa-tribunal": dt.date(2026, 12, 4),
}


def example(name: str) -> dict:
    return yamlio.loads(pinned_example_text(name))


def nobody_can_join() -> dict:
    """The reunification example with only the mother, who cannot come through reunification."""
    raw = example("reunification")
    raw["members"] = [m for m in raw["members"] if m["relationship"] == "parent"]
    return raw


CASES = [
    *[(name, "example", lambda name=name: example(name), TODAY[name]) for name in available()],
    ("interview-notice", "late", lambda: example("interview-notice"), dt.date(2026, 4, 10)),
    ("reunification", "nobody can join", nobody_can_join, TODAY["reunification"]),
]


@functools.cache
def build(case: int):
    name, _tag, raw, today = CASES[case]
    spec = get(name)
    with language("en"):
        answers = spec.validate(copy.deepcopy(raw()), today)
        files = spec.build_outputs(answers, BuildOptions(today=today, lang="en"), b"declared")
    return spec, answers, today, files


@pytest.fixture(params=range(len(CASES)), ids=[f"{c[0]}-{c[1]}" for c in CASES])
def built(request):
    return build(request.param)


def test_a_build_writes_the_declared_outputs_in_order_then_the_manifest(built):
    spec, answers, today, files = built
    with language("en"):
        declared = [(o.filename, gettext(o.title)) for o in spec.outputs if applies(o, answers, today)]
    assert [(f.name, f.description) for f in files[:-1]] == declared
    assert files[-1].name == "manifest.json"
    assert [entry["name"] for entry in json.loads(files[-1].data)["files"]] == [name for name, _ in declared]


def test_conditions_leave_out_documents_only_where_declared(built):
    spec, answers, today, files = built
    written = {f.name for f in files}
    for output in spec.outputs:
        assert (output.filename in written) == applies(output, answers, today), output.filename


def test_each_document_is_its_template_with_the_context_docassemble_gets(built):
    spec, answers, today, files = built
    data = {f.name: f.data for f in files}
    with language("en"):
        for document in spec.documents:
            if document.filename not in data:
                continue
            if document.kind == FORM:
                assert filled_values(data[document.filename]) == filled_values(render_document(document, answers, today))
                assert filled_values(data[document.filename])  # the form is filled, not empty
            else:
                expected = render_docx(templates_dir() / document.template_path, document.context(answers, today))
                assert data[document.filename] == expected, document.filename


def test_each_email_attaches_its_declared_document(built):
    spec, answers, today, files = built
    data = {f.name: f.data for f in files}
    for declared in spec.emails:
        assert isinstance(declared, Email)
        message = email.message_from_bytes(data[declared.filename], policy=policy.default)
        with language("en"):
            fields = declared.fields(answers, today)
        assert message["To"].addresses[0].addr_spec == fields["to"]
        sent_subject, _ = typeset(fields["subject"], fields["body"], fields.get("language", "fr"))
        assert str(message["Subject"]) == sent_subject  # as sent: French typography for plain text
        attached = [(part.get_filename(), part.get_content()) for part in message.iter_attachments()]
        assert attached == [(declared.attachment, data[declared.attachment])]


@pytest.mark.parametrize("case", [i for i, c in enumerate(CASES) if c[0] == "reunification"])
def test_the_reunification_summary_lists_exactly_the_files_written(case):
    _spec, _answers, _today, files = build(case)
    text = docx_text(next(f.data for f in files if f.name == "summary.docx"))
    listed = text.split("Files in this folder", 1)[1]
    documents = [f.name for f in files if f.name != "manifest.json"]
    for name in documents:
        assert f"{name}: " in listed
    assert listed.count(".docx: ") + listed.count(".pdf: ") == len(documents)


def test_the_documents_docassemble_offers_are_the_declared_ones():
    """Each generated interview has one attachment per declared document, from its template."""
    from tests.conftest import ROOT

    for name in available():
        text = (ROOT / "docassemble" / "asylum" / "data" / "questions" / f"{name}.yml").read_text(encoding="utf-8")
        for document in get(name).documents:
            assert f"{document.format} template file: {document.template_path}" in text
            assert f"asylum_document_context({name!r}, {document.filename!r}, asylum_answers, asylum_day)" in text
        for declared in get(name).emails:
            assert f"asylum_emails({name!r}, asylum_answers, asylum_day)" in text
