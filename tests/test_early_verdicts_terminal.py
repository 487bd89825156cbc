"""Early verdicts on a real pseudo-terminal: said right after the answer that brings them.

The interview resumes from a case answered up to the question that matters (the date of
notification, the interview's date, a family member's last question), so each test types
only what it is about. ``ASYLUMDOCS_INTERVIEW_TRACE=1`` tells the test which question is
on screen and marks each verdict (``@verdict <checkpoint> provisional|final``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

pexpect = pytest.importorskip("pexpect")

from pinned_examples import EXAMPLE_DAY  # noqa: E402
from terminal_session import PROMPT  # noqa: E402
from test_early_verdicts import _case, _sibling_then_parent  # noqa: E402


def _resumed(terminal, procedure: str, lang: str, today: str, answers: dict, folder: Path):
    """The interview resumed from ``answers`` (written to the folder), building into ``folder/out``."""
    resume = folder / "answers.yaml"
    resume.write_text(yaml.safe_dump(answers, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return terminal.interview(procedure, lang, today, "--out", str(folder / "out"), "--resume", str(resume), cwd=folder, dimensions=(60, 250))


def _appeal_at_the_notification_date(terminal, lang: str, folder: Path):
    """The CNDA appeal resumed at the date of notification, legal aid not answered yet."""
    answers = _case("cnda-appeal")
    del answers["decision"]["notification"]["received_on"]
    del answers["legal_aid"]
    child = _resumed(terminal, "cnda-appeal", lang, EXAMPLE_DAY["cnda-appeal"].isoformat(), answers, folder)
    _at(child, "decision.notification.received_on")
    return child


def _at(child, path: str) -> str:
    """Wait for the question at ``path`` and its prompt; what was shown since the last answer."""
    child.expect(r"@(?:ask|add) (\S+) \S+[^\r\n]*\r\n")
    before = child.before
    assert child.match.group(1) == path, (path, child.match.group(1))
    child.expect_exact(PROMPT)
    return before


def _confirm_review(child) -> str:
    """Enter through the review screen's pages (it pages to the terminal's height); the rest of the output."""
    out = ""
    for _page in range(20):
        if child.expect([PROMPT, pexpect.EOF]) == 1:
            child.close()
            return out + child.before
        out += child.before
        child.sendline("")
    raise AssertionError("the review screen does not end")


def _verdict(shown: str) -> list[str]:
    """The lines of the verdict in ``shown`` (its trace line first), without the terminal's \\r."""
    lines = shown.replace("\r\n", "\n").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("@verdict"))
    return [line for line in lines[start:] if line.strip()]


def test_french_appeal_deadline_provisional_then_changed_by_legal_aid_in_time(tmp_path, terminal):
    child = _appeal_at_the_notification_date(terminal, "fr", tmp_path)
    child.sendline("02/03/2026")
    assert _verdict(_at(child, "legal_aid.status")) == [
        "@verdict appeal_deadline provisional",
        "  ⚠ Délai de recours (provisoire) : le dernier jour (vendredi 3 avril 2026) semble dépassé.",
        "    Cela peut encore changer selon vos prochaines réponses :",
        "      • l'aide juridictionnelle (une demande faite dans les 15 jours de la notification suspend le délai)",
    ]
    child.sendline("accordée")
    assert "@verdict" not in _at(child, "legal_aid.requested_on")
    child.sendline("12/03/2026")
    assert _verdict(_at(child, "legal_aid.request_proof")) == [
        "@verdict appeal_deadline provisional",
        "  ✓ Délai de recours (provisoire) : la date sûre (visez celle-ci) semble être le mardi 19 mai 2026 ; "
        "le dernier jour semble être le mercredi 20 mai 2026.",
        "    Cela peut encore changer selon vos prochaines réponses :",
        "      • la notification de la décision d'aide juridictionnelle (le délai court à nouveau à compter de celle-ci)",
    ]
    child.sendline("")
    _at(child, "legal_aid.decided_on")
    child.sendline("15/04/2026")
    _at(child, "legal_aid.decision_notified_on")
    child.sendline("20/04/2026")
    assert _verdict(_at(child, "legal_aid.designated_lawyer")) == [
        "@verdict appeal_deadline final",
        "  ✓ Délai de recours : la date sûre (visez celle-ci) est le lundi 11 mai 2026 ; le dernier jour est le mardi 12 mai 2026.",
    ]
    child.sendline("Claire Martin")
    _at(child, "legal_aid.designated_lawyer_sex")  # optional, for the letter's agreement
    child.sendline("")
    _at(child, "legal_aid.reference")
    child.sendline("")
    child.expect_exact("@review")
    end = _confirm_review(child)
    assert child.exitstatus == 0, end
    # The final screen says it all: the day of the whole case, the same as the last verdict.
    assert "Dernier jour : mardi 12 mai 2026" in end
    assert "@verdict" not in end  # nothing more to say once every answer is in
    assert (tmp_path / "out" / "recours-cnda.docx").is_file()


