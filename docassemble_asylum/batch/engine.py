"""Running a batch: every case through the same pipeline as ``build``, in parallel.

Cases go to worker processes in chunks (a few cases each); at most ``2 × jobs`` chunks
are in flight, so the input is read as the work progresses and memory stays flat
however many cases there are. Results come back small (ids, file names, messages) and
are handed to ``on_result`` in input order.

Each case: ``inputs.load`` -> ``Procedure.validate`` -> ``Procedure.build_outputs`` ->
``output.publish`` into ``DIR/<case_id>`` (complete or absent). Any error is that case's
alone: a ``UserError`` gives its messages, anything else an internal-error line (the
exception's type only: its text could quote the case's data). ``ASYLUMDOCS_DEBUG=1``
adds, on stderr, where such an error happened (files, lines, functions and exception
types, never an exception's text or a value: ``debug_trace``).

With ``--pdf``, the cases of a chunk are built side by side in threads; each reaches
``build_outputs``' postprocess hook and waits there until every case of the chunk has
arrived (or failed before it), then ONE LibreOffice run converts all their DOCX, each
case gets its PDFs, its manifest lists them, and it is published. A case whose PDF is
missing after the shared run is converted again alone before it is declared failed. The
DOCX copies, PDFs and LibreOffice profile of a chunk live in a private hidden folder of
the output folder (``pdf_convert.private_scratch``), deleted after the run.

Workers die with the batch, whatever stops it (``_die_with_parent``): each watches the
batch's end of a pipe, and when the batch is gone kills its LibreOffice run and exits
without publishing anything more. A result says which manifest the case published, so
that the report can check the folder on disk (``on_disk``).
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from docassemble_asylum.batch.inputs import Case, Column, load
from docassemble_asylum.errors import UserError, detail_with_path
from docassemble_asylum.i18n import gettext, language
from docassemble_asylum.output import OutputFile

BUILT = "built"
FAILED = "failed"
PDF_CHUNK = 25  # cases per LibreOffice run (2 DOCX each for the CNDA appeal)
PLAIN_CHUNK = 8
CASES_PER_WORKER = 4  # by default, no more workers than one per 4 cases (start-up cost)
DEBUG_VARIABLE = "ASYLUMDOCS_DEBUG"


@dataclass(frozen=True)
class Settings:
    procedure: str
    out_dir: Path
    today: dt.date
    lang: str
    pdf: bool = False
    force: bool = False
    pdf_timeout: float | None = None
    columns: tuple[Column, ...] | None = None  # CSV header, parsed once in the parent
    # CASES as given: the folder from which a case's files to attach are read (attachments_base)
    cases_path: Path | None = None


@dataclass
class CaseResult:
    case_id: str
    status: str
    files: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    # sha256 of the manifest published: the batch checks the folder against it (on_disk.py)
    manifest_sha256: str = ""


def default_jobs() -> int:
    """The cores this process may use (its CPU affinity where the system says)."""
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counter is not None:
        return max(1, counter() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def chunk_size(total: int, jobs: int, pdf: bool) -> int:
    if pdf:
        # Few LibreOffice starts (≈ 1 s each), yet every worker gets a share.
        return max(1, min(PDF_CHUNK, math.ceil(total / jobs)))
    # Small enough to balance the workers and show progress, big enough to cost nothing.
    return max(1, min(PLAIN_CHUNK, math.ceil(total / (jobs * 4))))


def chunks(cases: Iterable[Case], size: int) -> Iterator[list[Case]]:
    chunk: list[Case] = []
    for case in cases:
        chunk.append(case)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- one case -----------------------------------------------------------------------------


def build_case(case: Case, settings: Settings, postprocess=None) -> CaseResult:
    """One case, start to end: its documents published, or its messages."""
    outcome = case_outputs(case, settings, postprocess)
    return outcome if isinstance(outcome, CaseResult) else publish_case(case, settings, outcome)


def case_outputs(case: Case, settings: Settings, postprocess=None) -> list[OutputFile] | CaseResult:
    """The case's files (what ``build`` would write), or a failed result."""
    from docassemble_asylum.procedures import get
    from docassemble_asylum.procedures.base import BuildOptions

    with language(settings.lang):
        try:
            spec = get(settings.procedure)
            raw, input_bytes = load(case, list(settings.columns) if settings.columns else None)
            answers = spec.validate(raw, settings.today)
            # A file to attach inside the case's own folder would be deleted when --force replaces it.
            replaced = Path(settings.out_dir) / case.case_id if settings.force else None
            attachments = spec.load_attachments(answers, attachments_base(case, settings), replaced)
            options = BuildOptions(today=settings.today, lang=settings.lang, extra={"attachments": attachments})
            return spec.build_outputs(answers, options, input_bytes, postprocess)
        except Exception as exc:
            return _failed(case, exc)


