"""``asylumdocs build PROCEDURE --answers FILE --out DIR``."""

from __future__ import annotations

from pathlib import Path

import click

from docassemble_asylum.commands.answers import procedure_argument
from docassemble_asylum.commands.runner import lang_option, resolve_today, today_option


@click.command()
@procedure_argument
@click.option("--answers", "answers_path", type=click.Path(dir_okay=False), help="YAML or JSON answers file.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder to create with the documents.")
@click.option("--force", is_flag=True, help="Replace the --out folder if it already has files.")
@today_option
@lang_option
def build(procedure, answers_path, out_dir, force, today):
    """Build the documents of PROCEDURE from an answers file into a new folder."""
    from docassemble_asylum.errors import UserError
    from docassemble_asylum.i18n import current_language, gettext
    from docassemble_asylum.output import check_destination, publish
    from docassemble_asylum.procedures import get
    from docassemble_asylum.procedures.base import BuildOptions, read_answers_file

    spec = get(procedure)
    day = resolve_today(today)
    if answers_path is None:
        raise UserError(gettext("--answers FILE is needed (the guided interview is not available yet)."))
    out = Path(out_dir)
    check_destination(out, force)
    raw, input_bytes = read_answers_file(answers_path)
    answers = spec.validate(raw, day)
    files = spec.build_outputs(answers, BuildOptions(today=day, lang=current_language()), input_bytes)
    written = publish(out, files, force=force)
    click.echo(gettext("Documents written to {path}:").format(path=out))
    for path in written:
        click.echo(f"  {path.name}")
    return 0
