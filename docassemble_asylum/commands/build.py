"""``asylumdocs build PROCEDURE [--answers FILE] --out DIR [--pdf]``.

Without ``--answers`` the guided interview runs in the terminal (questions/runner.py)
and its answers go through exactly the same validation and build as a file would.
Everything that can fail because of the user's input or machine (answers, destination,
LibreOffice for ``--pdf``) is checked before anything is written.
"""

from __future__ import annotations

from pathlib import Path

import click

from docassemble_asylum.commands.answers import procedure_argument
from docassemble_asylum.commands.runner import lang_option, resolve_today, today_option


@click.command()
@procedure_argument
@click.option("--answers", "answers_path", type=click.Path(dir_okay=False), help="YAML or JSON answers file (else: guided interview).")
@click.option(
    "--from",
    "from_path",
    type=click.Path(dir_okay=False),
    help="Start from the answers of a related procedure's file (e.g. a cnda-legal-aid file for cnda-appeal), clear or .age.",
)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder to create with the documents.")
@click.option("--force", is_flag=True, help="Replace the --out folder if it already has files.")
@click.option("--pdf", "with_pdf", is_flag=True, help="Also write a PDF of every DOCX (needs LibreOffice).")
@click.option("--flatten", is_flag=True, help="Flatten filled PDF forms (values no longer editable).")
@click.option("--save", "save_path", type=click.Path(dir_okay=False), help="Interview: save the answers to FILE as you go.")
@click.option("--resume", "resume_path", type=click.Path(dir_okay=False), help="Interview: resume from a saved answers FILE.")
@click.option(
    "--encrypt",
    is_flag=True,
    help="Interview: encrypt the saved answers (age format, passphrase). Implied by an encrypted --resume file.",
)
@today_option
@lang_option
def build(procedure, answers_path, from_path, out_dir, force, with_pdf, flatten, save_path, resume_path, encrypt, today):
    """Build the documents of PROCEDURE into a new folder."""
    from docassemble_asylum.errors import UserError
    from docassemble_asylum.i18n import current_language, gettext
    from docassemble_asylum.output import check_destination, publish
    from docassemble_asylum.procedures import get
    from docassemble_asylum.procedures.base import BuildOptions, read_answers_file

    spec = get(procedure)
    day = resolve_today(today)
    out = Path(out_dir)
    # Never inside --out: replacing it would delete them (the --from file included).
    inputs = (answers_path, from_path, save_path, resume_path)
    check_destination(out, force, inputs)
    if with_pdf:
        from docassemble_asylum.render.pdf_convert import ensure_available

        ensure_available()
    reused = None
    if from_path is not None:
        if resume_path is not None:
            raise UserError(gettext("--from and --resume cannot be used together: a resumed interview already has its answers."))
        source_raw, source_bytes = read_answers_file(Path(from_path))
        reused = spec.answers_from(source_raw, Path(from_path))
    if answers_path is not None:
        raw, input_bytes = read_answers_file(Path(answers_path))
        if reused is not None and isinstance(raw, dict):
            # The answers file completes (and may correct) what the other file gave, group by group.
            raw = _completed(reused, raw)
            input_bytes = input_bytes + b"\n" + source_bytes
        answers = spec.validate(raw, day)
    else:
        from docassemble_asylum.questions.runner import run_interview

        # An encrypted --resume file keeps its answers encrypted even without --encrypt: the
        # runner sees it when it opens the file and encrypts every save the way it was.
        answers, input_bytes = run_interview(
            spec,
            lang=current_language(),
            today=day,
            save=Path(save_path) if save_path else None,
            resume=Path(resume_path) if resume_path else None,
            encrypt=encrypt,
            prefill=(reused, Path(from_path)) if reused is not None else None,
        )
    # The files the answers name to attach (paths from the answers file's folder; in the
    # guided interview, from the current folder): read and checked before anything is written.
    attachments = spec.load_attachments(answers, Path(answers_path).parent if answers_path is not None else Path.cwd(), out)
    postprocess = None
    if with_pdf:
        from docassemble_asylum.render.pdf_convert import add_pdfs as postprocess
    files = spec.build_outputs(answers, BuildOptions(today=day, lang=current_language(), extra={"flatten": flatten, "attachments": attachments}), input_bytes, postprocess)
    written = publish(out, files, force=force, inputs=inputs)
    click.echo(gettext("Documents written to {path}:").format(path=out))
    for path in written:
        click.echo(f"  {path.name}")
    from docassemble_asylum.procedures.unfinished import terminal_lines

    for line in terminal_lines(spec.unfinished_parts(answers, day)):
        click.echo(line)
    if spec.report_lines:
        # The deadline (and any warning that it has passed) is shown here too, not only in the summary sheet.
        for line in spec.report_lines(answers, day):
            click.echo(line)
    return 0


def _completed(given: dict, answers: dict) -> dict:
    """``given`` completed by ``answers``: a group in both is completed answer by answer
    (a refusal's notification from the other file, its reference from this one); any other
    answer in ``answers``, a list included, replaces the given one."""
    merged = dict(given)
    for key, value in answers.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _completed(merged[key], value)
        else:
            merged[key] = value
    return merged
