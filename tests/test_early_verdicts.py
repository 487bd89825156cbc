"""Early verdicts (questions/checkpoints.py): bad news at once, never premature.

The interview is replayed answer by answer, in the order the questions are asked, over
whole cases (the bundled examples and variants of them); after each answer the
checkpoints say what they would say on the terminal. What must hold: a verdict said as
final is never undone by a later answer (it is the verdict of the whole case); a verdict
that a later answer does change was said as provisional; a bad verdict is said at the
answer that brings it, not later. The pseudo-terminal tests of the same behaviour, in
French and English, are in test_early_verdicts_terminal.py.
"""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml

from docassemble_asylum.i18n import language
from docassemble_asylum.procedures import get
from docassemble_asylum.questions import loader
from docassemble_asylum.questions.checkpoints import Checkpoints
from docassemble_asylum.questions.fields import dotted
from docassemble_asylum.questions.state import State, get as get_answer, put
from pinned_examples import EXAMPLE_DAY, pinned_example_text


def _completed(procedure: str, answers: dict) -> dict:
    """``answers`` with every question that applies answered: an optional one left empty,
    a yes/no without answer taken as no (the example leaves some unasked answers out)."""
    state = State(loader.load(procedure), get(procedure).model, copy.deepcopy(answers))
    for _round in range(200):
        missing = [n for n in state.walk(all_closed=True) if n.kind in ("ask", "group") and not n.answered]
        if not missing:
            return state.answers
        node = missing[0]
        if node.kind == "group":
            state.set(node.path, [])
            continue
        ref = state.ref(node.question, node.bindings)
        if node.question.default is not None and node.question.default != "today":
            value = node.question.default
        elif node.question.type == "yes_no":
            value = False
        else:
            value = ref.empty_value()
        state.set(node.path, value)
    raise AssertionError(f"{procedure}: answers still missing")


def _replay(procedure: str, answers: dict, today: dt.date) -> list[tuple[str, str, bool, bool, tuple]]:
    """Replay ``answers`` one question at a time; (question just answered, checkpoint key,
    provisional, bad news, lines) for every verdict said, then those said at the end of
    the interview (every list closed)."""
    interview = loader.load(procedure)
    model = get(procedure).model
    whole = State(interview, model, copy.deepcopy(answers))
    order = [n for n in whole.walk(all_closed=True) if n.kind in ("ask", "group")]
    checkpoints = Checkpoints(interview, today)
    said = []
    partial: dict = {}
    for node in order:
        value = get_answer(whole.answers, node.path)
        if node.kind == "group":
            if value == []:
                put(partial, node.path, [])
            continue
        put(partial, node.path, copy.deepcopy(value))
        state = State(interview, model, copy.deepcopy(partial))
        state.infer_closed()
        for early in checkpoints.due(state):
            said.append((dotted(node.path), early.key, early.provisional, early.bad, early.lines))
    # The end of the interview: every group closed (the review screen's state).
    state = State(interview, model, copy.deepcopy(partial))
    state.closed = {n.path for n in state.walk(all_closed=True) if n.kind == "group"}
    for early in checkpoints.due(state):
        said.append(("(end)", early.key, early.provisional, early.bad, early.lines))
    return said


def _case(procedure: str, change=None) -> dict:
    answers = yaml.safe_load(pinned_example_text(procedure))
    if change is not None:
        change(answers)
    return _completed(procedure, answers)


def _no_legal_aid(answers: dict) -> None:
    answers["legal_aid"] = {"status": "not_requested"}


def _accelerated(answers: dict) -> None:
    answers["interview"]["procedure"] = "accelerated"


def _sibling_then_parent(answers: dict) -> None:
    """A minor refugee: a brother first (only with a parent), then the mother."""
    person = answers["protected_person"]
    person["date_of_birth"] = "2010-05-01"
    first = copy.deepcopy(answers["members"][1])
    first.update(given_names="Omid", sex="male", relationship="sibling", date_of_birth="2012-01-10", marital_status="single", in_parents_care=True)
    for key in ("other_parent", "whose_child", "one_parent_basis", "union_date", "union_place"):
        first.pop(key, None)
    mother = copy.deepcopy(answers["members"][0])
    mother.update(given_names="Zohra", sex="female", relationship="parent", date_of_birth="1980-03-03")
    for key in ("union_date", "union_place", "marital_status"):
        mother.pop(key, None)
    answers["members"] = [first, mother]
    answers["protected_person"].pop("marital_status", None)


