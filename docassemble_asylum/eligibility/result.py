"""What an eligibility check returns for one family member: a public contract.

``verdict`` is ``eligible``, ``not_eligible`` or ``uncertain``. ``uncertain`` is what an
unsettled rule gives (RULES.md): the product never turns a doubt into a yes or a no.

Reasons are kept as message ids with their values and translated only when shown, so
one evaluation can be printed in French and in English, and the dates are formatted in
the reader's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from docassemble_asylum.i18n import format_date, gettext
from docassemble_asylum.rules.schema import Certainty, Reference, RuleVersion


class Verdict(str, Enum):
    eligible = "eligible"
    uncertain = "uncertain"
    not_eligible = "not_eligible"

    @property
    def rank(self) -> int:
        return list(Verdict).index(self)

    @staticmethod
    def worst(*values: "Verdict") -> "Verdict":
        return max(values, key=lambda v: v.rank)


@dataclass(frozen=True)
class Reason:
    """One sentence of the explanation: a message id and its values (dates as dates)."""

    msgid: str
    ctx: dict[str, Any] = field(default_factory=dict)
    certainty: Certainty = Certainty.verified
    """How sure this sentence is: a caution built on an unsettled rule lowers the verdict's certainty."""
    deadline: bool = False
    """States a day to apply by: dropped when the member turns out not to be eligible."""

    def text(self) -> str:
        values = {k: format_date(v) if isinstance(v, dt.date) else _translated(v) for k, v in self.ctx.items()}
        return gettext(self.msgid).format(**values)


def _translated(value: Any) -> Any:
    # A value may itself be a message id to translate (a relationship, a document).
    if isinstance(value, Reason):
        return value.text()
    return value


