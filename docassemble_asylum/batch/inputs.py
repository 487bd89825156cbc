"""The cases of a batch: where they come from, what they are called, how they are read.

Three sources, all streamed (one case in memory at a time):

- a JSONL file (``.jsonl`` / ``.ndjson``): one answers object per line; blank lines skipped;
- a CSV file (``.csv``): a header of answer paths with dots (``applicant.family_name``),
  list items by index (``exhibits.0.title``); an empty cell is an answer not given;
  ``true/false/oui/non/yes/no/vrai/faux/1/0`` in a yes/no answer; ``,`` ``;`` or tab
  separated (French spreadsheets write ``;``); UTF-8, with or without BOM;
- a folder: every ``*.yaml``, ``*.yml`` and ``*.json`` answers file in it, by name, and
  the same encrypted (``*.yaml.age``… as ``asylumdocs case encrypt`` writes them, or
  ``*.age``): decrypted in memory by the worker, like ``build --answers FILE.age``. The
  keys are settled before anything is written (``unlock``): a passphrase is asked once
  for the whole batch (or taken from ``ASYLUMDOCS_PASSPHRASE``), a private key comes
  from ``ASYLUMDOCS_IDENTITY``; a file they do not open fails as its case.
  Anything else in the folder is no case: it is listed as ignored in the summary
  (``describe``). An entry with an answers file's name that cannot be read (no
  permission, a named pipe, a loop of symbolic links, a folder called ``x.yaml``) is a
  case that fails with the reason, never skipped in silence.

Limits, so that one hostile input cannot take the batch down: a JSONL line or an answers
file is read up to 5 MB (``answers_file.MAX_BYTES``), its nesting is capped at 100 levels
and an integer of thousands of digits is refused: each fails as its case, with a message.

Case ids name the output folders: a ``case_id`` key (JSONL) or column (CSV) when there is
one, else ``line-0003`` (JSONL line), ``row-0002`` (CSV row as a spreadsheet numbers it,
the header being row 1) or the file name without extension (``haddad.yaml.age`` is
``haddad``). Ids are reduced to letters,
digits, ``.``, ``_`` and ``-`` so that they are safe folder names everywhere.

The parent process only splits the input and computes ids; the worker processes parse
and validate (``load``), so that a broken case fails alone, with a message naming the
line, row or file and never the values it holds.
"""

from __future__ import annotations

import csv
import json
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docassemble_asylum import yamlio
from docassemble_asylum.answers_file import MAX_BYTES, problem_text, read_limited, reason
from docassemble_asylum.crypto import SUFFIX  # an answers file encrypted by ``case encrypt``
from docassemble_asylum.errors import UserError, printable
from docassemble_asylum.i18n import gettext, ngettext

CASE_ID = "case_id"
JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)
FILE_SUFFIXES = (".yaml", ".yml", ".json")
RESERVED_IDS = {"report.csv", "summary.txt"}
MAX_ID_LENGTH = 80
TRUE_WORDS = {"true", "oui", "yes", "vrai", "1", "o", "y"}
FALSE_WORDS = {"false", "non", "no", "faux", "0", "n"}


@dataclass(frozen=True)
class Case:
    """One case, as it travels to a worker: small and picklable."""

    index: int  # position in the input, from 0
    case_id: str
    kind: str  # "jsonl" | "csv" | "file"
    where: int | str  # line number, row number, or file name: for messages
    payload: Any  # the JSON text (or an Oversized line), the CSV cells {column: text}, or the file's path


@dataclass(frozen=True)
class Oversized:
    """A JSONL line longer than ``MAX_BYTES``: not kept in memory, its case fails."""

    size: int


def safe_case_id(value: Any) -> str:
    """Letters (accents dropped), digits, ``.``, ``_``, ``-``; '' when nothing is left."""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")[:MAX_ID_LENGTH].strip("-._")
    if text.lower() in RESERVED_IDS:
        text = f"case-{text}"
    return text


class CaseSource:
    """The cases of one input. Iterating twice reads the input twice (once to count and
    check the ids, once to build), so that nothing is held in memory."""

    kind = ""

    def __init__(self, path: Path):
        self.path = Path(path)

    def __iter__(self) -> Iterator[Case]:
        raise NotImplementedError

    def describe(self) -> str:
        return str(self.path)


