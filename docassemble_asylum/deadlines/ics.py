"""A deadline as an iCalendar event (RFC 5545), for the user's own calendar.

One all-day event on the safe day, with reminders (VALARM) 3 days and 1 day before; the
summary and description (in the user's language) give the last day, the certainty, the
reasoning and the sources. The event carries dates only, never a name or a file number.
The output is reproducible: UID and DTSTAMP derive from the deadline, not from the clock.

    from docassemble_asylum.deadlines.ics import event_bytes, write_ics
    write_ics(Path("cnda.ics"), result)      # file mode 0600
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from docassemble_asylum.deadlines.common import N_, _, certainty_label
from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.i18n import format_date

ALARM_DAYS_BEFORE = (3, 1)

PRODID = "-//asylumdocs//deadline//EN"  # also how an event written by asylumdocs is recognised

TITLES = {
    "cnda_appeal": N_("Appeal to the CNDA"),
    "reexamination": N_("Re-examination request to Ofpra"),
    "interview_notice": N_("Notice to Ofpra (lawyer or association at the interview)"),
    "cnda_legal_aid": N_("Legal-aid request to the CNDA"),
    "visa_appeal": N_("Appeal against a visa refusal (commission)"),
    "visa_tribunal": N_("Application to the administrative court against a visa refusal"),
}


def title(kind: str) -> str:
    return _(TITLES[kind]) if kind in TITLES else kind


def event_bytes(result: DeadlineResult) -> bytes:
    from icalendar import Alarm, Calendar, Event

    name = title(result.kind)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    event = Event()
    identity = f"{result.kind}|{result.last_day.isoformat()}|{result.safe_day.isoformat()}"
    event.add("uid", hashlib.sha256(identity.encode()).hexdigest()[:32] + "@asylumdocs")
    stamp_day = result.today or result.safe_day
    event.add("dtstamp", dt.datetime(stamp_day.year, stamp_day.month, stamp_day.day, tzinfo=dt.timezone.utc))
    event.add("dtstart", result.safe_day)
    event.add("dtend", result.safe_day + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add(
        "summary",
        _("{title}: safe day (last day {last})").format(title=name, last=format_date(result.last_day)),
    )
    lines = [
        _("Safe day: {date}").format(date=format_date(result.safe_day)),
        _("Last day: {date}").format(date=format_date(result.last_day)),
        _("Certainty: {label}").format(label=certainty_label(result.certainty)),
        "",
        *result.warnings,
        "",
        _("How it was computed:"),
        *(f"- {step}" for step in result.steps),
        "",
        _("Sources:"),
        *(f"- {ref.title} — {ref.url}" for ref in result.sources),
    ]
    event.add("description", "\n".join(lines))
    for days in ALARM_DAYS_BEFORE:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", dt.timedelta(days=-days))
        alarm.add("description", _("{title}: safe day {date}").format(title=name, date=format_date(result.safe_day)))
        event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical()


def write_ics(path: Path, result: DeadlineResult) -> Path:
    """Write the event to ``path`` (created, or replacing an event asylumdocs wrote, mode
    0600, all at once); a UserError if impossible.

    Any other existing file is refused: ``--ics answers.yaml`` (a slip of the keyboard)
    must not destroy a case file, nor a whole calendar exported by another program. A
    symbolic link (even dangling) is not followed and a FIFO or device is not opened:
    both are refused (output.write_file).
    """
    from docassemble_asylum.errors import UserError
    from docassemble_asylum.output import write_file
    from docassemble_asylum.safe_files import NotRegularFile, describe_non_regular, open_regular

    path = Path(path)
    replace = False
    if os.path.lexists(path):
        try:
            fd = open_regular(path)
        except NotRegularFile:
            if os.path.isdir(path) and not os.path.islink(path):
                raise UserError(_("{path} is a folder: give a file name for the calendar event.").format(path=path)) from None
            raise UserError(describe_non_regular(path)) from None
        except OSError:
            fd = None  # unreadable: refused rather than replaced
        replace = fd is not None and _written_by_us(fd)
        if not replace:
            raise UserError(
                _("{path} exists and is not a calendar event written by asylumdocs: give another file name (nothing was written).").format(
                    path=path
                )
            )
    write_file(path, event_bytes(result), replace=replace)
    return path


def _written_by_us(fd: int) -> bool:
    """The file open on ``fd`` (closed here) is an event this tool wrote."""
    try:
        with os.fdopen(fd, "rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    return head.startswith(b"BEGIN:VCALENDAR") and PRODID.encode() in head
