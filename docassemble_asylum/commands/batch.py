"""``asylumdocs batch PROCEDURE CASES --out DIR [--jobs N] [--pdf] [--force]``.

CASES is a JSONL file, a CSV file (one column per answer path) or a folder of answers
files, clear or encrypted (batch/inputs.py). Each case's documents go to
``DIR/<case_id>/``, complete or absent; one bad case never stops the others.
``DIR/report.csv`` and ``DIR/summary.txt`` say what happened to each (the problems of a
failed case can quote its dates: they stay in those private files); the exit status is 1
if any case failed. What is printed (stdout, stderr) names cases by their id only.

Checked before anything is written: the procedure, the dates, LibreOffice for ``--pdf``,
the CSV header, duplicate case ids, (without ``--force``) case folders that exist, and
the keys of encrypted answers files (the passphrase is asked here, once).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from docassemble_asylum.commands.answers import procedure_argument
from docassemble_asylum.commands.runner import lang_option, resolve_today, today_option


@click.command()
@procedure_argument
@click.argument("cases", type=click.Path(exists=False))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder that receives one folder per case, report.csv and summary.txt.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: the available cores, at most one per 4 cases).")
@click.option("--pdf", "with_pdf", is_flag=True, help="Also write a PDF of every DOCX (needs LibreOffice).")
@click.option("--force", is_flag=True, help="Replace case folders and a report that already exist in --out.")
@today_option
@lang_option
def batch(procedure, cases, out_dir, jobs, with_pdf, force, today):
    """Build the documents of PROCEDURE for every case in CASES (JSONL, CSV or a folder)."""
    from docassemble_asylum.batch import engine, inputs
    from docassemble_asylum.batch.report import Progress, Report
    from docassemble_asylum.i18n import current_language, gettext
    from docassemble_asylum.output import make_private_dirs, refuse_inputs_inside
    from docassemble_asylum.render.pdf_convert import remove_stale_scratch
    from docassemble_asylum.procedures import get

    spec = get(procedure)
    day = resolve_today(today)
    lang = current_language()
    out = Path(out_dir)
    if with_pdf:
        from docassemble_asylum.render.pdf_convert import ensure_available

        ensure_available()
    source = inputs.open_source(Path(cases), spec.model)
    plan = inputs.plan(source, out, force)
    # CASES is never inside what the batch writes or replaces (a case folder, the report).
    targets = (out / name for name in (*inputs.RESERVED_IDS, *(case.case_id for case in source)))
    refuse_inputs_inside(targets, [Path(cases)], within=out)
    passphrase = inputs.unlock(source)
    if jobs is None:
        # Worker processes cost about a second to start: not worth it for a handful of cases.
        jobs = engine.default_jobs() if with_pdf else min(engine.default_jobs(), max(1, plan.total // engine.CASES_PER_WORKER))
    jobs = min(jobs, plan.total)
    size = engine.chunk_size(plan.total, jobs, with_pdf)
    jobs = min(jobs, -(-plan.total // size))
    settings = engine.Settings(
        procedure=procedure,
        out_dir=out.resolve(),
        today=day,
        lang=lang,
        pdf=with_pdf,
        force=force,
        columns=tuple(source.columns) if isinstance(source, inputs.CsvSource) else None,
        cases_path=Path(cases).resolve(),
    )
    make_private_dirs(out)
    remove_stale_scratch(out)  # the PDF staging folder of a batch that was killed
    report = Report(out)
    try:
        with Progress(plan.total) as progress, no_questions():

            def record(result):
                progress.advance(report.add(result))

            engine.run(source, settings, jobs=jobs, size=size, on_result=record, passphrase=passphrase)
    except BaseException as exc:
        # Interrupted: keep what is known and say so. The results still on their way are
        # lost, but the folders their workers completed are counted from the disk.
        if not report.abandoned:  # (a report that could not be written is not tried again)
            report.close(unreported=unreported_cases(source, report.rows, settings.columns, out))
            summary = dict(title=gettext(spec.title), source=source.describe(), expected=plan.total)
            report.write_summary(report.summary_text(**summary))
            if isinstance(exc, KeyboardInterrupt):
                # Ctrl-C: the user at the terminal sees the counts (how many were built), as at the end.
                with contextlib.suppress(Exception):
                    print_summary(report.summary_text(**summary, details=False), out)
        raise
    report.close()
    summary = dict(title=gettext(spec.title), source=source.describe(), expected=plan.total)
    report.write_summary(report.summary_text(**summary))
    # Printed: the counts and the ids of the failed cases, not their problems, which can
    # quote a date of the case (stdout often ends up in a log: cron, CI, a script).
    print_summary(report.summary_text(**summary, details=False), out)
    return 1 if report.failed else 0


def unreported_cases(source, received: int, columns, out: Path):
    """(case id, sha256 of its answers) of the cases after the first ``received`` (results
    arrive in input order) that have a folder in ``out``: candidates for "built"."""
    import hashlib
    import itertools

    from docassemble_asylum.batch import inputs

    try:
        for case in itertools.islice(source, received, None):
            if not (out / case.case_id).is_dir():
                continue
            try:
                _, input_bytes = inputs.load(case, list(columns) if columns else None)
            except Exception:  # noqa: BLE001 - a case that does not load was not built
                continue
            yield case.case_id, hashlib.sha256(input_bytes).hexdigest()
    except Exception:  # noqa: BLE001 - the input can no longer be read: count what is known
        return


def print_summary(text: str, out: Path) -> None:
    """stdout may be a full disk (/dev/full) or a closed pipe: a clear message, not a traceback."""
    import os
    import sys

    from docassemble_asylum.answers_file import reason
    from docassemble_asylum.errors import UserError
    from docassemble_asylum.i18n import gettext

    try:
        click.echo(text, nl=False)
        sys.stdout.flush()
    except OSError as exc:
        # What is still buffered would fail again when Python exits: drop it.
        with contextlib.suppress(OSError, ValueError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
            os.close(null)
        raise UserError(
            gettext("The summary could not be printed ({reason}); it is in {path}.").format(
                reason=reason(exc), path=out / "summary.txt"
            )
        ) from None


class no_questions:
    """While the cases are built nothing is asked: stdin is the null device, so that a
    file the batch's passphrase does not open fails as its case instead of prompting
    in the middle of the progress display (as the worker processes already do)."""

    def __enter__(self):
        import os
        import sys

        self._saved = sys.stdin
        self._null = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - closed in __exit__
        sys.stdin = self._null
        return self

    def __exit__(self, *exc):
        import sys

        sys.stdin = self._saved
        self._null.close()
        return False
