"""Files the user names in the answers to go with an e-mail (the convocation, a certificate).

Why read here, once, before anything is written: a missing or unreadable file must stop the
build with one message naming the question, not leave a half-written case or an e-mail
without the convocation Ofpra asked for. Why so strict about what is read: the answers file
may come from someone else (a batch, a colleague), so a path is opened without following a
symbolic link and without blocking on a FIFO or a device (``safe_files.open_regular``), and a
file larger than ``MAX_BYTES`` is refused (a mail server would refuse the message anyway).

Paths are relative to the folder of the answers file (a batch: the folder of its CSV or
JSONL file, or of each answers file of a folder); an absolute path is taken as it is. The
messages name the question and the item's number, never the path (it may hold a name).
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from docassemble_asylum.errors import UserError
from docassemble_asylum.i18n import N_
from docassemble_asylum.output import is_within
from docassemble_asylum.safe_files import NotRegularFile, open_regular

MAX_BYTES = 10 * 1024 * 1024  # per file
MAX_MEGABYTES = MAX_BYTES // (1024 * 1024)


@dataclass(frozen=True)
class LoadedFile:
    """One file to attach, as read: its name in the e-mail, its bytes, its MIME type."""

    name: str
    data: bytes
    mimetype: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def maintype(self) -> str:
        return self.mimetype.split("/", 1)[0]

    @property
    def subtype(self) -> str:
        return self.mimetype.split("/", 1)[1]


def mimetype(name: str) -> str:
    """The MIME type an e-mail gives the file, from its extension (PDF, JPEG…); unknown: octet-stream."""
    guessed, encoding = mimetypes.guess_type(name, strict=False)
    # A message or multipart type would be parsed as a part of the e-mail itself: sent as bytes.
    if not guessed or encoding or guessed.split("/")[0] in ("message", "multipart"):
        return "application/octet-stream"
    return guessed


def load(model: type[BaseModel], answers: BaseModel, field: str, base: Path | None, replaced: Path | None = None) -> tuple[LoadedFile, ...]:
    """The files of the list ``field`` of ``answers`` (items with a ``file`` path), read and
    checked; a ``UserError`` listing every bad one (by question) otherwise.

    ``replaced``: the folder the build may replace (``--out`` with ``--force``). A file to
    attach inside it is refused: replacing the folder would delete the user's scan, which
    would then survive only inside the e-mail."""
    from docassemble_asylum.procedures.base import Problem, _problem_header

    items = getattr(answers, field) or []
    loaded: list[LoadedFile] = []
    problems: list[Problem] = []
    for index, item in enumerate(items):
        path = Path(os.path.expanduser(item.file))
        if not path.is_absolute() and base is not None:
            path = Path(base) / path
        found = _INSIDE_OUT if replaced is not None and is_within(path, replaced) else _read(path)
        if isinstance(found, str):
            problems.append(Problem((field, index, "file"), found, {"megabytes": MAX_MEGABYTES}))
        else:
            loaded.append(LoadedFile(path.name, found, mimetype(path.name)))
    names = [item.name for item in loaded]
    for index, name in enumerate(names):
        if names.index(name) != index:
            problems.append(Problem((field, index, "file"), _SAME_NAME))
    if problems:
        details = [p.detail(model) for p in problems]
        raise UserError(_problem_header(len(problems)), [p.render(model) for p in problems], details)
    return tuple(loaded)


_MISSING = N_("this file does not exist (a path is read from the folder of the answers file).")
_NOT_READABLE = N_("this file cannot be read (permission denied).")
_SYMLINK = N_("this path is a symbolic link: give the path of the file itself (symbolic links are not followed).")
_NOT_REGULAR = N_("this path is not an ordinary file (a folder, a FIFO, a device or a socket).")
_TOO_BIG = N_("this file is larger than {megabytes} MB: attach a smaller copy (a scan at a lower resolution).")
_EMPTY = N_("this file is empty.")
_INSIDE_OUT = N_("this file is inside the --out folder, which the build would replace: move it elsewhere or choose another --out (nothing was written).")
_SAME_NAME = N_("two files to attach have the same name: rename one of them, so that Ofpra can tell them apart.")


def _read(path: Path) -> bytes | str:
    """The file's bytes, or the message id saying why it cannot be attached."""
    try:
        fd = open_regular(path)
    except NotRegularFile:
        return _SYMLINK if os.path.islink(path) else _NOT_REGULAR
    except FileNotFoundError:
        return _MISSING
    except PermissionError:
        return _NOT_READABLE
    except OSError as exc:
        if os.path.islink(path):
            return _SYMLINK
        return _MISSING if exc.errno is not None and not os.path.exists(path) else _NOT_READABLE
    with os.fdopen(fd, "rb") as handle:
        if os.fstat(handle.fileno()).st_size > MAX_BYTES:
            return _TOO_BIG
        data = handle.read(MAX_BYTES + 1)  # a file that grew since fstat
    if len(data) > MAX_BYTES:
        return _TOO_BIG
    if not data:
        return _EMPTY
    return data


def manifest_entries(files: tuple[LoadedFile, ...]) -> list[dict[str, Any]]:
    """What the manifest records of the attached files: name, SHA-256, size (never a path)."""
    return [{"name": f.name, "sha256": f.sha256, "bytes": len(f.data), "type": f.mimetype} for f in files]

