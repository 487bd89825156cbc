"""The only Jinja filters templates may use beyond plain Jinja.

Kept small and registered in docassemble too (DOCASSEMBLE.md): a template that used a
docassemble-only filter would break the CLI, and the other way round.
"""

from __future__ import annotations

import datetime as dt

from docassemble_asylum.i18n import format_date_fr


def date_fr(value: dt.date | None) -> str:
    """'3 mars 2026' (letters are French whatever the user's language)."""
    if value is None:
        return ""
    return format_date_fr(value)


def oui_non(value: bool) -> str:
    return "oui" if value else "non"


def agree(concept: str, sex: str | None) -> str:
    """``{{ "du requérant"|agree(applicant.sex) }}``: render/french.py's table."""
    from docassemble_asylum.render import french

    return french.agree(concept, sex)


def de(word: str) -> str:
    """``{{ name|de }}``: "d’Omid", "de Paul"."""
    from docassemble_asylum.render import french

    return french.de(word)


FILTERS = {"date_fr": date_fr, "oui_non": oui_non, "agree": agree, "de": de}
