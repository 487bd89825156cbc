"""Writing a case's outputs: complete or not at all, readable only by their owner, and never
at the expense of anything the user had.

Everything is written into a private staging folder next to the destination, then the
folder is renamed into place (one atomic rename on the same file system). A build that
is interrupted leaves the destination as it was. Without ``force`` the rename never
replaces anything: if the destination appeared meanwhile (another build, a file the user
just created), this build fails and removes its staging folder. With ``force`` the old
folder is moved aside before the new one arrives, and deleted after.

How a build's leftovers are recognised (and only they). A publication of ``NAME`` takes
a random token ``T`` (128 bits) and first creates the marker file ``.NAME.lock-T`` (mode
0600, exclusively, never through a symbolic link) holding ``T`` and its process id, on
which it keeps a lock (``flock``) while it runs. Its files are written in
``.NAME.partial-T``; with ``force`` the previous folder waits in ``.NAME.old-T``. A later
publication of ``NAME`` tidies up after a killed one only through such a marker: exact
name, regular file of this user, content naming the same token, lock free and process
gone. A hidden folder that merely looks like a leftover (``.NAME.old-2025-05-01``) is
never touched, and a case id that extends another (``haddad.old-2024-11``) cannot make a
name in the other's pattern: the token is the whole last part of every name.

The same scheme makes the private scratch folders of other work (``private_workspace``:
the PDF conversion's clear-text copies): a marker of its own kind (``asylumdocs
conversion`` instead of ``asylumdocs publication``), so that a publication never takes a
scratch folder for one of its leftovers, nor the other way round.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from docassemble_asylum.errors import UserError
from docassemble_asylum.i18n import gettext
from docassemble_asylum.safe_files import NotRegularFile, open_regular, os_error, rename_no_replace

FILE_MODE = 0o600
DIR_MODE = 0o700
NAME_MAX = 255  # bytes in one file name (Linux, macOS)
_TOKEN = re.compile(r"[0-9a-f]{32}")
_MARKER_TOOL = "asylumdocs"
PUBLICATION = "publication"  # the kind of marker of ``publish``


@dataclass(frozen=True)
class OutputFile:
    name: str
    data: bytes
    description: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def write_private(path: Path, data: bytes) -> None:
    """Create ``path`` with mode 0600 from the first byte (no window where others can read);
    never through a symbolic link."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, FILE_MODE)


# --- what may be written where -----------------------------------------------------------


def _parent(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _resolved(path: Path) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # a symbolic link loop, a name too long
        return Path(os.path.abspath(path))


def refuse_unsafe_destination(out: Path) -> None:
    """``--out`` names a folder or file this tool may create or replace: not ``.``, ``..``,
    the root, the home or current folder or one above them (replacing them would take the
    user's other files along), not a symbolic link (followed, it would write elsewhere
    than the path says; dangling, it would create its target), and a name short enough
    for the hidden staging names next to it."""
    out = Path(out)
    resolved = _resolved(out)
    protected = [Path(resolved.anchor or "/")]
    for where in (Path.home, Path.cwd):
        with contextlib.suppress(OSError, RuntimeError, KeyError):  # no home; a deleted current folder
            protected.append(_resolved(where()))
    if out.name in ("", ".", "..") or any(resolved == p or resolved in p.parents for p in protected):
        raise UserError(
            gettext(
                "{path} is the current folder, the home folder or a folder above them: give --out a new folder of its own (nothing was written)."
            ).format(path=out)
        )
    if len(os.fsencode(f".{out.name}.partial-{'0' * 32}")) > NAME_MAX:
        raise os_error(OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG)), out)
    try:
        info = _lstat(out)
    except OSError as exc:
        raise os_error(exc, out) from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise UserError(
            gettext("{path} is a symbolic link: give --out a real folder or file (symbolic links are not followed; nothing was written).").format(
                path=out
            )
        )


def refuse_inputs_inside(targets: Iterable[Path], inputs: Iterable[Path | str | None], within: Path | None = None) -> None:
    """Refuse to create or replace ``targets`` when one of the command's own ``inputs``
    (answers file, ``--save``/``--resume`` file, a batch's CASES) is one of them or inside
    one: ``--answers dir/case.yaml --out dir --force`` would delete the answers.

    Paths are compared resolved, and by device and inode where they exist (another
    spelling, a hard link, a case-insensitive disk). With ``within``, ``targets`` are
    only looked at when an input is inside ``within`` (a batch's targets, one per case,
    are then read from the input again).
    """
    chains = [(Path(item), _identity_chain(Path(item))) for item in inputs if item is not None and str(item) != ""]
    if not chains:
        return
    if within is not None and not any(_holds(Path(within), chain) for _, chain in chains):
        return
    for target in targets:
        for original, chain in chains:
            if _holds(Path(target), chain[:1]):
                raise UserError(
                    gettext("{path} is a file this command reads or saves: choose another --out (nothing was written).").format(path=target)
                )
            if _holds(Path(target), chain):
                raise UserError(
                    gettext(
                        "{target} would be written or replaced, and it holds {input}, which this command reads or saves: choose another --out (nothing was written)."
                    ).format(target=target, input=original)
                )


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def _identity_chain(path: Path) -> list[tuple[Path, tuple[int, int] | None]]:
    """``path`` and every folder above it: resolved, with their identity on disk."""
    resolved = _resolved(path)
    return [(item, _identity(item)) for item in (resolved, *resolved.parents)]


