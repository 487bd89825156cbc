"""Guided question sets: the interviews of ``interviews/*.yml``, their schema and their runner.

The texts of question sets and of the terminal runner live in the ``questions`` gettext
domain. ``gettext`` here reads that catalog first, so that a label is shown as this
domain translates it even when another domain translates the same English words
differently ("Applicant" in a letter's summary and as a section title); anything else
goes to the merged translator of ``i18n``.
"""

from __future__ import annotations

import functools

from docassemble_asylum.i18n import current_language, locale_dir, translations

DOMAIN = "questions"


@functools.cache
def _own(lang: str):
    from babel.support import Translations

    return Translations.load(str(locale_dir()), [lang], domain=DOMAIN)


def gettext(message: str) -> str:
    lang = current_language()
    found = getattr(_own(lang), "_catalog", {}).get(message)
    return found if found else translations(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    lang = current_language()
    own = _own(lang)
    if getattr(own, "_catalog", {}).get((singular, 0)):
        return own.ngettext(singular, plural, n)
    return translations(lang).ngettext(singular, plural, n)
