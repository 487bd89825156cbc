"""File-system primitives behind "nothing of the user's is lost or replaced by surprise".

- ``rename_no_replace(src, dst)``: one atomic rename that fails with ``FileExistsError``
  if ``dst`` appeared meanwhile (another build, a file the user just created). Linux:
  ``renameat2(RENAME_NOREPLACE)`` (glibc 2.28+; ext4, xfs, btrfs, tmpfs…). macOS:
  ``renamex_np(RENAME_EXCL)`` (APFS, HFS+). Where neither is available (older C library,
  a file system that refuses the flag, such as some network or FUSE ones), the name is
  first reserved with an exclusive ``mkdir`` (a folder) or ``O_EXCL`` create (a file),
  and the rename then replaces only that reservation, which this process made.
- ``open_regular(path, flags)``: open without following a symbolic link and without
  blocking on a FIFO or a device, then refuse anything but a regular file.
- ``os_error(exc, path)``: an ``OSError`` turned into one clear ``UserError`` in the
  user's language (disk full, permission denied, name too long…).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

from docassemble_asylum.errors import UserError
from docassemble_asylum.i18n import gettext

_RENAME_NOREPLACE = 1  # linux/fs.h
_RENAME_EXCL = 0x00000004  # macOS sys/stdio.h
_AT_FDCWD = -100  # Linux
# What a kernel or file system answers when it does not offer the no-replace flag.
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}

_native: list[Callable[[bytes, bytes], int] | None] = []  # resolved once, on first use


def _native_rename() -> Callable[[bytes, bytes], int] | None:
    if not _native:
        _native.append(_load_native())
    return _native[0]


def _load_native() -> Callable[[bytes, bytes], int] | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    if sys.platform.startswith("linux"):
        function = getattr(libc, "renameat2", None)
        if function is None:
            return None
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        function.restype = ctypes.c_int
        return lambda src, dst: function(_AT_FDCWD, src, _AT_FDCWD, dst, _RENAME_NOREPLACE)
    if sys.platform == "darwin":
        function = getattr(libc, "renamex_np", None)
        if function is None:
            return None
        function.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        function.restype = ctypes.c_int
        return lambda src, dst: function(src, dst, _RENAME_EXCL)
    return None


def rename_no_replace(src: Path | str, dst: Path | str) -> None:
    """Rename ``src`` to ``dst``; ``FileExistsError`` if ``dst`` exists (nothing is replaced)."""
    native = _native_rename()
    if native is not None:
        if native(os.fsencode(src), os.fsencode(dst)) == 0:
            return
        code = ctypes.get_errno()
        if code not in _UNSUPPORTED:
            raise OSError(code, os.strerror(code), str(src), None, str(dst))
    _reserve_then_rename(Path(src), Path(dst))


def _reserve_then_rename(src: Path, dst: Path) -> None:
    """The portable way: reserve ``dst`` exclusively, then replace the reservation."""
    if stat.S_ISDIR(os.lstat(src).st_mode):
        os.mkdir(dst, 0o700)  # FileExistsError if anything has that name
        try:
            # Replaces only our empty reservation; if a file was put in it meanwhile the
            # rename fails (ENOTEMPTY) and that file stays where it is.
            os.rename(src, dst)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.rmdir(dst)
            if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(dst)) from None
            raise
        except BaseException:
            with contextlib.suppress(OSError):
                os.rmdir(dst)
            raise
        return
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    os.close(fd)
    try:
        os.replace(src, dst)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(dst)
        raise


class NotRegularFile(OSError):
    """The path is a symbolic link, a folder, a FIFO, a device or a socket."""


def open_regular(path: Path | str, flags: int = os.O_RDONLY, follow_links: bool = False) -> int:
    """A file descriptor on the regular file ``path``, opened without following a
    symbolic link (unless ``follow_links``: a file only read, such as a PDF form) and
    without waiting on a FIFO (``NotRegularFile`` otherwise)."""
    nofollow = 0 if follow_links else getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags | nofollow | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        # O_NOFOLLOW on a symbolic link: ELOOP (Linux, macOS), EMLINK (FreeBSD).
        if nofollow and exc.errno in (errno.ELOOP, errno.EMLINK) and os.path.islink(path):
            raise NotRegularFile(errno.ELOOP, "symbolic link", str(path)) from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return fd


def describe_non_regular(path: Path | str) -> str:
    """Why ``path`` is not a regular file this tool may open or replace, in the user's language."""
    try:
        info = os.lstat(path)
    except OSError:
        return gettext("{path} is not a regular file.").format(path=path)
    if stat.S_ISLNK(info.st_mode):
        return gettext("{path} is a symbolic link: give the path of a real file (symbolic links are not followed).").format(path=path)
    if stat.S_ISDIR(info.st_mode):
        return gettext("{path} is a folder, not a file.").format(path=path)
    return gettext("{path} is not a regular file (a FIFO, a device or a socket): give the path of an ordinary file.").format(path=path)


def os_error(exc: OSError, path: Path | str) -> UserError:
    """One clear message for a failure of the machine while writing ``path``."""
    code = exc.errno
    if isinstance(exc, NotRegularFile):
        return UserError(describe_non_regular(path))
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        message = gettext("There is no space left on the disk for {path}; nothing was written. Free some space and try again.")
    elif code in (errno.EACCES, errno.EPERM):
        message = gettext("{path} cannot be written (permission denied); nothing was written.")
    elif code == errno.EROFS:
        message = gettext("{path} is on a read-only disk; nothing was written.")
    elif code == errno.ENAMETOOLONG:
        message = gettext("The name {path} is too long; nothing was written. Choose a shorter name.")
    elif code == errno.ENOTDIR:
        message = gettext("A part of {path} is a file, not a folder; nothing was written.")
    elif code == errno.ELOOP:
        message = gettext("{path} goes through a symbolic link that loops; nothing was written.")
    elif code == errno.ENOENT:
        message = gettext("A folder of {path} does not exist or cannot hold files; nothing was written.")
    else:
        from docassemble_asylum.answers_file import reason

        return UserError(gettext("{path} cannot be written ({reason}); nothing was written.").format(path=path, reason=reason(exc)))
    return UserError(message.format(path=path))
