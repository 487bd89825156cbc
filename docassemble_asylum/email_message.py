"""A ready-to-send e-mail as an ``.eml`` file, built with the standard library only.

Why a file and not sending: asylumdocs sends nothing anywhere (RULES.md §7). The user
opens the file in a mail program, checks it and sends it from the companion's mailbox.

Why deterministic: the same answers and the same ``--today`` must give the same bytes,
so a lawyer can compare two builds and the manifest's hashes mean something. The Date
header is derived from the build's day (noon UTC), the MIME boundary from a hash of the
content, and nothing reads the clock, the host name or a random source.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from email.message import EmailMessage, MIMEPart
from email.policy import SMTP
from email.utils import format_datetime

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
PDF_TYPE = ("application", "pdf")


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    maintype: str = DOCX_TYPE[0]
    subtype: str = DOCX_TYPE[1]


def message_date(day: dt.date) -> str:
    """RFC 5322 date for ``day`` at noon UTC: the build's day, whatever the clock says."""
    return format_datetime(dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.timezone.utc))


def letter_body(context: dict) -> str:
    """A letter's render context as the plain text of the e-mail that carries it, with a line
    pointing to the attached copy and the other files (``enclosures``)."""
    attached = "Vous trouverez ce courrier en pièce jointe."
    if context["enclosures"]:
        attached = "Vous trouverez en pièces jointes ce courrier et :\n" + "\n".join(f"- {line}" for line in context["enclosures"])
    parts = [context["salutation"], *context["paragraphs"], attached, context["closing"]]
    return "\n\n".join(parts) + "\n\n" + "\n".join(context["signature"]["lines"]) + "\n"


def letter_email(context: dict, *, to: str, to_name: str, sender: str | None) -> dict:
    """The fields of an ``Email`` output (``procedures/outputs.py``) that sends a letter: the
    context's ``email_subject`` as subject and the letter's text (``letter_body``) as body.
    Why one place: the letters to Ofpra sent by e-mail (interview notice, absence) share it."""
    return {"to": to, "to_name": to_name, "sender": sender or None, "subject": context["email_subject"], "body": letter_body(context)}


def typeset(subject: str, body: str, language: str = "fr") -> tuple[str, str]:
    """An e-mail's subject and body as they are sent: in French, with French typography for
    plain text (no-break spaces and ’, but no superscript and no U+2011: a number copied
    from the mail must keep its ordinary hyphen); in another language, as written."""
    if language != "fr":
        return subject, body
    from docassemble_asylum.render.typography import plain

    return plain(subject), plain(body)


def build_eml(
    *,
    to: str,
    subject: str,
    body: str,
    day: dt.date,
    attachments: list[Attachment] = (),
    sender: str | None = None,
    to_name: str | None = None,
    language: str = "fr",
) -> bytes:
    """The bytes of a MIME message (CRLF line ends), ready to open in a mail program.

    ``X-Unsent: 1`` asks mail programs that understand it (Outlook) to open the file as a
    draft to send; others open it as a message that can be edited as new. Without
    ``sender`` there is no From header: the mail program puts the account that sends it.
    """
    subject, body = typeset(subject, body, language)
    message = EmailMessage(policy=SMTP)
    message["To"] = f"{to_name} <{to}>" if to_name else to
    if sender:
        message["From"] = sender
    message["Subject"] = subject
    message["Date"] = message_date(day)
    message["X-Unsent"] = "1"
    # Quoted-printable keeps the French text readable in the raw file and 7-bit safe.
    message.set_content(body, subtype="plain", charset="utf-8", cte="quoted-printable")
    message["Content-Language"] = language  # after set_content, which clears Content-* headers
    digest = hashlib.sha256(body.encode("utf-8"))
    if attachments:
        message.make_mixed()  # the text part keeps its Content-* headers
    for item in attachments:
        # A MIMEPart, not EmailMessage.add_attachment: no stray MIME-Version inside the part.
        part = MIMEPart(policy=SMTP)
        part.set_content(item.data, maintype=item.maintype, subtype=item.subtype, filename=item.filename)
        message.attach(part)
        digest.update(item.filename.encode("utf-8") + b"\0" + item.data)
    if attachments:
        # A fixed boundary ("=_" never occurs in quoted-printable or base64 text).
        message.set_boundary(f"=_asylumdocs_{digest.hexdigest()[:32]}")
    # Headers written on one line (up to RFC 5322's 998 characters): the standard library's
    # folding of a long non-ASCII Subject can put the space between two words outside the
    # encoded words, where a reader drops it ("retard àl’entretien"); unfolded, it stays.
    return message.as_bytes(policy=SMTP.clone(max_line_length=998))
