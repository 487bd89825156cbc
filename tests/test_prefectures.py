"""The competent prefecture: the table of RULES.md §6 for every department, and the lookups.

The expected table below is RULES.md §6 verbatim (department -> city of the competent
prefecture), so a change of the data file that drifts from the researched table fails here.
"""

from __future__ import annotations

import json

import pytest

from docassemble_asylum.i18n import language
from docassemble_asylum.prefectures import (
    DepartmentQueryError,
    all_prefectures,
    department_codes,
    find_department,
    lookup,
    normalise,
    prefecture_for,
)
from docassemble_asylum.rules import Certainty, rulebook
from tests.conftest import run_cli

RULES_TABLE = """
01 Lyon | 02 Beauvais | 03 Clermont-Ferrand | 04 Marseille | 05 Marseille | 06 Nice
07 Lyon | 08 Châlons-en-Champagne | 09 Toulouse | 10 Châlons-en-Champagne
11 Montpellier | 12 Toulouse | 13 Marseille | 14 Caen | 15 Clermont-Ferrand
16 Poitiers | 17 Poitiers | 18 Orléans | 19 Limoges | 21 Dijon | 22 Rennes
23 Limoges | 24 Bordeaux | 25 Besançon | 26 Grenoble | 27 Rouen | 28 Orléans
29 Rennes | 2A Marseille | 2B Marseille | 30 Montpellier | 31 Toulouse | 32 Toulouse
33 Bordeaux | 34 Montpellier | 35 Rennes | 36 Orléans | 37 Orléans | 38 Grenoble
39 Besançon | 40 Bordeaux | 41 Orléans | 42 Lyon | 43 Clermont-Ferrand | 44 Nantes
45 Orléans | 46 Toulouse | 47 Bordeaux | 48 Montpellier | 49 Angers | 50 Caen
51 Châlons-en-Champagne | 52 Châlons-en-Champagne | 53 Nantes | 54 Metz | 55 Metz
56 Rennes | 57 Metz | 58 Dijon | 59 Lille | 60 Beauvais | 61 Caen | 62 Lille
63 Clermont-Ferrand | 64 Bordeaux | 65 Toulouse | 66 Montpellier | 67 Strasbourg
68 Colmar | 69 Lyon | 70 Besançon | 71 Mâcon | 72 Angers | 73 Grenoble | 74 Grenoble
75 Paris | 76 Rouen | 77 Melun | 78 Versailles | 79 Poitiers
80 Beauvais | 81 Toulouse | 82 Toulouse | 83 Nice | 84 Marseille | 85 Nantes
86 Poitiers | 87 Limoges | 88 Metz | 89 Dijon | 90 Besançon | 91 Évry-Courcouronnes
92 Nanterre | 93 Bobigny | 94 Créteil | 95 Cergy
"""
EXPECTED_CITY = dict(item.strip().split(" ", 1) for item in RULES_TABLE.replace("\n", "|").split("|") if item.strip())
OVERSEAS = {"971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion", "976": "Mayotte"}
METROPOLITAN = [f"{n:02d}" for n in range(1, 20)] + ["2A", "2B"] + [f"{n:02d}" for n in range(21, 96)]


def test_the_table_has_every_department_exactly_once():
    assert len(METROPOLITAN) == 96
    assert len(EXPECTED_CITY) == 96
    table = all_prefectures()
    assert sorted(table) == sorted(METROPOLITAN + list(OVERSEAS))
    assert department_codes() == list(table)


@pytest.mark.parametrize("code", METROPOLITAN)
def test_metropolitan_entry_follows_rules_md(code):
    entry = prefecture_for(code)
    assert entry.city == EXPECTED_CITY[code]
    assert entry.department == code
    # the prefecture's own department is served by the same prefecture: a department given
    # as "where I registered" or "where I live" gives the same answer
    seat = prefecture_for(entry.seat)
    assert (seat.prefecture, seat.city) == (entry.prefecture, entry.city)
    assert entry.certainty is (Certainty.inference if code == "50" else Certainty.verified)
    assert [r.url for r in entry.sources] == [
        "https://www.service-public.gouv.fr/particuliers/vosdroits/F2232",
        "https://www.legifrance.gouv.fr/codes/section_lc/LEGITEXT000006070158/LEGISCTA000042801800/",
    ]


@pytest.mark.parametrize(("code", "name"), sorted(OVERSEAS.items()))
def test_overseas_entries_are_their_own_prefecture_and_unverified(code, name):
    entry = prefecture_for(code)
    assert entry.department_name == name
    assert entry.seat == code
    assert entry.certainty is Certainty.unverified
    assert any(note.startswith("À confirmer") for note in entry.notes)
    assert entry.shortened_periods is (code in {"973", "976"})


