"""Nothing derivable is asked (issue 21), driven through a real pseudo-terminal.

- The legal-aid decision's notification date is asked only once a decision was received
  (granted or refused), never for a request still waiting for its decision; an old answers
  file that has it anyway still builds as it did, from ``--answers`` and from the interview.
- Whether the applicant lives overseas is suggested from the postal code (yes for Mayotte,
  no for Guyane, which Ofpra puts with mainland France, no for mainland France) and
  confirmed by the user: the question is still asked, Enter accepts the suggestion.
- The generated docassemble interview offers the same suggestion as the field's default.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_cli

pexpect = pytest.importorskip("pexpect")

from docassemble_asylum.i18n import language  # noqa: E402
from docassemble_asylum.questions import gettext as qgettext  # noqa: E402
from pinned_examples import EXAMPLE_DAY, pinned_example_text  # noqa: E402
from terminal_session import PROMPT  # noqa: E402

TODAY = EXAMPLE_DAY["cnda-appeal"].isoformat()


def _example(procedure: str = "cnda-appeal") -> dict:
    """The example as validated (the model's defaults written out): every question answered."""
    from docassemble_asylum.procedures import get

    raw = yaml.safe_load(pinned_example_text(procedure))
    return get(procedure).validate(raw, EXAMPLE_DAY[procedure]).model_dump(mode="json")


def _asked_until_review(child, answer: str = "") -> list[str]:
    """The fields asked (each answered with ``answer``) until the review screen."""
    asked = []
    while True:
        index = child.expect([r"@ask (\S+) ", r"@review(?=\r\n)"])
        if index == 1:
            child.expect_exact(PROMPT)
            while "@more" in child.before:  # the review pages to the terminal's height
                child.sendline("")
                child.expect_exact(PROMPT)
            return asked
        asked.append(child.match.group(1))
        child.expect_exact(PROMPT)
        child.sendline(answer)


def _stop(child) -> None:
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def _write(path: Path, answers: dict) -> Path:
    path.write_text(yaml.safe_dump(answers, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("requested", ["legal_aid.request_proof", "legal_aid.reference"]),
        ("refused", ["legal_aid.request_proof", "legal_aid.decided_on", "legal_aid.decision_notified_on", "legal_aid.reference"]),
    ],
)
def test_the_legal_aid_decision_date_is_asked_only_once_a_decision_was_received(status, expected, tmp_path, terminal):
    answers = _example()
    answers["legal_aid"] = {"status": status, "requested_on": answers["legal_aid"]["requested_on"]}
    saved = _write(tmp_path / "answers.yaml", answers)
    child = terminal.interview("cnda-appeal", "en", TODAY, "--out", str(tmp_path / "out"), "--resume", str(saved), cwd=tmp_path)
    assert _asked_until_review(child) == expected
    _stop(child)


def _docx_texts(folder: Path) -> dict[str, str]:
    from docassemble_asylum.render.docx import docx_text

    return {p.name: docx_text(p.read_bytes()) for p in sorted(folder.glob("*.docx"))}


def test_an_old_file_with_the_date_of_a_decision_still_awaited_builds_as_before(tmp_path, terminal):
    """A file written when the question was asked for a pending request keeps its answer:
    ``--answers`` and a resumed interview build the same documents, which still list it."""
    answers = _example()
    answers["legal_aid"].update(status="requested")
    for key in ("decided_on", "designated_lawyer"):
        answers["legal_aid"].pop(key)
    old = _write(tmp_path / "old.yaml", answers)
    result = run_cli("build", "cnda-appeal", "--answers", str(old), "--out", str(tmp_path / "cli"), "--today", TODAY, "--lang", "en", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    texts = _docx_texts(tmp_path / "cli")
    assert any("notifiée le 20 avril 2026" in text for text in texts.values())

    child = terminal.interview("cnda-appeal", "en", TODAY, "--out", str(tmp_path / "interview"), "--resume", str(old), "--save", str(old), cwd=tmp_path)
    assert _asked_until_review(child) == []
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert yaml.safe_load(old.read_text(encoding="utf-8"))["legal_aid"]["decision_notified_on"] == "2026-04-20"
    assert _docx_texts(tmp_path / "interview") == texts


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(
    ("postal_code", "suggested", "saved"),
    [("97600", "yes", True), ("97300", "no", False), ("93100", "no", False)],
)
def test_overseas_residence_is_suggested_from_the_postal_code_and_confirmed(lang, postal_code, suggested, saved, tmp_path, terminal):
    answers = _example()
    answers["applicant"]["address"]["postal_code"] = postal_code
    del answers["applicant"]["lives_overseas"]
    path = _write(tmp_path / "answers.yaml", answers)
    child = terminal.interview("cnda-appeal", lang, TODAY, "--out", str(tmp_path / "out"), "--resume", str(path), "--save", str(path), cwd=tmp_path)
    child.expect(r"@ask (\S+) ")
    assert child.match.group(1) == "applicant.lives_overseas"
    child.expect_exact(PROMPT)
    with language(lang):
        line = qgettext("Suggested answer: {value} (press Enter to accept it).").format(value=qgettext(suggested))
    assert ("  " + line) in child.before.splitlines()
    expected = {
        ("fr", "yes"): "Réponse proposée : oui (Entrée pour l'accepter).",
        ("en", "yes"): "Suggested answer: yes (press Enter to accept it).",
        ("fr", "no"): "Réponse proposée : non (Entrée pour l'accepter).",
        ("en", "no"): "Suggested answer: no (press Enter to accept it).",
    }[(lang, suggested)]
    assert line.replace("\u202f", " ").replace("\u00a0", " ") == expected
    child.sendline("")
    assert _asked_until_review(child) == []
    _stop(child)
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["applicant"]["lives_overseas"] is saved


def test_a_suggestion_can_be_refused(tmp_path, terminal):
    """A domiciliation address in Mayotte for a person who lives elsewhere: "no" is kept."""
    answers = _example("cnda-legal-aid")
    answers["applicant"]["address"]["postal_code"] = "97600"
    del answers["applicant"]["lives_overseas"]
    path = _write(tmp_path / "answers.yaml", answers)
    child = terminal.interview("cnda-legal-aid", "en", TODAY, "--out", str(tmp_path / "out"), "--resume", str(path), "--save", str(path), cwd=tmp_path)
    child.expect(r"@ask applicant.lives_overseas ")
    child.expect_exact(PROMPT)
    assert "Suggested answer: yes (press Enter to accept it)." in child.before
    child.sendline("no")
    assert _asked_until_review(child) == []
    _stop(child)
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["applicant"]["lives_overseas"] is False


@pytest.mark.parametrize(
    ("postal_code", "country", "expected"),
    [
        ("97600", "France", True),
        ("97 4 10", "FRANCE", True),
        ("97300", "France", False),
        ("93100", None, False),
        ("97600", "Belgique", None),
        ("", "France", None),
        (None, None, None),
    ],
)
def test_the_suggestion_from_the_postal_code(postal_code, country, expected):
    from docassemble_asylum.questions.predicates import overseas_postal_code

    assert overseas_postal_code(postal_code, country) is expected


def test_the_docassemble_interview_offers_the_same_suggestion_as_default():
    text = (ROOT / "docassemble" / "asylum" / "data" / "questions" / "cnda-appeal.yml").read_text(encoding="utf-8")
    blocks = [
        b for b in yaml.safe_load_all(text)
        if isinstance(b, dict) and str(b.get("id", "")).endswith(" lives_overseas") and "fields" in b  # not the early verdict after it
    ]
    assert len(blocks) == 2  # English and French
    for block in blocks:
        (field,) = block["fields"]
        assert field["default"] == (
            "${ asylum_suggest(asylum_answers, 'overseas_postal_code(applicant.address.postal_code, applicant.address.country)', "
            "functions={'overseas_postal_code': 'docassemble_asylum.questions.predicates:overseas_postal_code'}) }"
        )
    # What the glue's asylum_suggest computes, with the core's evaluator (the glue itself needs docassemble).
    from docassemble_asylum.questions import conditions
    from docassemble_asylum.questions.predicates import overseas_postal_code

    answers = {"applicant": {"address": {"postal_code": "97600", "country": "France"}}}
    value = conditions.value_of(
        "overseas_postal_code(applicant.address.postal_code, applicant.address.country)",
        lambda name: answers["applicant"]["address"].get(name.rsplit(".", 1)[1]),
        {"overseas_postal_code": overseas_postal_code},
    )
    assert value is True


def test_a_question_set_suggestion_is_checked_like_a_condition(tmp_path):
    from docassemble_asylum.questions import loader

    (tmp_path / "blocks").mkdir()
    path = tmp_path / "cnda-appeal.yml"
    path.write_text(
        "procedure: cnda-appeal\ntitle: T\nshort_title: T\nsections:\n  - id: s\n    title: S\n    questions:\n"
        "      - {id: q, field: applicant.lives_overseas, type: yes_no, label: L, suggest: 'far(applicant.address.postal_code)'}\n",
        encoding="utf-8",
    )
    with pytest.raises(loader.QuestionSetError, match=r"q: suggest calls far\(\), not declared under functions:"):
        loader.load_path(path)
    path.write_text(path.read_text(encoding="utf-8").replace("suggest: 'far(", "default: true, suggest: 'far("), encoding="utf-8")
    with pytest.raises(loader.QuestionSetError, match="give one of default, default_from and suggest"):
        loader.load_path(path)