def open_source(path: Path, model: type | None = None) -> CaseSource:
    """The right reader for ``path``, or a UserError saying what is accepted."""
    path = Path(path)
    try:
        is_folder = stat.S_ISDIR(os.stat(path).st_mode)
    except FileNotFoundError:
        raise UserError(gettext("The cases file {path} does not exist.").format(path=printable(str(path)))) from None
    except OSError as exc:  # a name too long, a file in the path, a loop of links: not "missing"
        raise _read_error(path, exc) from None
    if is_folder:
        return FolderSource(path)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return JsonlSource(path)
    if suffix in CSV_SUFFIXES:
        return CsvSource(path, model)
    raise UserError(
        gettext(
            "{path}: give a JSONL file (.jsonl, one answers object per line), a CSV file (.csv, one column per answer) "
            "or a folder of answers files (.yaml, .yml, .json)."
        ).format(path=path)
    )


def _read_error(path: Path, exc: OSError) -> UserError:
    return UserError(gettext("The cases file {path} cannot be read ({reason}).").format(path=printable(str(path)), reason=reason(exc)))


# --- JSONL -------------------------------------------------------------------------------


class JsonlSource(CaseSource):
    kind = "jsonl"

    def __iter__(self) -> Iterator[Case]:
        index = 0
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise _read_error(self.path, exc) from None
        with handle:
            for number, raw in enumerate(_lines(handle), start=1):
                if isinstance(raw, Oversized):
                    yield Case(index, f"line-{number:04d}", "jsonl", number, raw)
                    index += 1
                    continue
                if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                raw = raw.rstrip(b"\r\n")
                if not raw.strip():
                    continue
                case_id = safe_case_id(_jsonl_case_id(raw)) or f"line-{number:04d}"
                yield Case(index, case_id, "jsonl", number, raw)
                index += 1


def _lines(handle) -> Iterator[bytes | Oversized]:
    """The lines of a binary file, each read up to ``MAX_BYTES``; a longer line is skipped
    to its end (never held whole in memory) and given as ``Oversized``."""
    while True:
        raw = handle.readline(MAX_BYTES + 1)
        if not raw:
            return
        if len(raw) <= MAX_BYTES or raw.endswith(b"\n"):
            yield raw
            continue
        size = len(raw)
        while not raw.endswith(b"\n"):
            raw = handle.readline(1 << 20)
            if not raw:
                break
            size += len(raw)
        yield Oversized(size)


def _jsonl_case_id(raw: bytes) -> str:
    # Only for naming: a line that does not parse is named by its number and fails later.
    try:
        data = yamlio.json_loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):  # (yamlio.YamlError is a ValueError)
        return ""
    if isinstance(data, dict) and isinstance(data.get(CASE_ID), (str, int)) and not isinstance(data.get(CASE_ID), bool):
        return str(data[CASE_ID])
    return ""


# --- CSV ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    path: tuple[str | int, ...]
    boolean: bool