@dataclass
class MemberVerdict:
    index: int
    name: str
    relationship: str
    verdict: Verdict = Verdict.eligible
    reasons: list[Reason] = field(default_factory=list)
    cautions: list[Reason] = field(default_factory=list)
    sources: list[Reference] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    """Keys of the rule files the verdict rests on (``reunification.beneficiaries``…)."""
    certainty: Certainty = Certainty.verified
    assessed_on: dt.date | None = None
    assessed_at_visa_application: bool = False
    apply_before: dt.date | None = None
    """The visa application must be made before this day (exclusive), when a limit applies."""
    last_day_to_apply: dt.date | None = None
    deadline_close: bool = False
    alternative: str | None = None
    """What an ineligible member can do instead, as far as the rules say: ``regroupement_familial``,
    ``custody_judgment_first``, ``residence_card_first``, ``with_a_parent``; None when the rules
    name no other route."""

    last_day_in_law: dt.date | None = None
    closed_weekdays: tuple[int, ...] = ()
    """Weekdays the consulate is closed (0 = Monday), from the rule data."""
    """The calendar day before ``apply_before``; ``last_day_to_apply`` is the working day shown."""

    def limit(self, before: dt.date) -> dt.date:
        """The visa application must be made before ``before``; keeps the earliest limit.

        Returns the last day shown for this limit: the day before it, moved earlier while it
        falls on a day the consulate is closed (Saturday and Sunday in the rule data; its
        own holidays are not France's, so only the weekend is known here).
        """
        last = before - dt.timedelta(days=1)
        shown = last
        while shown.weekday() in self.closed_weekdays:
            shown -= dt.timedelta(days=1)
        if self.apply_before is None or before < self.apply_before:
            self.apply_before = before
            self.last_day_in_law = last
            self.last_day_to_apply = shown
        return shown

    @property
    def moved_from_weekend(self) -> bool:
        return self.last_day_to_apply is not None and self.last_day_to_apply != self.last_day_in_law

    def drop_deadline(self) -> None:
        """An ineligible member has no day to apply by: the limit and its sentences go."""
        self.apply_before = self.last_day_to_apply = self.last_day_in_law = None
        self.deadline_close = False
        self.reasons = [r for r in self.reasons if not r.deadline]
        self.cautions = [r for r in self.cautions if not r.deadline]

    rule_certainties: list[tuple[str, Certainty]] = field(default_factory=list)
    """(article, certainty) of every rule version used."""
    applying_now: bool = True
    not_applying_reason: str = ""

    def use(self, version: RuleVersion, key: str = "") -> None:
        """Record a rule the verdict rests on: its key, its sources, and its certainty."""
        if key and key not in self.rules:
            self.rules.append(key)
        if (version.caption, version.certainty) not in self.rule_certainties:
            self.rule_certainties.append((version.caption, version.certainty))
        for ref in version.references:
            if ref not in self.sources:
                self.sources.append(ref)
        self.certainty = Certainty.weakest(self.certainty, version.certainty)

    def conclude(
        self, verdict: Verdict, msgid: str, *, certainty: Certainty = Certainty.verified, deadline: bool = False, **ctx: Any
    ) -> None:
        """Add a reason, keeping the worst verdict seen so far (an uncertain one is uncertain)."""
        self.verdict = Verdict.worst(self.verdict, verdict)
        if verdict is Verdict.uncertain:
            certainty = Certainty.weakest(certainty, Certainty.uncertain)
        self._add(self.reasons, Reason(msgid, ctx, certainty, deadline))

    def note(self, msgid: str, *, certainty: Certainty = Certainty.verified, deadline: bool = False, **ctx: Any) -> None:
        """A reason that does not change the verdict (its certainty still counts)."""
        self._add(self.reasons, Reason(msgid, ctx, certainty, deadline))

    def caution(self, msgid: str, *, certainty: Certainty = Certainty.verified, deadline: bool = False, **ctx: Any) -> None:
        """Something to check or bring, shown with the verdict; an unsettled one lowers the certainty."""
        self._add(self.cautions, Reason(msgid, ctx, certainty, deadline))

    def _add(self, where: list[Reason], reason: Reason) -> None:
        where.append(reason)
        self.certainty = Certainty.weakest(self.certainty, reason.certainty)

    def certainty_reasons(self) -> list[str]:
        """Why the certainty is not ``verified``: the sentences and rule articles as weak as it."""
        if self.certainty is Certainty.verified:
            return []
        texts = [r.text() for r in (*self.reasons, *self.cautions) if r.certainty is self.certainty]
        return texts + [article for article, certainty in self.rule_certainties if certainty is self.certainty and article not in texts]

    @property
    def included(self) -> bool:
        """Goes into the form and the checklists (eligible, or uncertain with a caution)."""
        return self.verdict is not Verdict.not_eligible

    @property
    def requested(self) -> bool:
        """Can apply and applies now: goes into the form, the letter and the visa checklists."""
        return self.included and self.applying_now

    def reason_texts(self) -> list[str]:
        return [r.text() for r in self.reasons] + [r.text() for r in self.cautions]

    def to_json(self) -> dict:
        return {
            "index": self.index,
            "name": self.name,
            "relationship": self.relationship,
            "verdict": self.verdict.value,
            "reasons": self.reason_texts(),
            "sources": [{"title": r.title, "url": r.url} for r in self.sources],
            "rules": list(self.rules),
            "certainty": self.certainty.value,
            "certainty_reasons": self.certainty_reasons(),
            "assessed_on": self.assessed_on.isoformat() if self.assessed_on else None,
            "assessed_at_visa_application": self.assessed_at_visa_application,
            "apply_before": self.apply_before.isoformat() if self.apply_before else None,
            "last_day_to_apply": self.last_day_to_apply.isoformat() if self.last_day_to_apply else None,
            "last_day_in_law": self.last_day_in_law.isoformat() if self.last_day_in_law else None,
            "moved_from_weekend": self.moved_from_weekend,
            "applying_now": self.applying_now,
            "not_applying_reason": self.not_applying_reason,
            "deadline_close": self.deadline_close,
            "alternative": self.alternative,
        }
