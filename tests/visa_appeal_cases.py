"""The visa appeal that follows the bundled reunification: two members' visas refused three
days before ``today``, and what the appeal asks that the reunification does not give.

One case for the command line's tests (tests/test_visa_appeal.py, on the pinned day), the
offline docassemble tests (tests/docassemble/test_da_start_from.py) and the real server's
(tests/docassemble_live/test_live_start_from.py, on today's example).
"""

from __future__ import annotations

import datetime as dt


def reunification_with_refusals(example_text: str, today: dt.date, *, a_birth_year_alone: bool = False) -> dict:
    """The reunification example (its text as of ``today``) with Laila's and Omid's visas refused,
    notified three days before ``today``; ``a_birth_year_alone``: Omid's birth known by its year
    (a date-of-birth screen's own variables)."""
    from docassemble_asylum import yamlio

    data = yamlio.loads(example_text)
    for member in data["members"]:
        if member["given_names"] in ("Laila", "Omid"):
            member["visa_refusal_notified_on"] = (today - dt.timedelta(days=3)).isoformat()
        if a_birth_year_alone and member["given_names"] == "Omid":
            member["date_of_birth"] = member["date_of_birth"][:4]
    return data


def rest_of_the_appeal(today: dt.date) -> dict:
    """What the appeal asks that the reunification does not give: the refusal of six days
    before ``today``, one ground, signed ``today`` in Rennes."""
    return {
        "refusal": {"date": (today - dt.timedelta(days=6)).isoformat(), "reference": "TEH-2026-004512"},
        "grounds": [{"ground": "link_not_proven"}],
        "signature": {"place": "Rennes", "date": today.isoformat()},
    }
