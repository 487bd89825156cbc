"""The last day to appeal to the CNDA against an Ofpra decision (RULES.md §0 and §2).

Python API (what the CLI and the CNDA appeal builder call)::

    from docassemble_asylum.deadlines import cnda

    result = cnda.compute(cnda.CndaInputs(notified=date(2026, 3, 2), today=date(2026, 3, 10)))
    result.last_day, result.safe_day, result.certainty, result.steps, result.sources

    problems = cnda.check_inputs(inputs)          # [InputProblem(field, msgid, ctx)], never raises
    cnda.compute(inputs, labels={"notified": "--notified", ...})
        # raises DeadlineInputError (a UserError) listing the problems, named through labels

``CndaInputs`` takes exactly one way the decision was notified:

- ``notified``: the registered letter was received that day;
- ``uncollected_notice``: the letter was not collected; the date of the avis de passage;
- ``posted_online`` (with ``first_read`` if it was read): Ofpra online account (R.531-17).

and optionally ``legal_aid_requested`` / ``legal_aid_decision_notified`` (art. 9-4 loi
91-647; a request without a decision yet is accepted here: the period is suspended and
the result assumes the decision is notified today — the CLI requires both dates),
``overseas`` (+1 month, unverified), ``procedure`` (normal | accelerated |
inadmissibility | implicit_withdrawal | reexamination_rejected: only used after the June
2026 reform and for removal), ``stated_period`` (the period printed on the decision, e.g.
"15 days", "1 mois"), ``application_lodged`` (the day the asylum application was lodged;
None when unknown: see ``cnda_transition``) and ``today``.

The computation (every value read from the rule data, ``rulebook()[key].at(N)``):

1. N, the notification date. Online: the first reading if within 15 days of posting,
   else posting + 15 days; the posting + 14 reading is computed too (uncertain).
2. E = N + period (1 month de quantième à quantième, or the stated period; + 1 month
   overseas).
3. A legal-aid request within 15 days of N (not a délai franc) suspends the period: the
   time remaining from the request to E runs again from the notification of the
   legal-aid decision. Readings one day apart are computed (the method is uncertain).
4. Délai franc: L = E + 1 day; then forward over Saturdays, Sundays and holidays.
5. Notified on or after the reform date (cnda.reform_2026) without a stated period: the
   last day keeps this computation (unverified) and the safe day is N + the shortest
   period the EU regulation allows for the kind of decision, moved to the previous
   working day — from each reading of N (online: posting + 14 days as well).
6. The lodging day of the application labels the pre-reform last day (``former_rule``)
   and tells whether the appeal may leave the person without protection from removal
   (``non_suspensive``; art. 68(3) cases make the result unverified). Both are JSON
   additions (``DeadlineResult.additions``): no existing key changes meaning.

``last_day`` is the main reading; ``safe_day`` the earliest of every reading. The last
day is the last day to SEND the appeal (rule ``cnda.date_that_counts``: the court counts the
sending date): the result always says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from docassemble_asylum import french_calendar as cal
from docassemble_asylum.deadlines import cnda_transition
from docassemble_asylum.deadlines.common import (
    N_,
    DeadlineInputError,
    InputProblem,
    Period,
    Trace,
    _,
    future_problems,
    join_dates,
    ngettext,
    optional_version,
    parse_period,
    rule_version,
    today_warnings,
)
from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.i18n import format_date
from docassemble_asylum.rules.schema import Certainty

KIND = "cnda_appeal"
PROCEDURES = ("normal", "accelerated", "inadmissibility", "implicit_withdrawal", "reexamination_rejected")
"""The kinds of Ofpra decision. ``reexamination_rejected``: a re-examination request examined
and rejected on the merits (a "subsequent application", Reg. 2024/1348 art. 55-56). Its safe
day uses the 5-day floor of art. 67(7)(a), not 14 days: a subsequent application that is not
inadmissible is a circumstance of the accelerated procedure, and art. 68(3)(d) lists its
rejection with the non-suspensive cases; RULES.md §0.1 keeps the shorter range whenever the
text is open (the value is read from ``cnda.reform_2026``)."""
NOTIFICATION_FIELDS = ("notified", "posted_online", "uncollected_notice")


@dataclass(frozen=True)
class CndaInputs:
    notified: dt.date | None = None
    uncollected_notice: dt.date | None = None
    posted_online: dt.date | None = None
    first_read: dt.date | None = None
    legal_aid_requested: dt.date | None = None
    legal_aid_decision_notified: dt.date | None = None
    overseas: bool = False
    procedure: str = "normal"
    stated_period: str | None = None
    today: dt.date | None = None
    application_lodged: dt.date | None = None


def check_inputs(inputs: CndaInputs, *, require_legal_aid_decision: bool = False) -> list[InputProblem]:
    """Every inconsistency of ``inputs``, located at an input (see ``InputProblem``).

    A message names the inputs it is about (through the caller's labels: the options of
    ``deadline cnda``), never the value of another one: each input is named, not quoted.

    Checked: one and only one way of notification; ``first_read`` only with
    ``posted_online`` and not before it; the legal-aid decision not before the request,
    the request not before the decision reached the applicant; no date after ``today``;
    the kind of decision; a stated period that can be read.
    """
    problems: list[InputProblem] = []
    given = [name for name in NOTIFICATION_FIELDS if getattr(inputs, name) is not None]
    if not given:
        problems.append(
            InputProblem(
                "notified",
                N_("the notification date is missing: give {a}, {b} or {c}."),
                {"a": "notified", "b": "posted_online", "c": "uncollected_notice"},
            )
        )
    for other in given[1:]:
        problems.append(
            InputProblem(
                other,
                N_("{a} and {b} cannot be used together: the decision was notified in one way only."),
                {"a": given[0], "b": other},
            )
        )
    if inputs.first_read is not None:
        if inputs.posted_online is None:
            problems.append(
                InputProblem(
                    "first_read",
                    N_("{a} only goes with {b} (a decision posted in the Ofpra online account)."),
                    {"a": "first_read", "b": "posted_online"},
                )
            )
        elif inputs.first_read < inputs.posted_online:
            problems.append(
                InputProblem(
                    "first_read",
                    N_("{a} cannot be earlier than {b}: the decision cannot have been read before it was posted online."),
                    {"a": "first_read", "b": "posted_online"},
                )
            )
    requested, decided = inputs.legal_aid_requested, inputs.legal_aid_decision_notified
    if decided is not None and requested is None:
        problems.append(
            InputProblem(
                "legal_aid_decision_notified",
                N_("{a} needs {b}: the date legal aid was requested."),
                {"a": "legal_aid_decision_notified", "b": "legal_aid_requested"},
            )
        )
    if requested is not None and decided is None and require_legal_aid_decision:
        problems.append(
            InputProblem(
                "legal_aid_requested",
                N_(
                    "{a} and {b} go together: give both. While the legal-aid decision has not been notified, "
                    "the appeal period is suspended."
                ),
                {"a": "legal_aid_requested", "b": "legal_aid_decision_notified"},
            )
        )
    if requested is not None and decided is not None and decided < requested:
        problems.append(
            InputProblem(
                "legal_aid_decision_notified",
                N_("{a} cannot be earlier than {b}: the legal-aid decision cannot have been notified before legal aid was requested."),
                {"a": "legal_aid_decision_notified", "b": "legal_aid_requested"},
            )
        )
    reached = getattr(inputs, given[0]) if len(given) == 1 else None
    if requested is not None and reached is not None and requested < reached:
        problems.append(
            InputProblem(
                "legal_aid_requested",
                N_("{a} cannot be earlier than {b}: legal aid for the appeal cannot be requested before the Ofpra decision was notified."),
                {"a": "legal_aid_requested", "b": given[0]},
            )
        )
    if inputs.application_lodged is not None and reached is not None and len(given) == 1 and inputs.application_lodged > reached:
        problems.append(
            InputProblem(
                "application_lodged",
                N_("the asylum application cannot have been lodged after the Ofpra decision reached the applicant ({date})."),
                {"date": reached},
            )
        )
    dates = {
        name: getattr(inputs, name)
        for name in (*NOTIFICATION_FIELDS, "first_read", "legal_aid_requested", "legal_aid_decision_notified", "application_lodged")
    }
    problems += future_problems(dates, inputs.today)
    if inputs.procedure not in PROCEDURES:
        problems.append(InputProblem("procedure", N_("choose one of: {choices}."), {"choices": ", ".join(PROCEDURES)}))
    if inputs.stated_period:
        try:
            parse_period(inputs.stated_period)
        except ValueError:
            problems.append(
                InputProblem(
                    "stated_period",
                    N_("write the period printed on the decision as a number and a unit, for example “1 month” or “15 days”."),
                )
            )
    return problems


def read_notification(inputs: CndaInputs, labels: Mapping[str, str] | None = None) -> tuple[Trace, dt.date, dt.date, bool]:
    """The notification date alone, as the appeal computes it (step 1), for the legal-aid request.

    Returns the trace with its steps, the main reading of N, the alternative reading
    (posting + 14 days online; else N again) and whether N was read from an online
    posting. The inputs must have passed ``check_inputs``.
    """
    computation = _Computation(inputs, labels)
    computation.online = None
    main, alternative = computation.notification()
    return computation.trace, main, alternative, computation.online is not None


def compute(inputs: CndaInputs, labels: Mapping[str, str] | None = None) -> DeadlineResult:
    """The CNDA appeal deadline; ``DeadlineInputError`` (a ``UserError``) if the inputs are inconsistent."""
    problems = check_inputs(inputs)
    if problems:
        raise DeadlineInputError(problems, labels)
    return _Computation(inputs, labels).run()


@dataclass(frozen=True)
class _Aid:
    """The legal-aid facts once read against the rule: when the period runs again."""

    requested: dt.date
    restart: dt.date
    pending: bool
    request_days: int
    offsets: tuple[int, ...]


class _Computation:
    def __init__(self, inputs: CndaInputs, labels: Mapping[str, str] | None):
        self.inputs = inputs
        self.labels = labels
        self.trace = Trace()
        self.notification_field = next(name for name in NOTIFICATION_FIELDS if getattr(inputs, name) is not None)

    # -- 1. notification ------------------------------------------------------------------

    def notification(self) -> tuple[dt.date, dt.date]:
        """(main reading of N, alternative reading of N); the same day unless online and unread."""
        t, i = self.trace, self.inputs
        if i.notified is not None:
            t.step(_("Notification: the registered letter was received on {date}.").format(date=format_date(i.notified)))
            return i.notified, i.notified
        if i.uncollected_notice is not None:
            t.step(
                _(
                    "Notification: the registered letter was not collected; the date of the postal notice "
                    "(avis de passage) counts: {date}."
                ).format(date=format_date(i.uncollected_notice))
            )
            return i.uncollected_notice, i.uncollected_notice
        posted = i.posted_online
        version = rule_version("cnda.online_notification", posted, "posted_online", self.labels)
        self.online = version
        t.cite(version)
        days, alt_days = int(version.value["days"]), int(version.value["alternative_days"])
        deemed, deemed_alt = cal.days_after(posted, days), cal.days_after(posted, alt_days)
        t.step(_("The decision was posted in the Ofpra online account on {date}.").format(date=format_date(posted)))
        if i.first_read is not None and i.first_read <= deemed:
            t.step(
                _("First read on {date}, within {days} days of posting: the decision was notified that day — {article}.").format(
                    date=format_date(i.first_read), days=days, article=version.caption
                )
            )
            main = i.first_read
        else:
            if i.first_read is not None:
                t.step(
                    _("First read on {date}, after the {days} days following posting: that reading changes nothing.").format(
                        date=format_date(i.first_read), days=days
                    )
                )
            else:
                t.step(_("The decision was never read online."))
            t.step(
                _("Deemed notified at the end of {days} days after posting — {article}: {start} + {days} days = {date}.").format(
                    days=days, article=version.caption, start=format_date(posted), date=format_date(deemed)
                )
            )
            main = deemed
        alternative = i.first_read if i.first_read is not None and i.first_read <= deemed_alt else deemed_alt
        return main, alternative

    # -- 2. period ------------------------------------------------------------------------

    def period(self, notified: dt.date) -> tuple[Period, Period | None]:
        """(the period, the overseas extension or None)."""
        t, i = self.trace, self.inputs
        base = rule_version("cnda.appeal_period", notified, self.notification_field, self.labels)
        if i.stated_period:
            period = parse_period(i.stated_period)
            t.cite(base)
            t.certainties.append(Certainty.inference)
            t.step(
                _(
                    "Period printed on the decision: {period}, computed like the former period "
                    "(délai franc, then the next working day)."
                ).format(period=period.describe())
            )
        else:
            t.use(base)
            period = Period.from_value(base.value)
            t.step(_("Period: {period} from the notification — {article}.").format(period=period.describe(), article=base.caption))
        extension = None
        if i.overseas:
            version = t.use(rule_version("cnda.overseas_extension", notified, self.notification_field, self.labels))
            extension = Period.from_value(version.value)
            t.step(
                _("Lives overseas: + {period} (not confirmed: {article}).").format(
                    period=extension.describe(), article=version.caption
                )
            )
            t.warn(
                _(
                    "The overseas extension is not confirmed (the current article was not found; Guyane may be "
                    "excluded): the safe day does not count on it."
                )
            )
            if i.stated_period:
                t.warn(_("Check whether the period printed on the decision already includes the overseas extension."))
        return period, extension

    # -- 3. legal aid ---------------------------------------------------------------------

    def legal_aid(self, notified: dt.date, expiry: dt.date, *, write: bool) -> _Aid | None:
        """The suspension, if the request suspends the period that starts on ``notified``."""
        t, i = self.trace, self.inputs
        requested = i.legal_aid_requested
        if requested is None:
            return None
        version = rule_version("cnda.legal_aid", notified, "legal_aid_requested", self.labels)
        request_days = int(version.value["request_days"])
        limit = cal.days_after(notified, request_days)
        if write:
            t.cite(version)
        if requested > limit:
            if write:
                t.step(
                    _(
                        "Legal aid requested on {date}, after the {days} days following the notification (last day {limit}, "
                        "not a délai franc): the request does not suspend the appeal period."
                    ).format(date=format_date(requested), days=request_days, limit=format_date(limit))
                )
                t.warn(
                    _(
                        "The legal-aid request was made after the {days} days following the notification: it does not "
                        "suspend the appeal period. The appeal must be sent by the last day shown."
                    ).format(days=request_days)
                )
            self.aid_status = "late"
            return None
        if requested > expiry:
            if write:
                t.warn(
                    _("Legal aid was requested on {date}, after the appeal period had ended: it does not suspend it.").format(
                        date=format_date(requested)
                    )
                )
            self.aid_status = "late"
            return None
        decided = i.legal_aid_decision_notified
        pending = decided is None
        restart = decided if decided is not None else max(requested, i.today or requested)
        if write:
            t.use(version)
            t.step(
                _(
                    "Legal aid requested on {date}, within {days} days of the notification (by {limit}): "
                    "the appeal period is suspended — {article}."
                ).format(date=format_date(requested), days=request_days, limit=format_date(limit), article=version.caption)
            )
            if pending:
                t.warn(
                    _(
                        "Legal aid was requested and its decision has not been notified yet: the appeal period is "
                        "suspended. The dates shown assume the decision is notified on {date}; the real last day will "
                        "be later. Compute again once the decision is notified."
                    ).format(date=format_date(restart))
                )
        self.aid_status = "pending" if pending else "suspended"
        offsets = tuple(sorted(int(x) for x in version.value["remaining_time_readings"]))
        return _Aid(requested, restart, pending, request_days, offsets)

    # -- the chain N -> last day ----------------------------------------------------------

    def last_day(self, notified: dt.date, period: Period, offset: int = 0, *, write: bool = False) -> dt.date:
        t = self.trace
        expiry = period.after(notified)
        if write:
            if period.months:
                t.step(
                    _("{start} + {period} = {end} (months run “de quantième à quantième”: to the same day number).").format(
                        start=format_date(notified), period=period.describe(), end=format_date(expiry)
                    )
                )
                if cal.add_months(notified, period.months).day != notified.day:
                    t.step(
                        _("Day {day} does not exist in that month: the period expires on the last day of the month.").format(
                            day=notified.day
                        )
                    )
            else:
                t.step(
                    _("{start} + {period} = {end} (the day of notification does not count).").format(
                        start=format_date(notified), period=period.describe(), end=format_date(expiry)
                    )
                )
        aid = self.legal_aid(notified, expiry, write=write)
        if aid is not None:
            # A request before the (deemed) notification: the whole period remains.
            suspended_on = max(aid.requested, notified)
            remaining = (expiry - suspended_on).days
            restarted = cal.days_after(aid.restart, remaining)
            if write:
                t.step(
                    ngettext(
                        "Time remaining when legal aid was requested: {n} day (from {start} to the expiry on {end}).",
                        "Time remaining when legal aid was requested: {n} days (from {start} to the expiry on {end}).",
                        remaining,
                    ).format(n=remaining, start=format_date(suspended_on), end=format_date(expiry))
                )
                text = (
                    _("Assuming the legal-aid decision is notified on {date}: {date} + {n} days = {end}.")
                    if aid.pending
                    else _("It runs again from the notification of the legal-aid decision on {date}: {date} + {n} days = {end}.")
                )
                t.step(text.format(date=format_date(aid.restart), n=remaining, end=format_date(restarted)))
            expiry = restarted
        else:
            offset = 0
        last = cal.franc_last_day(expiry) + dt.timedelta(days=offset)
        if not write:
            return cal.roll_forward(last)
        t.step(
            _("Délai franc: the day of expiry does not count either, so the last day is the next day: {date}.").format(
                date=format_date(last)
            )
        )
        return t.roll(last)

    def readings(self, notified: dt.date, period: Period) -> list[dt.date]:
        """The last day under every reading of the legal-aid remaining time."""
        aid = self.legal_aid(notified, period.after(notified), write=False)
        offsets = aid.offsets if aid is not None else (0,)
        return [self.last_day(notified, period, offset) for offset in offsets]

    # -- 5. reform ------------------------------------------------------------------------

    def reform_safe_day(self, notified: dt.date, version, *, alternative: bool = False) -> dt.date:
        """The shortest period the EU regulation allows, from ``notified``.

        ``alternative``: ``notified`` is the posting + 14 days reading of an online
        notification; the safe day must not ignore it (it is one day earlier).
        """
        t, i = self.trace, self.inputs
        days = int(version.value["minimum_days"][i.procedure])
        end = cal.days_after(notified, days)
        if alternative:
            t.step(
                _(
                    "Read as posting + {alt} days (notification on {start}), the shortest period gives: "
                    "{start} + {days} days = {end}."
                ).format(alt=self.online.value["alternative_days"], start=format_date(notified), days=days, end=format_date(end))
            )
        else:
            t.step(
                _(
                    "Notified on or after {reform} (reform of June 2026): the French period was not found. For this kind of "
                    "decision the EU regulation allows a period as short as {days} days: {start} + {days} days = {end}."
                ).format(reform=format_date(version.effective_from), days=days, start=format_date(notified), end=format_date(end))
            )
        aid = self.legal_aid(notified, cal.days_after(notified, days), write=False)
        if aid is not None:
            remaining = (end - max(aid.requested, notified)).days
            end = cal.days_after(aid.restart, remaining)
            t.step(
                _("With the legal-aid suspension: {date} + {n} days = {end}.").format(
                    date=format_date(aid.restart), n=remaining, end=format_date(end)
                )
            )
        return t.roll(end, backwards=True)

    # -- everything -----------------------------------------------------------------------

    def run(self) -> DeadlineResult:
        t, i = self.trace, self.inputs
        self.aid_status = "none"
        self.online = None
        notified, notified_alt = self.notification()
        period, extension = self.period(notified)
        full = period + extension if extension is not None else period
        last = self.last_day(notified, full, write=True)
        aid_status = self.aid_status
        candidates = [last]

        main_readings = self.readings(notified, full)
        if len(set(main_readings)) > 1:
            t.step(
                _(
                    "Depending on how the remaining time is counted (give or take a day), the last day would be one of: "
                    "{dates}. The last day shown ({last}) is the main reading; the safe day ({earliest}) is the earliest. "
                    "To check with the lawyer or the legal-aid office (BAJ)."
                ).format(dates=join_dates(main_readings), last=format_date(last), earliest=format_date(min(main_readings)))
            )
        candidates += main_readings

        if notified_alt != notified and self.online is not None:
            alternative = self.readings(notified_alt, full)
            alt_days = int(self.online.value["alternative_days"])
            if min(alternative) != min(main_readings) or max(alternative) != max(main_readings):
                t.use(self.online)
                t.step(
                    _(
                        "Counting the {days} days after posting is uncertain: read as posting + {alt} days, the "
                        "notification is on {date} and the last day {last}."
                    ).format(
                        days=self.online.value["days"],
                        alt=alt_days,
                        date=format_date(notified_alt),
                        last=format_date(self.last_day(notified_alt, full)),
                    )
                )
            else:
                t.step(
                    _("Read as posting + {alt} days (notification on {date}), the last day is the same.").format(
                        alt=alt_days, date=format_date(notified_alt)
                    )
                )
            candidates += alternative

        if extension is not None:
            without = self.readings(notified, period) + self.readings(notified_alt, period)
            t.step(
                _("Without the overseas month (not confirmed), the last day would be {date}.").format(
                    date=format_date(self.last_day(notified, period))
                )
            )
            candidates += without

        former_rule = None
        reform = optional_version("cnda.reform_2026", notified)
        if reform is not None:
            if i.stated_period:
                t.cite(reform)
                t.step(
                    _("Notified on or after {reform} (reform of June 2026): the period printed on the decision is used.").format(
                        reform=format_date(reform.effective_from)
                    )
                )
            else:
                t.use(reform)
                candidates.append(self.reform_safe_day(notified, reform))
                if notified_alt != notified and self.online is not None:
                    candidates.append(self.reform_safe_day(notified_alt, reform, alternative=True))
                t.warn(
                    _(
                        "Decision notified on or after {reform}: the appeal period changed with the reform of June 2026 "
                        "and the new French period was not found (unverified). It may be shorter than one month. Read "
                        "the period printed in the “voies et délais de recours” section of the decision and enter it "
                        "({where}); until then, aim for the safe day."
                    ).format(reform=format_date(reform.effective_from), where=(self.labels or {}).get("stated_period", "--stated-period"))
                )
                former_rule = self.former_rule(notified)

        removal_from = min(notified, notified_alt)
        removal = self.removal(removal_from)

        safe = min(candidates)
        if safe != last:
            t.step(_("Safe day (the earliest reading): {date}.").format(date=format_date(safe)))

        address = t.cite(rule_version("cnda.address", notified, self.notification_field, self.labels)).value
        counts = t.cite(rule_version("cnda.date_that_counts", notified, self.notification_field, self.labels)).value["counts"]
        where = {"fax": address["fax"], "address": ", ".join([address["name"], *address["lines"]])}
        if counts == "sending":
            t.warn(
                _(
                    "The last day is the last day to SEND the appeal: the court counts the date it was sent. Keep the "
                    "proof of sending: the receipt of the registered letter (with acknowledgement of receipt), the fax "
                    "transmission report (fax {fax}; a faxed appeal must be signed by the hearing at the latest), or the "
                    "receipt of a filing in person at {address}. Older guidance counted the day the appeal arrived: send "
                    "it several days before if you can, but never give up on the last day."
                ).format(**where)
            )
        else:
            t.warn(
                _(
                    "The last day is the day the appeal must REACH the court, not the day it is sent: allow for postal "
                    "transit (registered letter with acknowledgement of receipt, sent several days before), or send it by "
                    "fax to {fax} (keep the transmission report), or file it in person: {address}."
                ).format(**where)
            )
        result = t.result(
            KIND,
            last,
            safe,
            i.today,
            notified=notified.isoformat(),
            procedure=i.procedure,
            legal_aid=aid_status,
            reform="yes" if reform is not None else "no",
            # The notification reading the removal warnings count from (the earliest).
            removal_from=removal_from.isoformat(),
        )
        result.additions = {
            "application_lodged": i.application_lodged.isoformat() if i.application_lodged else None,
            "former_rule": former_rule,
            "former_rule_last_day": last.isoformat() if former_rule else None,
            "non_suspensive": removal.reading if removal else None,
            "stay_request_day": removal.stay_request_day.isoformat() if removal and removal.stay_request_day else None,
        }
        today_warnings(result)
        return result

    # -- 6. the lodging day: transition rule and removal ---------------------------------

    def former_rule(self, notified: dt.date) -> str:
        """How the pre-reform last day reads given the lodging day (a ``cnda_transition.FORMER_RULE`` value)."""
        t, i = self.trace, self.inputs
        t.cite(cnda_transition.transition_version())
        where = cnda_transition.placement(i.application_lodged, notified)
        start = format_date(cnda_transition.lodged_from())
        if where == cnda_transition.BEFORE and i.application_lodged is None:
            t.step(
                _(
                    "Notified before {start}: the asylum application was lodged before that day, so under the transition "
                    "rule of the EU regulation (art. 79(3)) the former period of one month may still apply to it; whether "
                    "France kept it was not found. Both readings are shown and the safe day is the earliest."
                ).format(start=start)
            )
        elif where == cnda_transition.BEFORE:
            t.step(
                _(
                    "The asylum application was lodged on {date}, before {start}: under the transition rule of the EU "
                    "regulation (art. 79(3)) the former period of one month may still apply to it; whether France kept "
                    "it was not found. Both readings are shown and the safe day is the earliest."
                ).format(date=format_date(i.application_lodged), start=start)
            )
        elif where == cnda_transition.FROM:
            t.step(
                _(
                    "The asylum application was lodged on {date}, on or after {start}: the EU regulation governs it, "
                    "so the former period of one month is probably not applicable; the French period was not found."
                ).format(date=format_date(i.application_lodged), start=start)
            )
        else:
            t.step(
                _(
                    "The day the asylum application was lodged is not known: if before {start}, the former period of "
                    "one month may still apply (transition rule, art. 79(3) of the EU regulation); if on or after, the "
                    "EU regulation applies for sure. Both readings are shown and the safe day is the earliest."
                ).format(start=start)
            )
        return cnda_transition.FORMER_RULE[where]

    def removal(self, notified: dt.date):
        """The appeal may not protect against removal (``cnda_transition.NonSuspensive``), or None."""
        t, i = self.trace, self.inputs
        found = cnda_transition.non_suspensive(i.procedure, i.application_lodged, notified)
        if found is None:
            return None
        for version in found.versions:
            # The Regulation's cases make the result unverified (the French request was not found).
            t.use(version, certainty=version.value["regime"] == "art_68_3")
        for text in cnda_transition.non_suspensive_warnings(found):
            t.warn(text)
        return found