def attachments_base(case: Case, settings: Settings) -> Path | None:
    """Where a case's relative paths of files to attach start, as for ``build``: the folder of
    its answers file (a folder of cases), else the folder of the CSV or JSONL file."""
    if case.kind == "file":
        return Path(case.payload).parent
    return settings.cases_path.parent if settings.cases_path is not None else None


def publish_case(case: Case, settings: Settings, files: list[OutputFile]) -> CaseResult:
    """``DIR/<case_id>``: complete or absent (output.publish)."""
    from docassemble_asylum.output import publish

    stop_if_batch_gone()  # nothing is published after the batch's death
    with language(settings.lang):
        try:
            written = publish(Path(settings.out_dir) / case.case_id, files, force=settings.force)
            manifest_sha256 = next((item.sha256 for item in files if item.name == "manifest.json"), "")
            return CaseResult(case.case_id, BUILT, [path.name for path in written], manifest_sha256=manifest_sha256)
        except Exception as exc:
            return _failed(case, exc)


def _failed(case: Case, exc: Exception) -> CaseResult:
    if isinstance(exc, UserError):
        # report.csv is read beside the answers files: each problem with its field path.
        problems = [detail_with_path(d) for d in exc.details] if len(exc.details) == len(exc.problems) else exc.problems
        return CaseResult(case.case_id, FAILED, messages=[exc.message, *problems])
    if isinstance(exc, OSError) and exc.strerror:
        from docassemble_asylum.answers_file import reason as os_reason

        # The machine, not a bug (disk full, folder not writable): this case fails, the others go on.
        return CaseResult(
            case.case_id,
            FAILED,
            messages=[gettext("This case could not be built: {reason}. Nothing was written for it.").format(reason=os_reason(exc))],
        )
    # A bug: this case fails, the others go on.
    if os.environ.get(DEBUG_VARIABLE):
        print(debug_trace(exc, case.case_id), file=sys.stderr, flush=True)
    return CaseResult(
        case.case_id,
        FAILED,
        messages=[
            gettext("Internal error ({error}): this is a bug in asylumdocs; please report it, without the case's data.").format(
                error=type(exc).__name__
            )
        ],
    )


def debug_trace(exc: BaseException, case_id: str) -> str:
    """Where an internal error happened, for a bug report, without any of the case's data.

    Each exception of the chain with its type and the frames it went through (file, line,
    function). Never the exceptions' messages (``KeyError('Haddad')``, a date that did not
    parse), source lines or variables: they can quote the answers.
    """
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ if current.__cause__ is not None else (None if current.__suppress_context__ else current.__context__)
    lines = [f"asylumdocs: internal error in case {case_id} ({DEBUG_VARIABLE}; messages and values left out):"]
    for number, item in enumerate(reversed(chain)):
        if number:
            lines.append("During or because of it:")
        lines.append("Traceback (most recent call last):")
        lines += [f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}' for frame in traceback.extract_tb(item.__traceback__)]
        kind = type(item)
        lines.append(kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}")
    return "\n".join(lines)


# --- one chunk (in a worker process, or in-process with --jobs 1) --------------------------


