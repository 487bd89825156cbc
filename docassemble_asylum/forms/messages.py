"""User messages about PDF forms (``asylumdocs form``), in the ``reunification`` catalog.

Kept out of ``commands/`` and ``render/`` on purpose: those folders belong to the core
catalog, and these messages are translated with the form work they come from. Messages
name the form's fields, never the values typed.
"""

from __future__ import annotations

from docassemble_asylum.i18n import N_, gettext
from docassemble_asylum.render.pdf_form import FontCoverageError, FormError

HEADINGS = (N_("name"), N_("type"), N_("on-states"), N_("max length"), N_("page"), N_("label"))

_FORM_ERRORS = {
    "not_a_pdf": N_("{path} is not a PDF file that can be read."),
    "unknown_field": N_("the form {path} has no field named “{field}”."),
    "checkbox_needs_bool": N_("the checkbox “{field}” takes true or false."),
    "no_on_state": N_("the checkbox “{field}” has no “on” appearance: it cannot be checked."),
    "unknown_choice": N_("“{field}” takes one of its own values: {detail}."),
    "unsupported_field": N_("the field “{field}” cannot be filled by asylumdocs (signature or button)."),
    "font_coverage": N_(
        "the font of the field “{field}” cannot print a letter of this value ({letter}): "
        "give this value in Latin letters that the font can print."
    ),
}


def letter_name(characters: str) -> str:
    """The first letter a form's font cannot print, by its Unicode code and name
    (``U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE``), "…" when there are others.

    One letter only: every letter of a short name, even by their Unicode names, would
    spell the name (messages name fields and what is wrong, never what was typed).
    """
    import unicodedata

    if not characters:
        return ""
    first = characters[0]
    shown = f"U+{ord(first):04X} {unicodedata.name(first, 'UNKNOWN CHARACTER')}"
    return shown + ("…" if len(set(characters)) > 1 else "")


def headings() -> list[str]:
    return [gettext(h) for h in HEADINGS]


def no_fields(path) -> str:
    return gettext("{path} has no form fields.").format(path=path)


def values_not_a_mapping(path) -> str:
    return gettext("{path} must contain a JSON object: field name → value.").format(path=path)


def form_error(exc: FormError, path) -> str:
    template = _FORM_ERRORS.get(exc.kind)
    if template is None:
        return str(exc)
    detail = "" if isinstance(exc, FontCoverageError) else exc.detail
    letter = letter_name(exc.characters) if isinstance(exc, FontCoverageError) else ""
    return gettext(template).format(path=path, field=exc.field, detail=detail, letter=letter)


def written(path) -> str:
    return gettext("Filled form written to {path}.").format(path=path)
