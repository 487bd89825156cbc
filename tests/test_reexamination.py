"""The re-examination request end to end: answers -> French letter to Ofpra + summary + manifest.

Assertions are on what a reader sees (the text extracted from the generated DOCX) and on
the exact messages a user gets for bad answers, in English and in French.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import io
import json
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from docassemble_asylum.errors import UserError
from docassemble_asylum.i18n import language
from docassemble_asylum.render.docx import docx_text, render_docx
from docassemble_asylum.render.typography import plain as typeset
from docassemble_asylum.rules import rulebook
from tests.conftest import ROOT, run_cli
from pinned_examples import pinned_example_text

TODAY = "2026-03-05"


def example_data() -> dict:
    return yaml.safe_load(pinned_example_text("reexamination"))


def write_case(folder: Path, data: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(folder: Path, data: dict, *, lang: str = "en", today: str = TODAY):
    case = write_case(folder, data)
    out = folder / "out"
    result = run_cli("build", "reexamination", "--answers", str(case), "--out", str(out), "--today", today, "--lang", lang)
    return result, out


def texts(out: Path) -> tuple[str, str]:
    return docx_text((out / "demande-reexamen.docx").read_bytes()), docx_text((out / "summary.docx").read_bytes())


# --- the letter ---------------------------------------------------------------------------------


def test_example_builds_the_letter_with_every_fact(tmp_path):
    result, out = build(tmp_path, example_data())
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["demande-reexamen.docx", "manifest.json", "summary.docx"]
    letter, _ = texts(out)
    for fact in (
        "Daoud KARIMI",
        "Ancien n° de dossier Ofpra : 23-07-67890",
        "N° AGDREF : 1403000001",
        "Dawood Karimi, Davoud Karimy",
        "12 mai 1990 à Hérat (Afghanistan)",
        "Je soussigné Daoud KARIMI, né le 12 mai 1990 à Hérat (Afghanistan), de nationalité afghane, ai l'honneur de "
        "solliciter le réexamen de ma demande d'asile",
        "4 rue de la Gare, c/o association Accueil & Solidarité, 50100 Cherbourg-en-Cotentin",
        "Cherbourg-en-Cotentin, le 5 mars 2026",
        "Lettre recommandée avec demande d'avis de réception",
        "Je souhaite être entendu en dari.",
        "Fait à Cherbourg-en-Cotentin, le 5 mars 2026",
    ):
        assert typeset(fact) in letter, fact
    # Ofpra's address comes from the rule data
    address = rulebook()["reexamination.ofpra_address"].at(dt.date(2026, 3, 3)).value
    assert "\n".join([address["name"], *address["lines"]]) in letter
    assert typeset("Office français de protection des réfugiés et apatrides (Ofpra)\n201 rue Carnot\n94136 Fontenay-sous-Bois Cedex") in letter
    # the previous decision
    assert (
        typeset("Ma précédente demande d'asile a été définitivement rejetée : la Cour nationale du droit d'asile a rejeté mon "
        "recours par sa décision n° 25012345 du 14 novembre 2025.") in letter
    )
    assert (
        typeset("Références : ancien dossier Ofpra n° 23-07-67890 — AGDREF n° 1403000001 — décision de la Cour nationale du "
        "droit d'asile n° 25012345 du 14 novembre 2025") in letter
    )
    # the new registration and its DERIVED prefecture (Manche -> Calvados prefecture in Caen)
    assert (
        typeset("Ma demande de réexamen a été enregistrée le 3 mars 2026 par la préfecture compétente pour mon département de "
        "résidence, Manche (50) : Préfecture du Calvados, Caen (14) (article R.531-35 du CESEDA).") in letter
    )
    # each new element, with its date and why it is new
    assert typeset("Élément nouveau n° 1\nLe 20 janvier 2026, les autorités de la province de Hérat") in letter
    assert (
        typeset("Date : 20 janvier 2026. Cet élément est postérieur à la décision définitive du 14 novembre 2025 : il n'a donc "
        "pas pu être examiné lors de ma précédente demande.\nPièces justificatives : n° 1, n° 2 (voir le bordereau).") in letter
    )
    assert typeset("Élément nouveau n° 2\nMon frère a été arrêté le 10 août 2025") in letter
    assert (
        typeset("Date : 10 août 2025. Je n'en ai eu connaissance que le 2 février 2026, soit après la décision définitive du "
        "14 novembre 2025.\nCet élément n'a pas pu être produit auparavant pour la raison suivante :\nMa famille n'a pu "
        "me joindre qu'après sa libération") in letter
    )
    assert typeset("Pièce justificative : n° 3 (voir le bordereau).") in letter
    # the exhibits list, numbered in order, with the translation column
    bordereau = letter.split("Bordereau des pièces\n", 1)[1]
    assert bordereau.startswith(typeset(
        "N°\nPièce\nTraduction jointe\n"
        "1\nAvis de recherche du 20 janvier 2026 (copie)\noui\n"
        "2\nAttestation de l'association des droits des femmes de Hérat\noui\n"
        "3\nMessage de ma mère du 2 février 2026 (capture d'écran)\noui\n"
    ))
    assert "{{" not in letter and "{%" not in letter


def test_letter_for_an_ofpra_decision_a_woman_and_an_untranslated_exhibit(tmp_path):
    data = example_data()
    data["applicant"]["sex"] = "female"
    data["final_decision"] = {"authority": "ofpra", "date": "2025-10-01", "number": "2025-000777"}
    data["exhibits"][2]["translated"] = False
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    letter, summary = texts(out)
    assert typeset("Je soussignée Daoud KARIMI, née le 12 mai 1990") in letter
    assert typeset("Je souhaite être entendue en dari.") in letter
    assert (
        typeset("Ma précédente demande d'asile a été rejetée par la décision du directeur général de l'Office français de "
        "protection des réfugiés et apatrides n° 2025-000777 du 1er octobre 2025, devenue définitive.") in letter
    )
    assert typeset("3\nMessage de ma mère du 2 février 2026 (capture d'écran)\nnon") in letter
    assert "3. Message de ma mère du 2 février 2026 (capture d'écran)\n" in summary


def test_pole_france_asile_changes_the_delivery_and_the_summary(tmp_path):
    data = example_data()
    data["registration"]["department"] = "Val-d'Oise"
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    letter, summary = texts(out)
    assert typeset("Remise à l'agent de l'Ofpra — Pôle territorial France Asile (Val-d'Oise), Cergy") in letter
    assert typeset("Val-d'Oise (95) : Pôle territorial France Asile (Val-d'Oise), Cergy (95)") in letter
    assert "Lettre recommandée" not in letter
    pole = (
        "In Val-d'Oise (95) the registration takes place at a pôle France asile: hand the request and the exhibits to "
        "the Ofpra agent there on the day of registration, or on the date given in the convocation (R.531-36 CESEDA), "
        "instead of posting them."
    )
    assert f"⚠ {pole}" in summary
    assert "If you are told to post it instead: registered post with acknowledgement of receipt, on Wednesday 11 March 2026" in summary


def test_special_characters_and_scripts_survive(tmp_path):
    data = example_data()
    data["applicant"]["other_names"] = ["Дауд Карими", "داوود کریمی"]
    data["exhibits"][0]["title"] = 'Avis « urgent » & <copie> "n° 1" d\'œuvre'
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    letter, _ = texts(out)
    assert typeset("Дауд Карими, داوود کریمی") in letter
    assert typeset('Avis « urgent » & <copie> "n° 1" d\'œuvre') in letter


# --- the deadline in the summary -----------------------------------------------------------------


def test_summary_shows_the_deadline_and_what_happens_next(tmp_path):
    result, out = build(tmp_path, example_data())
    assert result.returncode == 0, result.stderr
    _, summary = texts(out)
    assert summary.lstrip("\n").startswith(
        "Re-examination request — summary sheet\nFor Daoud KARIMI, after final decision no. 25012345 of Friday 14 November 2025\n"
    )
    assert "⚠" not in summary
    assert "Deadline: 8 days from the registration to send the request to Ofpra\nLast day: Wednesday 11 March 2026\n" in summary
    for line in (
        "Send it by registered post with acknowledgement of receipt (lettre recommandée avec avis de réception) and keep the proof of posting.",
        "The date of the postmark counts: post it on Wednesday 11 March 2026 at the latest (the last day is Wednesday 11 March 2026).",
        "If Ofpra finds the request incomplete, you have 4 days to complete it (R.531-37 CESEDA).",
        "Registered on Tuesday 3 March 2026 by Préfecture du Calvados, Caen (14), competent for Manche (50).",
        "Element 2: happened on Sunday 10 August 2025, learned of on Monday 2 February 2026, after the final decision.",
        "Ofpra first decides whether the request is admissible, within 8 days (R.531-38 CESEDA; the service-public.fr page says 7 days). It can declare it inadmissible without an interview.",
        "If Ofpra declares it inadmissible, you can appeal to the CNDA. Under the rule verified before June 2026, the period is 1 month from the notification of that decision (L.532-1 CESEDA).",
        "For a decision notified from Monday 8 June 2026, the period may be much shorter (the EU regulation allows as little as 5 days against an inadmissibility decision; the French text was not found): read the period printed on the decision (“voies et délais de recours”) and act at once.",
    ):
        assert line in summary, line


def test_summary_in_french(tmp_path):
    result, out = build(tmp_path, example_data(), lang="fr")
    assert result.returncode == 0, result.stderr
    letter, summary = texts(out)
    assert typeset("Demande de réexamen — fiche récapitulative") in summary
    assert typeset("Délai : 8 jours à compter de l'enregistrement pour envoyer la demande à l'Ofpra\nDernier jour : mercredi 11 mars 2026") in summary
    assert typeset("Le cachet de la poste fait foi : postez-la le mercredi 11 mars 2026 au plus tard (le dernier jour est le mercredi 11 mars 2026).") in summary
    assert typeset("Envoyez-la en lettre recommandée avec avis de réception et gardez la preuve de dépôt.") in summary
    # the letter is French whatever the user's language, and identical
    assert letter == texts(build(tmp_path / "en", example_data(), lang="en")[1])[0]


def test_registration_day_8_on_a_saturday_gives_an_earlier_safe_posting_day(tmp_path):
    # RULES.md §8: 2026-04-03 -> day 8 is Saturday 2026-04-11; post on Friday 2026-04-10.
    data = example_data()
    data["registration"]["date"] = "2026-04-03"
    data["signature"]["date"] = "2026-04-06"
    result, out = build(tmp_path, data, today="2026-04-06")
    assert result.returncode == 0, result.stderr
    _, summary = texts(out)
    assert "Last day: Saturday 11 April 2026\nSafe day (aim for this one): Friday 10 April 2026" in summary
    assert "post it on Friday 10 April 2026 at the latest (the last day is Saturday 11 April 2026)." in summary


def test_after_the_last_day_the_documents_are_still_built_with_a_warning(tmp_path):
    result, out = build(tmp_path, example_data(), today="2026-03-20")
    assert result.returncode == 0, result.stderr
    letter, summary = texts(out)
    assert "Daoud KARIMI" in letter
    lines = summary.lstrip("\n").splitlines()
    assert lines[2] == "⚠ The last day (Wednesday 11 March 2026) has passed. Get legal advice at once (a lawyer, an association)."
    check = run_cli("check", "reexamination", "--answers", str(tmp_path / "case.yaml"), "--today", "2026-03-20", "--lang", "en")
    assert check.returncode == 0, check.stderr
    assert check.stdout.splitlines() == [
        "The answers are complete and consistent.",
        "The last day (Wednesday 11 March 2026) has passed. Get legal advice at once (a lawyer, an association).",
        "Last day: Wednesday 11 March 2026",
        "Safe posting day: Wednesday 11 March 2026",
        "Competent prefecture: Préfecture du Calvados, Caen (14) (for Manche (50))",
        "Certainty: inference (an application of sourced rules: check it)",
    ]


def test_registration_after_the_reform_and_overseas_warnings(tmp_path):
    data = example_data()
    data["registration"] = {"date": "2026-07-01", "department": "973"}
    data["signature"]["date"] = "2026-07-02"
    result, out = build(tmp_path, data, today="2026-07-02")
    assert result.returncode == 0, result.stderr
    _, summary = texts(out)
    warnings = [line[2:] for line in summary.splitlines() if line.startswith("⚠ ")]
    assert warnings == [
        "Ofpra's decision on this request may be notified on or after Monday 8 June 2026 (reform of June 2026): if it "
        "declares the request inadmissible, the period to appeal to the CNDA may be as short as 5 days. Read the "
        "decision as soon as it arrives.",
        "The competent prefecture for Guyane (973) is not confirmed by an official text: check it against your convocation.",
        "In Guyane (973), some asylum periods are shorter (R.591-12-1 CESEDA): check the period on your convocation.",
    ]
    assert "Certainty: unverified (not confirmed from an official text: check it)" in summary


def test_check_json_reports_the_deadline_and_the_derived_prefecture(tmp_path):
    case = write_case(tmp_path, example_data())
    result = run_cli("check", "reexamination", "--answers", str(case), "--json", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["valid"] is True
    assert (body["deadline"]["last_day"], body["deadline"]["safe_day"]) == ("2026-03-11", "2026-03-11")
    assert body["prefecture"]["department"] == "50"
    assert body["prefecture"]["prefecture"] == "Préfecture du Calvados"
    assert body["prefecture"]["city"] == "Caen"
    assert list(tmp_path.iterdir()) == [case]


def test_schema_and_example_commands():
    schema = run_cli("schema", "reexamination")
    assert schema.returncode == 0, schema.stderr
    body = json.loads(schema.stdout)
    assert set(body["required"]) == {"applicant", "final_decision", "registration", "language", "signature"}
    assert body["properties"]["new_elements"]["minItems"] == 1
    assert set(body["$defs"]["Registration"]["properties"]) == {"date", "department"}  # the prefecture is derived
    example = run_cli("example", "reexamination", "--today", "2026-03-06")
    assert example.stdout.startswith("# Fictional case")
    assert yaml.safe_load(example.stdout) == example_data()


# --- bad answers: one clear message naming the field ---------------------------------------------


def problems(data: dict, lang: str, today: str = TODAY) -> list[str]:
    from docassemble_asylum.procedures import get

    with language(lang), pytest.raises(UserError) as info:
        get("reexamination").validate(data, dt.date.fromisoformat(today))
    return info.value.problems


def mutated(change) -> dict:
    data = copy.deepcopy(example_data())
    change(data)
    return data


CASES = {
    "unknown department": (
        lambda d: d["registration"].update(department="Calvadoss"),
        [
            "“New registration at the prefecture › Department where you live, which decides the competent prefecture "
            "(its number, e.g. 14, 2A, 971, or its name)” (registration.department): no department found: give a "
            "department number (14, 2A, 971), its name in French or a postal code. Did you mean: Calvados (14)?"
        ],
        [
            "« Nouvel enregistrement en préfecture › Département où vous résidez, qui détermine la préfecture compétente "
            "(son numéro, par ex. 14, 2A, 971, ou son nom) » (registration.department) : aucun département trouvé : "
            "indiquez un numéro de département (14, 2A, 971), son nom en français ou un code postal. Vouliez-vous dire : "
            "Calvados (14) ?"
        ],
    ),
    "ambiguous department": (
        lambda d: d["registration"].update(department="Corse"),
        [
            "“New registration at the prefecture › Department where you live, which decides the competent prefecture "
            "(its number, e.g. 14, 2A, 971, or its name)” (registration.department): several departments match: "
            "Corse-du-Sud (2A), Haute-Corse (2B). Give the department number or its full name."
        ],
        [
            "« Nouvel enregistrement en préfecture › Département où vous résidez, qui détermine la préfecture compétente "
            "(son numéro, par ex. 14, 2A, 971, ou son nom) » (registration.department) : plusieurs départements "
            "correspondent : Corse-du-Sud (2A), Haute-Corse (2B). Indiquez le numéro du département ou son nom complet."
        ],
    ),
    "element before the decision, not learned later": (
        lambda d: d["new_elements"][0].update(occurred_on="2025-06-01"),
        [
            "“New elements n° 1 › Date you learned of it (needed if it happened before the final decision)” "
            "(new_elements.0.learned_on): this element dates from before the final decision (“Final decision on the previous application › Date of the final decision”, final_decision.date). "
            "It is new only if you learned of it after that decision (L.531-42 CESEDA): give the date you learned of it.",
            "“New elements n° 1 › Why it could not be produced before the final decision” (new_elements.0.why_not_before): "
            "explain why this element could not be produced before the final decision (“Final decision on the previous application › Date of the final decision”, final_decision.date) "
            "(L.531-42 CESEDA).",
        ],
        [
            "« Éléments nouveaux n° 1 › Date à laquelle vous en avez eu connaissance (nécessaire s'il est survenu avant "
            "la décision définitive) » (new_elements.0.learned_on) : cet élément est antérieur à la décision définitive "
            "(« Décision définitive sur la demande précédente › Date de la décision définitive », final_decision.date). Il n'est nouveau que si vous n'en avez eu connaissance qu'après cette décision "
            "(L.531-42 CESEDA) : indiquez la date à laquelle vous l'avez appris.",
            "« Éléments nouveaux n° 1 › Pourquoi il n'a pas pu être produit avant la décision définitive » "
            "(new_elements.0.why_not_before) : expliquez pourquoi cet élément n'a pas pu être produit avant la décision "
            "définitive (« Décision définitive sur la demande précédente › Date de la décision définitive », final_decision.date) (L.531-42 CESEDA).",
        ],
    ),
    "element known before the decision": (
        lambda d: d["new_elements"][1].update(learned_on="2025-09-01"),
        [
            "“New elements n° 2 › Date you learned of it (needed if it happened before the final decision)” "
            "(new_elements.1.learned_on): you learned of this element before the final decision (“Final decision on the previo"
            "us application › Date of the final decision”, final_decision.date): it is not new in the sense of L.531-42 CESEDA and cannot support a re-examination. Remove it, or "
            "correct the date."
        ],
        [
            "« Éléments nouveaux n° 2 › Date à laquelle vous en avez eu connaissance (nécessaire s'il est survenu avant "
            "la décision définitive) » (new_elements.1.learned_on) : vous avez eu connaissance de cet élément avant la "
            "décision définitive (« Décision définitive sur la demande précédente › Date de la décision définitive », final_decision.date) : il n'est pas nouveau au sens de l'article L.531-42 du "
            "CESEDA et ne peut pas fonder un réexamen. Retirez-le, ou corrigez la date."
        ],
    ),
    "element learned later without a reason": (
        lambda d: d["new_elements"][1].update(why_not_before=""),
        [
            "“New elements n° 2 › Why it could not be produced before the final decision” (new_elements.1.why_not_before): "
            "explain why this element could not be produced before the final decision (“Final decision on the previous application › Date of the final decision”, final_decision.date) "
            "(L.531-42 CESEDA)."
        ],
        [
            "« Éléments nouveaux n° 2 › Pourquoi il n'a pas pu être produit avant la décision définitive » "
            "(new_elements.1.why_not_before) : expliquez pourquoi cet élément n'a pas pu être produit avant la décision "
            "définitive (« Décision définitive sur la demande précédente › Date de la décision définitive », final_decision.date) (L.531-42 CESEDA)."
        ],
    ),
    "element on the day of the decision": (
        lambda d: d["new_elements"][0].update(occurred_on="2025-11-14"),
        None,
        None,
    ),
    "no new element": (
        lambda d: d.update(new_elements=[]),
        [
            "“New elements” (new_elements): a re-examination needs at least one new element: a fact or a document that "
            "arose, or that you learned of, after the final decision (L.531-42 CESEDA)."
        ],
        [
            "« Éléments nouveaux » (new_elements) : un réexamen exige au moins un élément nouveau : un fait ou un "
            "document survenu après la décision définitive, ou dont vous n'avez eu connaissance qu'après elle "
            "(L.531-42 CESEDA)."
        ],
    ),
    "registration before the decision": (
        lambda d: d["registration"].update(date="2025-11-10"),
        [
            "“New registration at the prefecture › Date of the new registration at the prefecture” (registration.date): "
            "the new registration cannot be before the final decision (“Final decision on the previous application › Date of the final decision”, final_decision.date)."
        ],
        [
            "« Nouvel enregistrement en préfecture › Date du nouvel enregistrement en préfecture » (registration.date) : "
            "le nouvel enregistrement ne peut pas être antérieur à la décision définitive (« Décision définitive sur la demande précédente › Date de la décision définitive », final_decision.date)."
        ],
    ),
    "signature before the registration": (
        lambda d: d["signature"].update(date="2026-03-02"),
        [
            "“Signature › Date of signature” (signature.date): the request cannot be signed before the new registration "
            "(“New registration at the prefecture › Date of the new registration at the prefecture”, registration.date)."
        ],
        [
            "« Signature › Date de signature » (signature.date) : la demande ne peut pas être signée avant le nouvel "
            "enregistrement (« Nouvel enregistrement en préfecture › Date du nouvel enregistrement en préfecture », registration.date)."
        ],
    ),
    "learned before it happened": (
        lambda d: d["new_elements"][0].update(learned_on="2026-01-19"),
        [
            "“New elements n° 1 › Date you learned of it (needed if it happened before the final decision)” "
            "(new_elements.0.learned_on): you cannot have learned of it before it happened (“New elements n° 1 › Date the element happened”, new_elements.0.occurred_on)."
        ],
        [
            "« Éléments nouveaux n° 1 › Date à laquelle vous en avez eu connaissance (nécessaire s'il est survenu avant "
            "la décision définitive) » (new_elements.0.learned_on) : vous ne pouvez pas en avoir eu connaissance avant "
            "qu'il survienne (« Éléments nouveaux n° 1 › Date à laquelle l'élément est survenu », new_elements.0.occurred_on)."
        ],
    ),
    "element in the future": (
        lambda d: d["new_elements"][0].update(occurred_on="2026-03-06"),
        ["“New elements n° 1 › Date the element happened” (new_elements.0.occurred_on): this date is in the future."],
        ["« Éléments nouveaux n° 1 › Date à laquelle l'élément est survenu » (new_elements.0.occurred_on) : cette date est dans le futur."],
    ),
    "exhibit that does not exist": (
        lambda d: d["new_elements"][1].update(exhibits=[3, 4]),
        [
            "“New elements n° 2 › Numbers of the exhibits that prove it n° 2” (new_elements.1.exhibits.1): there is no "
            "exhibit no. 4: the list of exhibits has 3."
        ],
        [
            "« Éléments nouveaux n° 2 › Numéros des pièces qui le prouvent n° 2 » (new_elements.1.exhibits.1) : il n'y a "
            "pas de pièce n° 4 : la liste des pièces en compte 3."
        ],
    ),
    "a typed prefecture": (
        lambda d: d["registration"].update(prefecture="Préfecture de la Manche"),
        [
            "“New registration at the prefecture” (registration): this group holds an answer that this procedure does "
            "not know (check the spelling of its name, or remove it)."
        ],
        None,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_answers_have_exact_messages(name):
    change, english, french = CASES[name]
    data = mutated(change)
    if name == "element on the day of the decision":
        # The day of the decision is not "after" it (L.531-42): a learned-later date is needed.
        found = problems(data, "en")
        assert [p.split(": ", 1)[0] for p in found] == [
            "“New elements n° 1 › Date you learned of it (needed if it happened before the final decision)” (new_elements.0.learned_on)",
            "“New elements n° 1 › Why it could not be produced before the final decision” (new_elements.0.why_not_before)",
        ]
        return
    assert problems(data, "en") == english
    if french is not None:
        assert problems(data, "fr") == french


def test_bad_answers_through_the_command_write_nothing(tmp_path):
    data = mutated(lambda d: d["registration"].update(department="Calvadoss"))
    result, out = build(tmp_path, data, lang="fr")
    assert result.returncode == 1
    assert not out.exists()
    assert result.stderr.startswith("Erreur : Les réponses comportent 1 problème ; rien n'a été écrit :\n  - « Nouvel enregistrement")
    assert "Calvadoss" not in result.stderr  # the value typed is never repeated


# --- the template -----------------------------------------------------------------------------------


def test_template_is_what_its_script_produces():
    sys.path.insert(0, str(ROOT))
    from tools import make_templates

    module = importlib.import_module("tools.templates.reexamination")
    assert (ROOT / "templates" / "letters" / module.OUTPUT).read_bytes() == make_templates.render(module)


def test_template_renders_hostile_values_cleanly():
    from docassemble_asylum.procedures.reexamination import TEMPLATE, render_context
    from docassemble_asylum.procedures import get
    from docassemble_asylum.resources import letter_template
    from lxml import etree

    answers = get("reexamination").validate(example_data(), dt.date.fromisoformat(TODAY))
    context = render_context(answers)
    nasty = "& < > \" ' « » œ — مرحبا Привет"
    context["applicant"]["other_names"] = nasty
    context["exhibits"][0]["title"] = nasty
    data = render_docx(letter_template(TEMPLATE), context)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                etree.fromstring(archive.read(name))  # strict parse
    text = docx_text(data)
    assert text.count(typeset(nasty)) == 2  # the letter is French: its typography, nothing else
    assert "{{" not in text and "{%" not in text


def test_catalog_is_complete():
    import subprocess

    result = subprocess.run(
        [sys.executable, "tools/i18n.py", "--check", "--domain", "reexamination"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
