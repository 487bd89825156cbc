"""``asylumdocs deadline cnda|cnda-legal-aid|reexamination|interview-notice|visa-appeal|visa-tribunal``: a deadline with its reasoning.

Public contract (tests pin it): ``--json`` prints ``DeadlineResult.to_json()`` (kind,
last_day, safe_day, certainty, steps, sources, warnings, today, passed,
safe_day_passed); otherwise readable text in the user's language. Exit status 0, or 3
(``EXIT_DEADLINE_PASSED``) when ``--today`` is after the last day (the result is printed
in full first), or 1 for a user error. ``--ics FILE`` also writes a calendar event on the
safe day.

Only click is imported when this module loads: the computation is imported when a
command runs, so that ``asylumdocs deadline cnda --json`` starts fast.
"""

from __future__ import annotations

import click

from docassemble_asylum.commands.runner import lang_option, parse_cli_date, resolve_today, today_option

CNDA_LABELS = {
    "notified": "--notified",
    "posted_online": "--posted-online",
    "first_read": "--first-read",
    "uncollected_notice": "--uncollected-notice",
    "legal_aid_requested": "--legal-aid-requested",
    "legal_aid_decision_notified": "--legal-aid-decision-notified",
    "overseas": "--overseas",
    "procedure": "--procedure",
    "stated_period": "--stated-period",
    "application_lodged": "--application-lodged",
}

# The kinds of decision as the command line writes them (hyphens), and the engine's names.
PROCEDURE_CHOICES = ("normal", "accelerated", "inadmissibility", "implicit-withdrawal", "reexamination-rejected")


def _procedure(choice: str) -> str:
    return choice.replace("-", "_")


def _cnda_dates(**values):
    """The DATE options of the CNDA commands parsed, in the order given (the first bad one
    is reported), keyed by the name of the input they give."""
    return {name: parse_cli_date(value, CNDA_LABELS[name]) for name, value in values.items()}


def _common_output_options(function):
    function = click.option(
        "--ics",
        "ics_path",
        default=None,
        metavar="FILE",
        help="Also write an iCalendar event on the safe day, with reminders 3 days and 1 day before.",
    )(function)
    function = click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")(function)
    return function


def _stacked(*options):
    """The click options, in this order in --help, as one decorator."""

    def decorate(function):
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


