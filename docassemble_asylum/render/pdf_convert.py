"""DOCX -> PDF with LibreOffice headless, following the traps measured in ENGINEERING.md.

- ONE ``soffice`` process converts every file of a build (or of a chunk of a batch):
  starting LibreOffice costs about a second, a file in a running one about 0.16 s.
- Each process gets its own throw-away profile (``-env:UserInstallation``): a second
  soffice on the same profile prints "source file could not be loaded", exits 0 and
  writes nothing. The profile is deleted afterwards (it records recent file names).
- Clear text stays in ONE private place: the DOCX copies, the PDFs, the profile and
  LibreOffice's own temporary files (its ``TMPDIR``) all live in a scratch folder
  (``private_scratch``, mode 0700) deleted at the end. It is made as a build's staging
  folder is (``output.private_workspace``: ``.asylumdocs-pdf.partial-<token>`` with its
  locked marker holding the random token), so that one left by a killed process
  (SIGKILL, power cut) is deleted by the next conversion, and nothing else ever is: a
  folder that merely has a similar name is not ours.
- A time limit, after which the whole process group is killed (soffice forks).
- LibreOffice dies with the process that started it, however that one ends (SIGKILL
  included): a guard leads its process group and watches a pipe whose only write end this
  process holds (``_GUARD``). The same on Linux and macOS; Linux's PR_SET_PDEATHSIG would
  not do, for it is not inherited by the ``soffice.bin`` that LibreOffice's launcher forks.
- Exit status 0 proves nothing: every PDF must exist, be non-empty and start with
  ``%PDF-``, otherwise the caller gets a clear error.
- Cheap reproducibility: LibreOffice's only varying bytes are the creation date, the
  trailer ``/ID`` and ``/DocChecksum``; they are fixed with pikepdf (≈ 2 ms a file), so
  the same DOCX gives the same PDF on the same LibreOffice and fonts.

Without LibreOffice everything else works; ``ensure_available()`` is called before
anything is written when ``--pdf`` is asked for.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from docassemble_asylum.errors import UserError
from docassemble_asylum.i18n import gettext
from docassemble_asylum.output import OutputFile, private_workspace, recover_interrupted

INSTALL_COMMAND = (
    "sudo apt-get install libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core "
    "fonts-crosextra-carlito fonts-crosextra-caladea"
)
# Set to the soffice program when it is not on PATH (macOS: .../LibreOffice.app/Contents/MacOS/soffice).
PROGRAM_VARIABLE = "ASYLUMDOCS_SOFFICE"
_MACOS_PROGRAM = "/Applications/LibreOffice.app/Contents/MacOS/soffice"

# Time limit of one soffice run: start-up plus a generous time per file (an old laptop
# is ten times slower than the machine of ENGINEERING.md).
BASE_TIMEOUT = 60.0
PER_FILE_TIMEOUT = 10.0

FIXED_PDF_DATE = "D:20000101000000Z"  # the date docx.py writes in the DOCX metadata

SCRATCH_MODE = 0o700
# The scratch folders are .asylumdocs-pdf.partial-<token>, with markers of their own kind.
SCRATCH_NAME = "asylumdocs-pdf"
SCRATCH_KIND = "conversion"


class ConversionError(UserError):
    """LibreOffice failed, timed out, or did not write a PDF. Names files, never content."""


def find_program() -> str | None:
    """The LibreOffice program to run, or None."""
    configured = os.environ.get(PROGRAM_VARIABLE)
    if configured:
        found = shutil.which(configured)
        return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "darwin" and os.access(_MACOS_PROGRAM, os.X_OK):
        return _MACOS_PROGRAM
    return None


def ensure_available() -> str:
    """The program's path, or a UserError saying how to install LibreOffice."""
    program = find_program()
    if program is None:
        if os.environ.get(PROGRAM_VARIABLE):
            raise UserError(
                gettext("--pdf: the program named by {variable} cannot be run. Check that variable, or install LibreOffice.").format(
                    variable=PROGRAM_VARIABLE
                )
            )
        raise UserError(
            gettext(
                "--pdf needs LibreOffice to convert the documents, and it is not installed "
                "(no soffice or libreoffice command was found). Nothing was written.\n"
                "On Debian or Ubuntu, install it with its fonts:\n  {command}\n"
                "Elsewhere, install LibreOffice and set {variable} to its soffice program. "
                "Without --pdf, the DOCX documents are built as usual."
            ).format(command=INSTALL_COMMAND, variable=PROGRAM_VARIABLE)
        )
    return program


