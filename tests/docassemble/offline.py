"""docassemble's own parser and assembler, driven offline (no web server, database or redis).

What a docassemble server does for one screen, reduced to what its base package does:
``Interview(source=...)`` parses the YAML, ``assemble(user_dict, status)`` runs the
interview logic until a question is needed (``status.question``) and assembles the
attachments of that question. Answering is setting the variable in ``user_dict`` and
running the question's ``validation code``, as the web application does after a POST.

Set-up facts (see ../shared/domain/DOCASSEMBLE.md):

- a config file with ``nltk socket`` pointing at an existing empty file, loaded before
  ``docassemble.base.parse`` is imported (otherwise the import downloads NLTK word lists);
- since 1.10 the server's services are pluggy hooks only the web application implements:
  ``Server`` below is a test double implementing the few that parsing, assembling and
  attachments need;
- docassemble only LOGS some problems (unknown keys, for instance): every log message is
  collected, and the tests fail on any (``Session.log``/``load``);
- DOCX→PDF conversion needs LibreOffice on the server: ``word_to_pdf`` is replaced by a
  recorder, so the PDF files are NOT produced here (README says so).

Only docassemble.base is imported; docassemble.webapp is not installed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent

# The day each procedure's example is built on, as in the procedure's own CLI tests.
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

_STATE: dict[str, Any] = {}


def procedures() -> list[str]:
    """Procedures that have a generated interview in the checkout."""
    return sorted(p.stem for p in (ROOT / "docassemble" / "asylum" / "data" / "questions").glob("*.yml"))


def address(procedure: str) -> str:
    return f"docassemble.asylum:data/questions/{procedure}.yml"


class OfflineError(AssertionError):
    """docassemble did something a live server would show as an error (or only log)."""


def setup() -> dict[str, Any]:
    """Configure docassemble once per process; returns the shared state (log, files)."""
    if _STATE:
        return _STATE
    folder = Path(tempfile.mkdtemp(prefix="da-offline-"))
    (folder / "nltk.sock").write_text("", encoding="utf-8")
    config = folder / "config.yml"
    config.write_text(f"nltk socket: {folder / 'nltk.sock'}\n", encoding="utf-8")
    import docassemble.base.config as da_config

    da_config.load(filename=str(config))

    import pluggy

    from docassemble.base.plugin_manager import pm

    hookimpl = pluggy.HookimplMarker("docassemble")
    files: dict[int, tuple[str, bytes]] = {}
    pdf_requests: list[str] = []

    class Server:
        """The hooks a docassemble web application implements, as far as parsing and assembling need."""

        @hookimpl
        def get_configuration(self):
            return da_config.daconfig

        @hookimpl
        def get_default_language(self):
            return "en"

        @hookimpl
        def get_default_dialect(self):
            return "us"

        @hookimpl
        def get_default_locale(self):
            return "US.utf8"

        @hookimpl
        def get_default_voice(self):
            return None

        @hookimpl
        def get_default_timezone(self):
            return "Europe/Paris"

        @hookimpl
        def get_default_country(self):
            return "FR"

        @hookimpl
        def get_hostname(self):
            return "localhost"

        @hookimpl
        def get_debug_status(self):
            return False

        @hookimpl
        def get_main_page_parts(self):
            return {}

        @hookimpl
        def get_default_table_class(self):
            return "table table-striped"

        @hookimpl
        def get_default_thead_class(self):
            return None

        @hookimpl
        def get_button_class_prefix(self):
            return "btn-"

        @hookimpl
        def secure_filename(self, filename):
            import werkzeug.utils

            return werkzeug.utils.secure_filename(filename)

        @hookimpl
        def secure_filename_spaces_ok(self, filename):
            return re.sub(r"[^A-Za-z0-9_. -]", "", filename)

        @hookimpl
        def secure_filename_unicode_ok(self, the_filename):
            return the_filename

        @hookimpl
        def save_numbered_file(self, filename, orig_path, yaml_file_name=None, uid=None):
            number = len(files) + 1
            files[number] = (filename, Path(orig_path).read_bytes())
            extension = filename.rsplit(".", 1)[-1].lower()
            mimetype = {
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "pdf": "application/pdf",
            }.get(extension, "application/octet-stream")
            return number, extension, mimetype

        # A logged-in user's sessions, as the web application lists and reads them
        # (``interview_list``, ``get_session_variables``): those ``store_session`` keeps.
        @hookimpl
        def user_interviews(self, filename, include_dict, start_id):
            found = [
                {"filename": name, "session": key, "utc_modtime": modtime, "title": name, "valid": True,
                 **({"dict": stored} if include_dict else {})}
                for (name, key), (stored, modtime) in sessions.items()
                if filename is None or name == filename
            ]
            return found, None

        @hookimpl
        def server_get_session_variables(self, yaml_filename, session_id, secret, simplify, use_lock):
            return sessions[yaml_filename, session_id][0]

    sessions: dict[tuple[str, str], tuple[dict, Any]] = {}
    pm.register(Server())

    import docassemble.base.logger as da_logger

    log: list[str] = []
    da_logger.set_logmessage(lambda message: log.append(str(message)))

    import docassemble.base.parse as parse

    def word_to_pdf(in_file, in_format, out_file, *args, **kwargs):
        # The server's LibreOffice conversion: not available offline, recorded instead.
        pdf_requests.append(kwargs.get("filename") or os.path.basename(in_file))
        Path(out_file).write_bytes(b"%PDF-1.4\n% not converted offline\n")
        return True

    parse.word_to_pdf = word_to_pdf
    # A server imports the modules marked "# pre-load" at start-up, before any interview is
    # read: the glue registers the core's Jinja filters there (docx templates are checked
    # with them when an interview is loaded).
    import docassemble.asylum.glue  # noqa: F401

    _STATE.update(log=log, files=files, pdf_requests=pdf_requests, parse=parse, folder=folder, sessions=sessions)
    return _STATE


def store_session(address: str, session_id: str, user_dict: dict, modtime) -> None:
    """Keep a session's variables as the server stores them (pickled), for the logged-in user's
    ``interview_list`` and ``get_session_variables``; ``modtime``: its last change, in UTC."""
    import pickle

    from docassemble.base.functions import pickleable_objects

    setup()["sessions"][address, session_id] = (pickle.loads(pickle.dumps(pickleable_objects(user_dict))), modtime)


def forget_sessions() -> None:
    setup()["sessions"].clear()


def _current_info(yaml_filename: str, logged_in: bool = False) -> dict:
    user = {
        "is_anonymous": not logged_in, "is_authenticated": logged_in, "email": None, "theid": "test-user", "the_user_id": "t1",
        "roles": ["user"], "firstname": None, "lastname": None, "nickname": None, "country": None,
        "subdivisionfirst": None, "subdivisionsecond": None, "subdivisionthird": None, "organization": None,
        "timezone": None, "language": None, "location": None, "session_uid": "session-1", "device_id": "device-1",
    }
    return {
        "yaml_filename": yaml_filename, "user": user, "session": "session-1", "secret": None,
        "url": "http://localhost/interview", "url_root": "http://localhost/", "encrypted": False,
        "interface": "web", "arguments": {}, "clientip": None, "method": None, "headers": {},
    }


def load(address: str):
    """Parse an interview (``docassemble.asylum:data/questions/x.yml``); fails on anything logged."""
    state = setup()
    parse = state["parse"]
    from docassemble.base.interview_source import interview_source_from_string
    from docassemble.base.thread_context import empty_globals, global_context

    before = len(state["log"])
    with global_context(empty_globals()):
        interview = parse.Interview(source=interview_source_from_string(address))
    logged = state["log"][before:]
    if logged:
        raise OfflineError(f"docassemble logged while reading {address}:\n" + "\n".join(logged))
    return interview


@dataclass
class Screen:
    """One screen as the user would see it."""

    id: str
    kind: str
    variables: list[str]  # concrete names (iterators substituted)
    datatypes: list[str | None]  # docassemble's datatype, or the input type of a choice
    question: str
    subquestion: str
    choices: list[tuple[str, Any]] = field(default_factory=list)
    defaults: list[Any] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)
    # a field shown only when another field of the screen has a value: (that field, the value), else None
    shown_if: list[tuple[str, str] | None] = field(default_factory=list)


class Session:
    """One interview session: ``next()`` gives the screen to answer, ``answer()`` answers it."""

    def __init__(self, address: str, interview=None, reload_between_screens: bool = False, logged_in: bool = False):
        self.reload_between_screens = reload_between_screens
        self.logged_in = logged_in  # docassemble lists a user's sessions only when logged in
        self.state = setup()
        self.parse = self.state["parse"]
        self.address = address
        self.interview = interview if interview is not None else load(address)
        from docassemble.base.thread_context import empty_globals

        self.globals = empty_globals()
        from docassemble.base.thread_context import global_context

        with global_context(self.globals):
            self.user_dict = self.parse.get_initial_dict()
        self.status = None
        self.screens: list[Screen] = []

    def _context(self):
        import contextlib

        from docassemble.base.thread_context import global_context, user_dict_context

        stack = contextlib.ExitStack()
        stack.enter_context(global_context(self.globals))
        stack.enter_context(user_dict_context(self.user_dict))
        return stack

    def next(self) -> Screen:
        """Run the interview logic to the next screen (attachments included); fails on anything logged."""
        before = len(self.state["log"])
        if self.reload_between_screens:
            self.reload()
        with self._context():
            status = self.parse.InterviewStatus(current_info=_current_info(self.address, self.logged_in))
            self.interview.assemble(self.user_dict, status)
        logged = self.state["log"][before:]
        if logged:
            raise OfflineError("docassemble logged:\n" + "\n".join(logged))
        self.status = status
        screen = self._screen(status)
        self.screens.append(screen)
        return screen

    def reload(self) -> None:
        """What a server does between two screens: pickle the variables, load them back."""
        import pickle

        from docassemble.base.functions import pickleable_objects

        self.user_dict = pickle.loads(pickle.dumps(pickleable_objects(self.user_dict)))

    def _screen(self, status) -> Screen:
        question = status.question
        variables, datatypes, choices, defaults, shown_if = [], [], [], [], []
        for number, item in enumerate(question.fields):
            saveas = getattr(item, "saveas", None)
            if saveas is None:
                continue
            name = self.parse.from_safeid(saveas)
            variables.append(self.concrete(name))
            extras = getattr(item, "extras", None) or {}
            if "show_if_var" in extras and "show_if_val" in extras and extras.get("show_if_sign", 1) == 1:
                shown = extras["show_if_val"]  # docassemble's TextObject of the value
                shown_if.append((self.concrete(self.parse.from_safeid(extras["show_if_var"])), str(getattr(shown, "original_text", shown)).strip()))
            else:
                shown_if.append(None)
            datatype = getattr(item, "datatype", None)
            inputtype = getattr(item, "inputtype", None)
            datatypes.append(inputtype if inputtype in ("radio", "dropdown", "combobox") else datatype)
            defaults.append(status.defaults.get(number) if isinstance(status.defaults, dict) else None)
            for choice in status.selectcompute.get(number, []) if isinstance(status.selectcompute, dict) else []:
                choices.append((choice.get("label"), choice.get("key")))
        return Screen(
            id=str(question.id),
            kind=question.question_type,
            variables=variables,
            datatypes=datatypes,
            question=str(status.question_text or ""),
            subquestion=str(status.subquestion_text or ""),
            choices=choices,
            defaults=defaults,
            attachments=list(status.attachments or []),
            shown_if=shown_if,
        )

    def concrete(self, name: str) -> str:
        """``exhibits[i].title`` -> ``exhibits[0].title`` with docassemble's current iterators."""

        def value(match):
            return "[" + str(self.user_dict[match.group(1)]) + "]"

        return re.sub(r"\[([ijklmn])\]", value, name)

    def answer(self, values: dict[str, Any]) -> None:
        """Set the screen's variables and run its validation code, as the web application does."""
        from docassemble.base.error import DAValidationError

        with self._context():
            for name, value in values.items():
                self.user_dict["__asylum_test_value"] = value
                exec(f"{name} = __asylum_test_value", self.user_dict)
            del self.user_dict["__asylum_test_value"]
            code = getattr(self.status.question, "validation_code", None)
            if code is not None:
                try:
                    exec(code, self.user_dict)
                except DAValidationError as exc:
                    raise ValidationRefused(str(exc)) from None

    def eval(self, expression: str) -> Any:
        with self._context():
            return eval(expression, self.user_dict)

    def set(self, name: str, value: Any) -> None:
        with self._context():
            self.user_dict["__asylum_test_value"] = value
            exec(f"{name} = __asylum_test_value", self.user_dict)
            del self.user_dict["__asylum_test_value"]

    def attachment_files(self) -> dict[str, bytes]:
        """The assembled files of the current screen: ``name.ext`` -> bytes."""
        out = {}
        for attachment in self.status.attachments or []:
            for fmt, number in attachment["file"].items():
                filename, data = self.state["files"][number]
                out[filename] = data
        return out


