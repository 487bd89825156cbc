"""What a batch's report says is read back from the disk, not taken on a worker's word.

A case is "built" only if its folder holds exactly the files its worker published: the
same names, and the manifest the worker wrote (its sha256), whose entries give every
other file's sha256 (read back when the case's result arrives; at the end of the batch
the names and the manifest are looked at again). A folder that another case's documents crossed into, that was
emptied or changed while the batch ran, fails this check, whatever the cause.

After an interruption, a case whose result never reached the batch (its worker was
stopped after publishing) is counted as built if its folder is complete (every file the
manifest lists, with its sha256, and nothing else), was written by this batch (after it
started) and from this case's answers (the manifest's ``input_sha256``).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

MANIFEST = "manifest.json"


def sha256_of(path: Path) -> str | None:
    """The sha256 of a regular file (never followed through a link), or None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


def _names(folder: Path) -> set[str] | None:
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return None
        return set(os.listdir(folder))
    except OSError:
        return None


def read_manifest(folder: Path) -> dict | None:
    try:
        fd = os.open(Path(folder) / MANIFEST, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            body = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError):
        return None
    return body if isinstance(body, dict) and isinstance(body.get("files"), list) else None


def complete(folder: Path) -> dict | None:
    """The manifest of ``folder`` if the folder holds exactly the files it lists (with
    their sha256) and the manifest; else None."""
    folder = Path(folder)
    names = _names(folder)
    body = read_manifest(folder) if names is not None else None
    if body is None:
        return None
    try:
        listed = {entry["name"]: entry["sha256"] for entry in body["files"]}
    except (TypeError, KeyError):
        return None
    if names != {*listed, MANIFEST}:
        return None
    if any(sha256_of(folder / name) != digest for name, digest in listed.items()):
        return None
    return body


def holds_published(folder: Path, files: list[str], manifest_sha256: str, *, every_file: bool = True) -> bool:
    """``folder`` holds exactly ``files``, as published: its manifest is the one whose
    sha256 the worker gave, and (``every_file``) every other file matches that manifest.

    Without ``every_file`` (the batch's last look, after each folder was checked whole
    when its result came): the names and the manifest only, enough to see another case's
    documents (another manifest) or a folder emptied since, at the cost of one small file.
    """
    folder = Path(folder)
    if _names(folder) != set(files) or MANIFEST not in files:
        return False
    if not manifest_sha256 or sha256_of(folder / MANIFEST) != manifest_sha256:
        return False
    if not every_file:
        return True
    body = complete(folder)
    return body is not None and {entry["name"] for entry in body["files"]} | {MANIFEST} == set(files)


def built_by_this_batch(folder: Path, input_sha256: str, started_ns: int) -> list[str] | None:
    """After an interruption: the files of ``folder`` if it is complete, built from the
    answers whose sha256 is ``input_sha256``, and written after ``started_ns`` (the
    batch's start, on the file system's clock); else None."""
    folder = Path(folder)
    body = complete(folder)
    if body is None or body.get("input_sha256") != input_sha256:
        return None
    try:
        if os.lstat(folder / MANIFEST).st_mtime_ns < started_ns:
            return None  # a complete folder of an earlier build, not replaced yet
    except OSError:
        return None
    return [entry["name"] for entry in body["files"]] + [MANIFEST]
