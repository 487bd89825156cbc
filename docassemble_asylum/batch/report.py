"""What a batch tells its user: ``report.csv``, ``summary.txt`` and the progress display.

``report.csv`` (UTF-8 with BOM, so that spreadsheets show accents) has one row per case,
in input order: ``case_id``, ``status`` (``built`` or ``failed``, for scripts),
``files`` (the names written, ``;``-separated) and ``messages`` (one per line, in the
user's language). Rows are written as results arrive into a hidden file, and report.csv
is written from it at the end: nothing about the cases is held in memory. A case is
"built" only if its folder holds exactly the files its worker published (``on_disk``),
checked when its result arrives and again at the end; after an interruption, the cases
whose folders this batch completed are counted even if their results never came back.
Both files are 0600 whatever the umask; a report that cannot be written (disk full)
is a clear error and leaves no partial file. ``summary.txt`` is read back from it:
counts, then every failed case with its messages.

The messages of a failed case can quote the case (a consistency problem gives the date
it compares with: "before the date of the decision (3 March 2026)"), so they are only
written to these two private files (0600), which the user asked for. What the command
prints (``summary_text(details=False)``) gives the counts and the ids of the failed
cases and points to the files: a terminal's output is often kept in a log.
"""

from __future__ import annotations

import contextlib
import csv
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from docassemble_asylum.batch import on_disk
from docassemble_asylum.batch.engine import BUILT, FAILED, CaseResult
from docassemble_asylum.errors import UserError
from docassemble_asylum.i18n import gettext, ngettext
from docassemble_asylum.output import FILE_MODE

REPORT = "report.csv"
SUMMARY = "summary.txt"
FIELDS = ("case_id", "status", "files", "messages")
JOURNAL_FIELDS = (*FIELDS, "manifest_sha256")


