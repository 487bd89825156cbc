"""The bundled examples as the tests pin them: each as of the day its assertions were written for.

``asylumdocs example`` moves an example's dates to the day it runs (example_dates.py);
tests that assert the examples' dates and texts load them as of a fixed day instead,
through the same function.
"""

from __future__ import annotations

import datetime as dt

EXAMPLE_DAY = {
    "cnda-appeal": dt.date(2026, 4, 28),
    "cnda-legal-aid": dt.date(2026, 3, 5),
    "interview-notice": dt.date(2026, 3, 6),
    "interview-absence": dt.date(2026, 4, 8),
    "reexamination": dt.date(2026, 3, 6),
    "reunification": dt.date(2026, 11, 23),
    "visa-appeal": dt.date(2026, 12, 4),
    "bureau-letter": dt.date(2026, 12, 4),
    "visa-tribunal": dt.date(2026, 12, 4),
}


def pinned_example_text(procedure: str) -> str:
    """The example of ``procedure`` as of ``EXAMPLE_DAY[procedure]``."""
    from docassemble_asylum.procedures import get

    return get(procedure).example_text(EXAMPLE_DAY[procedure])
