"""Helpers for the reliability and privacy tests (fuzzing, interruptions, no network, privacy).

Everything here is generic over ``docassemble_asylum.procedures.available()``: a new
procedure is fuzzed, interrupted and checked for privacy as soon as its module and its
example answers file land, with nothing to register.

- ``ProcedureProbe`` finds, for one procedure, a ``--today`` with which its bundled
  example builds, and which answers are printed in its DOCX files (each text answer is
  replaced by a marker in turn; the markers found in the extracted text are "printed").
- ``run_in_process`` runs the real CLI entry point (``commands.runner.run``) in this
  process with stdout/stderr captured as a terminal would encode them, much faster than
  a subprocess per fuzz case.
- ``check_outcome`` states the contract of a build: documents that contain the cleaned
  values, or a clean user error (exit 1, "Error: …", no traceback), never a partial folder.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as dt
import functools
import hashlib
import io
import json
import os
import re
import stat
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ERROR_PREFIXES = ("Error: ", "Erreur : ", "Erreur\u202f: ", "Erreur\u00a0: ")
LEFTOVER_RE = re.compile(r"^\..*\.(partial|old|tmp|lock)-")

Path_ = tuple[Any, ...]


# --- running the CLI -------------------------------------------------------------------------


class TooSlow(AssertionError):
    """A build that does not finish in its time limit: a hang is a bug, not a pass."""


@contextlib.contextmanager
def time_limit(seconds: float, what: str):
    """Raise ``TooSlow`` in the main thread if the block runs longer than ``seconds``."""
    import signal

    def expired(signum, frame):
        raise TooSlow(f"{what} took more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclasses.dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def run_in_process(argv: list[str]) -> CliResult:
    """The ``asylumdocs`` entry point with ``argv``, in this process.

    stdout is strict UTF-8 and stderr UTF-8 with backslashreplace, as Python sets up a
    real terminal: an answer that cannot be printed shows up as a crash here too.
    Anything but a ``UserError``/click error propagates (a bug, with its traceback).
    """
    from docassemble_asylum.cli import cli
    from docassemble_asylum.commands.runner import run

    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="backslashreplace", write_through=True)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(cli, list(argv))
    out.flush()
    err.flush()
    return CliResult(code, out_bytes.getvalue().decode("utf-8"), err_bytes.getvalue().decode("utf-8"))


def run_subprocess(args: list[str], *, env: dict | None = None, timeout: float = 300, cwd: Path | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "ASYLUMDOCS_LANG": "en", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "docassemble_asylum", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
    )


# --- answers as data ---------------------------------------------------------------------------


def leaves(data: Any, prefix: Path_ = ()) -> list[tuple[Path_, Any]]:
    """Every scalar in nested dicts/lists with its path (keys and list indexes)."""
    found: list[tuple[Path_, Any]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found += leaves(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += leaves(value, (*prefix, index))
    else:
        found.append((prefix, data))
    return found


def containers(data: Any, prefix: Path_ = ()) -> list[Path_]:
    """Paths of every mapping (where an unknown key can be added)."""
    found: list[Path_] = []
    if isinstance(data, dict):
        found.append(prefix)
        for key, value in data.items():
            found += containers(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += containers(value, (*prefix, index))
    return found


def get_path(data: Any, path: Path_) -> Any:
    for part in path:
        if isinstance(part, int):
            data = data[part]
        elif isinstance(data, dict):
            data = data[part]
        else:
            data = getattr(data, part)
    return data


def set_path(data: Any, path: Path_, value: Any) -> None:
    parent = get_path(data, path[:-1])
    parent[path[-1]] = value


def is_date_text(value: Any) -> bool:
    return isinstance(value, str) and bool(DATE_RE.match(value))


# --- comparing what a reader sees ---------------------------------------------------------------


def norm(text: str) -> str:
    """Whitespace collapsed, upper case (letters print family names in capitals), NFD (a
    value starting with a combining mark may compose with the letter before it in NFC)."""
    return unicodedata.normalize("NFD", " ".join(text.split()).upper())


def docx_texts(folder: Path) -> dict[str, str]:
    from docassemble_asylum.render.docx import docx_text

    return {p.name: docx_text(p.read_bytes()) for p in sorted(folder.glob("*.docx"))}


def strict_parse_docx(data: bytes) -> None:
    """Every XML part of a DOCX parses strictly (no recovering parser hiding damage)."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name), parser=etree.XMLParser(recover=False, resolve_entities=False))