def build_chunk(cases: list[Case], settings: Settings) -> list[CaseResult]:
    if not settings.pdf:
        # Publication waits on the disk (one fsync per file): it runs in a thread while the
        # next case is rendered, so that a worker keeps its core busy.
        slots: list[CaseResult | Future] = []
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="asylumdocs-publish") as writer:
            for case in cases:
                outcome = case_outputs(case, settings)
                slots.append(outcome if isinstance(outcome, CaseResult) else writer.submit(publish_case, case, settings, outcome))
                del outcome
                collect_garbage()
            return [slot if isinstance(slot, CaseResult) else slot.result() for slot in slots]
    shared = SharedConversion([case.index for case in cases], settings.pdf_timeout, settings.lang, Path(settings.out_dir))

    def one(case: Case) -> CaseResult:
        try:
            return build_case(case, settings, shared.hook(case.index))
        finally:
            shared.leave(case.index)

    with ThreadPoolExecutor(max_workers=len(cases), thread_name_prefix="asylumdocs-case") as threads:
        results = list(threads.map(one, cases))
    collect_garbage()
    return results


_frozen = False


def collect_garbage() -> None:
    """Free each case's documents at once, so that memory stays flat.

    A DOCX being built is a web of python-docx objects around lxml trees whose memory is
    in C: reference cycles that only the cyclic collector frees, and its full passes are
    rare, so a worker grew by ≈ 0.3 MB a case. A full pass after each case keeps it flat;
    it is cheap (≈ 3 ms instead of ≈ 80) because everything alive after the first case
    (modules, rule book, templates) is moved out of the collector's way with gc.freeze().
    """
    global _frozen
    gc.collect()
    if not _frozen:
        gc.freeze()
        _frozen = True


class SharedConversion:
    """A meeting point: the DOCX of every case of a chunk, converted by one LibreOffice run."""

    def __init__(self, keys: list[int], timeout: float | None, lang: str, out_dir: Path | None = None):
        self._out_dir = out_dir  # where the clear-text copies are staged (hidden), or the temporary folder
        self._cond = threading.Condition()
        self._waiting = set(keys)
        self._docx: dict[int, list[OutputFile]] = {}
        self._outcome: dict[int, dict[str, OutputFile] | str] = {}
        self._done = False
        self._timeout = timeout
        self._lang = lang

    def hook(self, key: int) -> Callable[[list[OutputFile]], list[OutputFile]]:
        from docassemble_asylum.render.pdf_convert import ConversionError, is_docx, merge_pdfs

        def add_pdfs(files: list[OutputFile]) -> list[OutputFile]:
            with self._cond:
                self._docx[key] = [item for item in files if is_docx(item)]
                self._arrive(key)
                while not self._done:
                    self._cond.wait()
                outcome = self._outcome.get(key)
            if isinstance(outcome, str) or outcome is None:
                raise ConversionError(outcome or gettext("The PDF conversion did not run."))
            return merge_pdfs(files, outcome)

        return add_pdfs

    def leave(self, key: int) -> None:
        """A case that will not (or no longer) reach the hook: it must not be waited for."""
        with self._cond:
            if key in self._waiting:
                self._arrive(key)

    def _arrive(self, key: int) -> None:
        self._waiting.discard(key)
        if self._waiting:
            return
        try:
            with language(self._lang):
                self._outcome = self._convert_all()
        except Exception as exc:  # never leave the other threads waiting
            message = exc.message if isinstance(exc, UserError) else type(exc).__name__
            self._outcome = {k: message for k in self._docx}
        finally:
            self._done = True
            self._cond.notify_all()

    def _convert_all(self) -> dict[int, dict[str, OutputFile] | str]:
        from docassemble_asylum.render.pdf_convert import (
            SCRATCH_MODE,
            ConversionError,
            convert_available,
            pdf_output,
            private_scratch,
            write_temporary,
        )

        outcome: dict[int, dict[str, OutputFile] | str] = {}
        with private_scratch(self._out_dir) as tmp:
            source, target = tmp / "docx", tmp / "pdf"
            source.mkdir(mode=SCRATCH_MODE)
            os.chmod(source, SCRATCH_MODE)  # writable whatever the umask
            paths: dict[tuple[int, str], Path] = {}
            for key, docx in self._docx.items():
                for item in docx:
                    path = source / f"{key:07d}-{item.name}"  # unique stems across cases
                    write_temporary(path, item.data)
                    paths[(key, item.name)] = path
            try:
                produced = dict(zip(paths, convert_available(list(paths.values()), target, self._timeout, scratch=tmp)))
                shared_error = None
            except ConversionError as exc:
                produced, shared_error = {}, exc.message
            for key, docx in self._docx.items():
                pdfs = {}
                for item in docx:
                    pdf = produced.get((key, item.name))
                    if pdf is not None:
                        pdfs[item.name] = pdf_output(item, pdf.read_bytes())
                retry = [item for item in docx if item.name not in pdfs]
                if retry:
                    # Missing after the shared run: this case alone, once more.
                    try:
                        alone = convert_available(
                            [paths[(key, item.name)] for item in retry], tmp / f"retry-{key}", self._timeout, scratch=tmp
                        )
                    except ConversionError as exc:
                        outcome[key] = exc.message if shared_error is None else shared_error
                        continue
                    for item, pdf in zip(retry, alone):
                        if pdf is not None:
                            pdfs[item.name] = pdf_output(item, pdf.read_bytes())
                missing = [item.name for item in docx if item.name not in pdfs]
                if missing:
                    outcome[key] = gettext("LibreOffice did not write the PDF of: {names}.").format(names=", ".join(missing))
                else:
                    outcome[key] = pdfs
        return outcome


