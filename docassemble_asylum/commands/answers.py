"""``asylumdocs example|schema|check PROCEDURE``: the answers file, its shape, its validation."""

from __future__ import annotations

import json

import click

from docassemble_asylum.commands.runner import lang_option, resolve_today, today_option
from docassemble_asylum.procedures import available, get


class ProcedureType(click.Choice):
    def __init__(self):
        super().__init__(available())


def procedure_argument(function):
    return click.argument("procedure", type=ProcedureType())(function)


@click.command()
@procedure_argument
@today_option
@lang_option
def example(procedure, today):
    """Print a complete fictional answers file (YAML) for PROCEDURE.

    Its dates are those of a case as of today (or --today DATE): it builds that day, with
    its deadlines still ahead.
    """
    click.echo(get(procedure).example_text(resolve_today(today)), nl=False)


@click.command()
@procedure_argument
@lang_option
def schema(procedure):
    """Print the JSON Schema of PROCEDURE's answers file."""
    click.echo(json.dumps(get(procedure).json_schema(), indent=2, ensure_ascii=False))


@click.command()
@procedure_argument
@click.option("--answers", "answers_path", required=True, type=click.Path(dir_okay=False), help="YAML or JSON answers file.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@today_option
@lang_option
def check(procedure, answers_path, as_json, today):
    """Validate an answers file for PROCEDURE without writing anything."""
    from docassemble_asylum.i18n import gettext
    from docassemble_asylum.procedures.base import read_answers_file

    spec = get(procedure)
    day = resolve_today(today)
    raw, _ = read_answers_file(answers_path)
    answers = spec.validate(raw, day)
    if as_json:
        body = {"procedure": procedure, "valid": True}
        if spec.report:
            body.update(spec.report(answers, day))
        click.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return 0
    click.echo(gettext("The answers are complete and consistent."))
    if spec.report_lines:
        for line in spec.report_lines(answers, day):
            click.echo(line)
    return 0