@pytest.mark.parametrize(
    ("code", "name", "prefecture", "city", "seat"),
    [
        ("50", "Manche", "Préfecture du Calvados", "Caen", "14"),  # "Handle" / "Prefecture of Caen (50)" in the seed
        ("86", "Vienne", "Préfecture de la Vienne", "Poitiers", "86"),  # "Vienna" in the seed
        ("14", "Calvados", "Préfecture du Calvados", "Caen", "14"),  # Caen is in Calvados (14), not in 50
        ("61", "Orne", "Préfecture du Calvados", "Caen", "14"),
        ("67", "Bas-Rhin", "Préfecture du Bas-Rhin", "Strasbourg", "67"),  # "Lower Rhine"
        ("59", "Nord", "Préfecture du Nord", "Lille", "59"),  # "North"
        ("75", "Paris", "Préfecture de police", "Paris", "75"),
        ("95", "Val-d'Oise", "Pôle territorial France Asile (Val-d'Oise)", "Cergy", "95"),
    ],
)
def test_corrected_and_notable_entries(code, name, prefecture, city, seat):
    entry = prefecture_for(code)
    assert (entry.department_name, entry.prefecture, entry.city, entry.seat) == (name, prefecture, city, seat)


def test_manche_correction_is_explained_and_val_d_oise_is_a_pole_france_asile():
    manche = prefecture_for("50")
    # what the user reads; the correction of the source is a maintainer's note, never shown
    assert manche.notes == ("La Manche relève de la préfecture du Calvados, à Caen (14).",)
    assert prefecture_for("86").notes == ()
    val_d_oise = prefecture_for("95")
    assert val_d_oise.france_asile is True
    assert "remise à l'agent de l'Ofpra présent au pôle le jour de l'enregistrement" in val_d_oise.notes[0]
    assert [code for code, entry in all_prefectures().items() if entry.france_asile] == ["95"]


def test_names_in_both_data_files_agree():
    departments = rulebook()["prefectures.departments"].current.value["departments"]
    for code, entry in all_prefectures().items():
        assert departments[code]["name"] == entry.department_name


def test_postal_prefixes_are_unique_and_cover_each_department():
    departments = rulebook()["prefectures.departments"].current.value["departments"]
    prefixes = [p for d in departments.values() for p in d["postal_prefixes"]]
    assert len(prefixes) == len(set(prefixes))
    for code in METROPOLITAN:
        if code not in ("2A", "2B"):
            assert find_department(f"{code}000").code == code


@pytest.mark.parametrize(
    ("query", "code", "matched_by"),
    [
        ("14", "14", "code"),
        ("1", "01", "code"),
        ("01", "01", "code"),
        ("2A", "2A", "code"),
        ("2b", "2B", "code"),
        ("971", "971", "code"),
        ("976", "976", "code"),
        ("Calvados", "14", "name"),
        ("CALVADOS", "14", "name"),
        ("Cotes d'Armor", "22", "name"),
        ("Côtes-d’Armor", "22", "name"),
        ("cotes darmor", "22", "name"),
        ("seine saint denis", "93", "name"),
        ("Seine-St-Denis", "93", "name"),
        ("val d oise", "95", "name"),
        ("Corse du Sud", "2A", "name"),
        ("haute-corse", "2B", "name"),
        ("Reunion", "974", "name"),
        ("La Réunion", "974", "name"),
        ("Guyane", "973", "name"),
        ("département du Calvados", "14", "name"),
        ("Loire", "42", "name"),  # exact name wins over Haute-Loire, Loire-Atlantique…
        ("Vienne", "86", "name"),
        ("Savoie", "73", "name"),
        ("Belfort", "90", "name"),
        ("calva", "14", "name"),  # a unique part of a name, on the command line
        ("14000", "14", "postal_code"),
        ("50100", "50", "postal_code"),
        ("75011", "75", "postal_code"),
        ("1000", "01", "postal_code"),  # 01000 with its leading zero lost
        ("20000", "2A", "postal_code"),
        ("20090", "2A", "postal_code"),
        ("20167", "2A", "postal_code"),
        ("20200", "2B", "postal_code"),
        ("20600", "2B", "postal_code"),
        ("97100", "971", "postal_code"),
        ("97200", "972", "postal_code"),
        ("97300", "973", "postal_code"),
        ("97400", "974", "postal_code"),
        ("97600", "976", "postal_code"),
    ],
)
def test_lookups(query, code, matched_by):
    match = find_department(query)
    assert (match.code, match.matched_by) == (code, matched_by)


@pytest.mark.parametrize(
    ("query", "kind", "codes"),
    [
        ("20", "ambiguous", ("2A", "2B")),
        ("Corse", "ambiguous", ("2A", "2B")),
        ("seine", "ambiguous", ("76", "77", "92", "93")),
        ("rhin", "ambiguous", ("67", "68")),
        ("Calvadoss", "unknown", ("14",)),
        ("96", "unknown", ()),
        ("975", "unknown", ()),
        ("99999", "unknown", ()),
        ("", "unknown", ()),
        ("97133", "not_covered", ()),
        ("97150", "not_covered", ()),
        ("97500", "not_covered", ()),
        ("98000", "not_covered", ()),
    ],
)
def test_queries_that_do_not_give_one_department(query, kind, codes):
    with pytest.raises(DepartmentQueryError) as info:
        find_department(query)
    assert (info.value.kind, info.value.codes) == (kind, codes)


