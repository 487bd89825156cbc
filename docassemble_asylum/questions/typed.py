"""What a person types at a terminal prompt -> the value handed to the field's validator.

A volunteer types what is natural to them: the number shown before a choice, the choice's
label as shown in their language (with or without accents, in any case: "féminin",
"Feminin"), or its stable keyword (``female``, the value an answers file holds); "oui",
"o", "yes", "y" for yes. A bare "1" or "0" is not yes or no: next to numbered choices it
is too easily a slip. The same words are read by the terminal runner for every question.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from docassemble_asylum.questions import gettext as _

YES = frozenset({"oui", "o", "yes", "y"})
NO = frozenset({"non", "n", "no"})
END_OF_TEXT = "."


def folded(text: str) -> str:
    """``text`` without accents, case or repeated spaces: "  Féminin " -> "feminin"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", bare).strip().casefold().replace("’", "'")


def yes_no(text: str) -> bool | None:
    """True, False, or None when ``text`` is neither a yes nor a no word."""
    word = folded(text)
    if word in YES:
        return True
    if word in NO:
        return False
    return None


def choice(choices, text: str) -> Any:
    """The value of the choice ``text`` designates, or ValueError saying what to type.

    In order: the stable keyword as written, the number shown, the label in the current
    language, the keyword folded; a label shared by two choices once folded designates none.
    """
    text = text.strip()
    for item in choices:
        if text == str(item.value):
            return item.value
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1].value
    word = folded(text)
    if word:
        by_label = [item for item in choices if folded(_(item.label)) == word]
        if len(by_label) == 1:
            return by_label[0].value
        by_key = [item for item in choices if folded(str(item.value)) == word]
        if len(by_key) == 1:
            return by_key[0].value
    raise ValueError(_("type the number of your choice (1 to {count}) or its words as shown.").format(count=len(choices)))


def parse(question, text: str) -> Any:
    """What the user typed for ``question`` -> the value its field validates."""
    text = text.strip() if question.type != "long_text" else text
    if question.type == "yes_no":
        answer = yes_no(text)
        if answer is None:
            raise ValueError(_("answer yes or no."))
        return answer
    if question.type == "choice":
        return choice(question.choices, text)
    if question.type == "date":
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if match:
            day, month, year = match.groups()
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return text
    if question.type == "number":
        return text.replace(",", ".") if re.fullmatch(r"-?\d+,\d+", text) else text
    return text
