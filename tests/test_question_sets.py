"""Question sets: the schema, the meta-checks against the answers models, the catalogs,
and the runner's logic driven in-process (the pseudo-terminal tests are in
test_interview_terminal.py).

The meta-tests fail when a question set drifts from its model: a field renamed or
removed, a choice added to a Literal, a new required field nobody asks, a text without
its French translation.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Literal

import click
import pytest
import yaml
from pydantic import BaseModel, Field

from docassemble_asylum.errors import UserError, translate_error
from docassemble_asylum.i18n import language
from docassemble_asylum.procedures import MODULES, available, get
from docassemble_asylum.procedures.base import other_answer
from docassemble_asylum.questions import check, conditions, loader
from docassemble_asylum.questions import gettext as qgettext
from docassemble_asylum.questions.extract import extract_question_set
from docassemble_asylum.questions.runner import Terminal, run_interview, write_answers
from tests.conftest import ROOT
from tests.test_dates_not_in_calendar import BAD_FORM, NO_SUCH_DAY

TERMINAL_BAD_FORM = {
    "en": "not a valid date: write it as DD/MM/YYYY or YYYY-MM-DD, for example 02/03/2026.",
    "fr": "date invalide : écrivez-la JJ/MM/AAAA ou AAAA-MM-JJ, par exemple 02/03/2026.",
}
from pinned_examples import pinned_example_text

SETS = sorted(loader.question_set_paths())
TODAY = {"cnda-appeal": "2026-04-28", "cnda-legal-aid": "2026-03-05", "interview-notice": "2026-03-06", "interview-absence": "2026-04-08", "reexamination": "2026-03-06", "reunification": "2026-11-23", "visa-appeal": "2026-12-04", "bureau-letter": "2026-12-04", "visa-tribunal": "2026-12-04"}


# ---------------------------------------------------------------- the shipped question sets


def test_every_procedure_has_its_question_set():
    assert set(available()) <= set(SETS)
    assert set(SETS) <= set(MODULES)


@pytest.mark.parametrize("procedure", SETS)
def test_question_set_loads_and_matches_the_model(procedure):
    if procedure not in available():
        pytest.skip(f"the {procedure} procedure is not in this checkout yet")
    interview = loader.load(procedure)
    assert interview.procedure == procedure
    assert check.problems(interview, get(procedure).model) == []


@pytest.mark.parametrize("procedure", SETS)
def test_the_interview_never_asks_what_is_derived(procedure):
    interview = loader.load(procedure)
    asked = " ".join(q.field for q in interview.questions())
    for derivable in ("prefecture", "age", "deadline", "last_day", "safe_day", "verdict", "eligib"):
        assert not re.search(rf"(^|[.\s_]){derivable}", asked), derivable
    assert interview.derived, "say what is derived, and from what"


def _fr_catalog():
    from babel.messages.pofile import read_po

    with (ROOT / "docassemble_asylum/locale/fr/LC_MESSAGES/questions.po").open("rb") as handle:
        return read_po(handle, locale="fr", domain="questions")


@pytest.mark.parametrize("procedure", SETS)
def test_every_text_of_the_interview_has_a_french_translation(procedure):
    catalog = _fr_catalog()
    missing = []
    for where, text in check.translatable_texts(loader.load(procedure)):
        message = catalog.get(text)
        if message is None or not message.string:
            missing.append(f"{where}: {text!r}")
    assert missing == []
    with language("fr"):
        assert qgettext(loader.load(procedure).title) != loader.load(procedure).title


def test_shared_message_ids_are_translated_as_the_other_domains_do():
    """All domains merge into one translator: a label that is also a model title (``Family
    name``) must read the same, or this catalog would change the other domains' messages."""
    from babel.messages.pofile import read_po

    others = {}
    for path in sorted((ROOT / "docassemble_asylum/locale/fr/LC_MESSAGES").glob("*.po")):
        if path.stem != "questions":
            with path.open("rb") as handle:
                for message in read_po(handle, locale="fr"):
                    if message.id and message.string:
                        others.setdefault(message.id, (path.stem, message.string))
    different = [
        f"{m.id!r}: {m.string!r} here, {others[m.id][1]!r} in {others[m.id][0]}"
        for m in _fr_catalog()
        if m.id in others and m.string != others[m.id][1]
    ]
    assert different == []