# How the Ofpra decision was notified, and what kind of decision it is: the same options for
# the appeal and for the legal-aid request, which reads the appeal's notification.
_notification_options = _stacked(
    click.option("--notified", metavar="DATE", help="The registered letter with the Ofpra decision was received on DATE."),
    click.option("--posted-online", metavar="DATE", help="The decision was posted in the Ofpra online account on DATE."),
    click.option("--first-read", metavar="DATE", help="With --posted-online: the decision was first read online on DATE."),
    click.option("--uncollected-notice", metavar="DATE", help="The registered letter was not collected: date of the postal notice (avis de passage)."),
)
_decision_options = _stacked(
    click.option("--overseas", is_flag=True, help="The applicant lives in an overseas department or territory (+1 month, unverified)."),
    click.option(
        "--procedure",
        type=click.Choice(PROCEDURE_CHOICES),
        default="normal",
        show_default=True,
        help="Kind of Ofpra decision (matters for decisions notified from 8 June 2026, and for removal).",
    ),
    click.option("--stated-period", metavar="PERIOD", help='The appeal period printed on the decision, e.g. "1 month", "15 days", "1 mois", "15 jours".'),
    click.option(
        "--application-lodged",
        metavar="DATE",
        help="The asylum application was lodged on DATE (leave it out if unknown): the EU regulation governs applications lodged from 12 June 2026.",
    ),
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@lang_option
def deadline():
    """Compute a deadline with its reasoning, sources and certainty.

    Dates are written YYYY-MM-DD. The result gives the legal last day and a safe day to
    aim for (earlier when the rule is uncertain or unverified).
    """


@deadline.command("cnda")
@_notification_options
@click.option("--legal-aid-requested", metavar="DATE", help="Legal aid (aide juridictionnelle) was requested on DATE.")
@click.option("--legal-aid-decision-notified", metavar="DATE", help="The legal-aid decision was notified on DATE (the later of the notifications to you and to the lawyer).")
@_decision_options
@today_option
@_common_output_options
@lang_option
def cnda_command(notified, posted_online, first_read, uncollected_notice, legal_aid_requested,
                 legal_aid_decision_notified, overseas, procedure, stated_period, application_lodged, today, as_json, ics_path):
    """Last day for the appeal to REACH the CNDA (Cour nationale du droit d'asile)."""
    from docassemble_asylum.deadlines import cnda
    from docassemble_asylum.deadlines.common import DeadlineInputError

    dates = _cnda_dates(
        notified=notified,
        posted_online=posted_online,
        first_read=first_read,
        uncollected_notice=uncollected_notice,
        legal_aid_requested=legal_aid_requested,
        legal_aid_decision_notified=legal_aid_decision_notified,
        application_lodged=application_lodged,
    )
    inputs = cnda.CndaInputs(
        **dates,
        overseas=overseas,
        procedure=_procedure(procedure),
        stated_period=stated_period,
        today=resolve_today(today),
    )
    every_problem = cnda.check_inputs(inputs, require_legal_aid_decision=True)
    if cnda.check_inputs(inputs):
        raise DeadlineInputError(every_problem, CNDA_LABELS)
    result = cnda.compute(inputs, labels=CNDA_LABELS)
    if result.details["legal_aid"] == "pending":
        # A request in time without its decision: the real last day is not known yet. A
        # late request suspends nothing, so its decision is not needed (RULES.md §8).
        raise DeadlineInputError(every_problem, CNDA_LABELS)
    return _finish(result, as_json, ics_path)


@deadline.command("cnda-legal-aid")
@_notification_options
@_decision_options
@today_option
@_common_output_options
@lang_option
def cnda_legal_aid_command(notified, posted_online, first_read, uncollected_notice, overseas, procedure, stated_period,
                           application_lodged, today, as_json, ics_path):
    """Last day to request legal aid (aide juridictionnelle) for an appeal to the CNDA: 15 days, never extended."""
    from docassemble_asylum.deadlines import cnda, cnda_legal_aid

    dates = _cnda_dates(
        notified=notified, posted_online=posted_online, first_read=first_read, uncollected_notice=uncollected_notice,
        application_lodged=application_lodged,
    )
    inputs = cnda.CndaInputs(
        **dates, overseas=overseas, procedure=_procedure(procedure), stated_period=stated_period, today=resolve_today(today)
    )
    result = cnda_legal_aid.compute(inputs, labels=CNDA_LABELS)
    return _finish(result, as_json, ics_path)


@deadline.command("reexamination")
@click.option("--registered", metavar="DATE", required=True, help="Date of the new registration at the prefecture.")
@today_option
@_common_output_options
@lang_option
def reexamination_command(registered, today, as_json, ics_path):
    """Last day to send a re-examination request to Ofpra (8 days after registration)."""
    from docassemble_asylum.deadlines import reexamination

    day = parse_cli_date(registered, "--registered")
    result = reexamination.compute(day, resolve_today(today), labels={"registered": "--registered"})
    return _finish(result, as_json, ics_path)


@deadline.command("interview-notice")
@click.option("--interview", metavar="DATE", required=True, help="Date of the Ofpra interview.")
@click.option("--procedure", type=click.Choice(["normal", "accelerated"]), default="normal", show_default=True, help="Kind of procedure.")
@today_option
@_common_output_options
@lang_option
def interview_notice_command(interview, procedure, today, as_json, ics_path):
    """Latest day to tell Ofpra that a lawyer or an association will attend the interview."""
    from docassemble_asylum.deadlines import interview_notice

    day = parse_cli_date(interview, "--interview")
    result = interview_notice.compute(day, procedure, resolve_today(today), labels={"interview": "--interview", "procedure": "--procedure"})
    return _finish(result, as_json, ics_path)


@deadline.command("visa-appeal")
@click.option("--notified", metavar="DATE", required=True, help="The visa refusal was notified on DATE.")
@today_option
@_common_output_options
@lang_option
def visa_appeal_command(notified, today, as_json, ics_path):
    """Last day to appeal a visa refusal to the commission (Commission de recours contre les décisions de refus de visa)."""
    from docassemble_asylum.deadlines import visa

    day = parse_cli_date(notified, "--notified")
    result = visa.compute_appeal(day, resolve_today(today), labels={"notified": "--notified"})
    return _finish(result, as_json, ics_path)


VISA_TRIBUNAL_LABELS = {
    "rejection_notified": "--rejection-notified",
    "commission_received": "--commission-received",
    "routes_stated": "--routes-stated",
}


@deadline.command("visa-tribunal")
@click.option("--rejection-notified", metavar="DATE", help="The commission's explicit rejection was notified on DATE.")
@click.option("--commission-received", metavar="DATE", help="No answer from the commission: it received the appeal on DATE (acknowledgement of receipt).")
@click.option(
    "--routes-stated",
    type=click.Choice(["yes", "no", "unknown"]),
    default="unknown",
    show_default=True,
    help="With --commission-received: whether the acknowledgement of receipt stated the routes and periods of appeal.",
)
@today_option
@_common_output_options
@lang_option
def visa_tribunal_command(rejection_notified, commission_received, routes_stated, today, as_json, ics_path):
    """Last day to apply to the Tribunal administratif de Nantes against the commission's rejection of a visa appeal."""
    from docassemble_asylum.deadlines import visa

    inputs = visa.TribunalInputs(
        rejection_notified=parse_cli_date(rejection_notified, "--rejection-notified"),
        commission_received=parse_cli_date(commission_received, "--commission-received"),
        routes_stated=routes_stated,
        today=resolve_today(today),
    )
    result = visa.compute_tribunal(inputs, labels=VISA_TRIBUNAL_LABELS)
    return _finish(result, as_json, ics_path)


def _finish(result, as_json: bool, ics_path: str | None) -> int:
    from docassemble_asylum.errors import EXIT_DEADLINE_PASSED

    if ics_path:
        from docassemble_asylum.deadlines.common import _
        from docassemble_asylum.deadlines.ics import write_ics

        path = write_ics(ics_path, result)
        click.echo(_("Calendar event written to {path}.").format(path=path), err=as_json)
    if as_json:
        import json

        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(result), nl=False)
    if result.passed:
        click.get_current_context().exit(EXIT_DEADLINE_PASSED)
    return 0