class CsvSource(CaseSource):
    kind = "csv"

    def __init__(self, path: Path, model: type | None = None):
        super().__init__(path)
        self.model = model
        self.dialect, self.header = self._read_header()
        self.columns = parse_header(self.header, model)

    def _open(self):
        try:
            return self.path.open("r", encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise _read_error(self.path, exc) from None

    def _read_header(self):
        with self._open() as handle:
            try:
                first = handle.readline()
            except UnicodeDecodeError:
                raise self._not_utf8() from None
        if not first.strip():
            raise UserError(gettext("The CSV file {path} has no header row (the answer paths).").format(path=self.path))
        counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
        delimiter = max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","

        class Dialect(csv.excel):
            pass

        Dialect.delimiter = delimiter
        header = next(csv.reader([first], Dialect))
        return Dialect, [name.strip() for name in header]

    def _not_utf8(self) -> UserError:
        return UserError(
            gettext("The CSV file {path} is not UTF-8 text: save it as “CSV UTF-8” in your spreadsheet.").format(path=self.path)
        )

    def __iter__(self) -> Iterator[Case]:
        case_column = self.header.index(CASE_ID) if CASE_ID in self.header else None
        with self._open() as handle:
            reader = csv.reader(handle, self.dialect)
            try:
                next(reader, None)
                for index, cells in enumerate(reader):
                    if not any(cell.strip() for cell in cells):
                        continue  # a blank line, often at the end of an export
                    row = index + 2  # as a spreadsheet numbers it: the header is row 1
                    case_id = ""
                    if case_column is not None and case_column < len(cells):
                        case_id = safe_case_id(cells[case_column])
                    yield Case(index, case_id or f"row-{row:04d}", "csv", row, cells)
            except UnicodeDecodeError:
                raise self._not_utf8() from None
            except csv.Error as exc:
                raise UserError(
                    gettext("The CSV file {path} cannot be read at line {line}.").format(path=self.path, line=reader.line_num)
                ) from exc


def parse_header(header: list[str], model: type | None) -> list[Column]:
    """Columns with their answer paths; a UserError listing every bad column name."""
    problems: list[str] = []
    columns: list[Column] = []
    seen: dict[tuple, str] = {}
    schema = _schema(model)
    for name in header:
        if name == CASE_ID:
            columns.append(Column(name, (), False))
            continue
        parts = name.split(".")
        if not name or any(not part for part in parts):
            problems.append(gettext("“{column}”: an empty part in the path (two dots, or a dot at an end).").format(column=name))
            continue
        path = tuple(int(part) if part.isdigit() else part for part in parts)
        if path in seen:
            problems.append(gettext("“{column}”: this column appears twice.").format(column=name))
            continue
        seen[path] = name
        columns.append(Column(name, path, _is_boolean(schema, path)))
    # A path that is also the start of another ("applicant" and "applicant.city"), or a level
    # used both as a list and as a group ("exhibits.0" and "exhibits.title").
    paths = sorted(seen, key=len)
    for path in paths:
        for other in paths:
            if len(other) > len(path) and other[: len(path)] == path:
                problems.append(
                    gettext("“{column}” and “{other}”: one answer cannot also hold others.").format(column=seen[path], other=seen[other])
                )
                break
    levels: dict[tuple, set[type]] = {}
    for path in seen:
        for depth in range(1, len(path)):
            levels.setdefault(path[:depth], set()).add(type(path[depth]))
    for prefix, kinds in levels.items():
        if len(kinds) > 1:
            problems.append(
                gettext("“{prefix}”: its columns mix list positions (numbers) and named answers.").format(
                    prefix=".".join(str(p) for p in prefix)
                )
            )
    if problems:
        raise UserError(
            ngettext(
                "The header of the CSV file has {count} problem (one column per answer, e.g. applicant.family_name or exhibits.0.title):",
                "The header of the CSV file has {count} problems (one column per answer, e.g. applicant.family_name or exhibits.0.title):",
                len(problems),
            ).format(count=len(problems)),
            problems,
        )
    return columns


def _schema(model: type | None) -> dict:
    if model is None:
        return {}
    try:
        return model.model_json_schema()
    except Exception:  # a schema pydantic cannot express: no yes/no conversion, nothing else lost
        return {}


def _is_boolean(schema: dict, path: tuple) -> bool:
    defs = schema.get("$defs", {})

    def resolve(node: dict) -> list[dict]:
        if "$ref" in node:
            return resolve(defs.get(node["$ref"].rsplit("/", 1)[-1], {}))
        options = node.get("anyOf") or node.get("oneOf") or node.get("allOf")
        if options:
            return [found for option in options for found in resolve(option)]
        return [node]

    nodes = resolve(schema) if schema else []
    for part in path:
        following: list[dict] = []
        for node in nodes:
            if isinstance(part, int) and node.get("type") == "array" and isinstance(node.get("items"), dict):
                following += resolve(node["items"])
            elif isinstance(part, str) and part in node.get("properties", {}):
                following += resolve(node["properties"][part])
        nodes = following
    return any(node.get("type") == "boolean" for node in nodes)


def csv_answers(columns: list[Column], cells: list[str], row: int) -> dict:
    """One CSV row -> nested answers: empty cells left out, list items in index order."""
    if len(cells) > len(columns):
        extra = cells[len(columns) :]
        if any(cell.strip() for cell in extra):
            raise UserError(
                gettext("Row {row} has {cells} cells but the header has {columns} columns.").format(
                    row=row, cells=len(cells), columns=len(columns)
                )
            )
    root: dict = {}
    for column, cell in zip(columns, cells):
        if not column.path or not cell.strip():
            continue
        value: Any = cell
        if column.boolean:
            word = cell.strip().lower()
            value = True if word in TRUE_WORDS else False if word in FALSE_WORDS else cell
        node = root
        for part in column.path[:-1]:
            node = node.setdefault(part, {})
        node[column.path[-1]] = value
    return _lists(root)


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(key, int) for key in node):
        return [_lists(node[key]) for key in sorted(node)]
    return {key: _lists(value) for key, value in node.items()}