class ValidationRefused(AssertionError):
    """The question's validation code refused the answer (the message the user would see)."""


def as_datetime(value: str):
    """What the web application stores for a ``datatype: date`` field."""
    from docassemble.base.util import as_datetime as da_as_datetime

    return da_as_datetime(value)


_MISSING = object()


def _lookup(answers: Any, name: str) -> Any:
    """``exhibits[1].title`` in an answers file, or _MISSING."""
    data = answers
    for part in re.findall(r"[A-Za-z_][A-Za-z0-9_]*|\[\d+\]", name):
        if part.startswith("["):
            index = int(part[1:-1])
            if not isinstance(data, list) or index >= len(data):
                return _MISSING
            data = data[index]
        else:
            if not isinstance(data, dict) or part not in data:
                return _MISSING
            data = data[part]
    return data


@dataclass
class Walk:
    session: Session
    steps: list[Screen]
    final: Screen


def is_documents_screen(screen: Screen) -> bool:
    return re.fullmatch(r"(fr|en) documents( \d+)?", screen.id) is not None


def model_default(model, name: str) -> Any:
    """The model's default for a concrete field name (``exhibits[2].translated``), or _MISSING."""
    from docassemble_asylum.questions.fields import UnknownField, field_ref

    counter = iter("ijklmn")
    template = re.sub(r"\[\d+\]", lambda _m: f"[{next(counter)}]", name)
    try:
        ref = field_ref(model, template)
    except UnknownField:
        return _MISSING
    if ref.required:
        return _MISSING
    return ref.empty_value()