def test_questions_catalog_is_fresh_and_complete():
    """Labels, help, choices AND the runner's own messages: extracted, translated, compiled."""
    result = subprocess.run(
        [sys.executable, "tools/i18n.py", "--check", "--domain", "questions"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_the_extractor_finds_every_text_the_runner_shows():
    extracted = set()
    for path in sorted((ROOT / "interviews").rglob("*.yml")):
        for filename, lineno, message, comments in extract_question_set(path):
            assert filename.startswith("interviews/") and lineno > 0 and comments
            extracted.add(message)
    for procedure in SETS:
        for where, text in check.translatable_texts(loader.load(procedure)):
            assert text in extracted, where


def test_resolved_form_for_the_docassemble_generator():
    interview = loader.load("cnda-appeal")
    fields = interview.by_field()
    assert fields["exhibits[i].title"][0].id == "exhibits.title"
    assert fields["applicant.other_names[i]"][0].type == "text"
    group = fields["exhibits"][0]
    assert group.index == "i" and group.is_group and group.questions[0].field == "exhibits[i].title"
    online = fields["decision.notification.posted_online_on"][0]
    assert online.when == 'decision.notification.method == "online"'
    assert conditions.to_python(online.when, lambda p: p.replace("[i]", "[i]")) == "decision.notification.method == 'online'"
    dumped = interview.model_dump()
    assert dumped["sections"][0]["questions"][0]["field"] == "applicant.family_name"


# ---------------------------------------------------------------- conditions


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ('a.b == "x"', {"a.b": "x"}, True),
        ('a.b != "x"', {}, True),
        ('a in ["x", "y"] and not b', {"a": "y", "b": False}, True),
        ('a not in ["x"] or b', {"a": "x", "b": None}, False),
        ("d < root_date", {"d": "2026-01-01", "root_date": "2026-02-01"}, True),
        ("d < e", {"d": None, "e": "2026-02-01"}, False),
        ("count(items) > 1", {"items": [1, 2]}, True),
        ("count(items) > 1", {}, False),
        ("n >= 3 and (x == true or y == null)", {"n": 3, "x": False}, True),
    ],
)
def test_conditions_evaluate(text, answers, expected):
    assert conditions.evaluate(text, answers.get) is expected


@pytest.mark.parametrize("text", ["", "a ==", "__import__('os')", "a.b(1)", "a = 1", "a == 'x' and", "lambda: 1", "a[0]"])
def test_conditions_refuse_what_they_do_not_know(text):
    with pytest.raises(conditions.ConditionError):
        conditions.parse(text)
        conditions.evaluate(text, lambda name: None, {})


def test_conditions_rename_and_python():
    text = 'relationship in ["spouse", "partner"] and not_latin(family_name)'
    renamed = conditions.rename(text, lambda p: f"members[i].{p}")
    assert renamed == 'members[i].relationship in ["spouse", "partner"] and not_latin(members[i].family_name)'
    assert conditions.to_python("a == null or not b") == "a == None or not b"
    assert conditions.names(renamed) == ["members[i].relationship", "members[i].family_name"]
    assert conditions.evaluate("f(a)", {"a": "x"}.get, {"f": lambda v: v == "x"}) is True


# ---------------------------------------------------------------- schema and meta-checks


class _Inner(BaseModel):
    name: str = Field(min_length=1)
    note: str = ""


class _Model(BaseModel):
    kind: Literal["a", "b"]
    when_a: str = ""
    day: dt.date
    items: list[_Inner] = Field(default_factory=list)
    flag: bool = False
    derived_value: str = ""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GOOD = """\
    procedure: demo
    title: Demo
    short_title: Demo
    derived:
      - name: something
        from: [day]
        by: somewhere
        field: derived_value
    sections:
      - id: main
        title: Main
        questions:
          - id: kind
            field: kind
            type: choice
            label: Kind
            choices:
              - {value: a, label: A}
              - {value: b, label: B}
          - id: when_a
            field: when_a
            type: text
            label: Only for a
            when: kind == "a"
            required: false
          - id: day
            field: day
            type: date
            label: Day
            default: today
          - id: items
            field: items
            type: group
            label: Items
            item_label: Item
            questions:
              - include: blocks/inner.yml
"""
BLOCK = """\
    block: inner
    questions:
      - id: name
        field: name
        type: text
        label: Name
"""


