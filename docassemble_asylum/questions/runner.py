"""The guided interview in the terminal: ``asylumdocs build PROCEDURE`` without ``--answers``.

One question at a time, with its help, its section and its position; every answer is
validated at once by the field's own pydantic type (the same models as an answers file)
and re-asked with the reason in the user's language. Answers are saved after each one
(``--save``: YAML, the same format as ``--answers``, mode 0600, written atomically), so
``--resume`` continues at the first unanswered question. A review screen lists every
answer with a number to change it; then the whole case is validated (types, then the
procedure's consistency rules) and each problem takes the user back to its question.

Plain ``input()`` and ``print`` (through click): it works in any terminal, over SSH, and
under pexpect in the tests. ``ASYLUMDOCS_INTERVIEW_TRACE=1`` prints each step's field
(``@ask decision.date date <question id>``, ``@add exhibits <items so far>``, ``@review``
and ``@line <number> <field>``) for tests and for people writing question sets.

With ``--encrypt`` each save is encrypted (age, passphrase asked once before the first
question) in a separate process by a background thread: scrypt takes seconds and would
otherwise freeze the interview after every answer. Ctrl-C waits for the save in progress.
Resuming from an encrypted file implies ``--encrypt``: the answers are never written back
in clear, and they are encrypted as that file was (the passphrase that opened it, or the
public keys of the private keys in ``ASYLUMDOCS_IDENTITY``).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import re
import shlex
import signal
import threading
from pathlib import Path
from typing import Any

import click
import yaml
from pydantic import BaseModel, ValidationError

from docassemble_asylum.errors import UserError, field_label, translate_error
from docassemble_asylum.i18n import format_date, language
from docassemble_asylum.questions import gettext as _
from docassemble_asylum.questions import loader, ngettext, typed
from docassemble_asylum.questions.checkpoints import Checkpoints
from docassemble_asylum.questions.typed import END_OF_TEXT
from docassemble_asylum.questions.fields import FieldRef, bind, dotted, is_union_tag, normalize_loc
from docassemble_asylum.questions.state import Node, State, get

TRACE_VARIABLE = "ASYLUMDOCS_INTERVIEW_TRACE"
HELP = "?"  # at any prompt: the question's help, never an answer
BACK = "<"  # at a question: back to the previous one, the answers typed kept
# pydantic's errors for a date written in no form it reads (not a day missing from the calendar).
DATE_FORM_ERRORS = ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type")


class GoBack(Exception):
    """``<`` typed at a question: the runner asks the previous question again."""


class Terminal:
    """What the runner reads and writes; tests may pass another one.

    Text is wrapped to the terminal's width at word boundaries (a continued line keeps the
    indentation of its first line); ``height`` is None when the output is not a terminal,
    so that nothing is paged into a file or a pipe.
    """

    def say(self, text: str = "") -> None:
        click.echo(wrap(text, self.width()))

    def ask(self, prompt: str = "> ") -> str:
        return input(prompt)

    def width(self) -> int:
        import shutil

        return max(20, shutil.get_terminal_size((80, 24)).columns - 1)

    def height(self) -> int | None:
        import shutil
        import sys

        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            return None
        return max(6, shutil.get_terminal_size((80, 24)).lines)


class Whole(str):
    """Text shown on its line whatever the width: a command to copy (a cut command does not run)."""


def wrap(text: str, width: int) -> str:
    """Each line of ``text`` cut at spaces to ``width`` columns, continued at its own indent
    (under the text of a "  1. " or "  ✗ " item); trace lines (``@ask ...``) are left whole."""
    import textwrap

    if isinstance(text, Whole):
        return text
    out = []
    for line in text.split("\n"):
        if len(line) <= width or line.startswith("@"):
            out.append(line)
            continue
        bullet = re.match(r"\s*(?:\d+\.|[✗•-])?\s*", line).group(0)
        indent = " " * min(len(bullet), width // 3)
        out.append(textwrap.fill(line, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False))
    return "\n".join(out)


def run_interview(
    spec,
    *,
    lang: str,
    today: dt.date,
    save: Path | None = None,
    resume: Path | None = None,
    encrypt: bool = False,
    terminal: Terminal | None = None,
    prefill: tuple[dict, Path] | None = None,
) -> tuple[BaseModel, bytes]:
    """Ask the procedure's questions; returns (validated answers, bytes of the answers file)."""
    with language(lang):
        if encrypt:
            _crypto_writer()  # fail before the first question, not after the tenth
        interview = loader.load(spec.name)
        runner = Runner(spec, interview, today, terminal or _terminal(), save=save, resume=resume, encrypt=encrypt, prefill=prefill)
        with _ctrl_c_stops_the_interview():
            return runner.run()


def _ctrl_c_stops_the_interview():
    """Ctrl-C raises KeyboardInterrupt during the interview, whatever the parent left: the
    interview says "press Ctrl-C to stop", saves and tells how to resume.

    A process started with SIGINT ignored (a wrapper script's ``trap '' INT``, a command put
    in the background by a non-interactive shell, some launchers) keeps it ignored: Python
    installs its own handler only when SIGINT was not ignored, and Ctrl-C would do nothing.
    The handler in place before is given back afterwards.
    """
    return _sigint_handled_by(signal.default_int_handler)


def _terminal() -> Terminal:
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (line editing and arrows in input())
    return Terminal()


def _crypto_writer():
    try:
        from docassemble_asylum.crypto import write_encrypted
    except ImportError:
        raise UserError(_("Encryption is not available in this installation: run without --encrypt.")) from None
    return write_encrypted