# --- the whole batch ----------------------------------------------------------------------


def _init_worker(lang: str, passphrase: str | None = None) -> None:
    from docassemble_asylum.i18n import set_language

    _die_with_parent()
    set_language(lang)
    if passphrase:
        from docassemble_asylum.batch.inputs import remember_passphrase

        remember_passphrase(passphrase)


def _die_with_parent() -> None:
    """A worker must not outlive a killed batch: an orphan would keep writing cases into
    the output folder (and hold its staging folder, and the pipe a reader of the batch's
    output waits on) after the batch was stopped, whatever the signal (SIGTERM, SIGHUP,
    SIGKILL).

    Linux's PR_SET_PDEATHSIG alone does not hold: a worker's parent is the fork server,
    not the batch, and the fork server lives as long as any worker does (each worker
    holds the write end of the pipe whose end tells the server to stop). So each worker
    watches the batch itself: ``multiprocessing.parent_process().sentinel`` is a pipe
    whose only write end is held by the batch (with the fork server as with spawn, on
    Linux as on macOS), readable the moment the batch is gone. A thread waits on it and
    then stops this worker at once: its LibreOffice runs killed, nothing more published
    (``stop_if_batch_gone`` is also checked before each case is published). Once the
    workers are gone, the fork server sees its pipe end and exits too. PR_SET_PDEATHSIG
    (Linux) is kept for a fork server that dies first.
    """
    import multiprocessing

    global _batch_sentinel
    _kill_with_parent_process()
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return
    _batch_sentinel = parent.sentinel
    stop_if_batch_gone()  # the batch died before the watch began
    threading.Thread(target=_watch_batch, args=(parent.sentinel,), name="asylumdocs-watchdog", daemon=True).start()


_batch_sentinel: int | None = None  # in a worker: readable once the batch is gone


def _watch_batch(sentinel: int) -> None:
    from multiprocessing.connection import wait as wait_ready

    wait_ready([sentinel])
    _stop_now()


def stop_if_batch_gone() -> None:
    """In a worker: stop at once (publish nothing more) if the batch has died."""
    from multiprocessing.connection import wait as wait_ready

    if _batch_sentinel is not None and wait_ready([_batch_sentinel], timeout=0):
        _stop_now()


