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
        "the font of the field “{field}” cannot show some of these letters (for example Arabic or Cyrillic script): "
        "give this value in Latin letters."
    ),
}


def headings() -> list[str]:
    return [gettext(h) for h in HEADINGS]


def no_fields(path) -> str:
    return gettext("{path} has no form fields.").format(path=path)


def values_not_a_mapping(path) -> str:
    return gettext("{path} must contain a JSON object: field name → value.").format(path=path)


def values_unreadable(path) -> str:
    return gettext("{path} is not valid JSON.").format(path=path)


def form_error(exc: FormError, path) -> str:
    template = _FORM_ERRORS.get(exc.kind)
    if template is None:
        return str(exc)
    detail = "" if isinstance(exc, FontCoverageError) else exc.detail
    return gettext(template).format(path=path, field=exc.field, detail=detail)


def written(path) -> str:
    return gettext("Filled form written to {path}.").format(path=path)