# --- folder ------------------------------------------------------------------------------


class FolderSource(CaseSource):
    kind = "file"

    def _names(self) -> list[str]:
        try:
            return sorted(entry.name for entry in self.path.iterdir())
        except OSError as exc:
            raise _read_error(self.path, exc) from None

    def files(self) -> Iterator[Path]:
        """Every entry named as an answers file, whatever it is: one that cannot be read
        (a folder ``x.yaml``, a pipe, a loop of links, no permission) fails as its case."""
        for name in self._names():
            if is_answers_file_name(name):
                yield self.path / name

    def ignored(self) -> list[str]:
        """The visible entries that are no answers file (``notes.txt``, a subfolder ``photos/``)."""
        out = []
        for name in self._names():
            if name.startswith(".") or is_answers_file_name(name):
                continue
            out.append(name + "/" if (self.path / name).is_dir() else name)
        return out

    def describe(self) -> str:
        """The folder, and what in it was not read as a case (in the summary, so that a
        ``haddad.yml.txt`` left out is seen)."""
        ignored = self.ignored()
        if not ignored:
            return str(self.path)
        shown = ", ".join(printable(name, 100) for name in ignored[:10]) + (f", … (+{len(ignored) - 10})" if len(ignored) > 10 else "")
        return str(self.path) + "\n" + ngettext(
            "{count} entry ignored (not an answers file: .yaml, .yml, .json, or the same encrypted .age): {names}",
            "{count} entries ignored (not answers files: .yaml, .yml, .json, or the same encrypted .age): {names}",
            len(ignored),
        ).format(count=len(ignored), names=shown)

    def encrypted_files(self) -> list[Path]:
        return [path for path in self.files() if is_encrypted_name(path.name)]

    def __iter__(self) -> Iterator[Case]:
        for index, path in enumerate(self.files()):
            yield Case(index, safe_case_id(case_stem(path.name)) or f"file-{index + 1:04d}", "file", path.name, str(path))


def is_encrypted_name(name: str) -> bool:
    return name.lower().endswith(SUFFIX)


def _inner_name(name: str) -> str:
    """The name of what an encrypted file holds: ``a.yaml.age`` -> ``a.yaml``."""
    return name[: -len(SUFFIX)] if is_encrypted_name(name) else name


def is_answers_file_name(name: str) -> bool:
    """``a.yaml`` ``a.yml`` ``a.json``, the same encrypted (``a.yaml.age``), or ``a.age``."""
    if name.startswith("."):
        return False  # hidden: a staging folder, an editor's file
    inner = _inner_name(name)
    suffix = Path(inner).suffix.lower()
    if suffix in FILE_SUFFIXES:
        return bool(Path(inner).stem)
    return is_encrypted_name(name) and bool(inner) and not suffix


def case_stem(name: str) -> str:
    """The case's name: ``haddad.yaml`` and ``haddad.yaml.age`` are both ``haddad``."""
    inner = _inner_name(name)
    return Path(inner).stem if Path(inner).suffix.lower() in FILE_SUFFIXES else inner


# --- in the worker -----------------------------------------------------------------------


def load(case: Case, source_columns: list[Column] | None = None) -> tuple[Any, bytes]:
    """(raw answers, the bytes the manifest's input_sha256 is computed from)."""
    if case.kind == "jsonl":
        if isinstance(case.payload, Oversized):
            raise UserError(
                gettext("Line {line} is longer than {size} MB: one case's answers are text, not attachments.").format(
                    line=case.where, size=MAX_BYTES // (1024 * 1024)
                )
            )
        raw: bytes = case.payload
        try:
            data = yamlio.json_loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise UserError(gettext("Line {line} is not UTF-8 text.").format(line=case.where)) from None
        except yamlio.YamlError as exc:
            if exc.kind == yamlio.SYNTAX:
                message = gettext("Line {line} is not valid JSON (at character {column}).").format(
                    line=case.where, column=exc.column
                )
            else:
                message = gettext("Line {line} cannot be read: {detail}.").format(
                    line=case.where, detail=problem_text(exc, as_json=True)
                )
            raise UserError(message) from None
        if isinstance(data, dict):
            data.pop(CASE_ID, None)
        return data, raw
    if case.kind == "csv":
        cells: list[str] = case.payload
        assert source_columns is not None
        data = csv_answers(source_columns, cells, int(case.where))
        given = {column.name: cell for column, cell in zip(source_columns, cells)}
        return data, json.dumps(given, ensure_ascii=False, sort_keys=True).encode("utf-8")
    from docassemble_asylum.procedures.base import read_answers_file

    return read_answers_file(Path(case.payload))