def _demo(tmp_path: Path, text: str = GOOD, block: str = BLOCK) -> loader.Interview:
    _write(tmp_path, "blocks/inner.yml", block)
    return loader.load_path(_write(tmp_path, "demo.yml", text))


def test_a_good_small_set_passes(tmp_path):
    interview = _demo(tmp_path)
    assert [q.field for q in interview.questions()] == ["kind", "when_a", "day", "items", "items[i].name"]
    assert check.problems(interview, _Model) == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("label: Kind", "label: Kind\n            lable: typo", "lable"),
        ('when: kind == "a"', 'when: kind = "a"', "condition"),
        ("include: blocks/inner.yml", "include: blocks/missing.yml", "does not exist"),
        ('when: kind == "a"', "when: unknown_function(kind)", "not declared under functions"),
        ("type: date", "type: datetime", "type"),
        ("field: when_a\n", "field: kind\n", "give each a when"),
        ("field: day\n", "field: .\n", "outside a group"),
    ],
)
def test_the_schema_refuses_mistakes(tmp_path, old, new, message):
    assert old in GOOD
    with pytest.raises(loader.QuestionSetError, match=message):
        _demo(tmp_path, GOOD.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("field: day", "field: dai", "no field 'dai'"),
        ("field: when_a\n            type: text", "field: when_a\n            type: date", "a date question cannot fill a field of kind str"),
        ("{value: b, label: B}", "{value: c, label: C}", "differ from the model's values"),
        ('when: kind == "a"', 'when: kind == "z"', "not one of its choices"),
        ('when: kind == "a"', "when: day == null", "which no earlier question asks"),
        ("label: Only for a", "label: Only for a\n            default_from: flag", "which no earlier question asks"),
        ("field: when_a", "field: derived_value", "this field is derived"),
    ],
)
def test_the_meta_check_catches_drift(tmp_path, old, new, expected):
    assert old in GOOD
    found = check.problems(_demo(tmp_path, GOOD.replace(old, new, 1)), _Model)
    assert any(expected in p for p in found), found


def test_a_block_that_misses_a_required_field_is_reported(tmp_path):
    found = check.problems(_demo(tmp_path, block=BLOCK.replace("field: name", "field: note")), _Model)
    assert any(p.startswith("items[i].name: required") for p in found), found


def _upper_kind(answers: dict) -> str:
    return str(answers.get("kind", "")).upper()


def test_a_derived_field_is_computed_not_asked(tmp_path):
    from docassemble_asylum.questions.state import State

    text = GOOD.replace("        field: derived_value\n", "        field: derived_value\n        compute: tests.test_question_sets:_upper_kind\n")
    interview = _demo(tmp_path, text)
    assert check.problems(interview, _Model) == []
    state = State(interview, _Model)
    state.set(("kind",), "b")
    state.set(("day",), "2026-01-02")
    assert state.answers["derived_value"] == "B"
    assert all(node.question.field != "derived_value" for node in state.walk())


def test_required_field_never_asked_is_reported(tmp_path):
    text = GOOD.replace("""          - id: day
            field: day
            type: date
            label: Day
            default: today
""", "")
    assert any(p.startswith("day: required") for p in check.problems(_demo(tmp_path, text), _Model))


# ---------------------------------------------------------------- the runner, in-process


CTRL_C = object()


