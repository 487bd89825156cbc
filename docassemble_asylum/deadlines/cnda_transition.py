"""The CNDA appeal across the June 2026 reform: which regime may govern the application, and removal.

Why a module of its own: the EU Regulation 2024/1348 governs the applications LODGED from
12 June 2026 (art. 79(3), ``cnda.eu_regulation_transition``), while the French decrees
took effect for decisions NOTIFIED from 8 June 2026 (``cnda.reform_2026``). The day the
application was lodged therefore decides two things the notification alone cannot:

- how to label the pre-reform last day (one month, L.532-1) when the decision gives no
  period: it "may still apply" (lodged before 12 June 2026), is "probably not applicable"
  (lodged on or after), or both readings are shown (unknown). The numbers do not change:
  the safe day is always the earliest reading (RULES.md §0, §0.1);
- whether the appeal may leave the person without protection against removal: the cases
  of CESEDA L.542-2 for an application lodged before, those of art. 68(3) of the Regulation
  for one lodged on or after (``cnda.non_suspensive``, versions keyed by the lodging day).

Everything here is read from the rule data; nothing says "the appeal suspends".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from docassemble_asylum import french_calendar as cal
from docassemble_asylum.deadlines.common import N_, _, ngettext
from docassemble_asylum.i18n import format_date
from docassemble_asylum.rules import rulebook
from docassemble_asylum.rules.schema import RuleVersion

# How the lodging day places the application against the transition rule.
BEFORE, FROM, UNKNOWN = "before_regulation", "from_regulation", "unknown"

# The label of the pre-reform last day, by that placement (RULES.md §0.1, art. 79(3)).
FORMER_RULE = {BEFORE: "may_apply", FROM: "probably_not_applicable", UNKNOWN: "unknown"}
FORMER_RULE_LABELS = {
    "may_apply": N_("former rule, may still apply to applications lodged before {date}"),
    "probably_not_applicable": N_("former rule, probably not applicable"),
    "unknown": N_(
        "former rule: may still apply if the asylum application was lodged before {date}; probably not applicable "
        "if it was lodged on or after that day"
    ),
}


def lodged_from() -> dt.date:
    """The first day of applications governed by the Regulation (12 June 2026)."""
    return dt.date.fromisoformat(str(transition_version().value["lodged_from"]))


def transition_version() -> RuleVersion:
    return rulebook()["cnda.eu_regulation_transition"].current


def regulation_range(procedure: str) -> str:
    """The period the EU regulation allows against this kind of decision (art. 67(7)), in words:
    "between 5 and 10 days" or "between 2 weeks and 1 month" (``cnda.reform_2026`` ranges)."""
    value = rulebook()["cnda.reform_2026"].current.value
    bounds = value["ranges"][value["range_by_kind"][procedure]]
    if "max_days" in bounds:
        return _("between {low} and {high} days").format(low=bounds["min_days"], high=bounds["max_days"])
    months = int(bounds["max_months"])
    return ngettext(
        "between {weeks} weeks and {months} month", "between {weeks} weeks and {months} months", months
    ).format(weeks=bounds["min_weeks"], months=months)


def placement(lodged: dt.date | None, notified: dt.date) -> str:
    """BEFORE, FROM or UNKNOWN. Unknown lodging but a notification before 12 June 2026:
    the application was necessarily lodged before (it precedes its decision)."""
    start = lodged_from()
    if lodged is not None:
        return BEFORE if lodged < start else FROM
    return BEFORE if notified < start else UNKNOWN


def former_rule_label(reading: str) -> str:
    """'former rule, may still apply…' in the user's language (``reading``: a FORMER_RULE value)."""
    return _(FORMER_RULE_LABELS[reading]).format(date=format_date(lodged_from()))


@dataclass(frozen=True)
class NonSuspensive:
    """The appeal may not protect against removal: under which regime(s), and what to do.

    ``reading``: "former_rule" (L.542-2), "art_68_3" (Regulation) or "both" (lodging day
    unknown). ``versions`` the rule versions that apply; ``stay_request_day`` the safe day
    to ask the court to be allowed to stay (art. 68(3) only).
    """

    reading: str
    versions: tuple[RuleVersion, ...]
    stay_request_day: dt.date | None

    @property
    def eu(self) -> RuleVersion | None:
        return next((v for v in self.versions if v.value["regime"] == "art_68_3"), None)

    def paragraph_fr(self, designation: str) -> str | None:
        """The optional French paragraph asking the court to allow the person to stay (art. 68(4))."""
        eu = self.eu
        if eu is None:
            return None
        return " ".join(str(eu.value["stay_request_paragraph_fr"]).split()).format(designation=designation)


def non_suspensive(procedure: str, lodged: dt.date | None, notified: dt.date) -> NonSuspensive | None:
    """Whether the appeal against this kind of decision may leave the person without protection from removal."""
    rule = rulebook()["cnda.non_suspensive"]
    where = placement(lodged, notified)
    days = {BEFORE: [lodged_from() - dt.timedelta(days=1)], FROM: [lodged_from()], UNKNOWN: [lodged_from() - dt.timedelta(days=1), lodged_from()]}[where]
    versions = tuple(v for v in (rule.at(day) for day in days) if procedure in v.value["kinds"])
    if not versions:
        return None
    regimes = {v.value["regime"] for v in versions}
    reading = "both" if len(regimes) > 1 else regimes.pop()
    stay = None
    eu = next((v for v in versions if v.value["regime"] == "art_68_3"), None)
    if eu is not None:
        stay = cal.roll_back(cal.days_after(notified, int(eu.value["request_min_days"])))
    return NonSuspensive(reading, versions, stay)


def non_suspensive_warnings(found: NonSuspensive) -> list[str]:
    """What the summary and the terminal say, in plain words, for each regime that may apply."""
    texts = []
    both = found.reading == "both"
    start = format_date(lodged_from())
    for version in found.versions:
        if version.value["regime"] == "former_rule":
            text = _(
                "The appeal to the CNDA may not stop a removal. When the decision was taken in the accelerated procedure "
                "because the country of origin is considered safe, or rejects a re-examination request or finds it "
                "inadmissible, or finds the application inadmissible because another country protects the applicant, "
                "the right to stay in France ends with Ofpra's decision ({end}). Then a removal order (OQTF) must be "
                "challenged quickly before the tribunal administratif, asking it to suspend the removal until the CNDA "
                "rules ({suspension}). See a lawyer at once: those periods are very short."
            ).format(end=version.value["end_of_stay_article"], suspension=version.value["suspension_article"])
            if both:
                text = _("If the asylum application was lodged before {date}: {text}").format(date=start, text=_lower_first(text))
        else:
            text = _(
                "For this kind of decision the appeal does not by itself allow the person to stay in France (EU "
                "regulation 2024/1348, art. 68(3)): the person must ask the court to be allowed to stay until it rules, "
                "within at least {days} days of the notification: ask by {date}. The French form of that request and "
                "the court that decides it were not found (unverified): see a lawyer at once."
            ).format(days=version.value["request_min_days"], date=format_date(found.stay_request_day))
            if both:
                text = _("If the asylum application was lodged on or after {date}: {text}").format(date=start, text=_lower_first(text))
        texts.append(text)
    return texts


def _lower_first(text: str) -> str:
    """A sentence continued after a colon: "If …: the appeal…", « Si … : le recours… »."""
    return text[:1].lower() + text[1:]
