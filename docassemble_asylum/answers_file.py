"""Reading one answers file (YAML or JSON, clear or encrypted), whatever the path names.

``--answers`` may name anything: a path too long for the system, a file under a file, a
loop of symbolic links, ``/dev/zero`` (read until memory is gone), a named pipe (a read
that never ends), a file nobody may read. Each is one clear message naming the path
(control characters escaped) and what is wrong, never a traceback, and nothing is read
beyond ``MAX_BYTES``: an answers file is text, and the longest account of facts (200,000
characters, ``models.common.Block``) is well under it.

What the file holds is parsed by ``yamlio``: only what JSON can hold, a repeated key
refused in JSON as in YAML, nesting capped at ``yamlio.MAX_DEPTH`` levels. The messages
never quote a value of the file. A repeated key is named only when it is the name of an
answer of some procedure (``family_name``): any other key may be a person's name or a
date typed on the wrong line, so it is described, not quoted, and found by its line.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
from pathlib import Path
from typing import Any

from docassemble_asylum import yamlio
from docassemble_asylum.errors import UserError, printable
from docassemble_asylum.i18n import gettext

MAX_BYTES = 5 * 1024 * 1024
"""The largest answers file, or batch line, read (5 MB)."""


def read_answers_file(path: Path) -> tuple[Any, bytes]:
    """Parse a YAML or JSON answers file; a clean error names the line of a syntax problem."""
    path = Path(path)
    data = read_limited(path)
    if data.startswith(b"age-encryption.org/"):
        # Encrypted case file: decrypted in memory only (crypto.py asks the passphrase).
        from docassemble_asylum.crypto import decrypt_for_reading

        data = decrypt_for_reading(data, path)
        if len(data) > MAX_BYTES:
            raise _too_large(path)
    return parse_answers(data, path, as_json=path.suffix.lower() == ".json"), data


def parse_answers(data: bytes, path: Path | str, *, as_json: bool) -> Any:
    """The answers in ``data`` (UTF-8, with or without BOM), or a UserError naming ``path``."""
    shown = printable(str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(gettext("The answers file {path} is not UTF-8 text.").format(path=shown)) from None
    try:
        return yamlio.json_loads(text) if as_json else yamlio.loads(text)
    except yamlio.YamlError as exc:
        where = gettext(" (line {line})").format(line=exc.line) if exc.line else ""
        raise UserError(
            gettext("The answers file {path} cannot be read: {detail}{where}.").format(
                path=shown, detail=problem_text(exc, as_json=as_json), where=where
            )
        ) from None


def problem_text(exc: yamlio.YamlError, *, as_json: bool) -> str:
    """What is wrong with a file's content, in the user's language, without its values."""
    if exc.kind == yamlio.DUPLICATE:
        if exc.key in answer_names():
            return gettext("the answer “{key}” is given twice").format(key=exc.key)
        return gettext("an answer is given twice")
    if exc.kind == yamlio.TYPE:
        return gettext("a value is of a kind that answers cannot hold (only text, numbers, yes or no, dates, lists and groups of answers)")
    if exc.kind == yamlio.KEY_TYPE:
        return gettext("the name of an answer is not text (a number, yes or no, or nothing)")
    if exc.kind == yamlio.DEPTH:
        return gettext("its answers are nested more than {count} levels deep").format(count=yamlio.MAX_DEPTH)
    if exc.kind == yamlio.NUMBER:
        return gettext("a number has too many digits")
    return gettext("it is not valid JSON") if as_json else gettext("it is not valid YAML")


@functools.lru_cache(maxsize=1)
def answer_names() -> frozenset[str]:
    """Every answer name of every procedure (``family_name``, ``decision``…): the keys that
    can be quoted in a message because they are the tool's words, not the user's."""
    from docassemble_asylum.procedures import available, get

    names: set[str] = set()
    seen: set[type] = set()
    pending = [get(name).model for name in available()]
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            names.add(name)
            if info.alias:
                names.add(info.alias)
            pending += _models_in(info.annotation)
    return frozenset(names)


def _models_in(annotation: Any) -> list[type]:
    from typing import get_args

    if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models_in(arg)]


# --- the bytes ------------------------------------------------------------------------------

_REASONS = {
    errno.EACCES: lambda: gettext("permission denied"),
    errno.EPERM: lambda: gettext("permission denied"),
    errno.ENAMETOOLONG: lambda: gettext("the path is too long"),
    errno.ENOTDIR: lambda: gettext("a part of the path is a file, not a folder"),
    errno.ELOOP: lambda: gettext("a loop of symbolic links"),
    errno.ENOSPC: lambda: gettext("no space left on the device"),
    getattr(errno, "EDQUOT", errno.ENOSPC): lambda: gettext("no space left on the device"),
    errno.EIO: lambda: gettext("input/output error"),
    errno.EFBIG: lambda: gettext("the file is larger than this disk or this account allows"),
}


def reason(exc: OSError) -> str:
    """Why a file cannot be opened, read or written, in the user's language when it is a
    usual reason (the system's own text is English whatever the language chosen)."""
    known = _REASONS.get(exc.errno)
    return known() if known else (exc.strerror or type(exc).__name__)


def read_limited(path: Path) -> bytes:
    """The bytes of a regular file of at most ``MAX_BYTES``; a UserError for anything else.

    Opened without waiting (a named pipe with no writer would block ``open`` forever), then
    checked with ``fstat`` on what was opened (no race between a check and the open).
    """
    shown = printable(str(path))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UserError(gettext("The answers file {path} does not exist.").format(path=shown)) from None
    except IsADirectoryError:
        raise UserError(gettext("{path} is a folder, not an answers file.").format(path=shown)) from None
    except OSError as exc:
        raise UserError(gettext("The answers file {path} cannot be read ({reason}).").format(path=shown, reason=reason(exc))) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UserError(gettext("{path} is a folder, not an answers file.").format(path=shown))
        if not stat.S_ISREG(info.st_mode):
            raise UserError(
                gettext("{path} is not a regular file (a device, a pipe or a socket): give an answers file.").format(path=shown)
            )
        if info.st_size > MAX_BYTES:
            raise _too_large(path)
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_BYTES:  # a file that grows while it is read is still capped
            chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BYTES:
            raise _too_large(path)
        return b"".join(chunks)
    except OSError as exc:
        if exc.errno == errno.EISDIR:
            raise UserError(gettext("{path} is a folder, not an answers file.").format(path=shown)) from None
        raise UserError(gettext("The answers file {path} cannot be read ({reason}).").format(path=shown, reason=reason(exc))) from None
    finally:
        os.close(fd)


def _too_large(path: Path | str) -> UserError:
    return UserError(
        gettext("The answers file {path} is larger than {size} MB: an answers file holds text, not attachments.").format(
            path=printable(str(path)), size=MAX_BYTES // (1024 * 1024)
        )
    )