def render_text(result) -> str:
    """The result as readable text in the user's language."""
    from docassemble_asylum.deadlines.common import _, certainty_label
    from docassemble_asylum.deadlines.ics import title
    from docassemble_asylum.i18n import format_date

    last_label = {
        "cnda_appeal": _("Last day to send the appeal: {date}"),
        "reexamination": _("Last day (legal date, not extended): {date}"),
        "interview_notice": _("Latest day to give notice: {date}"),
        "cnda_legal_aid": _("Last day to request legal aid (not extended): {date}"),
        "visa_appeal": _("Last day (the appeal must reach the commission): {date}"),
        "visa_tribunal": _("Last day (the application must reach the tribunal): {date}"),
    }.get(result.kind, _("Last day: {date}"))
    lines = [title(result.kind), ""]
    former_rule = result.additions.get("former_rule")
    if former_rule:
        # After the June 2026 reform without a stated period: the safe day first, the
        # one-month last day labelled by what the lodging day says of it.
        from docassemble_asylum.deadlines.cnda_transition import former_rule_label

        lines.append(_("Safe day (aim for this one): {date}").format(date=format_date(result.safe_day)))
        lines.append(
            _("Last day under the former one-month period ({label}): {date}").format(
                label=former_rule_label(former_rule), date=format_date(result.last_day)
            )
        )
    else:
        lines.append(last_label.format(date=format_date(result.last_day)))
        lines.append(_("Safe day (aim for this one): {date}").format(date=format_date(result.safe_day)))
    lines.append(_("Certainty: {label}").format(label=certainty_label(result.certainty)))
    if result.warnings:
        lines += ["", _("Warnings:")]
        lines += [f"  ! {w}" for w in result.warnings]
    lines += ["", _("How it was computed:")]
    lines += [f"  - {s}" for s in result.steps]
    lines += ["", _("Sources:")]
    lines += [f"  - {r.title} — {r.url}" for r in result.sources]
    return "\n".join(lines) + "\n"