def read_manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def leftovers(parent: Path) -> list[str]:
    """Hidden staging folders/files of an interrupted or failed build or save."""
    if not parent.is_dir():
        return []
    return sorted(p.name for p in parent.iterdir() if LEFTOVER_RE.match(p.name))


KILLED_PUBLICATION = r"""
import os, sys
from pathlib import Path
from docassemble_asylum import output

out, names = Path(sys.argv[1]), sys.argv[2:]
real_write, count = output.write_private, [0]
def write_private(path, data):
    real_write(path, data)
    count[0] += 1
    if count[0] == len(names):
        os._exit(9)  # dies like a killed build, after its files are staged: nothing tidied up
output.write_private = write_private
output.publish(out, [output.OutputFile(name, b"written before the kill") for name in names], force=True)
"""


def killed_publication(out_dir: Path, names: list[str]) -> list[str]:
    """What a build of ``out_dir`` killed while writing ``names`` leaves next to it
    (made by a real process that then dies): the hidden names, sorted."""
    before = set(os.listdir(out_dir.parent))
    subprocess.run([sys.executable, "-c", KILLED_PUBLICATION, str(out_dir), *names], check=False, timeout=60)
    return sorted(set(os.listdir(out_dir.parent)) - before)


def assert_complete_case_folder(folder: Path) -> dict:
    """``folder`` holds exactly the manifest's files with their hashes, 0600 in a 0700 folder."""
    manifest = read_manifest(folder)
    listed = {f["name"]: f for f in manifest["files"]}
    present = sorted(p.name for p in folder.iterdir())
    assert present == sorted([*listed, "manifest.json"]), (present, sorted(listed))
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700, oct(os.stat(folder).st_mode)
    for path in folder.iterdir():
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, (path.name, oct(os.stat(path).st_mode))
        if path.name != "manifest.json":
            data = path.read_bytes()
            assert hashlib.sha256(data).hexdigest() == listed[path.name]["sha256"], path.name
            assert len(data) == listed[path.name]["bytes"], path.name
    return manifest


def assert_clean_user_error(result: CliResult) -> None:
    assert result.code == 1, (result.code, result.stderr[-2000:])
    assert result.stderr.startswith(ERROR_PREFIXES), result.stderr[:500]
    assert "Traceback" not in result.stderr
    assert result.stdout == "", result.stdout[:500]


# --- per-procedure probe ------------------------------------------------------------------------


class NotBuildable(Exception):
    """The procedure's own example does not build yet (a module of it has not landed)."""


@dataclasses.dataclass
class ProcedureProbe:
    name: str
    example: dict
    today: dt.date
    printed: frozenset  # paths of text answers that show up in a DOCX
    text_paths: tuple  # paths of every non-date text answer of the example

    @property
    def today_arg(self) -> str:
        return self.today.isoformat()

    def example_yaml(self) -> str:
        from docassemble_asylum.procedures import get

        from docassemble_asylum.example_dates import reference_day

        return get(self.name).example_text(reference_day(self.name))


def _candidate_days(example: dict) -> list[dt.date]:
    days = sorted({dt.date.fromisoformat(v) for _, v in leaves(example) if is_date_text(v)})
    candidates: list[dt.date] = []
    for day in [*reversed(days), dt.date.today()]:
        for offset in (0, 1, -1, 7, -7, 14, -14, 30, -30, 60, -60):
            with contextlib.suppress(OverflowError):
                candidate = day + dt.timedelta(days=offset)
                if candidate not in candidates:
                    candidates.append(candidate)
    return candidates


def render_in_memory(name: str, raw: Any, today: dt.date) -> dict[str, bytes]:
    """Validate and render without the CLI or the disk: {file name: bytes}."""
    from docassemble_asylum.procedures import get
    from docassemble_asylum.procedures.base import BuildOptions

    spec = get(name)
    answers = spec.validate(raw, today)
    files = spec.build_outputs(answers, BuildOptions(today=today, lang="en"), b"probe")
    return {f.name: f.data for f in files}


