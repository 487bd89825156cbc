"""Runs the click group and turns user errors into one clean message and an exit status.

A ``UserError`` (bad answers, impossible dates, an output that already exists) prints
its message in the user's language on stderr and exits 1, without traceback. Any other
exception is a bug: it keeps its traceback.
"""

from __future__ import annotations


import click


def run(group: click.Group, argv: list[str] | None = None) -> int:
    from docassemble_asylum.errors import UserError
    from docassemble_asylum.i18n import set_language

    # The environment's language until a --lang says otherwise: --help and --version stop
    # before any command's --lang is read, and their failures (> /dev/full) are messages too.
    set_language(None)
    try:
        result = group.main(args=argv, prog_name="asylumdocs", standalone_mode=False)
    except UserError as exc:
        from docassemble_asylum.i18n import gettext

        click.echo(gettext("Error: {message}").format(message=exc.render()), err=True)
        return exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        from docassemble_asylum.i18n import gettext

        click.echo(gettext("Aborted."), err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    return result if isinstance(result, int) else 0


LANG_META_KEY = "asylumdocs.lang"


def lang_option(function):
    """``--lang fr|en``: sets the language of messages before the command runs.

    Every group and command takes it, so it works wherever a user types it:
    ``asylumdocs --lang en deadline …``, ``deadline --lang en reexamination …`` or
    ``deadline reexamination --lang en …``. click runs the callbacks from the outermost
    command inward, and the one given last on the line wins; a command without the
    option keeps a language chosen by an enclosing group (``ctx.meta`` is shared by the
    whole command line) and otherwise takes it from the environment.
    """

    def _set(ctx, param, value):
        from docassemble_asylum.i18n import current_language, set_language

        if value is not None:
            ctx.meta[LANG_META_KEY] = value
            return set_language(value)
        if LANG_META_KEY in ctx.meta:
            return current_language()
        ctx.meta[LANG_META_KEY] = None
        return set_language(None)

    return click.option(
        "--lang",
        type=click.Choice(["fr", "en"]),
        default=None,
        callback=_set,
        is_eager=True,
        expose_value=False,
        help="Language of messages and summary sheets (default: from the locale).",
    )(function)


def today_option(function):
    return click.option(
        "--today",
        "today",
        default=None,
        metavar="DATE",
        help="Pretend today is DATE (YYYY-MM-DD); default: the system date.",
    )(function)


def parse_cli_date(value: str | None, option: str):
    """A DATE option: YYYY-MM-DD or a clean user error naming the option.

    Two messages, as for answers files (errors.py): the text is not written YYYY-MM-DD,
    or it is but the day does not exist (2026-02-30, 2026-13-01).
    """
    import datetime as dt
    import re

    from docassemble_asylum.errors import UserError
    from docassemble_asylum.i18n import gettext

    if value is None:
        return None
    # ASCII digits only; fromisoformat alone would also take 20260302 or 2026-W10-1.
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise UserError(
            gettext("{option}: not a valid date: write it as YYYY-MM-DD, for example 2026-03-02.").format(option=option)
        )
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(
            gettext("{option}: not a valid date: this day does not exist in the calendar (check the day and the month).").format(
                option=option
            )
        ) from None


def resolve_today(value: str | None):
    import datetime as dt

    return parse_cli_date(value, "--today") or dt.date.today()
