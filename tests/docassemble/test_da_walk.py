"""Each interview, walked by docassemble from its first question to its documents.

With the procedure's bundled fictional example answers, in French and in English: the
answers docassemble collects are the example's; the deadline screen shows the
procedure's report with its sources; docassemble assembles one DOCX per document the CLI
writes, with the same text as ``asylumdocs build`` for the same answers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from da_fixtures import installed, offline, requires_docassemble  # noqa: F401 (fixtures)
from offline import ROOT, TODAY, address, procedures
from pinned_examples import pinned_example_text

from docassemble_asylum.procedures.outputs import SUMMARY

pytestmark = requires_docassemble
PROCEDURES = procedures()
LANGS = ("fr", "en")


def example(procedure: str) -> dict:
    from docassemble_asylum import yamlio
    from docassemble_asylum.procedures import get

    return yamlio.loads(pinned_example_text(procedure))


@pytest.fixture(scope="module")
def interviews(offline):
    return {procedure: offline.load(address(procedure)) for procedure in PROCEDURES}


class Walks(dict):
    """(procedure, lang) -> the walk, each done once per module, when first needed."""

    def __init__(self, offline, interviews):
        super().__init__()
        self.offline = offline
        self.interviews = interviews

    def __missing__(self, key):
        from docassemble_asylum.procedures import get

        procedure, lang = key
        self[key] = self.offline.walk(
            address(procedure), example(procedure), lang, TODAY[procedure], model=get(procedure).model,
            interview=self.interviews[procedure],
        )
        return self[key]


@pytest.fixture(scope="module")
def walks(offline, interviews):
    return Walks(offline, interviews)


class CliBuilds(dict):
    """(procedure, lang) -> the files of ``asylumdocs build``, each built once per module."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder

    def __missing__(self, key):
        procedure, lang = key
        tmp = self.folder / f"{procedure}-{lang}"
        tmp.mkdir()
        self[key] = cli_build(procedure, lang, tmp)
        return self[key]


@pytest.fixture(scope="module")
def cli_builds(tmp_path_factory):
    return CliBuilds(tmp_path_factory.mktemp("cli"))