def _passphrase(path: Path | None) -> str:
    """The passphrase, asked before the first question (crypto remembers it for the session)."""
    try:
        from docassemble_asylum.crypto import passphrase_for_encryption
    except ImportError:
        raise UserError(_("Encryption is not available in this installation: run without --encrypt.")) from None
    return passphrase_for_encryption(None, path)


def encrypt_in_subprocess(path: Path, data: bytes, passphrase: str) -> None:
    """``write_encrypted`` in another process (see encrypt_worker.py), immune to Ctrl-C."""
    import subprocess
    import sys

    secret = passphrase.encode("utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "docassemble_asylum.questions.encrypt_worker", str(path)],
        input=str(len(secret)).encode() + b"\n" + secret + data,
        capture_output=True,
        start_new_session=True,
        check=False,
    )
    if result.returncode != 0:
        lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = lines[-1] if lines else str(result.returncode)
        raise UserError(_("The answers could not be saved in {path}: {reason}").format(path=path, reason=reason))


class BackgroundSaver:
    """Writes the latest answers in a thread: age encryption with a passphrase takes seconds.

    Each answer hands over a snapshot; a save in progress is never interrupted and only
    the newest waiting snapshot is written next. ``flush`` waits until the newest is on
    disk (and raises what the writer raised).
    """

    def __init__(self, write):
        self._write = write
        self._cond = threading.Condition()
        self._pending: bytes | None = None
        self._busy = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="asylumdocs-save", daemon=True)
        self._thread.start()

    def submit(self, data: bytes) -> None:
        with self._cond:
            self._raise()
            self._pending = data
            self._cond.notify_all()

    def flush(self) -> None:
        with self._cond:
            while self._pending is not None or self._busy:
                self._cond.wait()
            self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _loop(self) -> None:
        while True:
            with self._cond:
                while self._pending is None:
                    self._cond.wait()
                data, self._pending, self._busy = self._pending, None, True
            try:
                self._write(data)
            except BaseException as exc:  # handed to the main thread by flush/submit
                with self._cond:
                    self._error = exc
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()


# ---------------------------------------------------------------- saving


@contextlib.contextmanager
def _sigint_handled_by(handler):
    """SIGINT goes to ``handler`` inside the block; the handler in place before is given back
    after it. Nothing changes outside the main thread (the only one that can handle signals)."""
    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _deferred_interrupt():
    """Ctrl-C during a save waits until the file is complete (then interrupts as usual)."""
    received: list[int] = []
    with _sigint_handled_by(lambda signum, frame: received.append(signum)):
        yield
    if received:
        raise KeyboardInterrupt