def test_answers_files_need_a_whole_name():
    assert find_department("Armor").code == "22"
    with pytest.raises(DepartmentQueryError) as info:
        find_department("Armor", partial=False)
    assert (info.value.kind, info.value.codes) == ("unknown", ("22",))


def test_error_messages_never_repeat_the_query():
    with pytest.raises(DepartmentQueryError) as info:
        find_department("12 rue des Lilas")
    with language("en"):
        assert "Lilas" not in info.value.message()


def test_normalise():
    assert normalise("Côtes-d’Armor") == normalise("cotes d armor") == "cotesdarmor"
    assert normalise("Seine-St-Denis") == "seinesaintdenis"


def test_lookup_returns_the_entry_and_how_it_matched():
    entry, match = lookup("14000")
    assert entry.place == "Préfecture du Calvados, Caen (14)"
    assert match.matched_by == "postal_code"


# --- the command ------------------------------------------------------------------------------


def test_command_json():
    result = run_cli("prefecture", "--json", "50")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["department"] == "50"
    assert body["department_name"] == "Manche"
    assert body["prefecture"] == "Préfecture du Calvados"
    assert body["city"] == "Caen"
    assert body["seat"] == "14"
    assert body["certainty"] == "inference"
    assert body["matched_by"] == "code"
    assert body["sources"][0] == {
        "title": "Demande d'asile (service-public.fr F2232), tableau des préfets compétents pour enregistrer les demandes d'asile",
        "url": "https://www.service-public.gouv.fr/particuliers/vosdroits/F2232",
    }
    assert body["notes"] and "Calvados" in body["notes"][0]


def test_command_json_for_the_pole_france_asile():
    body = json.loads(run_cli("prefecture", "--json", "val", "d'oise").stdout)
    assert body["department"] == "95"
    assert body["prefecture"] == "Pôle territorial France Asile (Val-d'Oise)"
    assert body["city"] == "Cergy"
    assert body["france_asile"] is True
    assert "le jour de l'enregistrement" in body["notes"][0]


def test_command_text_with_words_and_postal_code():
    result = run_cli("prefecture", "seine", "saint", "denis", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        "Department: Seine-Saint-Denis (93)",
        "Prefecture: Préfecture de la Seine-Saint-Denis, Bobigny (93)",
        "Certainty: verified (follows directly from a sourced rule)",
    ]
    postal = run_cli("prefecture", "97400", "--lang", "en")
    assert postal.returncode == 0, postal.stderr
    assert "Department: La Réunion (974)" in postal.stdout
    assert "Certainty: unverified (not confirmed from an official text: check it)" in postal.stdout
    assert "Found from the postal code: check that this is your department" in postal.stdout


@pytest.mark.parametrize(
    ("args", "lang", "expected"),
    [
        (
            ["Calvadoss"],
            "en",
            "Error: No department found: give a department number (14, 2A, 971), its name in French or a postal code. "
            "Did you mean: Calvados (14)?\n",
        ),
        (
            ["Calvadoss"],
            "fr",
            "Erreur : Aucun département trouvé : indiquez un numéro de département (14, 2A, 971), son nom en français ou "
            "un code postal. Vouliez-vous dire : Calvados (14) ?\n",
        ),
        (
            ["Corse"],
            "en",
            "Error: Several departments match: Corse-du-Sud (2A), Haute-Corse (2B). Give the department number or its full name.\n",
        ),
        (
            ["20"],
            "fr",
            "Erreur : Plusieurs départements correspondent : Corse-du-Sud (2A), Haute-Corse (2B). Indiquez le numéro du "
            "département ou son nom complet.\n",
        ),
        (
            ["97133"],
            "en",
            "Error: This postal code belongs to Saint-Barthélemy, which is not one of the departments covered "
            "(metropolitan France, Guadeloupe, Martinique, Guyane, La Réunion, Mayotte).\n",
        ),
        (
            ["96"],
            "fr",
            "Erreur : Aucun département trouvé : indiquez un numéro de département (14, 2A, 971), son nom en français ou "
            "un code postal.\n",
        ),
    ],
)
def test_command_errors(args, lang, expected):
    result = run_cli("prefecture", *args, "--lang", lang)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == expected


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("en", "Note: The Manche is served by the Calvados prefecture, in Caen (14)."),
        ("fr", "Remarque : La Manche relève de la préfecture du Calvados, à Caen (14)."),
    ],
)
def test_command_text_gives_the_note_in_the_users_language(lang, note):
    """The table's notes are written in both languages (review F-34)."""
    result = run_cli("prefecture", "50", "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert note in result.stdout.splitlines()
