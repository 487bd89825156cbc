"""How the documents reach the person: as files written by the command line, or on a server's screen.

The command line writes every file, the ready-to-send ``.eml`` included. A docassemble server
offers the documents on its documents screen and shows there the e-mail's address, subject and
text, without an ``.eml``: docassemble assembles documents from templates, and a ready-made
file would need the server's own file storage. The summary sheet says how to send the e-mail
either way: one template, one wording switch (``emails_as_files``), which the docassemble glue
sets (``on_server``) while it builds a document's context.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_ON_SERVER: ContextVar[bool] = ContextVar("asylumdocs_on_server", default=False)


@contextmanager
def on_server() -> Iterator[None]:
    """Documents built inside are offered by a docassemble server (no ``.eml`` file)."""
    token = _ON_SERVER.set(True)
    try:
        yield
    finally:
        _ON_SERVER.reset(token)


def emails_as_files() -> bool:
    """Whether the e-mails are written as ``.eml`` files next to the documents (the command line)."""
    return not _ON_SERVER.get()