def write_answers(path: Path, data: bytes, encrypt: bool = False, recipients: tuple | list = ()) -> None:
    """Write an answers file atomically (temporary file + rename), readable by its owner only,
    never through a symbolic link (``output.write_atomically``, which ``write_file`` uses too).

    ``encrypt``: age format, for ``recipients`` (public keys) if any, else with the passphrase.
    A link, folder or device at ``path`` is a ``UserError`` saying so, as for an encrypted
    save; another failure is an ``OSError``, which the callers say in their own words.
    """
    from docassemble_asylum.output import write_atomically
    from docassemble_asylum.safe_files import NotRegularFile, describe_non_regular

    path = Path(path)
    if encrypt:
        _crypto_writer()(path, data, recipients=recipients)  # age format, 0600, temporary file + rename
        return
    try:
        write_atomically(path, data, replace=True)
    except NotRegularFile:
        raise UserError(describe_non_regular(path)) from None


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str):
    # Long texts as readable blocks (``|``); PyYAML falls back to quotes when it must.
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def answers_bytes(answers: dict, procedure: str = "") -> bytes:
    """The answers file: the same YAML an ``--answers`` file holds."""
    head = f"# asylumdocs {procedure} answers (guided interview)\n" if procedure else ""
    body = yaml.dump(answers, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return (head + body).encode("utf-8")


# ---------------------------------------------------------------- the runner


class Runner:
    def __init__(self, spec, interview: loader.Interview, today: dt.date, terminal: Terminal, *,
                 save: Path | None = None, resume: Path | None = None, encrypt: bool = False,
                 prefill: tuple[dict, Path] | None = None):
        self.spec = spec
        self.prefill = prefill  # (answers another procedure's file gives, that file): build --from
        self.interview = interview
        self.today = today
        self.io = terminal
        self.resume = Path(resume) if resume else None
        self.save_path = Path(save) if save else self.resume
        self.encrypt = encrypt
        self.recipients: list = []  # public keys to encrypt for (a resumed file encrypted for keys)
        self.trace = os.environ.get(TRACE_VARIABLE, "") not in ("", "0")
        self.state = State(interview, spec.model)
        self.pending: dict[tuple, str] = {}  # path -> a problem to show when it is asked
        self.shown_section: str | None = None
        self.history: list[tuple] = []  # paths of the questions answered, in the order asked
        self.replay: list[tuple] = []  # questions to ask again after ``<``, in order
        self.shown_total = 0  # "question 23 of about 90": never lowered, so it does not jump
        self.saver: BackgroundSaver | None = None
        self._example: dict | None = None  # the procedure's example, read for future_problem
        self.checkpoints = Checkpoints(interview, today)  # verdicts said as soon as their facts are in

    # ------------------------------------------------------------ main loop

    def run(self) -> tuple[BaseModel, bytes]:
        try:
            self.start()
            while True:
                self.fill()
                self.review()
                if self.correct():
                    break
            answers = self.spec.validate(self.state.output(), self.today)
            data = self.persist()
            self.flush()
        except (KeyboardInterrupt, EOFError):
            self.interrupted()
            raise click.exceptions.Exit(130) from None
        except BaseException:
            with contextlib.suppress(BaseException):
                self.flush()
            raise
        self.io.say(_("The answers are complete and consistent."))
        return answers, data

    def start(self) -> None:
        say = self.io.say
        say(_("Guided interview: {title}").format(title=_(self.interview.title)))
        if self.interview.intro:
            say(_(self.interview.intro))
        say(_("Type each answer and press Enter. Press Enter alone to keep the current or suggested answer."))
        say(_("Type ? and Enter at any question for its help, or < and Enter to go back to the previous question (your answers are kept)."))
        say(_("Press Ctrl-C to stop at any time: your answers are kept and the interview can be resumed."))
        if self.save_path is not None:
            try:
                os.stat(self.save_path)
            except (FileNotFoundError, NotADirectoryError):
                pass  # (a folder of the path that is missing or a file is said just below)
            except OSError as exc:  # a name too long, a loop of links: before any question is asked
                from docassemble_asylum.safe_files import os_error

                raise os_error(exc, self.save_path) from None
        if self.save_path is not None and not (self.save_path.parent if str(self.save_path.parent) else Path(".")).is_dir():
            raise UserError(_("The folder of {path} does not exist: create it, or choose another file for --save.").format(path=self.save_path))
        if self.save_path is not None and self.save_path != self.resume and self.save_path.exists():
            raise UserError(
                _("{path} already exists: add --resume {path} to continue that interview, or choose another file for --save.").format(
                    path=self.save_path
                )
            )
        if self.resume is not None:
            self.load_resume()
        elif self.prefill is not None:
            self.start_from(*self.prefill)
        if self.encrypt and not self.recipients:
            passphrase = self.ask_passphrase_first()
            if self.save_path is not None:
                target = self.save_path
                self.saver = BackgroundSaver(lambda data: encrypt_in_subprocess(target, data, passphrase))
        # (for public keys, encrypting takes no time: each save is written at once by persist)
        if self.resume is None and self.prefill is None:
            # The first question (after the passphrase): start from a related procedure's file.
            from docassemble_asylum.questions.related import offer_related_file

            self.prefill = offer_related_file(self.spec, self.io, self.trace)
            if self.prefill is not None:
                self.start_from(*self.prefill)
        if self.save_path is not None:
            say(_("Your answers are saved in {path} after each answer.").format(path=self.save_path))
        else:
            say(_("Your answers are saved only if you stop (Ctrl-C). Add --save FILE to save them as you go."))

    def start_from(self, answers: dict, path: Path) -> None:
        """Answers another procedure's file gives (``build --from``, or the first question)."""
        count = self.take_answers(copy.deepcopy(answers))
        self.io.say(ngettext("Starting from {path}: {count} answer already given.",
                             "Starting from {path}: {count} answers already given.", count).format(path=path, count=count))

    def ask_passphrase_first(self) -> str:
        """The passphrase, settled before the first question (twice, without echo), so that
        stopping later never needs a prompt: with ``--encrypt`` and no ``--save``, Ctrl-C
        saves the answers encrypted with it at once (asking it only then lost every answer
        to a Ctrl-D at that prompt). Ctrl-C or Ctrl-D at this prompt stops the interview
        with nothing written (exit status 130)."""
        if self.save_path is None:
            self.io.say(_("The answers will be encrypted with a passphrase: choose it now, before the first question."))
        try:
            return _passphrase(self.save_path)
        except click.exceptions.Abort:
            self.io.say("")
            self.io.say(_("Interview stopped before the first question: nothing was written."))
            raise click.exceptions.Exit(130) from None

    def load_resume(self) -> None:
        from docassemble_asylum.crypto import is_encrypted  # (pyrage itself only when a file is)
        from docassemble_asylum.procedures.base import read_answers_file

        sealed = b""
        with contextlib.suppress(OSError):  # (read_answers_file reports a missing file)
            sealed = self.resume.read_bytes()
        raw, _data = read_answers_file(self.resume)
        if is_encrypted(sealed):
            self.keep_encrypted(sealed)
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            raise UserError(_("The file {path} does not contain interview answers (a group of answers is expected).").format(path=self.resume))
        count = self.take_answers(raw)
        self.io.say(ngettext("Resuming from {path}: {count} answer already given.",
                             "Resuming from {path}: {count} answers already given.", count).format(path=self.resume, count=count))

    def take_answers(self, raw: dict) -> int:
        """Answers given before the questions (a resumed file, another procedure's file); how many count."""
        self.state.answers = raw
        # An answer that does not pass its own question's check is asked again, with the reason.
        for node in self.state.walk():
            if node.kind == "ask" and node.answered:
                value = get(raw, node.path)
                try:
                    value = self.ref(node).validate(value)
                except ValidationError as exc:
                    self.pending[node.path] = self.messages(exc)[0]
                    self.state.delete(node.path)
                    continue
                future = self.future_problem(node, value)
                if future is not None:
                    self.pending[node.path] = future
                    self.state.delete(node.path)
        self.state.infer_closed()
        return sum(1 for n in self.state.walk() if n.kind == "ask" and n.answered)

    def keep_encrypted(self, sealed: bytes) -> None:
        """The resumed file is encrypted: so are its next versions, and as it was (never in clear)."""
        from docassemble_asylum.crypto import encryption_like

        target = self.save_path or self.resume
        _secret, self.recipients, others = encryption_like(sealed, self.resume)
        self.encrypt = True
        self.io.say(_("{path} is encrypted, so the answers are saved encrypted in {target}.").format(path=self.resume, target=target))
        if others:
            self.io.say(
                ngettext(
                    "{path} was also encrypted for {count} other key: the answers saved now can only be opened with yours.",
                    "{path} was also encrypted for {count} other keys: the answers saved now can only be opened with yours.",
                    others,
                ).format(path=self.resume, count=others)
            )

    def write_to(self, target: Path, data: bytes) -> None:
        """One save outside the background saver (a fallback file, a key-encrypted file)."""
        if self.encrypt and not self.recipients:
            _passphrase(target)
        write_answers(target, data, self.encrypt, self.recipients)

    def fill(self) -> None:
        """Ask every unanswered question that applies, in order; ``<`` steps back through
        the questions answered (each asked again with its answer kept by Enter)."""
        while True:
            self.say_verdicts()
            if self.replay:
                path = self.replay[0]
                node = next((n for n in self.state.walk() if n.kind == "ask" and n.path == path), None)
                if node is None:  # no longer applies after a changed answer
                    self.replay.pop(0)
                    continue
                try:
                    self.ask(node)
                except GoBack:
                    self.step_back(path)
                    continue
                self.replay.pop(0)
                continue
            node = self.state.next_step()
            if node is None:
                return
            try:
                if node.kind == "add":
                    self.add_item(node)
                else:
                    self.ask(node, problem=self.pending.pop(node.path, None))
                    if node.path not in self.history:
                        self.history.append(node.path)
            except GoBack:
                self.step_back(None)

    def say_verdicts(self) -> None:
        """The verdicts the answers so far already decide (questions/checkpoints.py)."""
        for early in self.checkpoints.due(self.state):
            self.io.say("")
            if self.trace:
                self.io.say(f"@verdict {early.key} {'provisional' if early.provisional else 'final'}")
            for line in early.lines:
                self.io.say(line)

    def step_back(self, path: tuple | None) -> None:
        """Go back one question from ``path`` (None: from the first unanswered one)."""
        still = {n.path for n in self.state.walk() if n.kind == "ask" and n.answered}
        answered = self.history = [p for p in self.history if p in still]
        position = answered.index(path) if path in answered else len(answered)
        if position == 0:
            self.io.say("  " + _("This is the first question: there is no question before it."))
            return
        self.replay = answered[position - 1:]

    def persist(self) -> bytes:
        data = answers_bytes(self.state.output(), self.spec.name)
        if self.saver is not None:
            self.saver.submit(data)
        elif self.save_path is not None:
            try:
                with _deferred_interrupt():
                    write_answers(self.save_path, data, self.encrypt, self.recipients)
            except OSError as exc:
                raise UserError(
                    _("The answers could not be saved in {path}: {reason}").format(path=self.save_path, reason=exc.strerror)
                ) from None
        return data

    def flush(self) -> None:
        if self.saver is not None:
            with _deferred_interrupt():
                self.saver.flush()

    # ------------------------------------------------------------ display

    def ref(self, node: Node) -> FieldRef:
        return self.state.ref(node.question, node.bindings)

    def header(self, node: Node, label: str) -> None:
        if self.trace:
            if node.kind == "add":
                items = get(self.state.answers, node.path)
                self.io.say(f"@add {dotted(node.path)} {len(items) if isinstance(items, list) else 0}")
            else:
                self.io.say(f"@ask {dotted(node.path)} {node.question.type} {node.question.id}")
        if node.section.id != self.shown_section:
            self.shown_section = node.section.id
            self.io.say("")
            self.io.say(f"== {_(node.section.title)} ==")
            if node.section.intro:
                self.io.say(_(node.section.intro))
        where = self.progress(node) + f" · {_(node.section.title)} {node.position}/{node.total}"
        for group, number in node.items:
            where += f" · {_(group.item_label)} {number + 1}"
        self.io.say("")
        self.io.say(f"[{where}] {label}")

    def show_value(self, node: Node, value: Any) -> str:
        return show_value(node.question, value)

    def progress(self, node: Node) -> str:
        """"Question 23 of about 90": the position among the questions that apply, and a total
        that counts one item for each list not started, rounded up to ten and never lowered
        (an added family member raises it; a question that stops applying does not shake it)."""
        nodes = self.state.walk()
        asked = [n.path for n in nodes if n.kind == "ask"]
        if node.kind == "ask" and node.path in asked:
            position = asked.index(node.path) + 1
        else:
            position = sum(1 for n in nodes if n.kind == "ask" and n.answered) + 1
        expected = len(asked) + sum(len(list(n.question.walk())) - 1 for n in nodes if n.kind == "add" and n.first)
        estimate = -(-max(expected, position) // 10) * 10
        self.shown_total = max(self.shown_total, estimate)
        return _("Question {position} of about {total}").format(position=position, total=self.shown_total)

    def help(self, question, hint: str | None) -> None:
        """What ``?`` shows: the question's help, what to type, how to keep or go back."""
        say = self.io.say
        if question.help:
            for line in _(question.help).split("\n"):
                say(f"  {line}")
        else:
            say("  " + _("No more explanation for this question."))
        if hint:
            say(f"  ({hint})")
        say("  " + _("Press Enter alone to keep the current or suggested answer; type < to go back to the previous question."))


    def messages(self, exc: ValidationError) -> list[str]:
        """The reasons of a refused answer, as the terminal says them: a date's form is
        explained with the forms the prompt offered (an answers file only takes YYYY-MM-DD)."""
        out = []
        for error in exc.errors(include_url=False, include_input=False):
            if error["type"] == "birth_date_parsing":
                out.append(_("not a valid date: write it as DD/MM/YYYY or YYYY-MM-DD, for example 02/03/1990, or the year alone (1990) when only the year is known."))
            elif error["type"] in DATE_FORM_ERRORS and "value is outside expected range" not in str((error.get("ctx") or {}).get("error", "")):
                out.append(_("not a valid date: write it as DD/MM/YYYY or YYYY-MM-DD, for example 02/03/2026."))
            else:
                out.append(translate_error(error))
        return out or [str(exc)]

    def future_problem(self, node: Node, value: Any) -> str | None:
        """The review screen's problem for a date after today (``this date is in the future.``), found
        as soon as the date is typed; None when the date is not after today or may be.

        Whether a date may be after today is the procedure's consistency rules' to say (an
        interview date is in the future, a birth date is not); they need a whole case, so
        they run on the answers given so far completed by the procedure's example, with this
        date in place: once for the real today and once as if today were that date. A
        problem of this question that only the first run finds comes from the date being
        after today; its message is the one the review screen would show. A date of birth
        is never after today.
        """
        if node.question.type != "date" or not isinstance(value, str):
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return self.future_year_problem(node, value)
        if day <= self.today:
            return None
        for case, path in self._probe_cases(node.path, value):
            try:
                model = self.spec.model.model_validate(case)
                now = [p for p in self.spec.consistency(model, self.today) if tuple(p.loc) == path]
                if not now:
                    continue
                then = self.spec.consistency(model, day)
            except ValidationError:
                continue  # the answers so far do not make a case yet: the review screen will check
            for problem in now:
                if not any(tuple(p.loc) == path and p.msgid == problem.msgid for p in then):
                    return translate_error({"type": "asylum_rule", "msg": problem.msgid, "ctx": {"msgid": problem.msgid, **problem.ctx}})
            break
        if node.path and node.path[-1] == "date_of_birth":
            # Nobody is born after today, whatever the procedure checks later (a birth date
            # "before the decision" is only found once the decision's date is given).
            return translate_error({"type": "date_future"})
        return None

    def future_year_problem(self, node: Node, value: str) -> str | None:
        """A date of birth given as a year after this one (``2030``) is refused as a full date
        after today is (models/common.py ``born_after``)."""
        from docassemble_asylum.models.common import born_after

        if node.path and node.path[-1] == "date_of_birth" and born_after(value, self.today):
            return translate_error({"type": "date_future"})
        return None

    def _probe_cases(self, path: tuple, value: str):
        """(whole case, where the date is in it): the answers so far over the example, else the example."""
        import copy

        from docassemble_asylum import yamlio
        from docassemble_asylum.questions.state import put

        if self._example is None:
            try:
                example = yamlio.loads(self.spec.example_text(self.today))
            except Exception:  # noqa: BLE001 - a procedure without a readable example: no early check
                example = {}
            self._example = example if isinstance(example, dict) else {}
        merged = _overlay(self._example, self.state.answers)
        put(merged, path, value)
        yield merged, tuple(path)
        alone = copy.deepcopy(self._example)
        inside = _path_in(alone, path)
        if inside is not None:
            put(alone, inside, value)
            yield alone, inside

    # ------------------------------------------------------------ one question

    def suggestion(self, node: Node) -> Any:
        question = node.question
        previous = self.previous_item_answer(node)
        if previous not in (None, ""):
            return previous
        if question.default == "today":
            return self.today.isoformat()
        if question.default is not None:
            return question.default
        if question.default_from:
            return self.state.lookup(question.default_from, node.bindings)
        if question.suggest:
            return self.state.suggested(question.suggest, node.bindings)
        return None

    def previous_item_answer(self, node: Node) -> Any:
        """The same answer in the group's previous item, for a question its group carries over
        (a household's country, address, consulate): nothing is typed twice."""
        index = node.question.carry_from
        if index is None or node.bindings.get(index, 0) < 1:
            return None
        return self.state.lookup(node.question.field, {**node.bindings, index: node.bindings[index] - 1})

    def ask(self, node: Node, problem: str | None = None) -> None:
        question, say = node.question, self.io.say
        ref = self.ref(node)
        self.header(node, _(question.label))
        if question.help:
            for line in _(question.help).split("\n"):
                say(f"  {line}")
        hint = {
            "date": _("date: YYYY-MM-DD or DD/MM/YYYY, or the year alone if only the year is known") if takes_year(ref) else _("date: YYYY-MM-DD or DD/MM/YYYY"),
            "time": _("time: HH:MM"),
            "yes_no": _("yes or no"),
            "long_text": _("several lines allowed, an empty line between paragraphs; end with a line containing only a dot"),
            "number": _("a number"),
            "file": _("the path of the file, from the current folder"),
        }.get(question.type)
        if question.type == "choice":
            for number, choice in enumerate(question.choices, start=1):
                say(f"  {number}. {_(choice.label)}")
            hint = _("type the number or the words of your choice")
        if hint:
            say(f"  ({hint})")
        current = get(self.state.answers, node.path)
        has_current = node.answered and current is not None and current != ""
        suggestion = None if has_current else self.suggestion(node)
        can_empty = not question.required and not ref.required
        if has_current and can_empty:
            say("  " + _("Current answer: {value} (press Enter to keep it, or type - to empty it).").format(value=self.show_value(node, current)))
        elif has_current:
            say("  " + _("Current answer: {value} (press Enter to keep it).").format(value=self.show_value(node, current)))
        elif suggestion not in (None, "") and can_empty:
            # An optional answer suggested from the previous item (carry_over) can still be left
            # empty: this family member may have no consulate, no address of their own...
            say(
                "  "
                + _("Suggested answer: {value} (press Enter to accept it, or type - to leave it empty).").format(
                    value=self.show_value(node, suggestion)
                )
            )
        elif suggestion not in (None, ""):
            say("  " + _("Suggested answer: {value} (press Enter to accept it).").format(value=self.show_value(node, suggestion)))
        elif not question.required:
            say("  " + _("Optional: press Enter to leave it empty."))
        if problem:
            say(f"  ✗ {problem}")
        while True:
            text = self.read(question.type)
            if text.strip() == HELP:
                self.help(question, hint)
                continue
            if text.strip() == BACK:
                raise GoBack
            if can_empty and (has_current or suggestion not in (None, "")) and text.strip() == "-":
                self.state.set(node.path, ref.empty_value())
                self.persist()
                return
            if not text.strip():
                if has_current:
                    self.state.set(node.path, current)
                    self.persist()
                    return
                if suggestion not in (None, ""):
                    text = str(suggestion) if not isinstance(suggestion, bool) else ("yes" if suggestion else "no")
                elif can_empty:
                    self.state.set(node.path, ref.empty_value())
                    self.persist()
                    return
                else:
                    say("  ✗ " + translate_error({"type": "missing"}))
                    continue
            try:
                value = ref.validate(self.parse(question, text))
            except ValueError as exc:  # pydantic's ValidationError is a ValueError too
                for message in self.messages(exc) if isinstance(exc, ValidationError) else [str(exc)]:
                    say(f"  ✗ {message}")
                continue
            future = self.future_problem(node, value)
            if future is not None:
                say(f"  ✗ {future}")
                continue
            if node.answered and current != value and is_union_tag(self.spec.model, question.field):
                # Another kind (a lawyer -> an association): the other kind's answers do not carry over.
                container = get(self.state.answers, node.path[:-1])
                if isinstance(container, dict):
                    for key in [k for k in container if k != node.path[-1]]:
                        del container[key]
            self.state.set(node.path, value)
            self.persist()
            return

    def read(self, kind: str) -> str:
        if kind != "long_text":
            return self.io.ask("> ")
        lines: list[str] = []
        while True:
            line = self.io.ask("> " if not lines else "  ")
            if not lines and line.strip() in (HELP, BACK):
                return line.strip()
            if line.strip() == END_OF_TEXT or (not lines and not line.strip()):
                return "\n".join(lines)  # an empty first line keeps (or skips) the answer
            lines.append(line)

    def parse(self, question, text: str) -> Any:
        """What the user typed -> the value handed to the field's validator (see typed.py)."""
        return typed.parse(question, text)

    # ------------------------------------------------------------ groups

    def add_item(self, node: Node) -> None:
        question = node.question
        count = len(get(self.state.answers, node.path) or []) if not node.first else 0
        placeholder: Any = None if question.questions[0].field.endswith(f"[{question.index}]") else {}
        if count < question.min:
            if node.first:
                self.state.set(node.path, [])
            self.state.set(node.path + (count,), placeholder)
            self.persist()
            return
        if node.first:
            label = _(question.add_label) if question.add_label else _("Add an item to “{group}”?").format(group=_(question.label))
        else:
            label = _(question.another_label) if question.another_label else _("Add another item to “{group}”?").format(group=_(question.label))
        self.header(node, label)
        if question.help and node.first:
            for line in _(question.help).split("\n"):
                self.io.say(f"  {line}")
        self.io.say("  (" + _("yes or no") + ")")
        while True:
            text = self.io.ask("> ")
            if text.strip() == HELP:
                self.help(question, _("yes or no"))
                continue
            if text.strip() == BACK:
                raise GoBack
            wanted = typed.yes_no(text)
            if wanted is not None:
                break
            self.io.say("  ✗ " + _("answer yes or no."))
        if node.first:
            self.state.set(node.path, [])
        if wanted:
            self.state.closed.discard(node.path)
            self.state.set(node.path + (count,), placeholder)
        else:
            self.state.closed.add(node.path)
        self.persist()

    def edit_group(self, node: Node) -> None:
        question = node.question
        items = get(self.state.answers, node.path)
        count = len(items) if isinstance(items, list) else 0
        say = self.io.say
        say(ngettext("“{group}”: {count} item.", "“{group}”: {count} items.", count).format(group=_(question.label), count=count))
        say(_("Type + to add one, the number of an item to remove it, or press Enter to go back."))
        while True:
            text = self.io.ask("> ").strip()
            if not text:
                return
            if text == HELP:
                say("  " + _("Type + to add one, the number of an item to remove it, or press Enter to go back."))
                continue
            if text == "+":
                if question.max is not None and count >= question.max:
                    say("  ✗ " + _("at most {max_length} items are allowed.").format(max_length=question.max))
                    continue
                placeholder: Any = None if question.questions[0].field.endswith(f"[{question.index}]") else {}
                if not isinstance(items, list):
                    self.state.set(node.path, [])
                self.state.set(node.path + (count,), placeholder)
                self.state.closed.discard(node.path)
                self.persist()
                return
            if text.isdigit() and 1 <= int(text) <= count:
                if count - 1 < question.min:
                    say("  ✗ " + ngettext("at least {min_length} item is needed.", "at least {min_length} items are needed.",
                                          question.min).format(min_length=question.min))
                    continue
                if not self.confirm_removal(node, int(text) - 1):
                    say(_("Nothing removed."))
                    return
                self.state.delete(node.path + (int(text) - 1,))
                self.persist()
                say(_("Item {number} removed.").format(number=int(text)))
                return
            say("  ✗ " + _("type +, a number between 1 and {count}, or nothing.").format(count=count))

    def confirm_removal(self, node: Node, index: int) -> bool:
        """"Remove Family member 2 (Amina)? (yes or no)": a list item goes with all its answers."""
        question = node.question
        first = ""
        for child in question.questions:  # the item's first text answer names it (a name, a title)
            value = get(self.state.answers, bind(child.field, {**node.bindings, question.index: index}))
            if child.type == "text" and isinstance(value, str) and value:
                first = value
                break
        name = f"{_(question.item_label)} {index + 1}" + (f" ({first})" if first else "")
        self.io.say(_("Remove {item} and all its answers? (yes or no)").format(item=name))
        while True:
            text = self.io.ask("> ")
            answer = typed.yes_no(text)
            if answer is not None:
                return answer
            self.io.say("  ✗ " + _("answer yes or no."))

    # ------------------------------------------------------------ review and checks

    def review(self) -> None:
        """List every answer with a number, section by section, a screenful at a time;
        change any of them; Enter confirms."""
        while True:
            nodes = [n for n in self.state.walk() if n.kind in ("ask", "group")]
            if self.trace:
                self.io.say("@review")
            lines = ["", "== " + _("Review of your answers") + " =="]
            section = None
            for number, node in enumerate(nodes, start=1):
                if node.section.id != section:
                    section = node.section.id
                    lines.append(f"-- {_(node.section.title)} --")
                prefix = "".join(f"{_(g.item_label)} {n + 1} › " for g, n in node.items)
                indent = "  " * (len(node.items) + 1)
                if node.kind == "group":
                    items = get(self.state.answers, node.path)
                    count = len(items) if isinstance(items, list) else 0
                    value = ngettext("{count} item", "{count} items", count).format(count=count)
                else:
                    value = self.show_value(node, get(self.state.answers, node.path))
                if self.trace:
                    lines.append(f"@line {number} {dotted(node.path)}")
                lines.append(f"{indent}{number:>2}. {prefix}{_(node.question.label)}: {value}")
            text = self.page(lines)
            if text is None:
                self.io.say("")
                self.io.say(_("Type the number of an answer to change it, or press Enter to confirm all the answers."))
                text = self.io.ask("> ").strip()
            if text == HELP:
                self.io.say("  " + _("Each answer has a number: type it to change that answer (a list: to add or remove an item). Enter alone confirms every answer and goes on."))
                continue
            if not text:
                return
            if not (text.isdigit() and 1 <= int(text) <= len(nodes)):
                self.io.say("  ✗ " + _("type a number between 1 and {count}.").format(count=len(nodes)))
                continue
            chosen = nodes[int(text) - 1]
            if chosen.kind == "group":
                self.edit_group(chosen)
            else:
                with contextlib.suppress(GoBack):  # from the review, "back" is the review itself
                    self.ask(chosen)
            self.fill()  # a changed answer may open new questions

    def page(self, lines: list[str]) -> str | None:
        """Show ``lines`` a screenful at a time (when the output is a terminal). Between two
        screens Enter shows the next one; anything else typed there is returned at once (the
        number of an answer to change); None when every line was shown."""
        height = getattr(self.io, "height", lambda: None)()
        width = getattr(self.io, "width", lambda: 80)()
        room = height - 3 if height else None
        used = 0
        for index, line in enumerate(lines):
            rows = 0 if line.startswith("@") else wrap(line, width).count("\n") + 1
            if room is not None and used + rows > room and any(not rest.startswith("@") for rest in lines[index:]):
                if self.trace:
                    self.io.say("@more")
                self.io.say(_("(more: press Enter to see the next answers, or type the number of an answer to change it)"))
                text = self.io.ask("> ").strip()
                if text:
                    return text
                used = 0
            self.io.say(line)
            used += rows
        return None

    def problems(self) -> list[tuple[Node | None, str, str]]:
        """(question to fix, label, message) for every problem of the whole case."""
        answers = self.state.output()
        nodes = self.state.walk(prune=False)
        found: list[tuple[tuple, str]] = []
        try:
            model = self.spec.model.model_validate(answers)
        except ValidationError as exc:
            for error in exc.errors(include_url=False, include_input=False):
                loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
                loc = normalize_loc(self.spec.model, loc)
                found.append((loc, translate_error(error)))
        else:
            for problem in self.spec.consistency(model, self.today):
                error = {"type": "asylum_rule", "msg": problem.msgid, "ctx": {"msgid": problem.msgid, **problem.ctx}}
                found.append((tuple(problem.loc), translate_error(error)))
        out = []
        for loc, message in found:
            node = self.state.node_for(loc, nodes)
            label = _(node.question.label) if node is not None else field_label(self.spec.model, loc)[0]
            out.append((node, label, message))
        return out

    def correct(self) -> bool:
        """Validate the whole case; True when it is fine, else ask again what must change."""
        problems = self.problems()
        if not problems:
            return True
        say = self.io.say
        say("")
        say(ngettext("{count} answer must be corrected:", "{count} answers must be corrected:", len(problems)).format(count=len(problems)))
        for node, label, message in problems:
            say(f"  - “{label}”: {message}")
        fixable = [(node, message) for node, _label, message in problems if node is not None]
        if len(fixable) < len(problems):
            target = self.save_path or _fallback_path(self.spec.name, self.encrypt)
            if self.save_path is None:
                self.write_to(target, answers_bytes(self.state.output(), self.spec.name))
            else:
                self.persist()
                self.flush()
            raise UserError(
                _("Some problems cannot be corrected from the interview; the answers are saved in {path} for you to check.").format(
                    path=target
                ),
                [f"“{label}”: {message}" for node, label, message in problems if node is None],
            )
        seen: set[tuple] = set()
        for node, message in fixable:
            if node.path in seen:
                continue
            seen.add(node.path)
            if node.kind == "group":
                self.state.closed.discard(node.path)
                self.io.say(f"  ✗ {message}")
                self.edit_group(node)
            else:
                fresh = next((n for n in self.state.walk() if n.kind == "ask" and n.path == node.path), None)
                if fresh is not None:
                    with contextlib.suppress(GoBack):  # checked again with the others below
                        self.ask(fresh, problem=message)
        return False

    # ------------------------------------------------------------ interruption

    def interrupted(self) -> None:
        say = self.io.say
        say("")
        has_answers = bool(self.state.answers)
        target = self.save_path
        if target is None and has_answers:
            target = _fallback_path(self.spec.name, self.encrypt)
        if target is None:
            say(_("Interview stopped. No answer was given: nothing was saved."))
            return
        say(_("Saving the answers…"))
        try:
            with _deferred_interrupt():
                if self.saver is not None and target == self.save_path:
                    self.saver.submit(answers_bytes(self.state.output(), self.spec.name))
                    self.saver.flush()
                else:
                    self.write_to(target, answers_bytes(self.state.output(), self.spec.name))
        except (OSError, UserError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else exc.render()
            say(_("Interview stopped. The answers could not be saved in {path}: {reason}").format(path=target, reason=reason))
            return
        say(_("Interview stopped. Your answers are saved in {path}.").format(path=target))
        say(_("To continue where you stopped, run:"))
        say(Whole("  " + self.resume_command(target)))

    def resume_command(self, target: Path) -> str:
        """The command that continues this interview, runnable as printed from any folder:
        the program as it was started (``asylumdocs`` when that is what the shell finds,
        else ``python -m docassemble_asylum`` with this Python), absolute paths."""
        from docassemble_asylum.i18n import current_language

        words = [*program_words(), "build", self.spec.name]
        ctx = click.get_current_context(silent=True)
        params = ctx.params if ctx is not None else {}
        if params.get("out_dir"):
            words += ["--out", str(Path(params["out_dir"]).absolute())]
        else:
            words += ["--out", _("FOLDER")]
        if params.get("force"):
            words.append("--force")
        words += ["--resume", str(Path(target).absolute()), "--lang", current_language()]
        if params.get("today"):
            words += ["--today", str(params["today"])]
        if self.encrypt:
            words.append("--encrypt")
        return " ".join(shlex.quote(w) for w in words)


def program_words() -> list[str]:
    """How to start asylumdocs again as it was started this time."""
    import shutil
    import sys

    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is not None and started.name == "asylumdocs":
        found = shutil.which("asylumdocs")
        if found and Path(found).resolve() == started.resolve():
            return ["asylumdocs"]
        return [str(started.absolute())]
    return [sys.executable, "-m", "docassemble_asylum"]


def takes_year(ref: FieldRef) -> bool:
    """The field takes a date known only by its year (a date of birth: models/common.py BirthDate)."""
    from pydantic import ValidationError as Invalid

    try:
        ref.adapter.validate_python("1990")
    except Invalid:
        return False
    return True


def _overlay(base: Any, top: Any) -> Any:
    """``top`` (answers so far) completed by ``base`` (the example), as a new structure.

    A list item the example does not have is completed by the example's last item; an
    answer left empty (None, or a group item not filled yet) takes the example's.
    """
    import copy

    if isinstance(top, dict):
        out = copy.deepcopy(base) if isinstance(base, dict) else {}
        for key, value in top.items():
            out[key] = _overlay(out.get(key), value)
        return out
    if isinstance(top, list):
        items = base if isinstance(base, list) else []
        return [_overlay(items[i] if i < len(items) else (items[-1] if items else None), v) for i, v in enumerate(top)]
    if top is None:
        return copy.deepcopy(base)
    return top


def _path_in(data: Any, path: tuple) -> tuple | None:
    """``path`` with each list index brought within ``data``'s lists (None if a list is empty)."""
    out = []
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or not data:
                return None
            part = min(part, len(data) - 1)
            data = data[part]
        else:
            data = data.get(part) if isinstance(data, dict) else None
        out.append(part)
    return tuple(out)


def _fallback_path(procedure: str, encrypt: bool) -> Path:
    suffix = ".yaml.age" if encrypt else ".yaml"
    candidate = Path.cwd() / f"asylumdocs-{procedure}-answers{suffix}"
    number = 2
    while candidate.exists():
        candidate = Path.cwd() / f"asylumdocs-{procedure}-answers-{number}{suffix}"
        number += 1
    return candidate


def show_value(question, value: Any) -> str:
    """An answer as a review screen shows it, in the current language: a choice's label, a
    date written out, yes/no (the terminal's review and docassemble's problems screen)."""
    if value is None or value == "" or value == []:
        return _("(empty)")
    if question.type == "yes_no":
        return _("yes") if value else _("no")
    if question.type == "choice":
        for choice in question.choices:
            if choice.value == value:
                return _(choice.label)
    if question.type == "date" and isinstance(value, str):
        with contextlib.suppress(ValueError):
            return format_date(dt.date.fromisoformat(value))
    if question.type == "time" and isinstance(value, str):
        return value[:5]
    if question.type == "long_text" and isinstance(value, str):
        first = value.split("\n")[0]
        return first[:70] + ("…" if len(first) > 70 or "\n" in value else "")
    return str(value)