class Scripted(Terminal):
    """Answers from the example (through the trace lines) unless a script says otherwise."""

    def __init__(self, procedure: str, lang: str, example: dict | None = None, script: dict | None = None,
                 changes: list | None = None):
        self.procedure, self.lang = procedure, lang
        self.changes = list(changes or [])  # (path, {path: answers}) to change on the review screen
        self.lines: dict[str, str] = {}
        self.example = example if example is not None else yaml.safe_load(pinned_example_text(procedure))
        self.script = {k: list(v) for k, v in (script or {}).items()}  # path or "@review" -> answers to give first
        self.out: list[str] = []
        self.step: tuple[str, ...] = ()
        self.queue: list[str] = []
        self.questions = {q.id: q for q in loader.load(procedure).questions()}
        self.asks = 0

    def say(self, text: str = "") -> None:
        self.out.append(text)
        if text.startswith("@line "):
            _, number, path = text.split(" ")
            self.lines[path] = number
        if text.startswith(("@ask ", "@add ", "@from ")) or text == "@review":
            self.step = tuple(text[1:].split(" "))
            self.queue = []

    def text(self) -> str:
        return "\n".join(self.out)

    def ask(self, prompt: str = "> ") -> str:
        if self.queue:
            return self.queue.pop(0)
        self.asks += 1
        if self.asks > 600:
            raise AssertionError("the interview does not end:\n" + "\n".join(self.out[-30:]))
        kind, *rest = self.step
        if kind == "from":  # the first question: start from a related file (none, unless scripted)
            return self.script.get("@from", [""]).pop(0) if self.script.get("@from") else ""
        key = "@review" if kind == "review" else rest[0]
        if self.script.get(key):
            answer = self.script[key].pop(0)
            if answer is CTRL_C:
                raise KeyboardInterrupt
            lines = answer if isinstance(answer, list) else [answer]
            self.queue = lines[1:]
            return lines[0]
        if kind == "review":
            if self.changes:
                path, answers, *group_action = self.changes.pop(0)
                for key, given in answers.items():
                    self.script[key] = list(given)
                self.queue = list(group_action)  # what to type at a group's prompt (+, or a number)
                return self.lines[path]
            return ""
        yes, no = ("oui", "non") if self.lang == "fr" else ("yes", "no")
        value = _value(self.example, rest[0])
        if kind == "add":
            return yes if isinstance(value, list) and len(value) > int(rest[1]) else no
        question = self.questions[rest[2]]
        suggested = any("type - to leave it empty" in line or "tapez - pour la laisser vide" in line for line in self.out[-3:])
        if suggested and value in (None, ""):
            return "-"  # a suggestion from the previous item, refused: this answer stays empty
        if value is None:
            from docassemble_asylum.questions.fields import field_ref

            ref = field_ref(get(self.procedure).model, question.field)
            if ref.required:
                return ""
            value = ref.adapter.dump_python(ref.info.get_default(call_default_factory=True), mode="json")
            if value is None or value == "":
                return ""
        if question.type == "yes_no":
            return yes if value else no
        if question.type == "choice":
            return str([c.value for c in question.choices].index(value) + 1)
        if question.type == "long_text":
            self.queue = [*str(value).strip("\n").split("\n"), "."][1:] if value else []
            return str(value).strip("\n").split("\n")[0] if value else ""
        return str(value)


def _value(data, path: str):
    for part in re.findall(r"[^.\[\]]+", path):
        try:
            data = data[int(part)] if part.isdigit() else data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


@pytest.fixture(autouse=True)
def _trace(monkeypatch):
    monkeypatch.setenv("ASYLUMDOCS_INTERVIEW_TRACE", "1")


def _run(procedure, terminal, **options):
    return run_interview(get(procedure), lang=terminal.lang, today=dt.date.fromisoformat(TODAY[procedure]), terminal=terminal, **options)


@pytest.mark.parametrize("procedure", [p for p in SETS if p in available()])
def test_in_process_interview_gives_the_example(procedure, tmp_path):
    terminal = Scripted(procedure, "en")
    save = tmp_path / "answers.yaml"
    answers, data = _run(procedure, terminal, save=save)
    spec, day = get(procedure), dt.date.fromisoformat(TODAY[procedure])
    assert answers == spec.validate(yaml.safe_load(pinned_example_text(spec.name)), day)
    assert save.read_bytes() == data and stat.S_IMODE(save.stat().st_mode) == 0o600
    assert spec.validate(yaml.safe_load(data), day) == answers
    assert not [p for p in tmp_path.iterdir() if p.name != "answers.yaml"]  # no temporary file left


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_wrong_date_is_asked_again_with_the_reason(lang):
    # A day that does not exist (either way of writing it), then a date written wrongly.
    script = {"decision.date": ["2026-02-30", "31/04/2026", "2026-13-01", "24.02.2026", "24/02/2026"]}
    terminal = Scripted("cnda-appeal", lang, script=script)
    answers, _ = _run("cnda-appeal", terminal)
    asked = terminal.out.index("@ask decision.date date decision.date")
    shown = [line for line in terminal.out[asked:] if line.startswith("  ✗ ")][:4]
    # At the terminal, the date's form is explained with the two forms its prompt offered.
    assert shown == [f"  ✗ {NO_SUCH_DAY[lang]}"] * 3 + [f"  ✗ {TERMINAL_BAD_FORM[lang]}"]
    with language(lang):
        assert translate_error({"type": "date_not_in_calendar"}) == NO_SUCH_DAY[lang]
        assert translate_error({"type": "date_parsing"}) == BAD_FORM[lang]
    assert answers.decision.date == dt.date(2026, 2, 24)