def _stop_now() -> None:
    from docassemble_asylum.render.pdf_convert import stop_conversions

    stop_conversions()  # LibreOffice runs in its own session: it would go on alone
    os._exit(1)


def _kill_with_parent_process() -> None:
    """Linux: SIGKILL when the parent process (the fork server) dies; elsewhere nothing."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def _pool(jobs: int, settings: Settings, passphrase: str | None = None) -> ProcessPoolExecutor:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        # Workers forked from a clean single-threaded server (the parent runs a progress
        # thread), with the heavy modules imported once there.
        context = multiprocessing.get_context("forkserver")
        from docassemble_asylum.procedures import MODULES

        context.set_forkserver_preload(["docassemble_asylum.batch.engine", "docxtpl", MODULES.get(settings.procedure, "docassemble_asylum")])
    else:
        context = multiprocessing.get_context("spawn")
    # The passphrase typed for the encrypted answers files travels once to each worker,
    # through its pipe (never the environment, never a file).
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(settings.lang, passphrase))


def run(
    cases: Iterable[Case],
    settings: Settings,
    *,
    jobs: int,
    size: int,
    on_result: Callable[[CaseResult], None],
    passphrase: str | None = None,
) -> None:
    """Build every case; ``on_result`` is called once per case, in input order.

    ``passphrase``: the one typed for the batch's encrypted answers files (``inputs.unlock``),
    for the worker processes; in-process (``jobs`` 1 without PDF) it is already remembered.
    """
    stream = enumerate(chunks(cases, size))
    # With --pdf even one job runs in a worker process: LibreOffice runs in its own
    # session, and only a worker can take it down when the batch is killed (a second
    # is nothing beside LibreOffice's start).
    if jobs <= 1 and not settings.pdf:
        for _, chunk in stream:
            for result in build_chunk(chunk, settings):
                on_result(result)
        return
    ready: dict[int, list[CaseResult]] = {}
    next_number = 0
    window = 2 * jobs
    pool = _pool(jobs, settings, passphrase)
    pending: dict[Future, tuple[int, list[Case]]] = {}
    exhausted = False
    try:
        while True:
            # Chunks finished but held back for input order count too: otherwise a slow
            # first chunk lets the input be read ahead without bound.
            while not exhausted and len(pending) + len(ready) < window:
                item = next(stream, None)
                if item is None:
                    exhausted = True
                    break
                number, chunk = item
                try:
                    pending[pool.submit(build_chunk, chunk, settings)] = (number, chunk)
                except BrokenProcessPool:
                    pool = _restart(pool, jobs, settings, passphrase)
                    pending[pool.submit(build_chunk, chunk, settings)] = (number, chunk)
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                number, chunk = pending.pop(future)
                try:
                    ready[number] = future.result()
                except BrokenProcessPool:
                    broken = True
                    ready[number] = [_crashed(case, settings) for case in chunk]
                except Exception:
                    ready[number] = [_crashed(case, settings) for case in chunk]
            if broken:
                # A worker died (killed, out of memory): the chunks it held are reported
                # failed, the pool is replaced and the batch goes on.
                for future, (number, chunk) in list(pending.items()):
                    try:
                        ready[number] = future.result()
                    except Exception:
                        ready[number] = [_crashed(case, settings) for case in chunk]
                    del pending[future]
                pool = _restart(pool, jobs, settings, passphrase)
            while next_number in ready:
                for result in ready.pop(next_number):
                    on_result(result)
                next_number += 1
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _restart(pool: ProcessPoolExecutor, jobs: int, settings: Settings, passphrase: str | None = None) -> ProcessPoolExecutor:
    pool.shutdown(wait=False, cancel_futures=True)
    return _pool(jobs, settings, passphrase)


def _crashed(case: Case, settings: Settings) -> CaseResult:
    with language(settings.lang):
        return CaseResult(
            case.case_id,
            FAILED,
            messages=[
                gettext(
                    "The process building this case stopped unexpectedly (its folder, if there is one, is complete). "
                    "Build this case again."
                )
            ],
        )