CASES = [
    # (procedure, change, days after the pinned day)
    ("cnda-appeal", None, 0),  # legal aid requested in time: the appeal is still open
    ("cnda-appeal", _no_legal_aid, 0),  # no legal aid: passed
    ("cnda-appeal", None, 30),
    ("cnda-legal-aid", None, 0),
    ("cnda-legal-aid", None, 20),
    ("interview-notice", None, 28),
    ("interview-notice", _accelerated, 28),
    ("interview-notice", None, 33),
    ("reunification", None, 0),
    ("reunification", _sibling_then_parent, 0),
]


@pytest.mark.parametrize(("procedure", "change", "later"), CASES, ids=lambda v: getattr(v, "__name__", str(v)))
def test_no_final_verdict_is_undone_by_a_later_answer(procedure, change, later):
    today = EXAMPLE_DAY[procedure] + dt.timedelta(days=later)
    with language("en"):
        said = _replay(procedure, _case(procedure, change), today)
    final: dict[str, tuple[bool, str]] = {}
    for where, key, provisional, bad, lines in said:
        if key in final:
            # Said as final before: a later answer may make it more precise, never turn it around
            # (no "too late" undone by a legal-aid request, no "eligible" undone by a later member).
            assert not provisional and bad == final[key][0], f"{key}: final at {final[key][1]}, then at {where}: {lines}"
        elif not provisional:
            final[key] = (bad, where)
        assert ("(provisional)" in lines[0]) == provisional
    # At the end nothing can change any more: every bad news said is said as final.
    last = {key: (provisional, bad) for where, key, provisional, bad, lines in said}
    assert all(not provisional for key, (provisional, bad) in last.items() if bad), last


def test_every_case_says_something():
    """The cases above are not vacuous: bad news at once in each procedure with a checkpoint."""
    spoken = set()
    for procedure, change, later in CASES:
        with language("en"):
            said = _replay(procedure, _case(procedure, change), EXAMPLE_DAY[procedure] + dt.timedelta(days=later))
        spoken |= {procedure for where, key, provisional, bad, lines in said if bad}
    assert spoken == {"cnda-appeal", "cnda-legal-aid", "interview-notice", "reunification"}


def test_legal_aid_in_time_turns_a_provisional_passed_deadline_into_an_open_one():
    with language("en"):
        said = _replay("cnda-appeal", _case("cnda-appeal"), EXAMPLE_DAY["cnda-appeal"])
    assert [(where, provisional, lines) for where, key, provisional, bad, lines in said] == [
        (
            "decision.notification.received_on",
            True,
            (
                "  ⚠ Deadline to appeal (provisional): the last day (Friday 3 April 2026) looks passed.",
                "    This may still change with your next answers:",
                # the legal-aid decision's notification date is asked only once a decision was received
                # (issue 21: nothing derivable asked), so it is not yet an answer to come
                "      • legal aid (a request made within 15 days of the notification suspends the period)",
            ),
        ),
        (
            "legal_aid.requested_on",
            True,
            (
                "  ✓ Deadline to appeal (provisional): the safe day (aim for this one) looks to be Tuesday 19 May 2026; "
                "the last day looks to be Wednesday 20 May 2026.",
                "    This may still change with your next answers:",
                "      • the notification of the legal-aid decision (the period runs again from it)",
            ),
        ),
        (
            "legal_aid.decision_notified_on",
            False,
            ("  ✓ Deadline to appeal: the safe day (aim for this one) is Monday 11 May 2026; the last day is Tuesday 12 May 2026.",),
        ),
    ]
    # The whole case says the same at the end (what build prints and the summary sheet shows).
    spec = get("cnda-appeal")
    answers = spec.validate(_case("cnda-appeal"), EXAMPLE_DAY["cnda-appeal"])
    with language("en"):
        lines = spec.report_lines(answers, EXAMPLE_DAY["cnda-appeal"])
    assert lines[:2] == ["Last day: Tuesday 12 May 2026", "Safe day (aim for this one): Monday 11 May 2026"]


def test_without_legal_aid_the_passed_deadline_becomes_final_only_once_legal_aid_is_answered():
    with language("fr"):
        said = _replay("cnda-appeal", _case("cnda-appeal", _no_legal_aid), EXAMPLE_DAY["cnda-appeal"])
    assert [(where, provisional, lines[0]) for where, key, provisional, bad, lines in said] == [
        (
            "decision.notification.received_on",
            True,
            "  ⚠ Délai de recours (provisoire) : le dernier jour (vendredi 3 avril 2026) semble dépassé.",
        ),
        (
            "legal_aid.status",
            False,
            "  ⚠ Délai de recours : le dernier jour (vendredi 3 avril 2026) est dépassé. Demandez immédiatement conseil (un avocat, une association).",
        ),
    ]