def where_label(case: Case) -> str:
    """'line 3' / 'row 2' / 'file a.yaml', in the user's language."""
    if case.kind == "jsonl":
        return gettext("line {line}").format(line=case.where)
    if case.kind == "csv":
        return gettext("row {row}").format(row=case.where)
    return gettext("file {name}").format(name=case.where)


# --- before anything is written -----------------------------------------------------------


@dataclass
class Plan:
    total: int
    existing: list[str]


def plan(source: CaseSource, out_dir: Path, force: bool) -> Plan:
    """Count the cases and check their ids, reading the input once; nothing is written.

    Refuses duplicate ids, an empty input, and (without ``force``) case folders or a
    report that already exist in ``out_dir``.
    """
    out_dir = Path(out_dir)
    try:
        is_folder = stat.S_ISDIR(os.stat(out_dir).st_mode)
    except FileNotFoundError as exc:
        if os.path.islink(out_dir):  # a link to nothing: nothing can be created through it
            from docassemble_asylum.safe_files import os_error

            raise os_error(exc, printable(str(out_dir))) from None
        is_folder = True  # created when the first case is published
    except OSError as exc:  # a name too long, a file in the path, a loop of links
        from docassemble_asylum.safe_files import os_error

        raise os_error(exc, printable(str(out_dir))) from None
    if not is_folder:
        raise UserError(gettext("{path} exists and is not a folder.").format(path=out_dir))
    first_seen: dict[str, Case] = {}
    duplicates: list[str] = []
    existing: list[str] = []
    total = 0
    for case in source:
        total += 1
        earlier = first_seen.get(case.case_id)
        if earlier is not None:
            if _clear_and_encrypted(earlier, case):
                duplicates.append(
                    gettext("“{case_id}”: {first} and {second}, the same case clear and encrypted: keep only one of them in the folder").format(
                        case_id=case.case_id, first=where_label(earlier), second=where_label(case)
                    )
                )
                continue
            duplicates.append(
                gettext("“{case_id}”: {first} and {second}").format(
                    case_id=case.case_id, first=where_label(earlier), second=where_label(case)
                )
            )
            continue
        # Only what names a case is kept (not its answers): a few bytes per case.
        first_seen[case.case_id] = Case(case.index, case.case_id, case.kind, case.where, None)
        if _occupied(out_dir / case.case_id):
            existing.append(case.case_id)
    if duplicates:
        raise UserError(
            gettext("Two cases have the same case id, so they would share a folder; give each case its own case_id:"),
            duplicates[:20] + ([f"… (+{len(duplicates) - 20})"] if len(duplicates) > 20 else []),
        )
    if total == 0:
        raise UserError(gettext("No case found in {path}.").format(path=source.path))
    reports = [name for name in sorted(RESERVED_IDS) if (out_dir / name).exists()]
    if existing and not force:
        raise UserError(
            ngettext(
                "{path} already holds {count} of these cases; nothing was written. Choose another --out, or add --force to replace them:",
                "{path} already holds {count} of these cases; nothing was written. Choose another --out, or add --force to replace them:",
                len(existing),
            ).format(path=out_dir, count=len(existing)),
            existing[:10] + (["…"] if len(existing) > 10 else []),
        )
    if reports and not force:
        raise UserError(
            gettext(
                "{path} already holds the report of an earlier batch ({names}); nothing was written. "
                "Choose another --out, or add --force to replace it."
            ).format(path=out_dir, names=", ".join(reports))
        )
    return Plan(total=total, existing=existing)


def _clear_and_encrypted(first: Case, second: Case) -> bool:
    """``haddad.yaml`` and ``haddad.yaml.age``: one case kept twice, clear and encrypted."""
    if first.kind != "file" or second.kind != "file":
        return False
    a, b = str(first.where), str(second.where)
    return a != b and (_inner_name(a) == b or _inner_name(b) == a)