def test_a_correction_that_turns_a_condition_off_removes_the_answers_it_opened():
    example = yaml.safe_load(pinned_example_text("cnda-appeal"))
    example["decision"]["notification"] = {"method": "online", "posted_online_on": "2026-03-01"}
    # Online first (posted_online_on and first_read_on asked), then postal on the review screen.
    change = {"decision.notification.method": ["1"], "decision.notification.received_on": ["2026-03-02"]}
    terminal = Scripted("cnda-appeal", "en", example=example, changes=[("decision.notification.method", change)])
    answers, data = _run("cnda-appeal", terminal)
    saved = yaml.safe_load(data)
    assert saved["decision"]["notification"] == {"method": "postal", "received_on": "2026-03-02"}
    assert answers.decision.notification.posted_online_on is None


def test_an_optional_answer_can_be_emptied_on_the_review_screen():
    terminal = Scripted("cnda-appeal", "fr", changes=[("applicant.phone", {"applicant.phone": ["-"]})])
    answers, data = _run("cnda-appeal", terminal)
    assert answers.applicant.phone == "" and yaml.safe_load(data)["applicant"]["phone"] == ""
    with language("fr"):
        hint = qgettext("Current answer: {value} (press Enter to keep it, or type - to empty it).")
    assert "  " + hint.format(value="06 00 00 00 00") in terminal.out


def test_a_group_item_can_be_removed_and_added_on_the_review_screen():
    terminal = Scripted("cnda-appeal", "en", changes=[
        ("exhibits", {}, "1", "yes"),  # remove the first exhibit, once confirmed
        ("exhibits", {"exhibits[2].title": ["Nouvelle pièce"], "exhibits[2].translated": ["no"]}, "+"),
    ])
    answers, data = _run("cnda-appeal", terminal)
    example = [e["title"] for e in yaml.safe_load(pinned_example_text("cnda-appeal"))["exhibits"]]
    assert [e.title for e in answers.exhibits] == [example[1], example[2], "Nouvelle pièce"]
    assert "Item 1 removed." in terminal.out
    assert f"Remove Exhibit 1 ({example[0]}) and all its answers? (yes or no)" in terminal.out


def test_a_consistency_problem_takes_the_user_back_to_the_question():
    # Signed before the decision: the procedure's check names signature.date; it is asked again.
    terminal = Scripted("cnda-appeal", "fr", script={"signature.date": ["2026-01-01", "2026-04-28"]})
    answers, _ = _run("cnda-appeal", terminal)
    text = terminal.text()
    assert "@ask signature.date date signature_date" in text.split("@review")[1]
    with language("fr"):
        reason = translate_error({"type": "asylum_rule", "msg": "", "ctx": {"msgid": "the appeal cannot be signed before the decision (“{other}”, {other_path}).", **other_answer(get("cnda-appeal").model, "decision", "date")}})
    assert reason in text
    assert answers.signature.date == dt.date(2026, 4, 28)


def test_a_discriminated_companion_follows_its_kind():
    # A lawyer first; changed to an association on the review screen: the lawyer's answers go.
    change = {
        "companion.kind": ["2"],
        "companion.name": ["Karim Benali"],
        "companion.sex": ["2"],
        "companion.association": ["Association inconnue de test"],
        "companion.association_not_listed_confirmed": ["yes"],
        "companion.email": ["k.benali@association.example"],
        "companion.phone": [""],
        "companion.association_address.street": ["3 rue de Test"],
        "companion.association_address.complement": [""],
        "companion.association_address.postal_code": ["93100"],
        "companion.association_address.city": ["Montreuil"],
        "companion.association_address.country": [""],
    }
    terminal = Scripted("interview-notice", "en", changes=[("companion.kind", change)])
    answers, data = _run("interview-notice", terminal)
    assert yaml.safe_load(data)["companion"] == {
        "kind": "association",
        "name": "Karim Benali",
        "sex": "male",
        "association": "Association inconnue de test",
        "association_address": {"street": "3 rue de Test", "complement": "", "postal_code": "93100", "city": "Montreuil", "country": "France"},
        "association_not_listed_confirmed": True,
        "email": "k.benali@association.example",
        "phone": "",
    }
    assert answers.companion.kind == "association"
    # The representative's name was asked, not carried over from the lawyer's.
    assert "@ask companion.name text representative_name" in terminal.out