def walk(
    address: str, answers: dict, lang: str, today: dt.date, model=None, max_steps: int = 400, interview=None,
    reload_between_screens: bool = False,
) -> Walk:
    """From the first screen to the documents screen, answering from an answers file.

    Each screen is answered as a person would from the answers file: the value at the
    field's path, an empty answer for an optional question the file leaves out, yes/no
    to "any?"/"another?" from the length of the file's list. A screen asked twice in a
    row, or a refused answer, fails the walk.
    """
    session = Session(address, interview, reload_between_screens)
    global _LAST
    _LAST = session
    session.set("asylum_today_override", today)
    return walk_on(session, answers, lang, model, max_steps)


def walk_on(session: Session, answers: dict, lang: str, model=None, max_steps: int = 400) -> Walk:
    """``walk`` from the session's current point: each screen answered from the answers file."""
    previous = None
    for _ in range(max_steps):
        screen = session.next()
        if is_documents_screen(screen):
            return Walk(session, session.screens, screen)
        key = (screen.id, tuple(screen.variables))
        if key == previous:
            raise OfflineError(f"the screen {screen.id} ({screen.variables}) was asked again after being answered")
        previous = key
        values = answers_for(session, screen, answers, lang, model)
        if not screen.variables:
            raise OfflineError(f"screen {screen.id} ({screen.kind}) sets no variable: the walk cannot continue")
        try:
            session.answer(values)
        except ValidationRefused as exc:
            raise ValidationRefused(f"screen {screen.id}: {values!r} refused: {exc}") from None
    raise OfflineError(f"no documents screen after {max_steps} screens")