def _holds(target: Path, chain: list[tuple[Path, tuple[int, int] | None]]) -> bool:
    resolved, identity = _resolved(target), _identity(target)
    return any(item == resolved or (identity is not None and found == identity) for item, found in chain)


def is_within(path: Path | str, folder: Path | str) -> bool:
    """``path`` is ``folder`` or inside it, compared as ``refuse_inputs_inside`` does
    (resolved, and by device and inode): replacing ``folder`` would delete it."""
    return _holds(Path(folder), _identity_chain(Path(path)))


def _already_contains(out_dir: Path) -> UserError:
    info = _lstat(out_dir)
    if info is not None and not stat.S_ISDIR(info.st_mode):
        return UserError(gettext("{path} exists and is not a folder.").format(path=out_dir))
    return UserError(
        gettext("The folder {path} already contains files: choose another --out, or add --force to replace it.").format(path=out_dir)
    )


def check_destination(out_dir: Path, force: bool, inputs: Iterable[Path | str | None] = ()) -> None:
    """Refuse before any work if the destination may not be written or replaced."""
    out_dir = Path(out_dir)
    refuse_unsafe_destination(out_dir)
    refuse_inputs_inside([out_dir], inputs)
    try:
        recover_interrupted(out_dir)
        info = _lstat(out_dir)
        if info is None:
            return
        if not stat.S_ISDIR(info.st_mode):
            raise _already_contains(out_dir)
        if not force and _has_entries(out_dir):
            raise _already_contains(out_dir)
    except OSError as exc:
        raise os_error(exc, out_dir) from None


