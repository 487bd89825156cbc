"""Writing a case's outputs: complete or not at all, readable only by their owner.

Everything is written into a private temporary folder next to the destination, then the
folder is renamed into place (one atomic rename on the same file system). A build that
is interrupted leaves the destination as it was. An existing destination is only
replaced with ``force``, and then the old one is moved aside before the new one arrives.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from docassemble_asylum.errors import UserError
from docassemble_asylum.i18n import gettext

FILE_MODE = 0o600
DIR_MODE = 0o700


@dataclass(frozen=True)
class OutputFile:
    name: str
    data: bytes
    description: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def write_private(path: Path, data: bytes) -> None:
    """Create ``path`` with mode 0600 from the first byte (no window where others can read)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, FILE_MODE)


def check_destination(out_dir: Path, force: bool) -> None:
    """Refuse before any work if the destination exists and may not be replaced."""
    out_dir = Path(out_dir)
    recover_interrupted(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(gettext("{path} exists and is not a folder.").format(path=out_dir))
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise UserError(
            gettext("The folder {path} already contains files: choose another --out, or add --force to replace it.").format(
                path=out_dir
            )
        )


def make_private_dirs(path: Path) -> None:
    """``path`` and every missing folder above it, created 0700 whatever the umask (an
    existing folder is left as it is)."""
    path = Path(path)
    for missing in reversed([p for p in (path, *path.parents) if not p.exists()]):
        try:
            missing.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(missing, DIR_MODE)


def publish(out_dir: Path, files: list[OutputFile], force: bool = False) -> list[Path]:
    """Write ``files`` into ``out_dir`` atomically; returns the final paths."""
    out_dir = Path(out_dir)
    check_destination(out_dir, force)
    parent = out_dir.parent if str(out_dir.parent) else Path(".")
    make_private_dirs(parent)  # folders we create are private too
    # The pid in the name lets a later build recognise a staging folder left by a killed one.
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-{os.getpid()}-", dir=parent))
    try:
        os.chmod(staging, DIR_MODE)
        names = set()
        for item in files:
            if item.name in names or "/" in item.name or item.name.startswith("."):
                raise ValueError(f"bad or duplicate output name {item.name!r}")
            names.add(item.name)
            write_private(staging / item.name, item.data)
        _fsync_dir(staging)
        _swap_into_place(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out_dir / item.name for item in files]


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    if out_dir.is_dir() and not any(out_dir.iterdir()):
        out_dir.rmdir()
    if out_dir.exists():
        aside = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-{os.getpid()}-", dir=out_dir.parent))
        aside.rmdir()
        try:
            os.rename(out_dir, aside)
            os.rename(staging, out_dir)
        except BaseException:
            # Also when interrupted (Ctrl-C) just after the first rename: put the old one back.
            if os.path.lexists(aside) and not os.path.lexists(out_dir):
                os.rename(aside, out_dir)
            raise
        shutil.rmtree(aside, ignore_errors=True)
    else:
        os.rename(staging, out_dir)
    _fsync_dir(out_dir.parent)


def recover_interrupted(out_dir: Path) -> None:
    """Tidy up after a build of ``out_dir`` that was killed (SIGKILL, power cut, crash).

    Such a build can leave hidden folders next to ``out_dir``: ``.NAME.partial-PID-…``
    (new files never published: deleted) and, if it died while replacing an existing
    folder, ``.NAME.old-PID-…`` (the previous version: put back if NAME is missing, else
    deleted). Only folders of this user whose build process is gone are touched.
    """
    out_dir = Path(out_dir)
    parent = out_dir.parent if str(out_dir.parent) else Path(".")
    if not out_dir.name or not parent.is_dir():
        return
    pattern = re.compile(re.escape(f".{out_dir.name}.") + r"(old|partial)-(\d+)-[^/]*")
    found = []
    with contextlib.suppress(OSError):
        for entry in parent.iterdir():
            match = pattern.fullmatch(entry.name)
            if match:
                found.append((match.group(1) != "old", entry.name, entry, int(match.group(2))))
    for _, _, entry, pid in sorted(found):  # "old" first: the previous version comes back first
        if not left_by_dead_process(entry, pid):
            continue
        if entry.name.startswith(f".{out_dir.name}.old-") and not os.path.lexists(out_dir):
            with contextlib.suppress(OSError):
                os.rename(entry, out_dir)
            continue  # never delete a previous version that could not be put back
        shutil.rmtree(entry, ignore_errors=True)


def left_by_dead_process(entry: Path, pid: int) -> bool:
    """``entry`` is a folder (not a link) of this user, made by process ``pid``, which is gone:
    what a killed build, batch or conversion leaves and the next one may tidy up."""
    try:
        info = entry.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not process_alive(pid)


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError, OSError):
        return True  # another user's process, or a number that is no pid: left alone
    try:
        # A zombie (killed, not yet reaped: an orphan whose init does not reap) is gone too.
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(") ", 1)[1][:1] != "Z"
    except (OSError, IndexError):
        return True


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def manifest(files: list[OutputFile], *, procedure: str, input_sha256: str, rules_digest: str) -> OutputFile:
    """What was produced, from what, by which version: for the lawyer's file and for diffs."""
    from docassemble_asylum import __version__

    body = {
        "tool": "asylumdocs",
        "tool_version": __version__,
        "procedure": procedure,
        "input_sha256": input_sha256,
        "rules_digest": rules_digest,
        "files": [{"name": f.name, "sha256": f.sha256, "bytes": len(f.data)} for f in files],
    }
    return OutputFile("manifest.json", (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode())