def test_a_listed_association_needs_no_confirmation():
    from docassemble_asylum.questions.predicates import association_listed
    from docassemble_asylum.rules import rulebook

    known = rulebook()["interview.authorised_associations"].at(dt.date(2026, 4, 14)).value["associations"][0]["name"]
    assert association_listed(known, "2026-04-14") is True
    assert association_listed("Association inconnue de test", "2026-04-14") is False
    assert association_listed(None, "2026-04-14") is False


def test_ctrl_c_without_save_keeps_the_answers_in_a_private_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    terminal = Scripted("cnda-appeal", "en", script={"decision.number": [CTRL_C]})
    with pytest.raises(click.exceptions.Exit) as stopped:
        _run("cnda-appeal", terminal)
    assert stopped.value.exit_code == 130
    (saved,) = tmp_path.glob("asylumdocs-cnda-appeal-answers*.yaml")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert yaml.safe_load(saved.read_text())["applicant"]["family_name"] == "Haddad"
    assert f"--resume {saved}" in terminal.text()

    # Resumed: the first question asked is the one that was interrupted.
    terminal = Scripted("cnda-appeal", "en")
    _run("cnda-appeal", terminal, resume=saved)
    first = next(line for line in terminal.out if line.startswith("@ask"))
    assert first.startswith("@ask decision.number ")


class _SignalAt(Scripted):
    """Sends this process a real SIGINT (as Ctrl-C does) when the question at ``path`` is asked."""

    def __init__(self, procedure: str, lang: str, path: str):
        super().__init__(procedure, lang)
        self.path = path

    def ask(self, prompt: str = "> ") -> str:
        if self.step[:2] == ("ask", self.path):
            os.kill(os.getpid(), signal.SIGINT)
        return super().ask(prompt)


def test_a_real_ctrl_c_stops_the_interview_even_if_ignored_and_the_handler_is_given_back(tmp_path, monkeypatch):
    """Started with SIGINT ignored, the interview still stops at Ctrl-C (the pseudo-terminal
    test is in test_terminal_engine.py); after it, SIGINT is ignored again as it was."""
    monkeypatch.chdir(tmp_path)
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        terminal = _SignalAt("cnda-appeal", "en", "decision.number")
        with pytest.raises(click.exceptions.Exit) as stopped:
            _run("cnda-appeal", terminal)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)
    assert stopped.value.exit_code == 130
    (saved,) = tmp_path.glob("asylumdocs-cnda-appeal-answers*.yaml")
    assert yaml.safe_load(saved.read_text())["applicant"]["family_name"] == "Haddad"
    assert f"Interview stopped. Your answers are saved in {saved}." in terminal.out


def test_resume_continues_inside_an_unfinished_group_item(tmp_path):
    example = yaml.safe_load(pinned_example_text("cnda-appeal"))
    partial = {k: example[k] for k in ("applicant", "decision", "facts", "decision_reasons", "grounds", "hearing_language", "legal_aid")}
    partial["applicant"]["address"]["country"] = "France"  # left to its default in the example
    partial["decision"]["application_lodged_on"] = None  # answered: unknown (the example predates the question)
    partial["legal_aid"]["designated_lawyer_sex"] = None  # answered: unknown (the example predates the question)
    partial["exhibits"] = [{**example["exhibits"][0], "in_french": False}, {"title": example["exhibits"][1]["title"], "in_french": False}]
    path = tmp_path / "partial.yaml"
    path.write_text(yaml.safe_dump(partial, allow_unicode=True), encoding="utf-8")
    terminal = Scripted("cnda-appeal", "en")
    _run("cnda-appeal", terminal, resume=path)
    steps = [line for line in terminal.out if line.startswith("@")]
    assert steps[0] == "@ask exhibits[1].translated yes_no exhibits.translated"
    assert steps[1] == "@add exhibits 2"  # the group is still open: it was being filled
    assert not any(s.startswith("@add applicant.other_names") for s in steps)  # closed: answered later on