def answers_for(session: Session, screen: Screen, answers: dict, lang: str, model=None) -> dict[str, Any]:
    """A screen's answers from an answers file, without the fields the answers hide (``show if``),
    which the browser does not send."""
    values = {}
    for name, datatype, default in zip(screen.variables, screen.datatypes, screen.defaults):
        values[name] = answer_from_file(session, name, datatype, answers, lang, default, model)
    for name, condition in zip(screen.variables, screen.shown_if):
        if condition is not None and condition[0] in values and str(values[condition[0]]) != condition[1]:
            del values[name]
    return values


# The generated screen of a date of birth (tools/make_docassemble.py year_variables): which the
# documents give ("date" or "year"), and the year alone.
BIRTH_VARIABLE = re.compile(r"(?:(?P<holder>.*)\.)?asylum_(?P<name>[a-z_]+)_(?P<part>known|year)")
YEAR_ONLY = re.compile(r"\s*[0-9]{4}\s*")


def birth_answer(answers: dict, name: str) -> Any:
    """The answer to a date of birth's own variables, from the answers file's date or year; _MISSING else."""
    found = BIRTH_VARIABLE.fullmatch(name)
    if found is None:
        return _MISSING
    holder = found.group("holder")
    value = _lookup(answers, f"{holder}.{found.group('name')}" if holder else found.group("name"))
    year_only = isinstance(value, int) or (isinstance(value, str) and YEAR_ONLY.fullmatch(value) is not None)
    if found.group("part") == "known":
        return "year" if year_only else "date"
    return int(value) if year_only else None