class Report:
    """``report.csv`` of one batch: rows written as results arrive, each "built" checked
    against the disk (``on_disk``), the file completed and checked again at the end."""

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        # The rows as they arrive, with the manifest digest each worker gave (checked
        # again at the end); report.csv is written from it by close().
        self.partial = self.out_dir / f".{REPORT}.partial"
        self.checked = self.out_dir / f".{REPORT}.checked.partial"
        self.abandoned = False
        try:
            fd = _create_private(self.partial)
            self.started_ns = os.fstat(fd).st_mtime_ns  # the file system's clock, as the cases' files
            self._handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(JOURNAL_FIELDS)
        except OSError as exc:
            self.abandon()
            raise _report_error(self.out_dir, exc) from None
        self.built = 0
        self.failed = 0
        self.rows = 0  # results received: always the first cases of the input, in order

    def add(self, result: CaseResult) -> CaseResult:
        """Record ``result``; a "built" whose folder does not hold what was published
        becomes "failed". Returns the result as recorded."""
        if result.status == BUILT and not on_disk.holds_published(self.out_dir / result.case_id, result.files, result.manifest_sha256):
            result = _not_as_published(result.case_id)
        try:
            self._writer.writerow([result.case_id, result.status, ";".join(result.files), "\n".join(result.messages), result.manifest_sha256])
        except OSError as exc:
            self.abandon()
            raise _report_error(self.out_dir, exc) from None
        self.rows += 1
        self._count(result.status)
        return result

    def _count(self, status: str) -> None:
        if status == BUILT:
            self.built += 1
        else:
            self.failed += 1

    @property
    def done(self) -> int:
        return self.built + self.failed

    def close(self, unreported: Iterable[tuple[str, str]] = ()) -> Path:
        """Write report.csv from the rows received, every "built" checked once more
        against the disk (another case may have written into its folder since).

        ``unreported`` (after an interruption): (case id, sha256 of its answers) of the
        cases whose result never came; one whose folder this batch completed from those
        answers is reported "built" (its worker published it before it was stopped).
        """
        final = self.out_dir / REPORT
        try:
            self._handle.flush()
            self._handle.close()
            self.built = self.failed = 0
            fd = _create_private(self.checked)
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(FIELDS)
                with self.partial.open(encoding="utf-8", newline="") as journal:
                    for row in csv.DictReader(journal):
                        files = row["files"].split(";") if row["files"] else []
                        if row["status"] == BUILT and not on_disk.holds_published(
                            self.out_dir / row["case_id"], files, row["manifest_sha256"], every_file=False
                        ):
                            result = _not_as_published(row["case_id"])
                            row = {"status": result.status, "files": "", "messages": "\n".join(result.messages), "case_id": row["case_id"]}
                        writer.writerow([row["case_id"], row["status"], row["files"], row["messages"]])
                        self._count(row["status"])
                for case_id, input_sha256 in unreported:
                    files = on_disk.built_by_this_batch(self.out_dir / case_id, input_sha256, self.started_ns)
                    if files is not None:
                        writer.writerow([case_id, BUILT, ";".join(files), ""])
                        self._count(BUILT)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(self.checked, final)
            self.partial.unlink(missing_ok=True)
        except OSError as exc:
            self.abandon()
            raise _report_error(self.out_dir, exc) from None
        except BaseException:
            self.abandon()
            raise
        return final

    def abandon(self) -> None:
        """Nothing half-written is left: the partial files are removed."""
        self.abandoned = True
        handle = getattr(self, "_handle", None)
        if handle is not None:
            with contextlib.suppress(OSError, ValueError):
                handle.close()
        for path in (self.partial, self.checked):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)

    def summary_text(self, *, title: str, source: str, expected: int, details: bool = True) -> str:
        """summary.txt (``details``: every failed case with its messages), or what is printed
        (the failed cases' ids only: their messages can quote the case)."""
        lines = [
            gettext("asylumdocs batch — {title}").format(title=title),
            gettext("Cases read from: {source}").format(source=source),
            gettext("Documents in: {path} (one folder per case)").format(path=self.out_dir),
            "",
            ngettext("{count} case built", "{count} cases built", self.built).format(count=self.built),
            ngettext("{count} case failed", "{count} cases failed", self.failed).format(count=self.failed),
        ]
        if self.done < expected:
            missing = expected - self.done
            lines.append(
                ngettext(
                    "{count} case was not processed (the batch was interrupted).",
                    "{count} cases were not processed (the batch was interrupted).",
                    missing,
                ).format(count=missing)
            )
        if self.failed:
            lines += ["", gettext("Failed cases (nothing was written for them; fix the answers and run them again):")]
            path = self.out_dir / REPORT if (self.out_dir / REPORT).exists() else self.partial
            failed_ids: list[str] = []
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for row in csv.DictReader(handle):
                    if row["status"] != FAILED:
                        continue
                    if not details:
                        failed_ids.append(row["case_id"])
                        continue
                    lines += ["", row["case_id"]]
                    first, *problems = row["messages"].splitlines() or [""]
                    lines += [f"  {first}", *(f"    - {problem}" for problem in problems)]
            if not details:
                lines += [f"  {case_id}" for case_id in failed_ids]
                lines += ["", gettext("The problems of each failed case: {path}").format(path=self.out_dir / SUMMARY)]
        lines += ["", gettext("Every case, with the files written or the problems found: {path}").format(path=self.out_dir / REPORT)]
        return "\n".join(lines) + "\n"

    def write_summary(self, text: str) -> Path:
        path = self.out_dir / SUMMARY
        partial = self.out_dir / f".{SUMMARY}.partial"
        try:
            fd = _create_private(partial)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            raise _report_error(self.out_dir, exc) from None
        return path


def _create_private(path: Path) -> int:
    """A new file, 0600 whatever the umask (0277 would make it 0400, 0777 0000)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _report_error(out_dir: Path, exc: OSError) -> UserError:
    from docassemble_asylum.answers_file import reason

    return UserError(
        gettext(
            "The batch report cannot be written in {path} ({reason}); nothing half-written was left. "
            "The cases built so far are complete in their folders: make room, then run the batch again with --force."
        ).format(path=out_dir, reason=reason(exc))
    )


def _not_as_published(case_id: str) -> CaseResult:
    return CaseResult(
        case_id,
        FAILED,
        messages=[
            gettext(
                "Its folder does not hold the documents written for it (they were changed, removed or replaced while "
                "the batch ran, possibly by another case's): build this case again."
            )
        ],
    )


class Progress:
    """A rich progress bar on a terminal; plain lines (one per case) otherwise."""

    def __init__(self, total: int, *, interactive: bool | None = None, stream=None):
        self.total = total
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.done = 0
        self.failed = 0
        self._bar = None

    def __enter__(self):
        if self.interactive:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            self._bar = Bar(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[failed]}"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=False,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task(gettext("Building"), total=self.total, failed="")
        return self

    def advance(self, result: CaseResult) -> None:
        self.done += 1
        if result.status == FAILED:
            self.failed += 1
        if self._bar is not None:
            failed = ngettext("{count} failed", "{count} failed", self.failed).format(count=self.failed) if self.failed else ""
            self._bar.update(self._task, advance=1, failed=failed)
            return
        status = gettext("built") if result.status == BUILT else gettext("FAILED")
        print(f"[{self.done}/{self.total}] {result.case_id}: {status}", file=self.stream, flush=True)

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.__exit__(*exc)
        return False