def test_resume_asks_again_an_answer_that_is_not_valid(tmp_path):
    example = yaml.safe_load(pinned_example_text("cnda-appeal"))
    example["decision"]["date"] = "2026-02-30"
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(example, allow_unicode=True), encoding="utf-8")
    terminal = Scripted("cnda-appeal", "fr", script={"decision.date": ["2026-02-24"]})
    answers, _ = _run("cnda-appeal", terminal, resume=path)
    assert terminal.out.index(f"  ✗ {NO_SUCH_DAY['fr']}") > terminal.out.index("@ask decision.date date decision.date")
    assert answers.decision.date == dt.date(2026, 2, 24)


def test_save_refuses_to_overwrite_another_interview(tmp_path):
    existing = tmp_path / "answers.yaml"
    existing.write_text("applicant: {}\n")
    with pytest.raises(UserError, match="--resume"):
        _run("cnda-appeal", Scripted("cnda-appeal", "en"), save=existing)
    assert existing.read_text() == "applicant: {}\n"


def test_save_in_a_missing_folder_is_a_clean_error(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        _run("cnda-appeal", Scripted("cnda-appeal", "en"), save=tmp_path / "missing" / "a.yaml")


def test_a_problem_no_question_can_fix_ends_with_the_answers_kept(tmp_path, monkeypatch):
    import dataclasses

    from docassemble_asylum.procedures.base import Problem

    monkeypatch.chdir(tmp_path)
    spec = dataclasses.replace(get("cnda-appeal"), consistency=lambda answers, today: [Problem((), "this answer is required.")])
    terminal = Scripted("cnda-appeal", "en")
    with pytest.raises(UserError, match="saved in") as error:
        run_interview(spec, lang="en", today=dt.date(2026, 4, 28), terminal=terminal)
    (saved,) = tmp_path.glob("asylumdocs-cnda-appeal-answers*.yaml")
    assert str(saved) in error.value.message
    assert yaml.safe_load(saved.read_text())["decision"]["number"] == "2026-000123"


def test_encrypt_without_the_crypto_module_is_a_clean_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "docassemble_asylum.crypto", None)
    with pytest.raises(UserError, match="--encrypt"):
        _run("cnda-appeal", Scripted("cnda-appeal", "en"), save=tmp_path / "a.yaml", encrypt=True)


def test_write_answers_is_atomic_and_private(tmp_path):
    target = tmp_path / "a.yaml"
    write_answers(target, b"first: 1\n")
    os.chmod(target, 0o644)
    write_answers(target, b"second: 2\n")
    assert target.read_bytes() == b"second: 2\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_write_answers_never_writes_through_a_symbolic_link(tmp_path):
    # The clear save goes through output.write_atomically, as the encrypted one goes through
    # write_file: a link where the answers go is refused, the file it points to untouched.
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"not yours\n")
    target = tmp_path / "a.yaml"
    target.symlink_to(elsewhere)
    with language("en"), pytest.raises(UserError) as raised:
        write_answers(target, b"first: 1\n")
    assert raised.value.render() == f"{target} is a symbolic link: give the path of a real file (symbolic links are not followed)."
    assert target.is_symlink() and elsewhere.read_bytes() == b"not yours\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "elsewhere.txt"]



def test_a_date_after_today_is_refused_as_soon_as_it_is_typed():
    # The decision cannot be after today (2026-04-28): said at once, not on the review screen.
    terminal = Scripted("cnda-appeal", "en", script={"decision.date": ["2026-05-20", "2026-02-24"]})
    answers, _ = _run("cnda-appeal", terminal)
    asked = terminal.out.index("@ask decision.date date decision.date")
    following = terminal.out.index("@ask decision.outcome choice decision.outcome")
    assert [line for line in terminal.out[asked:following] if "✗" in line] == ["  ✗ this date is in the future."]
    assert answers.decision.date == dt.date(2026, 2, 24)


def test_a_date_that_must_be_after_today_is_accepted():
    # An interview date is in the future (2026-04-14, today 2026-03-06): no problem shown.
    terminal = Scripted("interview-notice", "fr")
    answers, _ = _run("interview-notice", terminal)
    assert answers.interview.date == dt.date(2026, 4, 14)
    assert not [line for line in terminal.out if "✗" in line]


def test_a_birth_date_after_today_is_refused_when_typed():
    terminal = Scripted("interview-notice", "fr", script={"applicant.date_of_birth": ["2027-01-01", "1990-05-04"]})
    answers, _ = _run("interview-notice", terminal)
    assert [line for line in terminal.out if "✗" in line] == ["  ✗ cette date est dans le futur."]
    assert answers.applicant.date_of_birth == dt.date(1990, 5, 4)