def answer_from_file(
    session: Session, name: str, datatype: str | None, answers: dict, lang: str, default: Any = None, model=None
) -> Any:
    birth = birth_answer(answers, name)
    if birth is not _MISSING:
        return birth
    if name == "asylum_lang":
        return lang
    if name in ("asylum_intro_seen", "asylum_started_seen") or name.startswith("asylum_early_seen_"):
        return True  # the intro, the answers an earlier session gave, verdicts already decided: Continue
    if name == "asylum_start_choice":
        return "afresh"  # an earlier session offered: a walk from an answers file starts without it
    if name == "asylum_problems_reviewed":
        problems = session.eval("asylum_result")
        raise OfflineError(f"the example answers were refused by the whole-case check: {problems}")
    if name.endswith(".there_are_any"):
        found = _lookup(answers, name[: -len(".there_are_any")])
        return isinstance(found, list) and len(found) > 0
    if name.endswith(".there_is_another"):
        list_name = name[: -len(".there_is_another")]
        found = _lookup(answers, list_name)
        have = session.eval(f"len({list_name}.elements)")
        return isinstance(found, list) and len(found) > have
    value = _lookup(answers, name)
    if value is _MISSING and default not in (None, ""):
        value = default  # the file leaves it out: the person accepts the suggested answer
    if value is _MISSING and model is not None:
        value = model_default(model, name)  # the file leaves it out: what the file means
    if value is _MISSING or value is None or value == "":
        # Left empty: what the web application stores for an empty optional field. A radio,
        # dropdown or combobox left unselected arrives as the text "None" (the form's
        # ``_empties``, docassemble/webapp/interview/views.py): seen on a real server, where
        # the lawyer's optional sex was refused until the glue read it as unanswered.
        if datatype in ("radio", "dropdown", "combobox"):
            return "None"
        return None if datatype in ("yesnoradio", "boolean") else ""
    if datatype == "date":
        return as_datetime(value)
    return value