def default_timeout(count: int) -> float:
    return BASE_TIMEOUT + PER_FILE_TIMEOUT * count


def convert(paths: Sequence[Path], outdir: Path, timeout: float | None = None, *, scratch: Path | None = None) -> list[Path]:
    """Convert DOCX ``paths`` to PDFs in ``outdir`` with ONE soffice process.

    Returns the PDF paths in the order of ``paths``; raises ConversionError unless every
    PDF was written.
    """
    produced = convert_available(paths, outdir, timeout, scratch=scratch)
    missing = [Path(p).name for p, pdf in zip(paths, produced) if pdf is None]
    if missing:
        raise ConversionError(
            gettext("LibreOffice did not write the PDF of: {names}.").format(names=", ".join(missing))
        )
    return [pdf for pdf in produced if pdf is not None]


def convert_available(
    paths: Sequence[Path], outdir: Path, timeout: float | None = None, *, scratch: Path | None = None
) -> list[Path | None]:
    """Like ``convert``, but a file LibreOffice skipped gives None instead of an error.

    A failure of the whole run (LibreOffice missing, crashed, or over its time limit)
    still raises ConversionError. Batches use this to fail only the cases concerned.
    ``scratch``: the private folder (``private_scratch``) that receives LibreOffice's
    profile and temporary files; without it, a scratch folder of its own.
    """
    paths = [Path(p).resolve() for p in paths]
    if not paths:
        return []
    stems = [p.stem for p in paths]
    if len(set(stems)) != len(stems):
        # soffice writes <stem>.pdf into one folder: two inputs would overwrite each other.
        raise ValueError("convert: two inputs have the same file name stem")
    for path in paths:
        if not path.is_file():
            raise ValueError(f"convert: no such input file {path.name!r}")
    program = ensure_available()
    outdir = Path(outdir).resolve()
    outdir.mkdir(mode=SCRATCH_MODE, parents=True, exist_ok=True)
    os.chmod(outdir, SCRATCH_MODE)  # whatever the umask (0277 would make it unwritable)
    expected = [outdir / f"{stem}.pdf" for stem in stems]
    for pdf in expected:
        # A stale PDF would pass for a fresh one.
        pdf.unlink(missing_ok=True)
    limit = default_timeout(len(paths)) if timeout is None else timeout
    with contextlib.ExitStack() as stack:
        base = Path(scratch) if scratch is not None else stack.enter_context(private_scratch())
        # The profile records recent file names; LibreOffice's own temporary files
        # (lu*.tmp, parts of the documents) follow TMPDIR: both stay in the scratch folder.
        profile = Path(tempfile.mkdtemp(prefix="lo-profile-", dir=base))
        stack.callback(shutil.rmtree, profile, ignore_errors=True)
        own_tmp = Path(tempfile.mkdtemp(prefix="lo-tmp-", dir=base))
        stack.callback(shutil.rmtree, own_tmp, ignore_errors=True)
        for folder in (profile, own_tmp):
            os.chmod(folder, SCRATCH_MODE)
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(outdir),
            *[str(p) for p in paths],
        ]
        _run(command, limit, {**os.environ, "TMPDIR": str(own_tmp), "TMP": str(own_tmp), "TEMP": str(own_tmp)})
    return [pdf if _is_pdf(pdf) else None for pdf in expected]


