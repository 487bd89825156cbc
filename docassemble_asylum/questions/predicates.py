"""Functions that question-set conditions may call (declared under ``functions:``).

They receive answers as an answers file holds them (dates as "YYYY-MM-DD" strings, None
when not answered) and never raise on a partial or odd answer: a condition is asked
while the interview is still going.
"""

from __future__ import annotations

import datetime as dt
import unicodedata


def not_latin(*texts: str | None) -> bool:
    """True if a text has a letter outside the Latin script (Arabic, Cyrillic, Ge'ez…).

    Then the interview asks the person's own Latin spelling (the forms cannot show other
    scripts, and spellings are never guessed).
    """
    for text in texts:
        for char in text or "":
            if char.isalpha() and "LATIN" not in unicodedata.name(char, ""):
                return True
    return False


def association_listed(name: str | None, interview_date: str | None) -> bool:
    """The association is on a list of authorised associations in force on that day.

    Unknown (no name or date yet, or no list in force, or only a list that has lapsed): False,
    so that the interview asks for the confirmation the procedure needs rather than assume it.
    """
    if not name or not interview_date:
        return False
    try:
        from docassemble_asylum.procedures.interview_notice import associations_rule, listed_association

        day = dt.date.fromisoformat(interview_date)
        return bool(associations_rule(day).value.get("decision")) and listed_association(name, day) is not None
    except (LookupError, ValueError, TypeError):
        return False


def under_18(date_of_birth: str | None, on_day: str | None) -> bool:
    """The person is under 18 on ``on_day`` (a minor's appeal is signed by a legal representative).

    Unknown (a date not answered yet, or not a date): False.
    """
    if not date_of_birth or not on_day:
        return False
    try:
        from docassemble_asylum.eligibility.ages import age_years_months

        return age_years_months(dt.date.fromisoformat(date_of_birth), dt.date.fromisoformat(on_day))[0] < 18
    except (ValueError, TypeError):
        return False


def overseas_postal_code(postal_code: str | None, country: str | None = None) -> bool | None:
    """Whether the postal code suggests a home overseas, for the question "Does the applicant
    live in an overseas department or territory?" (the CNDA's overseas extension).

    Only a suggestion the user confirms: a domiciliation address is not always where the
    person lives. The prefixes come from the rule (``cnda/overseas_extension.yaml``): yes for
    971, 972, 974, 976… ; no for Guyane (973), which Ofpra's FAQ puts with mainland France.
    None (nothing suggested) without a postal code, or for an address outside France.
    """
    digits = "".join(ch for ch in postal_code or "" if not ch.isspace())
    if len(digits) < 3 or not digits.isdigit():
        return None
    if country and _folded(country) != "france":
        return None
    try:
        from docassemble_asylum.rules import rulebook

        value = rulebook()["cnda.overseas_extension"].current.value
    except (LookupError, ValueError, OSError):
        return None
    if any(digits.startswith(p) for p in value.get("not_suggested_for_postal_prefixes", ())):
        return False
    return any(digits.startswith(p) for p in value.get("suggested_for_postal_prefixes", ()))


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
