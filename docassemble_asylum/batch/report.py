"""What a batch tells its user: ``report.csv``, ``summary.txt`` and the progress display.

``report.csv`` (UTF-8 with BOM, so that spreadsheets show accents) has one row per case,
in input order: ``case_id``, ``status`` (``built`` or ``failed``, for scripts),
``files`` (the names written, ``;``-separated) and ``messages`` (one per line, in the
user's language). Rows are written as results arrive into a hidden file that is renamed
at the end: nothing about the cases is held in memory. ``summary.txt`` is read back from
it: counts, then every failed case with its messages.

The messages of a failed case can quote the case (a consistency problem gives the date
it compares with: "before the date of the decision (3 March 2026)"), so they are only
written to these two private files (0600), which the user asked for. What the command
prints (``summary_text(details=False)``) gives the counts and the ids of the failed
cases and points to the files: a terminal's output is often kept in a log.
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

from docassemble_asylum.batch.engine import BUILT, FAILED, CaseResult
from docassemble_asylum.i18n import gettext, ngettext
from docassemble_asylum.output import FILE_MODE

REPORT = "report.csv"
SUMMARY = "summary.txt"
FIELDS = ("case_id", "status", "files", "messages")


class Report:
    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.partial = self.out_dir / f".{REPORT}.partial"
        fd = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        self._handle = os.fdopen(fd, "w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._handle)
        self._writer.writerow(FIELDS)
        self.built = 0
        self.failed = 0

    def add(self, result: CaseResult) -> None:
        self._writer.writerow([result.case_id, result.status, ";".join(result.files), "\n".join(result.messages)])
        if result.status == BUILT:
            self.built += 1
        else:
            self.failed += 1

    @property
    def done(self) -> int:
        return self.built + self.failed

    def close(self) -> Path:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        final = self.out_dir / REPORT
        os.replace(self.partial, final)
        return final

    def abandon(self) -> None:
        self._handle.close()
        self.partial.unlink(missing_ok=True)

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
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(partial, path)
        return path


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