def test_english_appeal_deadline_passed_is_final_only_once_legal_aid_is_answered(tmp_path, terminal):
    child = _appeal_at_the_notification_date(terminal, "en", tmp_path)
    child.sendline("2026-03-02")
    shown = _verdict(_at(child, "legal_aid.status"))
    assert shown[:2] == ["@verdict appeal_deadline provisional", "  ⚠ Deadline to appeal (provisional): the last day (Friday 3 April 2026) looks passed."]
    assert not any("has passed" in line for line in shown)
    child.sendline("Not requested")
    child.expect_exact("@review")
    assert _verdict(child.before) == [
        "@verdict appeal_deadline final",
        "  ⚠ Deadline to appeal: the last day (Friday 3 April 2026) has passed. Get legal advice at once (a lawyer, an association).",
    ]
    end = _confirm_review(child)
    assert child.exitstatus == 0, end
    assert "The last day (Friday 3 April 2026) has passed. Get legal advice at once (a lawyer, an association)." in end


def test_english_late_notice_said_at_the_interview_date_then_settled_by_the_procedure(tmp_path, terminal):
    answers = _case("interview-notice")
    del answers["interview"]["date"]
    del answers["interview"]["procedure"]
    child = _resumed(terminal, "interview-notice", "en", "2026-03-06", answers, tmp_path)
    _at(child, "interview.date")
    child.sendline("12/03/2026")
    assert _verdict(_at(child, "interview.procedure")) == [
        "@verdict late_notice provisional",
        "  ⚠ Notice to Ofpra (provisional): the notice looks late: in the normal procedure, the latest day to send it was Thursday 5 March 2026.",
        "    This may still change with your next answers:",
        "      • the procedure stated on the convocation (the notice is due earlier in the normal procedure)",
    ]
    child.sendline("accelerated")
    assert _verdict(_at(child, "attachments")) == [
        "@verdict late_notice final",
        "  ✓ Notice to Ofpra: the latest day to send the notice is Sunday 8 March 2026; the recommended day (a working day) is Friday 6 March 2026.",
    ]
    child.sendline("no")  # no other file to attach
    child.expect_exact("@review")
    end = _confirm_review(child)
    assert child.exitstatus == 0, end
    assert "Latest day to send the notice: Sunday 8 March 2026" in end


def test_french_family_member_verdict_right_after_the_member_then_final_when_the_list_is_closed(tmp_path, terminal):
    answers = _case("reunification", _sibling_then_parent)
    answers = {"protected_person": answers["protected_person"], "members": answers["members"][:1]}
    del answers["members"][0]["visa_refusal_notified_on"]
    child = _resumed(terminal, "reunification", "fr", EXAMPLE_DAY["reunification"].isoformat(), answers, tmp_path)
    _at(child, "members[0].visa_refusal_notified_on")
    child.sendline("")
    shown = _verdict(_at(child, "members"))  # right after the member, before "add another?"
    assert shown[:2] == [
        "@verdict member_eligibility[0] provisional",
        "  ⚠ Membre de la famille 1 (Omid RAHIMI, frère) (provisoire) : non éligible.",
    ]
    reason = "      - Les frères et sœurs ne peuvent venir qu'avec un parent qui rejoint la personne protégée ; aucun parent éligible n'est indiqué."
    assert reason in shown
    assert shown[-2:] == [
        "    Cela peut encore changer selon vos prochaines réponses :",
        "      • les membres de la famille restant à ajouter (un frère ou une sœur ne vient qu'avec un parent ; un seul conjoint peut être admis)",
    ]
    child.sendline("non")  # no other member: nothing can change it any more
    final = _verdict(_at(child, "marital_situation.current_union_kind"))
    assert final[:2] == ["@verdict member_eligibility[0] final", "  ⚠ Membre de la famille 1 (Omid RAHIMI, frère) : non éligible."]
    assert reason in final
    assert not any("Cela peut encore changer" in line for line in final)
    child.sendintr()
    child.expect(pexpect.EOF)
