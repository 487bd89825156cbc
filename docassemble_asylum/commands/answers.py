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
    """Validate an answers file for PROCEDURE without writing anything.

    The answers go through what ``build`` does with them (validation, consistency, the
    rules that make the documents, in memory), so that ``check`` says OK exactly when
    ``build`` would build. With ``--json``: a JSON object on stdout in every case,
    ``"valid": false`` and ``problems`` (``field``, ``question``, ``message``) when the
    answers cannot be built, with exit status 1; when they can, ``unfinished``: the parts
    the drafts leave to complete, in the same form (an empty list when none).
    """
    from docassemble_asylum.errors import UserError
    from docassemble_asylum.i18n import current_language, gettext
    from docassemble_asylum.procedures.base import BuildOptions, read_answers_file

    spec = get(procedure)
    day = resolve_today(today)
    try:
        raw, data = read_answers_file(answers_path)
        answers = spec.validate(raw, day)
        spec.build_outputs(answers, BuildOptions(today=day, lang=current_language()), data)  # in memory only
        report = spec.report(answers, day) if as_json and spec.report else {}
        lines = spec.report_lines(answers, day) if not as_json and spec.report_lines else []
        unfinished = spec.unfinished_parts(answers, day)
    except UserError as exc:
        if not as_json:
            raise
        click.echo(json.dumps(invalid_body(procedure, exc), indent=2, ensure_ascii=False))
        raise click.exceptions.Exit(exc.exit_code) from None
    if as_json:
        body = {"procedure": procedure, "valid": True}
        body.update(report)
        body["unfinished"] = unfinished
        click.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return 0
    from docassemble_asylum.procedures.unfinished import terminal_lines

    click.echo(gettext("The answers are complete and consistent."))
    for line in [*lines, *terminal_lines(unfinished)]:
        click.echo(line)
    return 0


def invalid_body(procedure: str, exc) -> dict:
    """``check --json`` for answers that cannot be built: each problem with its field path
    (for machines), the question's label and the message (in the user's language); a
    problem of the file itself (unreadable, not YAML) has no field."""
    if exc.details:
        problems = [{"field": d["field"], "question": d["question"], "message": d["message"]} for d in exc.details]
    else:
        problems = [{"field": None, "question": None, "message": text} for text in (exc.problems or [exc.message])]
    return {"procedure": procedure, "valid": False, "message": exc.message, "problems": problems}
