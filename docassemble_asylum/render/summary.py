"""The summary sheet: what the user must do, by when, and on what authority.

It is in the user's language (the letters are French). The deadline section is the same
for every procedure: last day, safe day, certainty, the reasoning step by step, the
sources and the warnings, so that a volunteer can check the computation by hand.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.deadlines.common import certainty_label
from docassemble_asylum.i18n import format_date, gettext
from docassemble_asylum.rules.schema import Certainty, Reference, RuleVersion

_OWN_MARKER = re.compile(r"(?:[☐☑✓•–-]|\d+[.)]) ")


class SourceLine(str):
    """A line of a section's sources block ("Source: …", "Rule: … — certainty: …"). The sheet
    keeps such a block together and with the line before it (``kept`` in the context), so that
    no page holds one of them alone (review F-33)."""


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)


@dataclass
class Summary:
    title: str
    subtitle: str = ""
    warnings: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footer: str = ""

    def as_context(self) -> dict:
        from docassemble_asylum.i18n import current_language
        from docassemble_asylum.render.docx import LANGUAGE_KEY

        # The sheet is in the user's language: French typography only for a French sheet.
        sheet = asdict(self) | {"page_label": gettext("page")}  # the footer's "page X / Y"
        sheet["sections"] = [_section_context(s) for s in self.sections]
        return {"summary": sheet, LANGUAGE_KEY: current_language()}

    def as_text(self) -> str:
        lines = [self.title, self.subtitle, ""]
        lines += [f"⚠ {w}" for w in self.warnings]
        for section in self.sections:
            lines += ["", section.heading]
            lines += section.paragraphs
            lines += [f"  • {b}" for b in section.bullets]
        return "\n".join(lines).strip() + "\n"


def _section_context(section: Section) -> dict:
    found = asdict(section)
    # One marker per item: an item with its own ("☐ …", "2. …") is not bulleted again.
    # A bullet followed by a sources line is kept with it: a sources block moves to the next
    # page whole, with the line it documents, rather than leaving its last line alone there.
    bullets = section.bullets
    found["bullets"] = [
        {"text": b, "own_marker": bool(_OWN_MARKER.match(b)), "kept": i + 1 < len(bullets) and isinstance(bullets[i + 1], SourceLine)}
        for i, b in enumerate(bullets)
    ]
    return found


def open_with(context: dict, section: Section) -> None:
    """Put ``section`` first in a sheet's context (``Summary.as_context()``), before its other sections."""
    context["summary"]["sections"].insert(0, _section_context(section))


def deadline_section(result: DeadlineResult, heading: str | None = None) -> Section:
    section = Section(heading or gettext("Deadline"))
    former_rule = result.additions.get("former_rule")
    if former_rule:
        # CNDA appeal after the June 2026 reform, no period read on the decision: the safe
        # day first; the one-month last day only as the former rule, labelled by the lodging day.
        from docassemble_asylum.deadlines.cnda_transition import former_rule_label

        section.paragraphs.append(gettext("Safe day (aim for this one): {date}").format(date=format_date(result.safe_day)))
        section.paragraphs.append(
            gettext("Last day under the former one-month period ({label}): {date}").format(
                label=former_rule_label(former_rule), date=format_date(result.last_day)
            )
        )
    else:
        section.paragraphs.append(gettext("Last day: {date}").format(date=format_date(result.last_day)))
        if result.safe_day != result.last_day:
            section.paragraphs.append(gettext("Safe day (aim for this one): {date}").format(date=format_date(result.safe_day)))
    section.paragraphs.append(gettext("Certainty: {label}").format(label=certainty_label(result.certainty)))
    section.paragraphs.append(gettext("How it was computed:"))
    section.bullets.extend(result.steps)
    section.bullets.extend(gettext("Warning: {text}").format(text=w) for w in result.warnings)
    section.bullets.extend(sources_lines(result.sources))
    return section


def sending_section(heading: str, address: RuleVersion, unverified: str, bullets: list[str], *, named: bool = True) -> Section:
    """Where and how to send a document: the address a rule gives on one line (its ``name``
    first when ``named``; False where its lines already name the office), ``unverified``
    under it when no official page confirms that address, then how to send (``bullets``)."""
    section = Section(heading)
    section.paragraphs.append(", ".join([address.value["name"], *address.value["lines"]] if named else address.value["lines"]))
    if address.certainty is not Certainty.verified:
        section.paragraphs.append(unverified)
    section.bullets += bullets
    return section


def sources_lines(references: list[Reference]) -> list[str]:
    return [SourceLine(gettext("Source: {title} — {url}").format(title=r.title, url=r.url)) for r in references]


def deadline_warnings(result: DeadlineResult) -> list[str]:
    """Prominent warnings for the top of the sheet when today is past a day that matters."""
    if result.passed:
        return [
            gettext("The last day ({date}) has passed. Get legal advice at once (a lawyer, an association).").format(
                date=format_date(result.last_day)
            )
        ]
    if result.safe_day_passed:
        return [
            gettext("The safe day ({date}) has passed: act today, the last day is {last}.").format(
                date=format_date(result.safe_day), last=format_date(result.last_day)
            )
        ]
    return []


def day_lines(result: DeadlineResult) -> list[str]:
    """The last day, then the safe day when it is earlier, then how sure they are when the
    summary sheet says they are not simply verified: what ``build`` prints after the files."""
    lines = [gettext("Last day: {date}").format(date=format_date(result.last_day))]
    if result.safe_day != result.last_day:
        lines.append(gettext("Safe day (aim for this one): {date}").format(date=format_date(result.safe_day)))
    return lines + caveat_lines(result)


def caveat_lines(result: DeadlineResult) -> list[str]:
    """The caveat the summary sheet gives these days when the rule behind them is uncertain
    or unverified, on the terminal too (nothing for a verified rule or a plain inference)."""
    from docassemble_asylum.rules.schema import Certainty

    if Certainty(result.certainty) not in (Certainty.uncertain, Certainty.unverified):
        return []
    return [gettext("Certainty of these days: {label}. The summary sheet explains why.").format(label=certainty_label(result.certainty))]


def footer() -> str:
    from docassemble_asylum import __version__

    return gettext(
        "Prepared with asylumdocs {version}. This sheet is help, not legal advice: check it with a lawyer or an association."
    ).format(version=__version__)
