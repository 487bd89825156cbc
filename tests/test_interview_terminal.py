"""The guided interview driven through a real pseudo-terminal, as a volunteer would use it.

For each procedure and each language, ``python -m docassemble_asylum build PROCEDURE``
(no ``--answers``) is spawned under pexpect and answered with the procedure's bundled
example. On the way: a wrong date is re-asked with the exact translated reason; one
answer is given wrong on purpose and corrected on the review screen; the interview is
interrupted with Ctrl-C (exit 130, a message saying how to resume, the answers file
0600) and resumed with ``--resume`` at the first unanswered question. Then the answers
file must equal the example once validated, be accepted by ``build --answers``, and
build documents with the same text as the interview's build.

``ASYLUMDOCS_INTERVIEW_TRACE=1`` makes the runner print the field of each step, so that
the test knows which example value to type without copying the question order here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import stat
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

pexpect = pytest.importorskip("pexpect")

from docassemble_asylum.errors import translate_error  # noqa: E402
from docassemble_asylum.i18n import language  # noqa: E402
from docassemble_asylum.procedures import available, get  # noqa: E402
from docassemble_asylum.questions import gettext as qgettext  # noqa: E402
from docassemble_asylum.questions import loader  # noqa: E402
from pinned_examples import pinned_example_text  # noqa: E402
from terminal_session import PROMPT, Terminals, interview_env  # noqa: E402

# today for the build, the answer given wrong then corrected on the review screen (a
# different valid value), and after how many questions Ctrl-C is pressed.
CASES = {
    "cnda-appeal": {"today": "2026-04-28", "correct": "decision.number", "wrong": "2026-999999", "interrupt": 12},
    "cnda-legal-aid": {"today": "2026-03-05", "correct": "decision.number", "wrong": "2026-999999", "interrupt": 12},
    "interview-notice": {"today": "2026-03-06", "correct": "interview.convocation_email", "wrong": "wrong@ofpra.example", "interrupt": 9},
    "interview-absence": {"today": "2026-04-08", "correct": "send_to", "wrong": "wrong@ofpra.example", "interrupt": 9},
    "reexamination": {"today": "2026-03-06", "correct": "final_decision.number", "wrong": "99999999", "interrupt": 20},
    "reunification": {"today": "2026-11-23", "correct": "protected_person.ofpra_file_number", "wrong": "99-99-99999", "interrupt": 15},
    "visa-appeal": {"today": "2026-12-04", "correct": "refusal.reference", "wrong": "TEH-9999-999999", "interrupt": 14},
    "bureau-letter": {"today": "2026-12-04", "correct": "visa_references", "wrong": "TEH-9999-999999", "interrupt": 12},
    "visa-tribunal": {"today": "2026-12-04", "correct": "refusal.reference", "wrong": "TEH-9999-999999", "interrupt": 14},
}
PROCEDURES = [p for p in CASES if p in available() and p in loader.question_set_paths()]
WORDS = {"fr": ("oui", "non"), "en": ("yes", "no")}


def _parts(path: str) -> list[str | int]:
    out: list[str | int] = []
    for piece in path.split("."):
        name, *indexes = re.split(r"\[|\]\[|\]", piece)
        out.append(name)
        out += [int(i) for i in indexes if i != ""]
    return out


_MISSING = object()


def _value(example: dict, path: str):
    data = example
    for part in _parts(path):
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return data


class Driver:
    """Answers the interview from an example answers file, with the planned detours."""

    def __init__(self, procedure: str, lang: str, example: dict, case: dict, terminal: Terminals):
        self.procedure, self.lang, self.example, self.case = procedure, lang, example, case
        self.terminal = terminal
        self.interview = loader.load(procedure)
        self.questions = {q.id: q for q in self.interview.questions()}
        self.asked = 0
        self.wrong_date_done = False
        self.wrong_answer_given = False
        self.corrected = False
        self.reviews = 0
        self.pages = 0
        self.paths: list[str] = []
        self.transcript: list[str] = []

    def spawn(self, *args: str, cwd: Path):
        child = self.terminal.interview(self.procedure, self.lang, self.case["today"], *args, cwd=cwd,
                                        env=interview_env(passphrase="correct horse battery staple"))
        child.logfile_read = _Collect(self.transcript)
        return child

    def model_default(self, question):
        """What the answers model assumes when the example leaves a field out."""
        from docassemble_asylum.questions.fields import field_ref

        ref = field_ref(get(self.procedure).model, question.field)
        if ref.required:
            return _MISSING
        return ref.adapter.dump_python(ref.info.get_default(call_default_factory=True), mode="json")

    def label(self, text: str) -> str:
        with language(self.lang):
            return qgettext(text)

    def answer_text(self, question, value) -> list[str]:
        yes, no = WORDS[self.lang]
        if value is _MISSING or value is None:
            return [""]
        if question.type == "yes_no":
            return [yes if value else no]
        if question.type == "choice":
            values = [c.value for c in question.choices]
            return [str(values.index(value) + 1)]
        if question.type == "long_text":
            return [*str(value).strip("\n").split("\n"), "."] if value else [""]
        if question.type == "date" and self.lang == "fr":
            day = dt.date.fromisoformat(value)
            return [f"{day.day:02d}/{day.month:02d}/{day.year}"]  # the French way is accepted too
        return [str(value)]

    def run(self, child, *, interrupt_at: int | None = None) -> str | None:
        """Answer until the end (None) or until Ctrl-C at question ``interrupt_at`` (its path)."""
        try:
            return self._run(child, interrupt_at)
        except pexpect.TIMEOUT:
            raise AssertionError("the interview stalled; its last output:\n" + "".join(self.transcript)[-3000:]) from None

    def _run(self, child, interrupt_at: int | None) -> str | None:
        yes, no = WORDS[self.lang]
        while True:
            index = child.expect([r"@ask (\S+) (\S+) (\S+)(?=\r\n)", r"@add (\S+) (\d+)(?=\r\n)", r"@review(?=\r\n)", pexpect.EOF,
                                  r"@from [^\r\n]+(?=\r\n)"])
            if index == 3:
                return None
            if index == 4:  # the first question: start from a related procedure's file; none here
                child.expect_exact(PROMPT)
                child.sendline("")
                continue
            if index == 0:
                path, kind, qid = child.match.groups()
                self.paths.append(path)
                question = self.questions[qid]
                child.expect(r"\[([^\]\r\n]+)\] ([^\r\n]*)(?=\r\n)")
                where, shown = child.match.groups()
                assert shown == self.label(question.label), (path, shown)
                assert re.fullmatch(r".+ \d+/\d+( · .+ \d+)*", where), where
                child.expect_exact(PROMPT)
                # An optional answer suggested from the previous family member, which this one leaves empty.
                suggested = "type - to leave it empty" in child.before or "tapez - pour la laisser vide" in child.before
                self.asked += 1
                if interrupt_at is not None and self.asked == interrupt_at:
                    child.sendintr()
                    return path
                value = _value(self.example, path)
                if kind == "date" and not self.wrong_date_done and value is not _MISSING:
                    self.wrong_date_done = True
                    child.sendline("2026-02-30")
                    with language(self.lang):
                        reason = translate_error({"type": "date_not_in_calendar"})  # the day, not the form
                    child.expect_exact("✗ " + reason)
                    child.expect_exact(PROMPT)
                if value is _MISSING:
                    value = self.model_default(question)
                if path == self.case["correct"] and not self.wrong_answer_given:
                    self.wrong_answer_given = True
                    value = self.case["wrong"]
                if suggested and value in (None, ""):
                    child.sendline("-")
                    continue
                for line in self.answer_text(question, value):
                    child.sendline(line)
            elif index == 1:
                path, count = child.match.group(1), int(child.match.group(2))
                child.expect_exact(PROMPT)
                wanted = _value(self.example, path)
                wanted = len(wanted) if isinstance(wanted, list) else 0
                child.sendline(yes if wanted > count else no)
            else:
                child.expect_exact(PROMPT)
                listing = child.before
                while "@more" in child.before:  # the review pages to the terminal's height: Enter shows the next screen
                    self.pages += 1
                    child.sendline("")
                    child.expect_exact(PROMPT)
                    listing += child.before
                self.reviews += 1
                lines = dict((p, n) for n, p in re.findall(r"@line (\d+) (\S+)", listing))
                if self.wrong_answer_given and not self.corrected:
                    assert self.case["wrong"] in listing
                    self.corrected = True
                    child.sendline(lines[self.case["correct"]])
                else:
                    child.sendline("")


class _Collect:
    def __init__(self, into: list[str]):
        self.into = into

    def write(self, text: str) -> None:
        self.into.append(text)

    def flush(self) -> None:
        pass


def _docx_texts(folder: Path) -> dict[str, str]:
    from docassemble_asylum.render.docx import docx_text

    return {p.name: docx_text(p.read_bytes()) for p in sorted(folder.glob("*.docx"))}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("procedure", PROCEDURES)
def test_whole_interview_in_a_terminal(procedure, lang, tmp_path, monkeypatch, terminal):
    case = CASES[procedure]
    spec = get(procedure)
    example = yaml.safe_load(pinned_example_text(spec.name))
    encrypt = procedure == "interview-notice" and lang == "en"  # one run saves encrypted answers
    save = tmp_path / ("answers.yaml.age" if encrypt else "answers.yaml")
    out = tmp_path / "out"
    options = ["--encrypt"] if encrypt else []
    driver = Driver(procedure, lang, example, case, terminal)

    # First session: interrupted with Ctrl-C.
    child = driver.spawn("--out", str(out), "--save", str(save), *options, cwd=tmp_path)
    stopped_at = driver.run(child, interrupt_at=case["interrupt"])
    assert stopped_at is not None
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130, "".join(driver.transcript)[-2000:]
    stopped = child.before
    assert str(save) in stopped and "--resume" in stopped
    with language(lang):
        assert qgettext("To continue where you stopped, run:") in stopped
    assert stat.S_IMODE(save.stat().st_mode) == 0o600
    assert not out.exists()
    if encrypt:
        assert save.read_bytes().startswith(b"age-encryption.org/")

    # Second session: resumes at the question that was interrupted, then goes to the end.
    monkeypatch.setenv("ASYLUMDOCS_PASSPHRASE", "correct horse battery staple")
    if not encrypt:  # (spares a few seconds of scrypt)
        child = driver.spawn("--out", str(out), "--resume", str(save), "--save", str(save), *options, cwd=tmp_path)
        child.expect(r"@ask (\S+) ")
        assert child.match.group(1) == stopped_at
        child.expect_exact(PROMPT)
        child.sendintr()  # and once more, right away: nothing answered is lost
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 130
    child = driver.spawn("--out", str(out), "--resume", str(save), "--save", str(save), *options, cwd=tmp_path)
    driver.asked = 0
    driver.paths = []
    assert driver.run(child) is None
    assert driver.paths[0] == stopped_at
    child.close()
    transcript = "".join(driver.transcript)
    assert child.exitstatus == 0, transcript[-3000:]
    assert driver.wrong_date_done and driver.corrected and driver.reviews >= 2
    assert stat.S_IMODE(save.stat().st_mode) == 0o600

    # The answers file: the example's answers, accepted by --answers, same documents.
    from docassemble_asylum.procedures.base import read_answers_file

    raw, data = read_answers_file(save)
    day = dt.date.fromisoformat(case["today"])
    assert spec.validate(raw, day) == spec.validate(example, day)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["input_sha256"] == hashlib.sha256(data).hexdigest()

    from tests.conftest import run_cli

    again = tmp_path / "again"
    result = run_cli("build", procedure, "--answers", str(save), "--out", str(again), "--today", case["today"], "--lang", lang,
                     env={"ASYLUMDOCS_PASSPHRASE": "correct horse battery staple"}, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    interview_texts = _docx_texts(out)
    assert interview_texts and interview_texts == _docx_texts(again)