@functools.cache
def probe(name: str) -> ProcedureProbe:
    """How to build ``name``'s example, and which answers its documents print (cached)."""
    from docassemble_asylum import yamlio
    from docassemble_asylum.errors import UserError
    from docassemble_asylum.example_dates import reference_day
    from docassemble_asylum.i18n import language
    from docassemble_asylum.procedures import get
    from docassemble_asylum.render.docx import docx_text

    try:
        spec = get(name)
        example = yamlio.loads(spec.example_text(reference_day(name)))
    except (ImportError, FileNotFoundError, AttributeError) as exc:
        raise NotBuildable(f"{name}: its module or example has not landed yet ({exc.__class__.__name__}: {exc})") from exc
    today = None
    problems = []
    with language("en"):
        for day in _candidate_days(example):
            try:
                spec.validate(copy.deepcopy(example), day)
            except UserError as exc:
                problems.append(exc.render())
                continue
            today = day
            break
        if today is None:
            raise NotBuildable(f"{name}: its example is refused for every --today tried: {problems[:1]}")
        try:
            render_in_memory(name, copy.deepcopy(example), today)
        except (ImportError, FileNotFoundError) as exc:  # a module or template not landed yet
            raise NotBuildable(f"{name}: example does not build yet ({exc.__class__.__name__}: {exc})") from exc
        text_paths = tuple(p for p, v in leaves(example) if isinstance(v, str) and not is_date_text(v))
        markers = {path: f"Zq{index}xQz" for index, path in enumerate(text_paths)}
        raw = accepted_with(name, example, markers, today)
        files = render_in_memory(name, raw, today)
        text = norm("\n".join(docx_text(d) for n, d in files.items() if n.endswith(".docx")))
        printed = {path for path, marker in markers.items() if get_path(raw, path) == marker and norm(marker) in text}
    return ProcedureProbe(name, example, today, frozenset(printed), text_paths)


def accepted_with(name: str, example: dict, values: dict, today: dt.date) -> dict:
    """``example`` with as many of ``values`` ({path: value}) as the procedure accepts.

    Values refused at their own path (a choice, a constrained number) are put back to the
    example's value, until the whole is valid; one validation per round, not per path.
    """
    from pydantic import ValidationError

    from docassemble_asylum.errors import UserError
    from docassemble_asylum.procedures import get

    spec = get(name)
    pending = dict(values)
    later: dict = {}  # refused at an enclosing group (a tagged union): tried one by one
    for _ in range(len(values) + 1):
        raw = copy.deepcopy(example)
        for path, value in pending.items():
            set_path(raw, path, value)
        try:
            spec.model.model_validate(copy.deepcopy(raw))
        except ValidationError as exc:
            locs = [tuple(e["loc"]) for e in exc.errors()]
            refused = {p for p in pending for loc in locs if loc[: len(p)] == p}
            enclosed = {p for p in pending for loc in locs if p[: len(loc)] == loc and p not in refused}
            if not refused and not enclosed:
                raise
            for path in refused:
                pending.pop(path)
            for path in enclosed:
                later[path] = pending.pop(path)
            continue
        try:
            render_in_memory(name, copy.deepcopy(raw), today)
        except UserError:
            # A consistency rule or a deadline reads one of the values: one value at a time.
            return _accepted_one_by_one(name, example, {**pending, **later}, today)
        return _accepted_one_by_one(name, raw, later, today) if later else raw
    raise AssertionError("unreachable")


def _accepted_one_by_one(name: str, example: dict, values: dict, today: dt.date) -> dict:
    """Add ``values`` to ``example`` keeping those with which it still builds (by halves)."""
    from docassemble_asylum.errors import UserError

    if not values:
        return example
    trial = copy.deepcopy(example)
    for path, value in values.items():
        set_path(trial, path, value)
    try:
        render_in_memory(name, copy.deepcopy(trial), today)
        return trial
    except UserError:
        if len(values) == 1:
            return example
    items = list(values.items())
    half = len(items) // 2
    first = _accepted_one_by_one(name, example, dict(items[:half]), today)
    return _accepted_one_by_one(name, first, dict(items[half:]), today)


def buildable_procedures() -> list[str]:
    from docassemble_asylum.procedures import available

    return list(available())
