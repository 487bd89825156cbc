"""The user's language: gettext catalogs compiled by babel, and French-style dates.

Message ids are English; ``locale/fr`` translates them. Each area of the product has
its own catalog domain (``core``, ``cnda``, ``reexamination``…) so that the catalogs of
different procedures can be extracted and reviewed separately; at run time all domains
of a language are merged into one translator.

Letters to French authorities never go through here: they are French by template.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import locale as _locale
import os
import re
from contextvars import ContextVar
from importlib import resources
from pathlib import Path

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

_current: ContextVar[str] = ContextVar("asylumdocs_lang", default=DEFAULT_LANGUAGE)


def locale_dir() -> Path:
    return Path(str(resources.files("docassemble_asylum") / "locale"))


def domains() -> list[str]:
    folder = locale_dir() / "fr" / "LC_MESSAGES"
    return sorted(p.stem for p in folder.glob("*.mo"))


@functools.cache
def translations(lang: str):
    from babel.support import NullTranslations, Translations

    merged = None
    for domain in domains():
        loaded = Translations.load(str(locale_dir()), [lang], domain=domain)
        if isinstance(loaded, Translations):
            if merged is None:
                merged = loaded
            else:
                merged.merge(loaded)
    return merged if merged is not None else NullTranslations()


def language_from_environment() -> str:
    """fr or en from LC_ALL / LC_MESSAGES / LANG; French when nothing says otherwise."""
    for variable in ("ASYLUMDOCS_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable, "")
        code = value.split(":")[0].split("_")[0].split(".")[0].lower()
        if code in LANGUAGES:
            return code
    with contextlib.suppress(Exception):
        code = (_locale.getlocale()[0] or "").split("_")[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def set_language(lang: str | None) -> str:
    lang = lang or language_from_environment()
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    _current.set(lang)
    return lang


def current_language() -> str:
    return _current.get()


@contextlib.contextmanager
def language(lang: str):
    token = _current.set(lang)
    try:
        yield lang
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


_ = gettext
translate = gettext
"""For message ids held in variables (field titles, error tables): not an extraction keyword."""


def N_(message: str) -> str:
    """Marks a message for extraction without translating it now (translated when shown)."""
    return message


def _premier(text: str, day: dt.date) -> str:
    # French writes the first of the month "1er" ("mercredi 1er avril 2026"); babel writes "1".
    if day.day != 1:
        return text
    return re.sub(r"(^|\s)1 ", r"\g<1>1er ", text, count=1)


def _year_only(day: dt.date) -> bool:
    """A date of birth known only by its year (models/common.py BirthYear)."""
    return type(day).__name__ == "BirthYear"


def born_fr(day: dt.date) -> str:
    """How a French document says a birth date after "né": "le 3 mars 1990", "en 1990"."""
    return f"en {day.year}" if _year_only(day) else f"le {format_date_fr(day)}"


def format_date(day: dt.date, lang: str | None = None) -> str:
    """'lundi 3 mars 2025' / 'Monday 3 March 2025' (the day before the month, as users in
    France read dates, whatever the language)."""
    from babel.dates import format_date as _format

    if _year_only(day):
        return day.isoformat()
    lang = lang or _current.get()
    if lang == "en":
        return _format(day, format="EEEE d MMMM y", locale="en")
    return _premier(_format(day, format="full", locale=lang), day)


def format_date_fr(day: dt.date) -> str:
    """For letters: always French, without the weekday ('3 mars 2025', '1er avril 2026';
    '1990' for a date of birth known only by its year)."""
    from babel.dates import format_date as _format

    if _year_only(day):
        return day.isoformat()

    return _premier(_format(day, format="long", locale="fr"), day)


def language_name_in_english(french_name: str) -> str | None:
    """'Arabic' for 'arabe' or 'arabe (syrien)': a language the user named in French (for the
    French letter), named in English for an English summary (review F-34). The names are
    CLDR's (babel's locale data), so any language CLDR knows is found; ``None`` when the
    first words are not a French language name (the summary then quotes what was typed)."""
    from babel import Locale

    head = french_name.split("(")[0].strip().casefold()
    if not head:
        return None
    codes = {name.casefold(): code for code, name in Locale("fr").languages.items()}
    code = codes.get(head)
    return Locale("en").languages.get(code) if code else None
