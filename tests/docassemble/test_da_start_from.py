"""A visa appeal (or an absence letter) started from the user's earlier session of the related
interview, with docassemble's own parser and assembler.

Issue 20: the terminal and ``build --from`` start such a procedure from the related answers
file through ``Procedure.answers_from`` (one mapping). On docassemble, the first screen offers
the logged-in user's finished sessions of the related interview (``interview_list``); the
chosen one's answers (``get_session_variables``) go through the same mapping and set the
interview's variables, so their questions are not asked; the user can decline and start
afresh. The server's session store is the test double of ``offline.py`` (``store_session``),
filled with a session walked here to its documents screen.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from da_fixtures import installed, offline, requires_docassemble  # noqa: F401 (fixtures)
from offline import TODAY, address
from pinned_examples import pinned_example_text

import visa_appeal_cases

pytestmark = requires_docassemble

DAY = dt.date(2026, 11, 23)  # the reunification's day, on which its refusals are 3 days old
CHANGED = dt.datetime(2026, 11, 23, 13, 5)  # the stored session's last change, UTC (14:05 in Paris)
SESSION = "reunification-session-1"
TITLE = {"en": "“Family reunification”", "fr": "« Réunification familiale »"}


def yaml_dict(text: str) -> dict:
    from docassemble_asylum import yamlio

    return yamlio.loads(text)


def reunification_with_refusals() -> dict:
    """The bundled reunification with two visas refused (tests/visa_appeal_cases.py); one of
    them born in a year known alone (the date-of-birth screen's own variables)."""
    return visa_appeal_cases.reunification_with_refusals(pinned_example_text("reunification"), DAY, a_birth_year_alone=True)


def rest_of_the_appeal() -> dict:
    return visa_appeal_cases.rest_of_the_appeal(DAY)


@pytest.fixture(scope="module")
def reunification_session(offline):
    """A reunification walked to its documents screen, kept as the server keeps the user's session."""
    from docassemble_asylum.procedures import get

    walk = offline.walk(
        address("reunification"), reunification_with_refusals(), "en", DAY, model=get("reunification").model,
        reload_between_screens=True,
    )
    offline.forget_sessions()
    offline.store_session(address("reunification"), SESSION, walk.session.user_dict, CHANGED)
    yield walk.session.user_dict
    offline.forget_sessions()


def start(offline, procedure: str, lang: str, today: dt.date, logged_in: bool = True):
    """A new session of ``procedure``, its language chosen: the session and its first screen."""
    session = offline.Session(address(procedure), reload_between_screens=True, logged_in=logged_in)
    session.set("asylum_today_override", today)
    screen = session.next()
    assert screen.variables == ["asylum_lang"]
    session.answer({"asylum_lang": lang})
    return session, session.next()


def given_answers(procedure: str, source_answers: dict) -> dict:
    from docassemble_asylum.procedures import get

    return get(procedure).answers_from(source_answers, Path("related.yaml"))


def leaves(data, prefix: str = "") -> set[str]:
    """The variables an answers dict fills (``members[0].given_names``)."""
    if isinstance(data, dict) and data:
        return set().union(*(leaves(v, f"{prefix}.{k}" if prefix else k) for k, v in data.items()))
    if isinstance(data, list) and data:
        return set().union(*(leaves(v, f"{prefix}[{i}]") for i, v in enumerate(data)))
    return {prefix}


def cli_build_from(procedure: str, lang: str, source: dict, rest: dict, today: dt.date, tmp: Path) -> dict[str, bytes]:
    """``asylumdocs build PROCEDURE --from source.yaml --answers rest.yaml`` as a user runs it."""
    from docassemble_asylum import yamlio

    (tmp / "source.yaml").write_text(yamlio.dumps(source), encoding="utf-8")
    (tmp / "rest.yaml").write_text(yamlio.dumps(rest), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["ASYLUMDOCS_LANG"] = lang
    result = subprocess.run(
        [sys.executable, "-m", "docassemble_asylum", "build", procedure, "--from", "source.yaml", "--answers", "rest.yaml",
         "--out", "out", "--today", today.isoformat(), "--lang", lang],
        cwd=tmp, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return {path.name: path.read_bytes() for path in (tmp / "out").iterdir()}


# ---------------------------------------------------------------- the generated blocks


def test_only_the_procedures_that_reuse_answers_offer_a_session():
    """The offer is generated from ``Procedure.reuses``: one screen per language, nowhere else."""
    import yaml

    from docassemble_asylum.procedures import get
    from offline import ROOT, procedures

    for procedure in procedures():
        text = (ROOT / "docassemble" / "asylum" / "data" / "questions" / f"{procedure}.yml").read_text(encoding="utf-8")
        blocks = [b for b in yaml.safe_load_all(text) if isinstance(b, dict)]
        offers = [b for b in blocks if str(b.get("id", "")).endswith(" start from")]
        if not get(procedure).reuses:
            assert offers == [] and "asylum_start_from" not in text, procedure
            continue
        assert [b["id"] for b in offers] == ["en start from", "fr start from"], procedure
        for block in offers:
            assert block["fields"] == [
                {"label": block["fields"][0]["label"], "field": "asylum_start_choice", "input type": "radio",
                 "code": "asylum_related_choices(asylum_related)"}
            ]
        prefill = [b for b in blocks if "asylum_start_from(" in str(b.get("code", ""))]
        assert len(prefill) == 1 and prefill[0]["code"].startswith(f"asylum_started_from = asylum_start_from({procedure!r}, "), procedure


def test_the_glue_fills_the_lists_the_generated_interviews_declare(offline):
    """The glue creates list items with the completion attribute the generator declares."""
    from docassemble.asylum import glue
    from offline import ROOT

    text = (ROOT / "docassemble" / "asylum" / "data" / "questions" / "visa-appeal.yml").read_text(encoding="utf-8")
    assert f"- members: DAList.using(object_type=DAObject, complete_attribute='{glue.COMPLETE}')" in text
    assert "members[i].asylum_date_of_birth_known" in text and glue._year_variables("date_of_birth") == (
        "asylum_date_of_birth_known", "asylum_date_of_birth_year")


def test_an_anonymous_session_starts_with_the_intro(offline, reunification_session):
    """docassemble lists no sessions of an anonymous user: the usual intro, nothing offered."""
    _session, screen = start(offline, "visa-appeal", "en", DAY, logged_in=False)
    assert screen.id == "en intro" and screen.variables == ["asylum_intro_seen"]


def test_no_finished_session_no_offer(offline, reunification_session):
    """A logged-in user with no finished session of the related interview gets the usual intro
    (an interview-notice session is not a reunification one)."""
    _session, screen = start(offline, "interview-absence", "en", TODAY["interview-absence"])
    assert screen.id == "en intro"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_first_screen_offers_the_finished_session_or_a_fresh_start(offline, reunification_session, lang):
    _session, screen = start(offline, "visa-appeal", lang, DAY)
    assert screen.id == f"{lang} start from"
    assert screen.variables == ["asylum_start_choice"]
    person = reunification_with_refusals()["protected_person"]
    name = f"{person['given_names']} {person['family_name']}"
    if lang == "en":
        expected = [
            (f"“Family reunification”: {name}, last changed on Monday 23 November 2026 at 14:05", f"reunification:{SESSION}"),
            ("Start afresh, without the answers of an earlier session", "afresh"),
        ]
        offer = "You have answered the interview “Family reunification” on this server: this interview can start from"
    else:
        expected = [
            (f"« Réunification familiale » : {name}, modifiée le lundi 23 novembre 2026 à 14:05", f"reunification:{SESSION}"),
            ("Commencer sans les réponses d'une session précédente", "afresh"),
        ]
        offer = "Vous avez répondu sur ce serveur à l'entretien « Réunification familiale » : cet entretien peut partir"
    assert [(label.replace("\\", ""), value) for label, value in screen.choices] == expected
    assert offer in screen.subquestion


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_visa_appeal_from_the_reunification_session_asks_only_the_rest_and_builds_the_cli_documents(
    offline, reunification_session, lang, tmp_path
):
    from docassemble_asylum.procedures import get
    from docassemble_asylum.render.docx import docx_text

    source = reunification_with_refusals()
    given = given_answers("visa-appeal", source)  # what build --from takes
    session, screen = start(offline, "visa-appeal", lang, DAY)
    session.answer({"asylum_start_choice": f"reunification:{SESSION}"})
    shown = session.next()
    assert shown.id == f"{lang} started from" and shown.variables == ["asylum_started_seen"]
    text = shown.subquestion.replace("\\", "") + "\n"  # (docassemble strips the last line break)
    person = source["protected_person"]
    if lang == "en":
        assert text.startswith("43 answers come from your session of “Family reunification”: they are not asked again.\n"), text[:300]
        assert f"* **Family name**: {person['family_name']}\n" in text
        assert "* **Family member 2 › Given names**: Omid\n" in text
        assert "* **Family member 2 › Date of birth**: 2010\n" in text
        assert "* **Date the refusal was notified**: Friday 20 November 2026\n" in text, text
    else:
        assert text.startswith("43 réponses viennent de votre session « Réunification familiale » : elles ne sont pas redemandées.\n"), text[:300]
        assert f"* **Nom de famille**\u00a0: {person['family_name']}\n" in text
        assert "* **Membre de la famille 2 › Prénoms**\u00a0: Omid\n" in text
        assert "vendredi 20 novembre 2026" in text
    session.answer({"asylum_started_seen": True})

    everything = {**source, **rest_of_the_appeal(), "members": given["members"]}
    walk = offline.walk_on(session, everything, lang, model=get("visa-appeal").model)
    asked = [name for screen in walk.steps for name in screen.variables]
    reused = leaves(given)
    assert not [name for name in asked if name in reused or name.startswith(("protected_person.", "members"))], asked
    assert "refusal.date" in asked and "refusal.reference" in asked and "refusal.notified_on" not in asked
    assert session.eval("members[1].asylum_date_of_birth_known") == "year"
    assert session.eval("members[1].asylum_date_of_birth_year") == 2010
    collected = session.eval("asylum_answers")
    assert collected["members"][1]["date_of_birth"] == "2010"
    assert [m["given_names"] for m in collected["members"]] == ["Laila", "Omid"]
    assert collected["protected_person"]["family_name"] == person["family_name"]
    assert collected["refusal"]["notified_on"] == "2026-11-20"

    cli = cli_build_from("visa-appeal", lang, source, rest_of_the_appeal(), DAY, tmp_path)
    server = session.attachment_files()
    docx = sorted(name for name in cli if name.endswith(".docx"))
    assert sorted(name for name in server if name.endswith(".docx")) == docx
    for name in docx:
        assert docx_text(server[name]) == docx_text(cli[name]), name


def test_declining_starts_afresh_with_the_first_question(offline, reunification_session):
    session, _screen = start(offline, "visa-appeal", "en", DAY)
    session.answer({"asylum_start_choice": "afresh"})
    screen = session.next()
    assert screen.id == "en protected_person.family_name"
    assert session.eval("defined('asylum_started_from')") is False


def test_an_unfinished_session_is_not_offered(offline, reunification_session):
    """A session whose answers the reunification's model refuses (not finished) is not listed."""
    unfinished = dict(reunification_session)
    unfinished["asylum_answers"] = {k: v for k, v in unfinished["asylum_answers"].items() if k != "members"}
    offline.store_session(address("reunification"), "unfinished", unfinished, CHANGED + dt.timedelta(hours=1))
    try:
        _session, screen = start(offline, "visa-appeal", "en", DAY)
        assert [value for _label, value in screen.choices] == [f"reunification:{SESSION}", "afresh"]
    finally:
        del offline.setup()["sessions"][address("reunification"), "unfinished"]


def test_an_absence_letter_starts_from_the_notice_session(offline):
    """interview-absence from an interview-notice session: the applicant and the interview are not asked."""
    from docassemble_asylum.procedures import get

    notice = yaml_dict(pinned_example_text("interview-notice"))
    walk = offline.walk(address("interview-notice"), notice, "fr", TODAY["interview-notice"], model=get("interview-notice").model)
    offline.forget_sessions()
    offline.store_session(address("interview-notice"), "notice-1", walk.session.user_dict, CHANGED)
    try:
        session, screen = start(offline, "interview-absence", "fr", TODAY["interview-absence"])
        assert screen.id == "fr start from"
        session.answer({"asylum_start_choice": "interview-notice:notice-1"})
        shown = session.next()
        assert shown.id == "fr started from"
        session.answer({"asylum_started_seen": True})
        first = session.next()
        given = given_answers("interview-absence", notice)
        assert not set(first.variables) & leaves(given), first.variables
        assert not any(name.startswith(("applicant.", "interview.")) for name in first.variables), first.variables
        assert session.eval("applicant.family_name") == notice["applicant"]["family_name"]
        assert session.eval("asylum_answers")["applicant"]["family_name"] == notice["applicant"]["family_name"]
    finally:
        offline.forget_sessions()
