"""The one form of a part left to complete in a draft: "[À compléter]" or "[À compléter : what]".

A procedure writes a placeholder with ``placeholder()`` wherever the answers leave
something out (a ground with no text, a signature block). Every placeholder of a rendered
DOCX is highlighted by ``render/docx_highlight.py``, whatever the document, so that a
draft with a part left to complete cannot be filed by mistake; the procedure also lists
those parts for the user (``procedures/unfinished.py``).
"""

from __future__ import annotations

import re

# The space after "À" may have become a no-break space in the typographic layer, and the
# text after the colon may hold any character except the closing bracket.
PLACEHOLDER = re.compile(r"\[À[ \u00a0\u202f]compléter[^\]]*\]")


def placeholder(what: str = "") -> str:
    """``[À compléter]``, or ``[À compléter : what]`` saying what is missing (French, for the letters)."""
    return f"[À compléter : {what}]" if what else "[À compléter]"


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    """Where the placeholders are in ``text``: (start, end) of each, in order."""
    return [match.span() for match in PLACEHOLDER.finditer(text)]
