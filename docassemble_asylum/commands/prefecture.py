"""``asylumdocs prefecture QUERY [--json]``: which prefecture registers an asylum application.

QUERY is a department code, a French department name (however it is written) or a
postal code; several words need no quotes (``asylumdocs prefecture seine saint denis``).
The answer comes from the dated table of RULES.md §6 with its certainty and sources; an
unknown or ambiguous query is a user error (exit 1) with suggestions.
"""

from __future__ import annotations

import json

import click

from docassemble_asylum.commands.runner import lang_option


@click.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@lang_option
def prefecture(query, as_json):
    """Find the prefecture that registers an asylum application for QUERY.

    QUERY: a department number (14, 2A, 971), its French name (Calvados, "Cotes d'Armor",
    seine saint denis) or a postal code (14000, 20000, 97400).
    """
    from docassemble_asylum.errors import UserError
    from docassemble_asylum.i18n import gettext, translate
    from docassemble_asylum.prefectures import POSTAL_CAUTION, DepartmentQueryError, lookup
    from docassemble_asylum.render.summary import certainty_label, sources_lines

    try:
        found, match = lookup(" ".join(query))
    except DepartmentQueryError as exc:
        text = exc.message()
        raise UserError(text[:1].upper() + text[1:]) from None
    if as_json:
        body = {**found.to_json(), "matched_by": match.matched_by}
        click.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return 0
    click.echo(gettext("Department: {department}").format(department=found.department_label))
    click.echo(gettext("Prefecture: {prefecture}").format(prefecture=found.place))
    click.echo(gettext("Certainty: {label}").format(label=certainty_label(found.certainty)))
    if match.matched_by == "postal_code":
        click.echo(translate(POSTAL_CAUTION))
    if found.france_asile:
        click.echo(
            gettext(
                "Pôle France asile: a re-examination request is handed to the Ofpra agent at the pôle on the day "
                "of registration (or the date in the convocation), not posted (R.531-36 CESEDA)."
            )
        )
    for note in found.shown_notes:
        click.echo(gettext("Note: {note}").format(note=note))
    for line in sources_lines(list(found.sources)):
        click.echo(line)
    return 0
