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
    """Another route when not eligible (``regroupement_familial``)."""

    def limit(self, before: dt.date) -> dt.date:
        """The visa application must be made before ``before``; keeps the earliest limit.

        Returns the last day for this limit (the day before it).
        """
        if self.apply_before is None or before < self.apply_before:
            self.apply_before = before
            self.last_day_to_apply = before - dt.timedelta(days=1)
        return before - dt.timedelta(days=1)

    def use(self, version: RuleVersion, key: str = "") -> None:
        """Record a rule the verdict rests on: its key, its sources, and its certainty."""
        if key and key not in self.rules:
            self.rules.append(key)
        for ref in version.references:
            if ref not in self.sources:
                self.sources.append(ref)
        self.certainty = Certainty.weakest(self.certainty, version.certainty)

    def conclude(self, verdict: Verdict, msgid: str, **ctx: Any) -> None:
        """Add a reason, keeping the worst verdict seen so far."""
        self.verdict = Verdict.worst(self.verdict, verdict)
        self.reasons.append(Reason(msgid, ctx))
        if verdict is Verdict.uncertain:
            self.certainty = Certainty.weakest(self.certainty, Certainty.uncertain)

    def note(self, msgid: str, **ctx: Any) -> None:
        """A reason that does not change the verdict."""
        self.reasons.append(Reason(msgid, ctx))

    def caution(self, msgid: str, **ctx: Any) -> None:
        """Something to check or bring, shown with the verdict (and on the form if uncertain)."""
        self.cautions.append(Reason(msgid, ctx))

    @property
    def included(self) -> bool:
        """Goes into the form and the checklists (eligible, or uncertain with a caution)."""
        return self.verdict is not Verdict.not_eligible

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
            "assessed_on": self.assessed_on.isoformat() if self.assessed_on else None,
            "assessed_at_visa_application": self.assessed_at_visa_application,
            "apply_before": self.apply_before.isoformat() if self.apply_before else None,
            "last_day_to_apply": self.last_day_to_apply.isoformat() if self.last_day_to_apply else None,
            "deadline_close": self.deadline_close,
            "alternative": self.alternative,
        }
