"""What every deadline computation returns: a public contract (see ``asylumdocs deadline --json``).

``last_day`` is the legal last day under the main reading; ``safe_day`` the earliest of
the plausible readings (or the working day to aim for). When a rule is uncertain the two
differ and ``certainty`` says so: the product never pretends to be surer than the law.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from docassemble_asylum.rules.schema import Certainty, Reference


@dataclass
class DeadlineResult:
    kind: str
    last_day: dt.date
    safe_day: dt.date
    certainty: Certainty
    steps: list[str] = field(default_factory=list)
    sources: list[Reference] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    today: dt.date | None = None
    # Extra facts for the summary sheets (e.g. the trigger date), never needed by the JSON contract.
    details: dict[str, str] = field(default_factory=dict)
    # Keys added to the JSON contract after it was published (e.g. the CNDA appeal's
    # "former_rule", "non_suspensive"): never one of the keys above, whose meaning is fixed.
    additions: dict[str, object] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """The legal last day is over (``today`` given and after it)."""
        return self.today is not None and self.today > self.last_day

    @property
    def safe_day_passed(self) -> bool:
        return self.today is not None and self.today > self.safe_day

    def add_sources(self, references) -> None:
        for ref in references:
            if ref not in self.sources:
                self.sources.append(ref)

    def to_json(self) -> dict:
        body = {
            "kind": self.kind,
            "last_day": self.last_day.isoformat(),
            "safe_day": self.safe_day.isoformat(),
            "certainty": self.certainty.value,
            "steps": list(self.steps),
            "sources": [{"title": r.title, "url": r.url} for r in self.sources],
            "warnings": list(self.warnings),
            "today": self.today.isoformat() if self.today else None,
            "passed": self.passed,
            "safe_day_passed": self.safe_day_passed,
        }
        clash = set(body) & set(self.additions)
        if clash:
            raise ValueError(f"additions cannot redefine the published keys {sorted(clash)}")
        return {**body, **self.additions}