# The LibreOffice runs of this process, so that a batch worker that must stop at once
# (its batch was killed) can take them with it: they run in their own session.
_running: set[subprocess.Popen] = set()
_running_lock = threading.Lock()


def stop_conversions() -> None:
    """Kill every LibreOffice run of this process (each whole process group), and start no
    new one: the lock is kept, for the caller is about to exit."""
    _running_lock.acquire()
    for process in list(_running):
        _kill_group(process, only_leftovers=True)


# Runs LibreOffice (argv[2:]) in its own process group, which this guard leads, and kills
# the whole group the moment the pipe argv[1] reads from ends: its write end is held by the
# process that started the conversion alone, and the system closes it when that process
# ends, however it ends. The guard's exit status is LibreOffice's. Standard library only
# (run with -I -S: nothing of the environment or of site-packages is read). When LibreOffice
# cannot be started, it says why after _GUARD_CANNOT_START and exits with status 127.
_GUARD_CANNOT_START = "asylumdocs guard, cannot start: "
_GUARD = r"""
import os, signal, subprocess, sys, threading
watch = int(sys.argv[1])
def starter_gone():
    while True:
        try:
            if not os.read(watch, 1):
                break
        except InterruptedError:
            continue
        except OSError:
            break
    os.killpg(0, signal.SIGKILL)
threading.Thread(target=starter_gone, daemon=True).start()
try:
    status = subprocess.Popen(sys.argv[2:]).wait()
except OSError as exc:
    sys.stderr.write("{prefix}" + (exc.strerror or type(exc).__name__) + "\n")
    sys.stderr.flush()
    os._exit(127)
os._exit(status if status >= 0 else 128 - status)
""".replace("{prefix}", _GUARD_CANNOT_START)


def _run(command: list[str], limit: float, env: dict[str, str] | None = None) -> None:
    watch, alive = os.pipe()  # neither end inherited, but the read end given to the guard
    try:
        with _running_lock:
            process = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _GUARD, str(watch), *command],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(watch,),
                start_new_session=True,  # its own process group: a timeout kills every child
                umask=0o077,  # its files private and writable by it, whatever the user's umask
            )
            _running.add(process)
    except OSError as exc:
        os.close(alive)
        raise ConversionError(
            gettext("LibreOffice could not be started ({error}).").format(error=exc.strerror or type(exc).__name__)
        ) from None
    finally:
        os.close(watch)
    try:
        _, stderr = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise ConversionError(
            gettext("LibreOffice did not finish the conversion to PDF within {seconds} seconds; it was stopped.").format(
                seconds=round(limit)
            )
        ) from None
    except BaseException:
        _kill_group(process)
        raise
    finally:
        # soffice.bin may linger after oosplash exits: never leave a process behind.
        _kill_group(process, only_leftovers=True)
        _running.discard(process)
        os.close(alive)
    text = (stderr or b"").decode("utf-8", "replace")
    if process.returncode == 127 and text.startswith(_GUARD_CANNOT_START):
        raise ConversionError(
            gettext("LibreOffice could not be started ({error}).").format(error=text[len(_GUARD_CANNOT_START) :].strip())
        )
    if process.returncode != 0:
        tail = _tail(stderr)
        raise ConversionError(
            gettext("LibreOffice failed to convert the documents to PDF (exit status {status}).").format(
                status=process.returncode
            )
            + (f"\n{tail}" if tail else "")
        )


def _kill_group(process: subprocess.Popen, only_leftovers: bool = False) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if not only_leftovers:
        try:
            process.communicate(timeout=10)
        except (subprocess.TimeoutExpired, ValueError, OSError):
            pass


def _tail(stderr: bytes | None) -> str:
    lines = [line for line in (stderr or b"").decode("utf-8", "replace").splitlines() if line.strip()]
    lines = [line for line in lines if "javaldx" not in line]
    return "\n".join(lines[-3:])


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False