def unlock(source: CaseSource) -> str | None:
    """Settle the keys of the encrypted answers files before anything is written.

    A lawyer starting 50 cases expects one question, at the start, or none: never a
    prompt in the middle of the progress bar, never a case silently left out.

    - Files encrypted for a key: ``ASYLUMDOCS_IDENTITY`` must name a readable private
      key file (the workers read it), else the batch is refused.
    - Files encrypted with a passphrase: ``ASYLUMDOCS_PASSPHRASE`` if it is set (a file
      it does not open fails as its case); else the passphrase is asked ONCE at the
      terminal, checked on the first such file (three tries), and returned so that the
      workers can use it; without a terminal the batch is refused. Every
      passphrase-encrypted file of the batch is then expected to share it: one that it
      does not open fails as its case ("wrong passphrase").

    A file whose header is damaged is left to its case, which fails with the reason.
    Returns the typed passphrase, or None.
    """
    if not isinstance(source, FolderSource):
        return None
    encrypted = source.encrypted_files()
    if not encrypted:
        return None
    from docassemble_asylum import crypto

    with_passphrase: list[tuple[Path, bytes]] = []
    with_key: list[Path] = []
    for path in encrypted:
        try:
            data = read_limited(path)  # (a pipe or a device named x.age must not block the batch)
            kinds = crypto.stanza_types(data)
            costly = (crypto.scrypt_work_factor(data) or 0) > crypto.MAX_SCRYPT_LOG_N
        except (UserError, ValueError):
            continue  # unreadable, not an age file or damaged: its case fails with the reason
        if costly:
            continue  # never tried with the passphrase: its case fails, "not made by asylumdocs"
        if kinds == ["scrypt"]:
            with_passphrase.append((path, data))
        else:
            with_key.append(path)
    if with_key:
        identity = os.environ.get(crypto.IDENTITY_ENV)
        if not identity:
            raise UserError(
                ngettext(
                    "{count} answers file is encrypted for a key, not a passphrase ({name}); nothing was written. "
                    "Set the environment variable ASYLUMDOCS_IDENTITY to the private key file, then run the batch again.",
                    "{count} answers files are encrypted for a key, not a passphrase ({name}…); nothing was written. "
                    "Set the environment variable ASYLUMDOCS_IDENTITY to the private key file, then run the batch again.",
                    len(with_key),
                ).format(count=len(with_key), name=with_key[0].name)
            )
        crypto.load_identities(identity)  # unreadable, or no key in it: a clear error now
    if not with_passphrase or os.environ.get(crypto.PASSPHRASE_ENV):
        return None
    count = len(with_passphrase)
    if not _terminal():
        raise UserError(
            ngettext(
                "{count} answers file in {folder} is encrypted with a passphrase, and there is no terminal to ask it; "
                "nothing was written. Run the batch in a terminal (the passphrase is asked once for the whole batch), "
                "or set the environment variable ASYLUMDOCS_PASSPHRASE.",
                "{count} answers files in {folder} are encrypted with a passphrase, and there is no terminal to ask it; "
                "nothing was written. Run the batch in a terminal (the passphrase is asked once for the whole batch), "
                "or set the environment variable ASYLUMDOCS_PASSPHRASE.",
                count,
            ).format(count=count, folder=source.path)
        )
    import click

    first, data = with_passphrase[0]
    label = ngettext(
        "the {count} encrypted answers file of {folder}", "the {count} encrypted answers files of {folder}", count
    ).format(count=count, folder=source.path)
    for attempt in range(1, crypto.PASSPHRASE_ATTEMPTS + 1):
        secret = crypto.ask_passphrase(confirm=False, path=label)
        try:
            crypto.decrypt_bytes(data, passphrase=secret, path=first.name)  # remembered in this process
        except UserError:
            if attempt < crypto.PASSPHRASE_ATTEMPTS:
                click.echo(gettext("This passphrase does not open {name}; try again.").format(name=first.name), err=True)
            continue
        return secret
    raise UserError(
        gettext(
            "The passphrase typed does not open {name} (or the file is damaged); nothing was written. "
            "Check the passphrase, or move that file out of the folder."
        ).format(name=first.name)
    )


def _terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def remember_passphrase(secret: str) -> None:
    """In a worker: the batch's passphrase, as if typed in this process (crypto.py
    remembers a typed passphrase in memory and offers it to every encrypted file)."""
    from docassemble_asylum import crypto

    crypto._session["passphrase"] = secret


def _occupied(path: Path) -> bool:
    """A case folder that publishing would have to replace (an empty folder is reused)."""
    if not path.exists():
        return False
    return not path.is_dir() or any(path.iterdir())