def _has_entries(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return any(True for _ in entries)


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


# --- a folder of outputs ------------------------------------------------------------------


def publish(out_dir: Path, files: list[OutputFile], force: bool = False, inputs: Iterable[Path | str | None] = ()) -> list[Path]:
    """Write ``files`` into ``out_dir`` atomically; returns the final paths.

    A failure of the machine (disk full, permission denied…) is a ``UserError``; the
    staging folder is gone and the destination is as it was.
    """
    out_dir = Path(out_dir)
    check_destination(out_dir, force, inputs)
    staging = _Staging(_parent(out_dir), out_dir.name, force)
    try:
        make_private_dirs(staging.parent)  # folders we create are private too
        staging.open()
    except OSError as exc:
        raise os_error(exc, out_dir) from None
    try:
        names = set()
        for item in files:
            if item.name in names or "/" in item.name or item.name.startswith("."):
                raise ValueError(f"bad or duplicate output name {item.name!r}")
            names.add(item.name)
            write_private(staging.folder / item.name, item.data)
        _fsync_dir(staging.folder)
        _swap_into_place(staging, out_dir)
    except OSError as exc:
        staging.close(failed=True)
        raise os_error(exc, out_dir) from None
    except BaseException:
        staging.close(failed=True)
        raise
    staging.close(failed=False)
    return [out_dir / item.name for item in files]


class _Staging:
    """One publication's names: its marker (locked while it runs), its staging folder and
    the name the previous folder takes while it is replaced (module docstring)."""

    def __init__(self, parent: Path, name: str, force: bool, kind: str = PUBLICATION):
        self.parent = parent
        self.force = force
        self.kind = kind
        token = secrets.token_hex(16)
        self.token = token
        self.marker = parent / f".{name}.lock-{token}"
        self.folder = parent / f".{name}.partial-{token}"
        self.aside = parent / f".{name}.old-{token}"
        self._fd: int | None = None

    def open(self) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        self._fd = os.open(self.marker, flags, FILE_MODE)
        try:
            with contextlib.suppress(OSError):  # no locks on some network disks: the pid decides
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.fchmod(self._fd, FILE_MODE)
            os.write(self._fd, f"{_MARKER_TOOL} {self.kind} {self.token} {os.getpid()}\n".encode("ascii"))
            os.mkdir(self.folder, DIR_MODE)
            os.chmod(self.folder, DIR_MODE)
        except BaseException:
            self.close(failed=True)
            raise

    def close(self, failed: bool) -> None:
        """Remove what this publication leaves; the marker goes last, and stays while a
        previous version waits aside (so that the next build can put it back)."""
        if failed:
            shutil.rmtree(self.folder, ignore_errors=True)
        if not os.path.lexists(self.aside) and not os.path.lexists(self.folder):
            with contextlib.suppress(OSError):
                os.unlink(self.marker)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _swap_into_place(staging: _Staging, out_dir: Path) -> None:
    if staging.force:
        _replace(staging, out_dir)
    else:
        _place_new(staging.folder, out_dir)
    _fsync_dir(_parent(out_dir))


def _place_new(folder: Path, out_dir: Path) -> None:
    """Without ``force``: nothing is replaced, even what appeared during the build."""
    info = _lstat(out_dir)
    if info is not None and stat.S_ISDIR(info.st_mode):
        try:
            os.rmdir(out_dir)  # an empty folder is reused; one that got files meanwhile is refused
        except FileNotFoundError:
            pass  # removed meanwhile (another build reusing it): the rename decides
        except OSError as exc:
            if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                raise _already_contains(out_dir) from None
            raise
    try:
        rename_no_replace(folder, out_dir)
    except FileExistsError:
        raise _already_contains(out_dir) from None


def _replace(staging: _Staging, out_dir: Path) -> None:
    """With ``force``: the previous folder is moved aside, the new one renamed in, the old deleted."""
    info = _lstat(out_dir)
    if info is not None and stat.S_ISDIR(info.st_mode) and not _has_entries(out_dir):
        with contextlib.suppress(OSError):
            os.rmdir(out_dir)
    if not os.path.lexists(out_dir):
        try:
            rename_no_replace(staging.folder, out_dir)
            return
        except FileExistsError:
            pass  # appeared meanwhile: replaced like any existing folder (--force)
    try:
        os.rename(out_dir, staging.aside)
        os.rename(staging.folder, out_dir)
    except BaseException:
        # Also when interrupted (Ctrl-C) just after the first rename: put the old one back.
        if os.path.lexists(staging.aside) and not os.path.lexists(out_dir):
            os.rename(staging.aside, out_dir)
        raise
    shutil.rmtree(staging.aside, ignore_errors=True)


# --- after a killed build -----------------------------------------------------------------


@dataclass(frozen=True)
class _Leftover:
    marker: Path
    folder: Path  # .NAME.partial-T: new files never published
    aside: Path  # .NAME.old-T: the previous version, while it was being replaced


def _dead_publications(out_dir: Path, kind: str = PUBLICATION):
    """The leftovers of publications of ``out_dir`` (markers of ``kind``) whose process is
    gone, each yielded while its marker is locked (two builds never tidy up the same leftover)."""
    out_dir = Path(out_dir)
    parent, name = _parent(out_dir), out_dir.name
    if name in ("", ".", ".."):
        return
    prefix = f".{name}.lock-"
    try:
        entries = sorted(os.listdir(parent))
    except OSError:
        return
    for entry in entries:
        token = entry[len(prefix) :] if entry.startswith(prefix) else ""
        if not _TOKEN.fullmatch(token):
            continue
        found = _Leftover(parent / entry, parent / f".{name}.partial-{token}", parent / f".{name}.old-{token}")
        try:
            fd = open_regular(found.marker)
        except OSError:
            continue  # gone meanwhile, a link, a folder, a FIFO: not ours
        try:
            info = os.fstat(fd)
            if info.st_uid != os.getuid():
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # its build is running
            except OSError:
                pass  # no locks on this disk: the process id decides
            content = os.read(fd, 256).decode("ascii", "replace").split()
            if not content:
                # Killed between creating its marker and writing it: nothing else was made.
                # Such a marker was created private (FILE_MODE, less the umask); an empty
                # file readable by others is the user's own, whatever its name.
                private = stat.S_IMODE(info.st_mode) & ~FILE_MODE == 0
                if private and not os.path.lexists(found.folder) and not os.path.lexists(found.aside):
                    yield found
                continue
            if len(content) != 4 or content[:2] != [_MARKER_TOOL, kind] or content[2] != token or not content[3].isdigit():
                continue
            if not process_alive(int(content[3])):
                yield found
        finally:
            os.close(fd)


def _own_folder(path: Path) -> bool:
    info = _lstat(path)
    return info is not None and stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()


def recover_interrupted(out_dir: Path, kind: str = PUBLICATION) -> list[Path]:
    """Tidy up after a publication of ``out_dir`` that was killed (SIGKILL, power cut, crash).

    Only what a marker of ``kind`` proves to be ours (module docstring): its staging
    folder is deleted; a previous version moved aside is put back if ``out_dir`` is
    missing, deleted if the new version was published, else left with its marker (never
    lost). Returns the staging folders deleted.
    """
    out_dir = Path(out_dir)
    removed: list[Path] = []
    for found in _dead_publications(out_dir, kind):
        if _own_folder(found.aside):
            if not os.path.lexists(out_dir):
                with contextlib.suppress(OSError):
                    rename_no_replace(found.aside, out_dir)
            elif not os.path.lexists(found.folder):
                shutil.rmtree(found.aside, ignore_errors=True)
        if os.path.lexists(found.aside):
            continue  # never delete a previous version that could not be put back
        if _own_folder(found.folder):
            shutil.rmtree(found.folder, ignore_errors=True)
            if not os.path.lexists(found.folder):
                removed.append(found.folder)
        if not os.path.lexists(found.folder):
            with contextlib.suppress(OSError):
                os.unlink(found.marker)
    return removed


def leftovers(out_dir: Path) -> list[Path]:
    """What killed publications of ``out_dir`` left next to it (markers, staging and
    aside folders), recognised by their markers: ``case shred`` deletes them with the case."""
    found: list[Path] = []
    for item in _dead_publications(Path(out_dir)):
        found += [p for p in (item.folder, item.aside) if _own_folder(p)]
        found.append(item.marker)
    return found


# --- a private scratch folder -------------------------------------------------------------


@contextlib.contextmanager
def private_workspace(parent: Path, name: str, kind: str) -> Iterator[Path]:
    """A private folder (0700) in ``parent`` for work that must leave nothing behind,
    deleted on exit, made and recognised as ``publish`` makes its staging folder.

    ``.NAME.partial-T`` with its locked marker ``.NAME.lock-T`` of ``kind`` (module
    docstring). Before it is made, the ones of ``name`` and ``kind`` that killed
    processes left in ``parent`` are deleted, and only they.
    """
    parent = Path(parent)
    recover_interrupted(parent / name, kind)
    workspace = _Staging(parent, name, force=False, kind=kind)
    workspace.open()
    try:
        yield workspace.folder
    finally:
        workspace.close(failed=True)


# --- a single file ------------------------------------------------------------------------


def write_file(path: Path, data: bytes, *, replace: bool = False) -> Path:
    """Write the file ``path`` (mode 0600) all at once, as ``publish`` writes a folder.

    A private temporary file next to it is written and flushed, then renamed in: never
    through a symbolic link, never into a FIFO or a device. An existing file is replaced
    only with ``replace`` (the caller has checked ``--force``, or that the file is one
    this tool wrote); without it, a file that appeared meanwhile is refused, not replaced.
    Missing folders above it are created 0700. A failure is a ``UserError``.
    """
    path = Path(path)
    refuse_unsafe_destination(path)
    try:
        make_private_dirs(_parent(path))
        write_atomically(path, data, replace=replace)
    except FileExistsError:
        raise _file_exists(path) from None
    except OSError as exc:
        raise os_error(exc, path) from None
    return path


def write_atomically(path: Path, data: bytes, *, replace: bool) -> None:
    """The write of ``write_file`` in an existing folder, its failures left as ``OSError``
    for a caller with its own message (the interview's saves, ``questions/runner.py``).

    A temporary file created 0600 next to ``path`` is written, flushed and renamed in, so
    a reader sees the old bytes or the new ones; a symbolic link, FIFO or device at
    ``path`` is refused (``NotRegularFile``), never written through; an existing file is
    replaced only with ``replace`` (else ``FileExistsError``, also when one appears meanwhile).
    """
    import tempfile

    path = Path(path)
    parent = _parent(path)
    info = _lstat(path)
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
    if info is not None and not replace:
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=parent)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            rename_no_replace(temporary, path)
    except BaseException:
        _remove_quietly(temporary)
        raise
    _fsync_dir(parent)


def _file_exists(path: Path) -> UserError:
    return UserError(gettext("{path} already exists: choose another --out, or add --force to replace it.").format(path=path))


def _remove_quietly(path: str | Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


# --- processes ----------------------------------------------------------------------------


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


def manifest(files: list[OutputFile], *, procedure: str, input_sha256: str, rules_digest: str, attachments=()) -> OutputFile:
    """What was produced, from what, by which version: for the lawyer's file and for diffs.
    ``attachments``: the user's files attached to an e-mail (``attachments.LoadedFile``),
    recorded by name, SHA-256 and size, so that what was sent can be proved later."""
    from docassemble_asylum import __version__

    body = {
        "tool": "asylumdocs",
        "tool_version": __version__,
        "procedure": procedure,
        "input_sha256": input_sha256,
        "rules_digest": rules_digest,
        "files": [{"name": f.name, "sha256": f.sha256, "bytes": len(f.data)} for f in files],
    }
    if attachments:
        from docassemble_asylum.attachments import manifest_entries

        body["attachments"] = manifest_entries(tuple(attachments))
    return OutputFile("manifest.json", (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode())