def test_a_notice_late_whatever_the_procedure_is_said_as_settled_before_the_procedure():
    today = dt.date(2026, 3, 6)  # a Friday; the interview is on Monday 9 March
    answers = _case("interview-notice")
    answers["interview"]["date"] = "2026-03-09"
    with language("en"):
        said = _replay("interview-notice", answers, today)
    assert [(where, provisional, lines) for where, key, provisional, bad, lines in said] == [
        (
            "interview.date",
            False,
            (
                "  ⚠ Notice to Ofpra: the notice is late whatever the procedure: the latest day to send it was Thursday 5 March 2026. "
                "It can still be sent, and says politely that it is late.",
            ),
        ),
        (
            "interview.procedure",
            False,
            (
                "  ⚠ Notice to Ofpra: the notice is late: the latest day to send it was Monday 2 March 2026. "
                "It can still be sent, and says politely that it is late.",
            ),
        ),
    ]


def test_a_brother_first_is_provisional_until_the_mother_is_added():
    with language("en"):
        said = _replay("reunification", _case("reunification", _sibling_then_parent), EXAMPLE_DAY["reunification"])
    heads = [(where, key, lines[0]) for where, key, provisional, bad, lines in said]
    assert heads == [
        ("members[0].visa_refusal_notified_on", "member_eligibility[0]", "  ⚠ Family member 1 (Omid RAHIMI, brother) (provisional): not eligible."),
        ("members[1].visa_refusal_notified_on", "member_eligibility[0]", "  ⚠ Family member 1 (Omid RAHIMI, brother) (provisional): uncertain."),
        ("members[1].visa_refusal_notified_on", "member_eligibility[1]", "  ⚠ Family member 2 (Zohra SADAT, mother) (provisional): uncertain."),
        ("marital_situation.current_union_kind", "member_eligibility[0]", "  ⚠ Family member 1 (Omid RAHIMI, brother): uncertain."),
        ("marital_situation.current_union_kind", "member_eligibility[1]", "  ⚠ Family member 2 (Zohra SADAT, mother): uncertain."),
    ]
    first = said[0][4]
    assert "      - Brothers and sisters can only come with a parent who is joining the protected person; no eligible parent is listed." in first
    assert first[-2:] == (
        "    This may still change with your next answers:",
        "      • the family members still to add (a brother or sister comes only with a parent; only one spouse can be admitted)",
    )


@pytest.mark.parametrize(
    ("lang", "caveat"),
    [
        ("en", "Certainty of these days: unverified (not confirmed from an official text: check it). The summary sheet explains why."),
        ("fr", "Certitude de ces dates : non vérifiée (non confirmée par un texte officiel : à vérifier). La fiche de synthèse explique pourquoi."),
    ],
)
def test_build_prints_the_days_with_the_caveat_of_the_summary_sheet(lang, caveat):
    """The terminal, after the documents: the last day, the safe day, and how sure they are
    when the summary sheet says they are not (here: overseas, an unverified extra month)."""
    spec = get("cnda-appeal")
    answers = _case("cnda-appeal")
    answers["applicant"]["lives_overseas"] = True
    day = EXAMPLE_DAY["cnda-appeal"]
    with language(lang):
        lines = spec.report_lines(spec.validate(answers, day), day)
        certainty = spec.report(spec.validate(answers, day), day)["deadline"]["certainty"]
    assert certainty == "unverified"
    assert caveat in lines
    assert lines.index(caveat) == 2  # after the last day and the safe day
    # A day the rules give (no legal aid: one reading) carries no caveat.
    with language(lang):
        verified = spec.validate(_case("cnda-appeal", _no_legal_aid), day)
        assert spec.report(verified, day)["deadline"]["certainty"] == "inference"  # an application of sourced rules
        plain = spec.report_lines(verified, day)
    assert not any(line.startswith(caveat.split(":")[0]) for line in plain)


def test_build_prints_each_family_members_certainty_when_it_is_not_verified():
    spec = get("reunification")
    day = EXAMPLE_DAY["reunification"]
    with language("en"):
        lines = spec.report_lines(spec.validate(_case("reunification"), day), day)
    start = next(i for i, line in enumerate(lines) if line.startswith("Yasin RAHIMI"))
    member = lines[start : next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("  - "))]
    assert member[-1] == "  - Certainty: uncertain: the rule itself is unsettled; get advice"
