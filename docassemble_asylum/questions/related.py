"""The guided interview's first question: start from a related procedure's answers file.

A visa-refusal appeal or a letter to the Bureau follows a reunification file, a letter for
an absence follows an interview notice, an appeal to the CNDA follows a legal-aid request:
the person has already answered most of the questions. The first question offers that
file (clear, or ``.age`` with its passphrase asked), and what it gives is taken through
the procedure's own declaration (``Procedure.reuses`` read by ``Procedure.answers_from``),
exactly as ``build --from FILE`` takes it: one mapping, never a second. The runner then
treats those answers as answers already given, so nothing is asked again.
"""

from __future__ import annotations

from pathlib import Path

from docassemble_asylum.errors import UserError
from docassemble_asylum.questions import gettext as _

HELP = "?"
BACK = "<"


def related_titles(spec) -> str:
    """The titles of the procedures whose answers files this one can start from, in words."""
    from docassemble_asylum.i18n import gettext
    from docassemble_asylum.procedures import get

    return ", ".join(_("“{title}”").format(title=gettext(get(source).title)) for source in spec.reuses)


def offer_related_file(spec, io, trace: bool = False) -> tuple[dict, Path] | None:
    """Ask for the related file; (the answers it gives, its path), or None to start without.

    A file that cannot be read, cannot be decrypted or is not a complete answers file of a
    related procedure is refused with the reason, and the question is asked again.
    """
    if not spec.reuses:
        return None
    from docassemble_asylum.answers_file import read_answers_file

    titles = related_titles(spec)
    if trace:
        io.say("@from " + " ".join(spec.reuses))
    io.say("")
    io.say(_("This interview can start from the answers file of {titles} (clear or encrypted .age): nothing already answered there is asked again.").format(titles=titles))
    io.say(_("Type the path of that file, or press Enter to start without it."))
    io.say("  (" + _("the path of the file, from the current folder") + ")")
    while True:
        text = io.ask("> ").strip()
        if text == HELP:
            io.say("  " + _("The answers saved by the guided interview of {titles}, or given to build --answers for it. Enter alone starts with no answer.").format(titles=titles))
            continue
        if text == BACK:
            io.say("  " + _("This is the first question: there is no question before it."))
            continue
        if not text:
            return None
        path = Path(text).expanduser()
        try:
            raw, _data = read_answers_file(path)
        except UserError as exc:
            for line in exc.render().split("\n"):
                io.say(f"  ✗ {line.strip()}")
        else:
            try:
                return spec.answers_from(raw, path), path
            except UserError:
                io.say("  ✗ " + _("{path} is not a complete answers file of {titles} (asylumdocs check says what is missing).").format(
                    path=path, titles=titles))
        io.say("  " + _("Type the path of another file, or press Enter to start without it."))
