"""No capital letter after a colon in French running text (issue 16).

French writes "Attention : le dernier jour…", not "Attention : Le dernier jour…". Every
French document of every procedure, built from its example, is scanned for a colon
followed by a capitalised word and then a word in small letters (a sentence, not an
acronym). What may rightly follow a colon with a capital is listed here, explicitly:
proper names (institutions), a source's title as it is written, a path of question
labels or a program's menu, quoted as shown on screen.
"""

from __future__ import annotations

import re

import pytest

from docassemble_asylum.procedures import available
from tests.test_french_documents import build, email_body, form_values, paragraphs, parts

SPACES = "[ \u00a0\u202f]"
CAPITAL_AFTER_COLON = re.compile(f":{SPACES}+(?P<rest>[A-ZÀ-ÖØ-Þ][\\w’'.-]*{SPACES}+[a-zà-ÿ].*)")

# Proper names that follow a colon as they are written: where to send or take a document.
PROPER_NAMES = (
    "Cour nationale du droit d’asile",
    "Office français de protection des réfugiés et apatrides",
    "Commission de recours contre les décisions de refus de visa",
    "Préfecture de ",  # the prefectures' names in the official table: "Préfecture du Calvados"
    "Préfecture du ",
    "Préfecture des ",
    "Ambassade de France",  # a consulate's name: "poste consulaire : Ambassade de France à Téhéran"
    "Consulat général de France",
    "Consulat de France",
)
SOURCE_TITLE = re.compile(f"^Source{SPACES}:{SPACES}.*? — ")  # a source's title, quoted as its publisher writes it
EXHIBIT = re.compile(f"^Pièce n°{SPACES}\\d+{SPACES}:{SPACES}")  # a numbered exhibit and its title, as the document is titled
LABEL_PATH = re.compile(r"^[^:;.()]*›")  # "Membres de la famille n° 1 › Lieu de naissance", a menu "Message › Modifier…"


def capitals_after_colons(line: str) -> list[str]:
    """What follows a colon with a capital in ``line``, outside the allowed cases."""
    line = EXHIBIT.sub("", SOURCE_TITLE.sub("", line))
    found = []
    for match in CAPITAL_AFTER_COLON.finditer(line):
        rest = match.group("rest")
        if rest.startswith(PROPER_NAMES) or LABEL_PATH.match(rest):
            continue
        found.append(rest[:60])
    return found


def french_lines(files: dict[str, bytes]) -> list[tuple[str, str]]:
    lines = []
    for name, data in files.items():
        if name.endswith(".docx"):
            lines += [(name, line) for member in parts(data) for line in paragraphs(data, member)]
        elif name.endswith(".eml"):
            lines += [(name, line) for line in email_body(data).splitlines()]
        elif name.endswith(".pdf"):
            lines += [(name, value) for value in form_values(data).values()]
    return lines


@pytest.mark.parametrize("procedure", sorted(available()))
def test_no_capital_after_a_colon_in_french_running_text(procedure):
    files = build(procedure, "fr")
    faults = [(name, found, line[:120]) for name, line in french_lines(files) for found in capitals_after_colons(line)]
    assert faults == []


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("Attention\u00a0: Le dernier jour est le jour où le recours doit être parvenu", ["Le dernier jour est le jour où le recours doit être parvenu"]),
        ("Attention\u00a0! Le dernier jour est le jour où le recours doit être parvenu", []),
        ("Objet\u00a0: Demande d’aide juridictionnelle", ["Demande d’aide juridictionnelle"]),
        ("Objet\u00a0: demande d’aide juridictionnelle", []),
        ("Règle\u00a0: CESEDA, art.\u00a0L.\u00a0561-3", []),  # an acronym
        ("Remarque\u00a0: L’Ofpra demande", ["L’Ofpra demande"]),
        ("déposez-le sur place\u00a0: Cour nationale du droit d’asile, 35 rue Cuvier", []),
        ("par\u00a0: Préfecture du Calvados, Caen (14)", []),
        ("Source\u00a0: Code de l’entrée et du séjour des étrangers — https://www.legifrance.gouv.fr", []),
        ("Source\u00a0: Code de l’entrée — https://x.fr\u00a0: Voici une phrase", ["Voici une phrase"]),
        ("lettres latines de\u00a0: Membres de la famille n°\u00a01 › Lieu de naissance (ville, pays)", []),
        ("dans Thunderbird\u00a0: Message › Modifier en tant que nouveau message", []),
        ("Heure\u00a0: 9\u00a0h\u00a030", []),
    ],
)
def test_the_scan_finds_a_sentence_after_a_colon_and_nothing_else(line, found):
    assert capitals_after_colons(line) == found
