"""What every French letter says about its sender: one source for the identity block.

The CNDA appeal, the re-examination request and the other letters show the same facts
about the person the same way (names in capitals, "née le … à …", the address on lines);
building them here keeps the letters consistent with each other.
"""

from __future__ import annotations

from docassemble_asylum.models.common import Address, Person
from docassemble_asylum.render.filters import date_fr


def agree(sex: str | None, female: str, male: str, neutral: str) -> str:
    """French agreement with the person's sex; ``neutral`` must be a real wording, never
    "(e)" (render/french.py holds the shared ones)."""
    return {"female": female, "male": male}.get(sex or "", neutral)


def identity(person: Person, address: Address, phone: str = "", email: str = "") -> dict:
    return {
        "full_name": person.full_name,
        "family_name": person.family_name.upper(),
        "given_names": person.given_names,
        "other_names": ", ".join(person.other_names) or "néant",
        "birth": f"{date_fr(person.date_of_birth)} à {person.place_of_birth}",
        "nationality": person.nationality,
        "address_lines": address.lines,
        "address_inline": ", ".join(address.lines),
        "contact": " — ".join(x for x in (phone, email) if x),
        "sex": person.sex,  # for the agreement filters: {{ "du requérant"|agree(applicant.sex) }}
    }