def cli_build(procedure: str, lang: str, tmp: Path, text: str | None = None) -> dict[str, bytes]:
    """``asylumdocs build`` with the example answers (or ``text``), as a user runs it (a new process)."""
    answers = tmp / "answers.yaml"
    answers.write_text(pinned_example_text(procedure) if text is None else text, encoding="utf-8")
    out = tmp / "out"
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH"}}
    env["ASYLUMDOCS_LANG"] = lang
    result = subprocess.run(
        [sys.executable, "-m", "docassemble_asylum", "build", procedure, "--answers", str(answers), "--out", str(out),
         "--today", TODAY[procedure].isoformat(), "--lang", lang],
        cwd=tmp, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return {path.name: path.read_bytes() for path in out.iterdir()}


def summary_on_server(procedure: str, lang: str) -> bytes:
    """The summary sheet as the core renders it for a docassemble server (render/delivery.py)."""
    from docassemble_asylum.i18n import language
    from docassemble_asylum.procedures import get
    from docassemble_asylum.procedures.outputs import render_document
    from docassemble_asylum.render.delivery import on_server

    spec, day = get(procedure), TODAY[procedure]
    with language(lang), on_server():
        return render_document(spec.document(SUMMARY), spec.validate(example(procedure), day), day)


def form_values(data: bytes) -> dict[str, str]:
    """Every field of a PDF form and its value, as a PDF reader sees them."""
    import io

    from pypdf import PdfReader

    fields = PdfReader(io.BytesIO(data)).get_fields() or {}
    return {name: str(field.get("/V", "")) for name, field in fields.items() if field.get("/FT") is not None}


def page_count(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("procedure", PROCEDURES)
def test_walk_collects_the_example_answers(walks, procedure, lang):
    from docassemble_asylum.procedures import get

    walk = walks[procedure, lang]
    spec = get(procedure)
    collected = walk.session.eval("asylum_answers")
    day = TODAY[procedure]
    assert spec.validate(collected, day) == spec.validate(example(procedure), day)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("procedure", PROCEDURES)
def test_questions_are_asked_in_the_chosen_language(walks, procedure, lang):
    """Each question screen shows its question set's label in the chosen language."""
    from docassemble_asylum.i18n import language
    from docassemble_asylum.questions import gettext, loader

    interview = loader.load_path(ROOT / "interviews" / f"{procedure}.yml")
    by_id = {q.id: q for q in interview.questions()}
    seen = 0
    with language(lang):
        for screen in walks[procedure, lang].steps:
            parts = screen.id.split(" ", 1)
            if len(parts) == 2 and parts[0] == lang and parts[1] in by_id and not by_id[parts[1]].is_group:
                assert screen.question == gettext(by_id[parts[1]].label)
                seen += 1
            elif screen.id not in ("language",):
                assert parts[0] == lang, f"{screen.id} is not a block of the chosen language"
    assert seen >= 5


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("procedure", PROCEDURES)
def test_documents_screen_shows_the_report_with_sources(walks, procedure, lang):
    from docassemble_asylum.i18n import language
    from docassemble_asylum.procedures import get

    spec = get(procedure)
    day = TODAY[procedure]
    final = walks[procedure, lang].final
    with language(lang):
        model = spec.validate(example(procedure), day)
        lines = spec.report_lines(model, day) if spec.report_lines else []
        report = spec.report(model, day) if spec.report else {}
    text = final.subquestion.replace("\\", "")
    for line in lines:
        assert line.strip().removeprefix("- ") in text
    # The unfinished parts, as `build` prints them (the CNDA example has some).
    from docassemble_asylum.procedures.unfinished import terminal_lines

    with language(lang):
        unfinished = terminal_lines(spec.unfinished_parts(model, day))
    if procedure == "cnda-appeal":
        assert unfinished, "the CNDA example has parts left to complete"
    for line in unfinished:
        assert line.strip().removeprefix("• ") in text
    parts = [p for value in report.values() for p in (value if isinstance(value, list) else [value]) if isinstance(p, dict)]
    urls = [s["url"] for part in parts for s in part.get("sources", [])]
    assert urls, "the report names no source"
    for url in urls:
        assert url in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("procedure", PROCEDURES)
def test_attachments_have_the_text_of_the_cli_documents(walks, cli_builds, procedure, lang, offline):
    from docassemble_asylum.procedures import get
    from docassemble_asylum.render.docx import docx_text
    from docassemble_asylum.render.docx_highlight import highlighted_in_docx

    files = walks[procedure, lang].session.attachment_files()
    cli = cli_builds[procedure, lang]
    cli_docx = {name for name in cli if name.endswith(".docx")}
    assembled = {name for name in files if name.endswith(".docx")}
    assert assembled == cli_docx, "docassemble offers other DOCX files than the CLI writes"
    for name in sorted(cli_docx):
        expected = cli[name]
        if name == SUMMARY and get(procedure).emails:
            # The one wording that differs: how to send the e-mail, as the server offers no .eml.
            expected = summary_on_server(procedure, lang)
            assert ".eml" in docx_text(cli[name]) and ".eml" not in docx_text(files[name])
        assert docx_text(files[name]) == docx_text(expected), f"{name} differs from the CLI's"
        # the placeholders are highlighted on docassemble too (the glue's finishing pass)
        assert highlighted_in_docx(files[name]) == highlighted_in_docx(expected), f"{name}: other highlights than the CLI's"
    if procedure == "cnda-appeal":
        assert highlighted_in_docx(files["recours-cnda.docx"]), "the example's unfinished parts are not highlighted"
    # PDF forms: docassemble fills the same template with the CLI's values
    forms = {d.filename for d in get(procedure).documents if d.format == "pdf"}
    assert {name for name in cli if name.endswith(".pdf")} == forms & set(files)
    for name in sorted(forms & set(cli)):
        assert form_values(files[name]) == form_values(cli[name]), f"{name}: the filled values differ from the CLI's"
        assert page_count(files[name]) == page_count(cli[name]), f"{name}: the CLI's form has an addendum docassemble does not make"
    # docassemble asks its server to convert each DOCX to PDF; not possible offline (recorded, not made)
    assert {Path(name).stem for name in cli_docx} <= set(offline._STATE["pdf_requests"])


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_a_wrong_answer_is_refused_with_the_cli_message(offline, interviews, procedure):
    """A value that fails its field's type is refused with the message the terminal interview prints."""
    from pydantic import ValidationError

    from docassemble_asylum.errors import translate_error
    from docassemble_asylum.i18n import language
    from docassemble_asylum.procedures import get
    from docassemble_asylum.questions.fields import field_ref

    model = get(procedure).model
    session = offline.Session(address(procedure), interviews[procedure])
    session.set("asylum_today_override", TODAY[procedure])
    answers = example(procedure)
    for _ in range(100):
        screen = session.next()
        text_fields = [
            (name, kind) for name, kind in zip(screen.variables, screen.datatypes) if kind == "text" and not name.startswith("asylum_")
        ]
        if text_fields and screen.kind == "fields":
            break
        session.answer(offline.answers_for(session, screen, answers, "fr", model))
    name = text_fields[0][0]
    too_long = "x" * 100_001
    with pytest.raises(offline.ValidationRefused) as refused:
        session.answer({name: too_long})
    import re

    template = re.sub(r"\[\d+\]", "[i]", name)
    with language("fr"):
        try:
            field_ref(model, template).validate(too_long)
        except ValidationError as exc:
            expected = " ".join(translate_error(e) for e in exc.errors(include_url=False, include_input=False))
        else:
            pytest.skip(f"{name} accepts 100,001 characters")
    assert str(refused.value) == expected


def test_inconsistent_answers_show_the_cli_problems_then_can_be_corrected(offline, interviews):
    """Answers each valid alone but inconsistent together: the CLI's problems, a review screen, then documents."""
    from docassemble_asylum.errors import UserError
    from docassemble_asylum.i18n import language
    from docassemble_asylum.procedures import get

    procedure = "cnda-appeal"
    spec = get(procedure)
    answers = example(procedure)
    answers["signature"]["date"] = "2026-02-01"  # before the decision (2026-02-24)
    with language("en"), pytest.raises(UserError) as cli:
        spec.validate(answers, TODAY[procedure])
    session = offline.Session(address(procedure), interviews[procedure])
    session.set("asylum_today_override", TODAY[procedure])
    for _ in range(200):
        screen = session.next()
        if screen.id == "en problems":
            break
        session.answer(offline.answers_for(session, screen, answers, "en", spec.model))
    else:
        pytest.fail("no problems screen")
    # The command line's problems, each naming its question by its label only: a screen never
    # shows a field path, nor the section (the command line adds it for the reader of an
    # answers file; on the screen a change button is beside each answer).
    from docassemble_asylum.errors import detail_on_screen

    with language("en"):
        on_screen = [detail_on_screen(detail) for detail in cli.value.details]
    assert session.eval("asylum_result") == {"ok": False, "header": cli.value.message, "problems": on_screen}
    assert on_screen == [p.replace(" (section “Signature”)", "") for p in cli.value.problems]
    assert not any("signature.date" in p for p in cli.value.problems)
    assert not any("signature.date" in p for p in on_screen)
    assert cli.value.message in screen.question
    # The review screen offers to change the signature date; the person corrects it.
    offered = {name for item in session.status.question.fields for name in getattr(item, "data", [])}
    assert "signature.date" in offered, "the problems screen does not offer to change the signature date"
    session.set("signature.date", offline.as_datetime("2026-04-28"))
    session.answer({"asylum_problems_reviewed": True})
    assert offline.is_documents_screen(session.next())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("procedure", PROCEDURES)
def test_emails_the_cli_writes_are_shown_to_send(walks, cli_builds, procedure, lang):
    """An .eml of the CLI: its recipient, subject and text are on the documents screen."""
    import email
    from email import policy

    from docassemble_asylum.procedures import get

    cli = cli_builds[procedure, lang]
    eml_files = {name for name in cli if name.endswith(".eml")}
    assert eml_files == {e.filename for e in get(procedure).emails}, "an .eml of the CLI is not shown on the documents screen"
    text = walks[procedure, lang].final.subquestion.replace("\\", "")
    for name in eml_files:
        message = email.message_from_bytes(cli[name], policy=policy.default)
        assert message["To"].addresses[0].addr_spec in text
        assert str(message["Subject"]) in text
        body = message.get_body(preferencelist=("plain",)).get_content()
        for line in body.splitlines():
            assert line.strip() in text


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_walk_with_the_session_saved_and_reloaded_between_screens(offline, interviews, procedure):
    """A server pickles the interview's variables after every screen and loads them for the next one."""
    from docassemble_asylum.procedures import get

    walk = offline.walk(
        address(procedure), example(procedure), "fr", TODAY[procedure], model=get(procedure).model,
        interview=interviews[procedure], reload_between_screens=True,
    )
    day = TODAY[procedure]
    spec = get(procedure)
    assert spec.validate(walk.session.eval("asylum_answers"), day) == spec.validate(example(procedure), day)


EARLY_APPEAL_DEADLINE = {
    "fr": (
        "Délai de recours (provisoire) : le dernier jour (vendredi 3 avril 2026) semble dépassé.",
        "l'aide juridictionnelle (une demande faite dans les 15 jours de la notification suspend le délai)",
        "Délai de recours : la date sûre (visez celle-ci) est le lundi 11 mai 2026 ; le dernier jour est le mardi 12 mai 2026.",
    ),
    "en": (
        "Deadline to appeal (provisional): the last day (Friday 3 April 2026) looks passed.",
        "legal aid (a request made within 15 days of the notification suspends the period)",
        "Deadline to appeal: the safe day (aim for this one) is Monday 11 May 2026; the last day is Tuesday 12 May 2026.",
    ),
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_appeal_deadline_is_said_as_provisional_right_after_the_notification_date(walks, lang):
    """The terminal's early verdict, on its own screen at the same point: provisional after
    the notification date (legal aid is still to come), final after the legal-aid decision."""
    walk = walks["cnda-appeal", lang]
    ids = [screen.id for screen in walk.steps]
    early = [screen for screen in walk.steps if screen.id.startswith(f"{lang} early ")]
    assert [screen.id for screen in early] == [f"{lang} early decision.received_on", f"{lang} early requested_on", f"{lang} early decision_notified_on"]
    assert ids.index(early[0].id) == ids.index(f"{lang} decision.received_on") + 1
    provisional, reason, final = EARLY_APPEAL_DEADLINE[lang]
    assert provisional in early[0].subquestion
    assert reason in early[0].subquestion
    assert final in early[-1].subquestion
    assert "(provisional)" not in early[-1].subquestion and "(provisoire)" not in early[-1].subquestion