def normalise_pdf(data: bytes) -> bytes:
    """Fix what LibreOffice varies from run to run (creation date, /ID, /DocChecksum)."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/CreationDate" in pdf.docinfo:
            pdf.docinfo["/CreationDate"] = FIXED_PDF_DATE
        if "/ModDate" in pdf.docinfo:
            pdf.docinfo["/ModDate"] = FIXED_PDF_DATE
        for key in ("/ID", "/DocChecksum"):
            if key in pdf.trailer:
                del pdf.trailer[key]
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


# --- the private scratch folder ------------------------------------------------------------


@contextlib.contextmanager
def private_scratch(parent: Path | None = None) -> Iterator[Path]:
    """A private folder (0700) for the clear-text copies of a conversion, deleted on exit.

    In ``parent`` (a batch's output folder, next to the outputs it becomes) when it is a
    folder, else in the temporary folder (``TMPDIR``, else ``/tmp``); hidden
    (``.asylumdocs-pdf.partial-<token>``) in both. Before it is made, the scratch folders
    that killed conversions left in that place and in the temporary folder are deleted:
    only those their markers prove to be ours (``output.private_workspace``).
    """
    temporary = Path(tempfile.gettempdir())
    base = Path(parent) if parent is not None and Path(parent).is_dir() else temporary
    if base != temporary:
        remove_stale_scratch(temporary)
    with private_workspace(base, SCRATCH_NAME, SCRATCH_KIND) as path:
        yield path


def remove_stale_scratch(folder: Path) -> list[Path]:
    """Delete the scratch folders in ``folder`` that killed conversions left; returns them."""
    return recover_interrupted(Path(folder) / SCRATCH_NAME, SCRATCH_KIND)


def write_temporary(path: Path, data: bytes) -> None:
    """A private (0600) scratch file: no fsync, it is deleted after the conversion."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # readable by LibreOffice whatever the umask (0777 would make it 0000)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def pdf_name(name: str) -> str:
    return name[: -len(".docx")] + ".pdf"


def is_docx(item: OutputFile) -> bool:
    return item.name.lower().endswith(".docx")


def pdf_output(docx: OutputFile, data: bytes) -> OutputFile:
    description = gettext("{description} — PDF").format(description=docx.description) if docx.description else ""
    return OutputFile(pdf_name(docx.name), normalise_pdf(data), description)


def merge_pdfs(files: list[OutputFile], pdfs: dict[str, OutputFile]) -> list[OutputFile]:
    """``files`` with each DOCX followed by its PDF (``pdfs`` keyed by the DOCX name)."""
    taken = {item.name for item in files}
    result: list[OutputFile] = []
    for item in files:
        result.append(item)
        if is_docx(item):
            pdf = pdfs[item.name]
            if pdf.name in taken:
                raise ValueError(f"the PDF of {item.name!r} would replace another output")
            result.append(pdf)
    return result


def add_pdfs(files: list[OutputFile], timeout: float | None = None) -> list[OutputFile]:
    """The postprocess hook of ``build --pdf``: the files plus one PDF per DOCX (name.pdf)."""
    docx = [item for item in files if is_docx(item)]
    if not docx:
        return list(files)
    with private_scratch() as tmp:
        source = tmp / "docx"
        target = tmp / "pdf"
        source.mkdir(mode=SCRATCH_MODE)
        os.chmod(source, SCRATCH_MODE)  # writable whatever the umask
        paths = []
        for item in docx:
            path = source / item.name
            write_temporary(path, item.data)
            paths.append(path)
        produced = convert(paths, target, timeout, scratch=tmp)
        pdfs = {item.name: pdf_output(item, pdf.read_bytes()) for item, pdf in zip(docx, produced)}
    return merge_pdfs(files, pdfs)
