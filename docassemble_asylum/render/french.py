"""French agreement and elision: one helper per concept, fed from the person's sex.

Why a table and not "(e)": a letter to an authority is read as written by a lawyer, and
"né(e)" or a masculine default reads as a form. When the sex is unknown or "other", the
word is replaced by a neutral wording that still agrees ("la partie requérante …
entendue", "personne née le …"), never by a split form. Letters' templates use these
through the Jinja filters ``agree`` and ``de`` (registered in render/filters.py);
procedures call the same functions for the sentences they build.
"""

from __future__ import annotations

import re

# concept -> (woman, man, neutral). The neutral wording is a real French wording that
# does not depend on the person's sex (often agreeing with a feminine noun: "la partie").
WORDS: dict[str, tuple[str, str, str]] = {
    # the applicant in a court appeal (CNDA)
    "le requérant": ("la requérante", "le requérant", "la partie requérante"),
    "Le requérant": ("La requérante", "Le requérant", "La partie requérante"),
    "du requérant": ("de la requérante", "du requérant", "de la partie requérante"),
    "du demandeur": ("de la demanderesse", "du demandeur", "de la partie demanderesse"),
    "Représenté": ("Représentée", "Représenté", "Représentée"),  # agrees with « la partie requérante »
    "entendu (requérant)": ("entendue", "entendu", "entendue"),  # idem
    # a person named in a letter
    "né": ("née", "né", "personne née"),
    "Je soussigné": ("Je soussignée", "Je soussigné", "Je,"),  # "Je, Amina X, personne née le …"
    # the companion at an Ofpra interview, the lawyer ("Maître" is the same for both)
    "avocat au barreau de": ("avocate au barreau de", "avocat au barreau de", "du barreau de"),
    "Avocat au barreau de": ("Avocate au barreau de", "Avocat au barreau de", "Barreau de"),
    "En ma qualité d'avocat au barreau de": (
        "En ma qualité d'avocate au barreau de",
        "En ma qualité d'avocat au barreau de",
        "Membre du barreau de",
    ),
    "En ma qualité de représentant de l'association": (
        "En ma qualité de représentante de l'association",
        "En ma qualité de représentant de l'association",
        "Au nom de l'association",
    ),
    "Représentant de l'association": ("Représentante de l'association", "Représentant de l'association", "Pour l'association"),
    # civil status (the family form and letter)
    "Conjoint (mariage)": ("Conjointe (mariage)", "Conjoint (mariage)", "Époux ou épouse (mariage)"),
    "Concubin": ("Concubine", "Concubin", "Partenaire en union libre"),
    "Marié": ("Mariée", "Marié", "Mariage"),
    "Pacsé": ("Pacsée", "Pacsé", "PACS"),
    "Divorcé": ("Divorcée", "Divorcé", "Divorce"),
    "Veuf": ("Veuve", "Veuf", "Veuvage"),
    # the status asked for in an appeal: « lui reconnaître la qualité de réfugiée » (CNDA usage)
    "la qualité de réfugié": ("la qualité de réfugiée", "la qualité de réfugié", "la qualité de réfugié"),
    "réfugié statutaire": ("réfugiée statutaire", "réfugié statutaire", "bénéficiaire du statut de réfugié"),
    "apatride reconnu": ("apatride reconnue", "apatride reconnu", "bénéficiaire du statut d’apatride"),
}


def agree(concept: str, sex: str | None) -> str:
    """The wording of ``concept`` for a person of ``sex`` ("female", "male", other/None)."""
    woman, man, neutral = WORDS[concept]
    return {"female": woman, "male": man}.get(sex or "", neutral)


def and_list(items: list[str]) -> str:
    """« a », « a et b », « a, b et c »: a French enumeration ends with « et », never a bare comma."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def by_sex(sex: str | None, female: str, male: str, neutral: str) -> str:
    """For a whole sentence that has to be reworded (the neutral one must read as French)."""
    return {"female": female, "male": male}.get(sex or "", neutral)


_VOWELS = set("aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")


def elides(word: str) -> bool:
    """Whether "de" / "le" / "que" elide before ``word``: a vowel, never an h (the tool cannot
    know whether a foreign name's h is mute). A y before a vowel is a consonant ("de Yasin",
    "de Youssef"), before a consonant a vowel ("d’Yves")."""
    word = word.lstrip()
    if not word or word[0] not in _VOWELS:
        return False
    if word[0] in "yY" and len(word) > 1 and word[1] in _VOWELS:
        return False
    return True


def de(word: str) -> str:
    """"d’Omid", "de l’Office" is written by hand; "de Paul"."""
    return f"d’{word.lstrip()}" if elides(word) else f"de {word}"


def que(word: str) -> str:
    return f"qu’{word.lstrip()}" if elides(word) else f"que {word}"


_ELIDABLE = re.compile(r"\b([dD]e|[qQ]ue) \{(\w+)\}")


def format_elided(message: str, **values: str) -> str:
    """``message.format(**values)``, with "de {who}" written "d’{who}" when the value starts
    with a vowel ("Dossier de visa d’Omid RAHIMI"): for a French message only (an English
    one is returned as ``format`` gives it). Why here and not in the typographic layer: a
    family-name particle typed by the user ("João de Oliveira") must not be elided."""
    from docassemble_asylum.i18n import current_language

    if current_language() == "fr":
        def elide(match: re.Match) -> str:
            word, name = match.groups()
            value = str(values.get(name, ""))
            return f"{word[0]}’{{{name}}}" if elides(value) else match.group(0)

        message = _ELIDABLE.sub(elide, message)
    return message.format(**values)
