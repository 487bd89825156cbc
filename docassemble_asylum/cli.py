"""The ``asylumdocs`` command: one click group whose subcommands are imported on demand.

Start-up time matters (volunteers run it on old laptops, integrators call it per
request): ``asylumdocs --help`` imports click and this file only. Each subcommand lives
in ``docassemble_asylum/commands/`` and is imported when it runs.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import importlib.util
import sys

import click

from docassemble_asylum.commands.runner import lang_option

# name -> (module, attribute, one-line help shown by --help without importing the module)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "deadline": ("docassemble_asylum.commands.deadline", "deadline", "Compute a deadline with its reasoning and sources."),
    "example": ("docassemble_asylum.commands.answers", "example", "Print a complete fictional answers file."),
    "schema": ("docassemble_asylum.commands.answers", "schema", "Print the JSON Schema of an answers file."),
    "check": ("docassemble_asylum.commands.answers", "check", "Validate an answers file without writing anything."),
    "build": ("docassemble_asylum.commands.build", "build", "Build the documents of a procedure."),
    "prefecture": ("docassemble_asylum.commands.prefecture", "prefecture", "Find the prefecture that registers an asylum application."),
    "form": ("docassemble_asylum.commands.form", "form", "Inspect PDF forms (list their fields)."),
    "batch": ("docassemble_asylum.commands.batch", "batch", "Build many cases at once."),
    "case": ("docassemble_asylum.commands.case", "case", "Encrypt, decrypt or delete case files."),
}

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(name for name, (module, _, _) in COMMANDS.items() if _available(module))

    def get_command(self, ctx, name):
        if name not in COMMANDS or not _available(COMMANDS[name][0]):
            return None
        module, attribute, _ = COMMANDS[name]
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="docassemble-asylum", prog_name="asylumdocs")
@lang_option
def cli():
    """asylumdocs: documents for French asylum procedures, with deadlines from sourced rules.

    Letters are written in French. Messages are in French or English (--lang fr|en, before
    or after any command name; default from the locale).
    """


def main(argv: list[str] | None = None) -> None:
    from docassemble_asylum.commands.runner import run

    try:
        code = run(cli, argv)
        sys.stdout.flush()
    except OSError as exc:
        if not _is_output_stream_error(exc):
            raise
        code = _output_stream_failed(exc)
    sys.exit(code)


def _is_output_stream_error(exc: OSError) -> bool:
    """A write to stdout that failed (``> /dev/full``, a full disk, a closed pipe): no file
    name, unlike every file the commands open themselves (those become messages there)."""
    return exc.filename is None and exc.errno in {errno.ENOSPC, errno.EIO, errno.EPIPE, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _output_stream_failed(exc: OSError) -> int:
    """One line on stderr instead of a traceback, exit 1. A reader that went away (``| head``)
    chose to stop reading: nothing to say. What is still buffered goes to the null device,
    so that Python's own flush at exit does not fail again."""
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    if exc.errno != errno.EPIPE:
        from docassemble_asylum.answers_file import reason
        from docassemble_asylum.i18n import gettext

        message = gettext("the output could not be written to standard output ({reason}).").format(reason=reason(exc))
        with contextlib.suppress(OSError, ValueError):
            click.echo(gettext("Error: {message}").format(message=message), err=True)
    return 1


if __name__ == "__main__":
    main()
