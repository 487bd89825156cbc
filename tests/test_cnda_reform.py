"""The CNDA appeal across the June 2026 reform (RULES.md §0, §0.1): the day the application
was lodged, each kind of decision, removal; the same numbers through ``deadline cnda --json``
and through ``check cnda-appeal --json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from docassemble_asylum.cli import cli
from docassemble_asylum.commands.runner import run
from docassemble_asylum.i18n import language
from pinned_examples import pinned_example_text

NOTIFIED, TODAY = "2026-07-01", "2026-07-02"  # a Wednesday, after the reform

REACH = (
    "The last day is the last day to SEND the appeal: the court counts the date it was sent. Keep the proof of "
    "sending: the receipt of the registered letter (with acknowledgement of receipt), the fax transmission report (fax "
    "01 48 18 44 20; a faxed appeal must be signed by the hearing at the latest), or the receipt of a filing in person "
    "at Cour nationale du droit d'asile, 35 rue Cuvier, 93558 Montreuil-sous-Bois Cedex. Older guidance counted the "
    "day the appeal arrived: send it several days before if you can, but never give up on the last day."
)
STATED_PERIOD_OPTION = "--stated-period"
STATED_PERIOD_QUESTION = "Contested Ofpra decision › Appeal period printed on the decision (“voies et délais de recours”), e.g. 1 month or 15 days"


def reform(where: str) -> str:
    return (
        "Decision notified on or after Monday 8 June 2026: the appeal period changed with the reform of June 2026 and the new "
        "French period was not found (unverified). It may be shorter than one month. Read the period printed in the “voies "
        f"et délais de recours” section of the decision and enter it ({where}); until then, aim for the safe day."
    )


FORMER_REMOVAL = (
    "The appeal to the CNDA may not stop a removal. When the decision was taken in the accelerated procedure because the "
    "country of origin is considered safe, or rejects a re-examination request or finds it inadmissible, or finds the "
    "application inadmissible because another country protects the applicant, the right to stay in France ends with "
    "Ofpra's decision (CESEDA, art. L.542-2). Then a removal order (OQTF) must be challenged quickly before the tribunal "
    "administratif, asking it to suspend the removal until the CNDA rules (CESEDA, art. L.752-5 et suivants). See a "
    "lawyer at once: those periods are very short."
)
EU_REMOVAL = (
    "For this kind of decision the appeal does not by itself allow the person to stay in France (EU regulation "
    "2024/1348, art. 68(3)): the person must ask the court to be allowed to stay until it rules, within at least 5 days "
    "of the notification: ask by Monday 6 July 2026. The French form of that request and the court that decides it "
    "were not found (unverified): see a lawyer at once."
)
IF_BEFORE = "If the asylum application was lodged before Friday 12 June 2026: "
IF_FROM = "If the asylum application was lodged on or after Friday 12 June 2026: "

BEFORE, AFTER, UNKNOWN = "2026-03-02", "2026-06-15", None

# (kind of decision, lodged, stated period) -> (last_day, safe_day, certainty, former_rule, non_suspensive,
#  stay_request_day, removal warnings). 1 Jul + 1 month = 1 Aug (Sat), délai franc Sun 2 -> Mon 3 Aug;
# + 14 days = Wed 15 Jul; + 5 days = Mon 6 Jul.
CASES = {
    ("normal", BEFORE, None): ("2026-08-03", "2026-07-15", "unverified", "may_apply", None, None, []),
    ("normal", AFTER, None): ("2026-08-03", "2026-07-15", "unverified", "probably_not_applicable", None, None, []),
    ("normal", UNKNOWN, None): ("2026-08-03", "2026-07-15", "unverified", "unknown", None, None, []),
    ("accelerated", BEFORE, None): ("2026-08-03", "2026-07-06", "unverified", "may_apply", "former_rule", None, [FORMER_REMOVAL]),
    ("accelerated", AFTER, None): ("2026-08-03", "2026-07-06", "unverified", "probably_not_applicable", "art_68_3", "2026-07-06", [EU_REMOVAL]),
    ("accelerated", UNKNOWN, None): (
        "2026-08-03", "2026-07-06", "unverified", "unknown", "both", "2026-07-06", [IF_BEFORE + "t" + FORMER_REMOVAL[1:], IF_FROM + "f" + EU_REMOVAL[1:]],
    ),
    ("inadmissibility", AFTER, None): ("2026-08-03", "2026-07-06", "unverified", "probably_not_applicable", "art_68_3", "2026-07-06", [EU_REMOVAL]),
    # Implicit withdrawal is not an L.542-2 case before the reform: nothing said about removal then.
    ("implicit_withdrawal", BEFORE, None): ("2026-08-03", "2026-07-06", "unverified", "may_apply", None, None, []),
    ("implicit_withdrawal", AFTER, None): ("2026-08-03", "2026-07-06", "unverified", "probably_not_applicable", "art_68_3", "2026-07-06", [EU_REMOVAL]),
    # A re-examination rejected on the merits: art. 67(7)(a), 5 days (see cnda.PROCEDURES).
    ("reexamination_rejected", BEFORE, None): ("2026-08-03", "2026-07-06", "unverified", "may_apply", "former_rule", None, [FORMER_REMOVAL]),
    ("reexamination_rejected", AFTER, None): ("2026-08-03", "2026-07-06", "unverified", "probably_not_applicable", "art_68_3", "2026-07-06", [EU_REMOVAL]),
    # The printed period is the authority (inference): no former-rule label; art. 68(3) still makes it unverified.
    ("normal", AFTER, "15 jours"): ("2026-07-17", "2026-07-17", "inference", None, None, None, []),
    ("accelerated", BEFORE, "15 jours"): ("2026-07-17", "2026-07-17", "inference", None, "former_rule", None, [FORMER_REMOVAL]),
    ("accelerated", AFTER, "10 jours"): ("2026-07-13", "2026-07-13", "unverified", None, "art_68_3", "2026-07-06", [EU_REMOVAL]),
}
IDS = [f"{kind}-{lodged or 'unknown'}-{period or 'no-period'}" for kind, lodged, period in CASES]


def expected_warnings(period: str | None, removal: list[str], where: str) -> list[str]:
    return ([] if period else [reform(where)]) + removal + [REACH]


def invoke(capsys, *args: str) -> tuple[int, str, str]:
    with language("en"):
        code = run(cli, list(args))
    out, err = capsys.readouterr()
    return code, out, err


def answers(kind: str, lodged: str | None, period: str | None) -> dict:
    data = yaml.safe_load(pinned_example_text("cnda-appeal"))
    data["decision"].update(date="2026-06-25", procedure=kind, stated_period=period or "")
    data["decision"]["notification"] = {"method": "postal", "received_on": NOTIFIED}
    if lodged:
        data["decision"]["application_lodged_on"] = lodged
    data["legal_aid"] = {"status": "not_requested"}
    data["signature"]["date"] = TODAY
    return data


def check_json(capsys, tmp_path: Path, data: dict) -> tuple[int, dict]:
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, err = invoke(capsys, "check", "cnda-appeal", "--answers", str(case), "--json", "--today", TODAY, "--lang", "en")
    assert err == ""
    return code, json.loads(out)


@pytest.mark.parametrize(("case", "expected"), list(CASES.items()), ids=IDS)
def test_reform_case_through_deadline_cnda(capsys, case, expected):
    kind, lodged, period = case
    last, safe, certainty, former_rule, non_suspensive, stay, removal = expected
    args = ["deadline", "cnda", "--notified", NOTIFIED, "--procedure", kind.replace("_", "-"), "--today", TODAY, "--json", "--lang", "en"]
    args += ["--application-lodged", lodged] if lodged else []
    args += ["--stated-period", period] if period else []
    code, out, err = invoke(capsys, *args)
    body = json.loads(out)
    assert (code, err) == (0, "")
    assert (body["last_day"], body["safe_day"], body["certainty"]) == (last, safe, certainty)
    assert body["warnings"] == expected_warnings(period, removal, STATED_PERIOD_OPTION)
    assert body["application_lodged"] == lodged
    assert (body["former_rule"], body["former_rule_last_day"]) == (former_rule, last if former_rule else None)
    assert (body["non_suspensive"], body["stay_request_day"]) == (non_suspensive, stay)


@pytest.mark.parametrize(("case", "expected"), list(CASES.items()), ids=IDS)
def test_reform_case_through_check_cnda_appeal(capsys, tmp_path, case, expected):
    last, safe, certainty, former_rule, non_suspensive, stay, removal = expected
    code, body = check_json(capsys, tmp_path, answers(*case))
    assert (code, body["valid"]) == (0, True)
    deadline = body["deadline"]
    assert (deadline["last_day"], deadline["safe_day"], deadline["certainty"]) == (last, safe, certainty)
    # The answers name the question, never a command-line option.
    assert deadline["warnings"] == expected_warnings(case[2], removal, STATED_PERIOD_QUESTION)
    assert (deadline["former_rule"], deadline["non_suspensive"], deadline["stay_request_day"]) == (former_rule, non_suspensive, stay)


def test_before_the_reform_an_accelerated_decision_warns_about_removal(capsys):
    # Notified before 12 June 2026: the application was lodged before, so the L.542-2 reading alone.
    code, out, _ = invoke(capsys, "deadline", "cnda", "--notified", "2026-03-02", "--procedure", "accelerated", "--today", "2026-03-10", "--json")
    body = json.loads(out)
    assert (body["last_day"], body["safe_day"], body["certainty"]) == ("2026-04-03", "2026-04-03", "verified")
    assert body["warnings"] == [FORMER_REMOVAL, REACH]
    assert (body["former_rule"], body["non_suspensive"], body["stay_request_day"]) == (None, "former_rule", None)


def test_published_json_keys_keep_their_meaning(capsys):
    """The keys published before the reform come first, with the same values as without the new option."""
    _, plain, _ = invoke(capsys, "deadline", "cnda", "--notified", NOTIFIED, "--today", TODAY, "--json")
    _, lodged, _ = invoke(capsys, "deadline", "cnda", "--notified", NOTIFIED, "--application-lodged", BEFORE, "--today", TODAY, "--json")
    plain, lodged = json.loads(plain), json.loads(lodged)
    published = ["kind", "last_day", "safe_day", "certainty", "steps", "sources", "warnings", "today", "passed", "safe_day_passed"]
    assert list(lodged)[: len(published)] == published
    for key in ("kind", "last_day", "safe_day", "certainty", "warnings", "today", "passed", "safe_day_passed"):
        assert lodged[key] == plain[key], key
    # The last day keeps its meaning: the one-month computation, also given under its new name.
    assert lodged["last_day"] == lodged["former_rule_last_day"] == "2026-08-03"


# --- what the terminal and the summary show -------------------------------------------------


@pytest.mark.parametrize(
    ("lodged", "lang", "safe", "former"),
    [
        (
            BEFORE,
            "en",
            "Safe day (aim for this one): Wednesday 15 July 2026",
            "Last day under the former one-month period (former rule, may still apply to applications lodged before Friday 12 "
            "June 2026): Monday 3 August 2026",
        ),
        (
            AFTER,
            "en",
            "Safe day (aim for this one): Wednesday 15 July 2026",
            "Last day under the former one-month period (former rule, probably not applicable): Monday 3 August 2026",
        ),
        (
            None,
            "fr",
            "Date sûre (visez celle-ci) : mercredi 15 juillet 2026",
            "Dernier jour selon l'ancien délai d'un mois (ancienne règle : peut encore s'appliquer si la demande d'asile a été "
            "introduite avant le vendredi 12 juin 2026 ; probablement pas applicable si elle l'a été ce jour-là ou après) : "
            "lundi 3 août 2026",
        ),
    ],
)
def test_terminal_shows_the_safe_day_first(capsys, lodged, lang, safe, former):
    args = ["deadline", "cnda", "--notified", NOTIFIED, "--today", TODAY, "--lang", lang]
    code, out, _ = invoke(capsys, *(args + (["--application-lodged", lodged] if lodged else [])))
    lines = out.splitlines()
    assert code == 0
    assert lines[2:4] == [safe, former]


def test_summary_shows_the_safe_day_first_and_removal_in_its_own_section(tmp_path):
    from docassemble_asylum.procedures import get
    from docassemble_asylum.procedures.cnda_appeal import summary_context
    import datetime as dt

    procedure = get("cnda-appeal")
    answers_ = procedure.model.model_validate(answers("accelerated", AFTER, None))
    with language("en"):
        context = summary_context(answers_, dt.date(2026, 7, 2))
    deadline, removal = context["summary"]["sections"][0], context["summary"]["sections"][1]
    assert deadline["paragraphs"][:2] == [
        "Safe day (aim for this one): Monday 6 July 2026",
        "Last day under the former one-month period (former rule, probably not applicable): Monday 3 August 2026",
    ]
    assert removal["heading"] == "The appeal may not protect against removal"
    assert context["summary"]["warnings"] == ["The appeal may not protect against removal: read that section below and see a lawyer at once."]
    assert removal["paragraphs"] == [EU_REMOVAL]
    assert not any(EU_REMOVAL in bullet["text"] for bullet in deadline["bullets"])  # said once
    assert not any("suspend" in p and "not" not in p for p in removal["paragraphs"])


def test_render_context_flags_an_appeal_that_may_not_protect_against_removal():
    from docassemble_asylum.procedures import get
    from docassemble_asylum.procedures.cnda_appeal import render_context

    model = get("cnda-appeal").model
    after = render_context(model.model_validate(answers("inadmissibility", AFTER, None)))["non_suspensive"]
    assert after["reading"] == "art_68_3"
    assert after["stay_request_paragraph"].startswith(
        "Sur le maintien sur le territoire pendant l'examen du recours : la décision attaquée relevant de l'un des cas de "
        "l'article 68, paragraphe 3, du règlement (UE) 2024/1348 du 14 mai 2024, le recours n'a pas d'effet suspensif de "
        "plein droit. La requérante demande en conséquence à la Cour de l'autoriser à se maintenir"
    )
    before = render_context(model.model_validate(answers("accelerated", BEFORE, None)))["non_suspensive"]
    assert before == {"reading": "former_rule", "stay_request_paragraph": None, "optional_mark": None}
    assert render_context(model.model_validate(answers("normal", None, None)))["non_suspensive"] is None


# --- inconsistent facts: one message naming the question, exit 1, nothing written ----------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "Error: --application-lodged: the asylum application cannot have been lodged after the Ofpra decision reached "
            "the applicant (Wednesday 1 July 2026).\n",
        ),
        (
            "fr",
            "Erreur : --application-lodged : la demande d'asile ne peut pas avoir été introduite après la notification de la "
            "décision de l'Ofpra (mercredi 1er juillet 2026).\n",
        ),
    ],
)
def test_deadline_refuses_an_application_lodged_after_the_notification(capsys, tmp_path, lang, expected):
    ics = tmp_path / "appeal.ics"
    code, out, err = invoke(
        capsys, "deadline", "cnda", "--notified", NOTIFIED, "--application-lodged", "2026-07-02", "--today", "2026-07-03",
        "--ics", str(ics), "--lang", lang,
    )
    assert (code, out, err) == (1, "", expected)
    assert not ics.exists()


@pytest.mark.parametrize(
    ("procedure", "lang", "expected"),
    [
        (
            "cnda-appeal",
            "en",
            "“Contested Ofpra decision › Date the asylum application was lodged (empty if unknown)” "
            "(section “Decision”): the asylum application cannot have been lodged after the decision that "
            "answers it (“Contested Ofpra decision › Date of the Ofpra decision”, in the section “Decision”).",
        ),
        (
            "cnda-appeal",
            "fr",
            "« Décision de l'Ofpra contestée › Date d'introduction de la demande d'asile (vide si inconnue) » "
            "(partie « Décision ») : la demande d'asile ne peut pas avoir été introduite après la décision qui "
            "y répond (« Décision de l'Ofpra contestée › Date de la décision de l'Ofpra », dans la partie « Décision »).",
        ),
        (
            "cnda-legal-aid",
            "en",
            "“Contested Ofpra decision › Date the asylum application was lodged (empty if unknown)” "
            "(section “Decision”): the asylum application cannot have been lodged after the decision that "
            "answers it (“Contested Ofpra decision › Date of the Ofpra decision”, in the section “Decision”).",
        ),
    ],
)
def test_build_refuses_an_application_lodged_after_the_decision(capsys, tmp_path, procedure, lang, expected):
    from tests.conftest import run_cli

    data = yaml.safe_load(pinned_example_text(procedure))
    data["decision"]["application_lodged_on"] = "2026-06-26"
    data["decision"]["date"] = "2026-06-25"
    data["decision"]["notification"] = {"method": "postal", "received_on": NOTIFIED}
    if "legal_aid" in data:
        data["legal_aid"] = {"status": "not_requested"}
    data["signature"]["date"] = TODAY
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", procedure, "--answers", str(case), "--out", str(out), "--today", TODAY, "--lang", lang)
    header = "Error: The answers have 1 problem; nothing was written:" if lang == "en" else "Erreur : Les réponses comportent 1 problème ; rien n'a été écrit :"
    assert result.returncode == 1
    assert result.stderr.startswith(header) and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]


def test_answers_files_written_before_the_question_still_load(capsys, tmp_path):
    """The bundled examples have no lodging day: they load, and it reads as unknown."""
    for procedure in ("cnda-appeal", "cnda-legal-aid"):
        data = yaml.safe_load(pinned_example_text(procedure))
        assert "application_lodged_on" not in data["decision"]
        case = tmp_path / f"{procedure}.yaml"
        case.write_text(pinned_example_text(procedure), encoding="utf-8")
        code, out, err = invoke(capsys, "check", procedure, "--answers", str(case), "--json", "--today", "2026-04-28")
        assert (code, json.loads(out)["valid"]) == (0, True), err
    code, body = check_json(capsys, tmp_path, yaml.safe_load(pinned_example_text("cnda-appeal")))
    assert body["deadline"]["application_lodged"] is None


def test_the_draft_offers_the_request_to_stay_highlighted_and_lists_it_as_unfinished(capsys, tmp_path):
    """Art. 68(3) case (lodged after 12 June 2026, inadmissibility): the optional request to stay is in
    the draft after a highlighted mark, and ``check --json`` lists it among the unfinished parts."""
    from docassemble_asylum.render.docx import docx_text
    from docassemble_asylum.render.docx_highlight import highlighted_in_docx

    data = answers("inadmissibility", AFTER, None)
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = invoke(capsys, "build", "cnda-appeal", "--answers", str(path), "--out", str(out), "--today", TODAY, "--lang", "en")
    assert code == 0, err
    draft = (out / "recours-cnda.docx").read_bytes()
    text = docx_text(draft)
    mark = "[À compléter : demande facultative, à conserver ou à retirer avec l'avocat ; la forme de cette demande en droit français n'est pas confirmée]"
    from docassemble_asylum.render.typography import plain as typeset

    assert typeset(mark) in text
    assert text.index(typeset(mark)) < text.index("Sur le maintien sur le territoire pendant l")
    assert any("demande facultative" in run for run in highlighted_in_docx(draft))
    code, body = check_json(capsys, tmp_path, data)
    assert any(part["field"] == "decision.procedure" and "request to remain in France" in part["message"] for part in body["unfinished"])
    code, body = check_json(capsys, tmp_path, answers("normal", AFTER, None))
    assert not [part for part in body["unfinished"] if part["field"] == "decision.procedure"]


@pytest.mark.parametrize(("notified", "promised"), [(NOTIFIED, False), ("2026-03-02", True)])
def test_the_legal_aid_section_promises_the_suspension_only_before_the_reform(notified, promised):
    """After the June 2026 reform, whether legal aid still suspends the appeal period is unknown:
    the summary advises requesting it now without counting on the suspension (RULES.md §0, §2)."""
    import datetime as dt

    from docassemble_asylum.procedures import get
    from docassemble_asylum.procedures.cnda_appeal import summary_context

    data = answers("normal", None, None)
    day = dt.date.fromisoformat(notified)
    data["decision"].update(date=(day - dt.timedelta(days=3)).isoformat(), procedure="normal", stated_period="")
    data["decision"]["notification"] = {"method": "postal", "received_on": notified}
    data["signature"]["date"] = (day + dt.timedelta(days=1)).isoformat()
    with language("en"):
        context = summary_context(get("cnda-appeal").model.model_validate(data), day + dt.timedelta(days=1))
    aid = next(s for s in context["summary"]["sections"] if s["heading"] == "Legal aid can still be requested")
    text = " ".join(aid["paragraphs"])
    assert ("A request in time suspends the appeal period." in text) is promised
    assert ("do not count on the suspension" in text) is not promised
