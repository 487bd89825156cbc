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


def registered_on(day: str, signed_on: str) -> dict:
    """The example, registered at the prefecture on ``day`` and signed on ``signed_on``."""
    data = example_data()
    data["registration"]["date"] = day
    data["signature"]["date"] = signed_on
    return data


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
        "4 rue de la Gare, chez association Accueil & Solidarité, 50100 Cherbourg-en-Cotentin",
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
        typeset("Ma demande de réexamen a été enregistrée le 3 mars 2026 par la préfecture du Calvados, à Caen, compétente, "
        "en application de l'article R.531-35 du CESEDA, pour le département où je réside (Manche, 50).") in letter
    )
    # each new element under its head of "new", in the legal words of that head
    assert typeset("Élément nouveau n° 1 : fait intervenu après la décision définitive\nLe 20 janvier 2026, les autorités de la province de Hérat") in letter
    assert (
        typeset("Date : 20 janvier 2026. Ce fait est intervenu après la décision définitive du 14 novembre 2025 (article "
        "L.531-42 du CESEDA) : il n'a donc pas pu être examiné lors de ma précédente demande.\n"
        "Cet élément augmente de manière significative la probabilité que je justifie des conditions requises pour "
        "prétendre à une protection (article L.531-42 du CESEDA) :\nCet avis de recherche montre que les autorités me "
        "recherchent personnellement") in letter
    )
    assert typeset("Pièces justificatives : n° 1, n° 2 (voir le bordereau).") in letter
    assert typeset(
        "Élément nouveau n° 2 : fait dont je n'ai pu avoir connaissance qu'après la décision définitive\n"
        "Mon frère a été arrêté le 10 août 2025"
    ) in letter
    assert (
        typeset("Date : 10 août 2025. Je n'ai appris ce fait que le 2 février 2026, après la décision définitive du "
        "14 novembre 2025 ; je ne pouvais pas le connaître auparavant (article L.531-42 du CESEDA).\nCet élément "
        "n'a pas pu être produit auparavant pour la raison suivante :\nMa famille n'a pu me joindre qu'après sa libération") in letter
    )
    assert typeset("Pièce justificative : n° 3 (voir le bordereau).") in letter
    # the vulnerability head: an old fact, accepted, with the explanation and the CNDA's definition
    assert typeset(
        "Élément nouveau n° 3 : fait antérieur que je n'ai pas pu invoquer en raison d'une situation de vulnérabilité\n"
        "Lors de ma détention à Hérat, avant mon départ d'Afghanistan, j'ai subi des violences sexuelles"
    ) in letter
    assert typeset(
        "Date : 16 juin 2023. Ce fait est antérieur à la décision définitive du 14 novembre 2025, mais une situation "
        "réelle de vulnérabilité ne m'a pas permis de l'invoquer lors de ma précédente demande :\nLa honte et le "
        "traumatisme m'ont empêché d'en parler"
    ) in letter
    assert typeset(
        "Selon la définition retenue par la Cour nationale du droit d'asile, constituent des éléments nouveaux les faits "
        "antérieurs que le demandeur n'a pas pu invoquer en raison d'une situation réelle de vulnérabilité, notamment "
        "liée à son orientation sexuelle, à des violences sexuelles ou à un traumatisme."
    ) in letter
    assert "[À compléter" not in letter  # every element of the example says why it matters
    # the letter is the statement accompanying Ofpra's form, and asks for an interview
    assert typeset(
        "La présente lettre est la déclaration écrite qui accompagne le formulaire de demande de réexamen de l'Ofpra, "
        "que j'ai complété et signé (pièce A), et la copie de mon attestation de demande d'asile (pièce B)."
    ) in letter
    assert typeset(
        "Je demande expressément à être entendu par un officier de protection lors d'un entretien personnel, afin "
        "d'exposer de vive voix ces éléments nouveaux"
    ) in letter
    # salutation and closing for Ofpra's director general, from rule data
    addressee = rulebook()["reexamination.addressee"].at(dt.date(2026, 3, 3)).value
    assert "\nMonsieur le Directeur général,\nJe soussigné" in letter
    assert addressee["salutation"] == "Monsieur le Directeur général,"
    assert typeset(
        "Je vous prie d'agréer, Monsieur le Directeur général, l'expression de ma haute considération."
    ) in letter
    assert "Madame, Monsieur" not in letter
    # the bordereau: the request's own documents lettered A and B, then the numbered exhibits
    bordereau = letter.split("Bordereau des pièces\n", 1)[1]
    assert bordereau.startswith(typeset(
        "Pièces A et B : les pièces de la demande elle-même ; pièces numérotées : les justificatifs des éléments nouveaux.\n"
        "N°\nPièce\nTraduction jointe\n"
        "A\nFormulaire de demande de réexamen de l'Ofpra, complété et signé\nsans objet\n"
        "B\nCopie de l'attestation de demande d'asile (enregistrement du 3 mars 2026)\nsans objet\n"
        "1\nAvis de recherche du 20 janvier 2026 (copie)\noui\n"
        "2\nAttestation de l'association des droits des femmes de Hérat\noui\n"
        "3\nMessage de ma mère du 2 février 2026 (capture d'écran)\noui\n"
        "4\nAttestation du psychologue du 10 février 2026 (psychotraumatisme)\nsans objet (document en français)\n"
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
    assert "3. Message de ma mère du 2 février 2026 (capture d'écran) — translation to attach\n" in summary


def test_pole_france_asile_changes_the_delivery_and_the_summary(tmp_path):
    data = example_data()
    data["registration"]["department"] = "Val-d'Oise"
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    letter, summary = texts(out)
    assert typeset("Remise à l'agent de l'Ofpra — Pôle territorial France Asile (Val-d'Oise), Cergy") in letter
    assert typeset(
        "par le pôle territorial France Asile (Val-d'Oise), à Cergy, compétent, en application de l'article R.531-35 du "
        "CESEDA, pour le département où je réside (Val-d'Oise, 95)."
    ) in letter
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


FIXTURE_BEFORE_HEADS = ROOT / "tests" / "fixtures" / "reexamination-before-heads.yaml"


def _squeezed(text: str) -> str:
    """Text without spaces, hyphens or typographic variants: pdftotext breaks lines anywhere."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("\u202f", " ").replace("\u00a0", " ")
    return re.sub(r"[\s\-\u2010\u2011]+", "", text)


def pdf_text(path: Path) -> str:
    import subprocess

    from conftest import require_tool

    tool = require_tool("pdftotext")
    return subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_answers_written_before_the_heads_still_build_with_the_head_their_dates_imply(tmp_path):
    """The bundled example as it was on main (no ``head``): each element gets the head its dates imply."""
    data = yaml.safe_load(FIXTURE_BEFORE_HEADS.read_text(encoding="utf-8"))
    assert all("head" not in element for element in data["new_elements"])
    result, out = build(tmp_path, data, lang="fr")
    assert result.returncode == 0, result.stderr
    letter, summary = texts(out)
    assert typeset("Élément nouveau n° 1 : fait intervenu après la décision définitive\nLe 20 janvier 2026") in letter
    assert typeset(
        "Élément nouveau n° 2 : fait dont je n'ai pu avoir connaissance qu'après la décision définitive\nMon frère"
    ) in letter
    # no "why it matters" in the old answers: the letter leaves a place to complete, the summary says so
    assert letter.count(typeset("[À compléter : en quoi cet élément rend plus probable")) == 2
    # the summary opens with the unfinished parts, one per element
    assert summary.count(typeset("La lettre ne dit pas encore en quoi cet élément rend une protection plus probable (l'endroit est surligné).")) == 2
    bordereau = letter.split("Bordereau des pièces\n", 1)[1]
    assert typeset("A\nFormulaire de demande de réexamen de l'Ofpra, complété et signé\nsans objet\nB\nCopie de l'attestation") in bordereau
    assert typeset("sans objet\n1\nAvis de recherche du 20 janvier 2026 (copie)\noui\n") in bordereau
    # the exhibit references keep their numbers
    assert typeset("Pièces justificatives : n° 1, n° 2 (voir le bordereau).") in letter


def test_new_evidence_of_a_fact_already_invoked_is_framed_with_the_date_it_was_obtained(tmp_path):
    data = example_data()
    data["new_elements"][1] = {
        "description": "Le jugement rendu contre moi par le tribunal de Hérat, que j'invoquais déjà.",
        "head": "new_evidence",
        "occurred_on": "2025-03-10",
        "evidence_obtained_on": "2026-01-30",
        "why_not_before": "Mon avocat à Hérat n'a pu en obtenir une copie qu'en janvier.",
        "significance": "Ce jugement prouve la condamnation que l'Office avait jugée non établie.",
        "exhibits": [3],
    }
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    letter, summary = texts(out)
    assert typeset(
        "Élément nouveau n° 2 : élément de preuve nouveau d'un fait déjà invoqué\n"
        "Le jugement rendu contre moi par le tribunal de Hérat, que j'invoquais déjà.\n"
        "Ce fait, survenu le 10 mars 2025, a déjà été invoqué lors de ma précédente demande ; l'élément de preuve que je "
        "produis est nouveau : je ne l'ai obtenu que le 30 janvier 2026, après la décision définitive du 14 novembre "
        "2025. Un élément de preuve nouveau, postérieur à la décision définitive, constitue un élément nouveau au sens "
        "de l'article L.531-42 du CESEDA (CE, 26 janvier 2018, n° 397611).\n"
        "Cet élément n'a pas pu être produit auparavant pour la raison suivante :\nMon avocat à Hérat n'a pu en obtenir "
        "une copie qu'en janvier.\n"
        "Cet élément augmente de manière significative la probabilité que je justifie des conditions requises pour "
        "prétendre à une protection (article L.531-42 du CESEDA) :\nCe jugement prouve la condamnation"
    ) in letter
    assert "Element 2: new evidence, obtained on Friday 30 January 2026, of a fact already invoked (of Monday 10 March 2025)." in summary


def test_letter_and_summary_as_pdf_list_the_form_the_heads_and_the_consequences(tmp_path):
    from conftest import require_tool

    require_tool("soffice")
    case = write_case(tmp_path, example_data())
    out = tmp_path / "out"
    result = run_cli("build", "reexamination", "--answers", str(case), "--out", str(out), "--today", TODAY, "--lang", "fr", "--pdf")
    assert result.returncode == 0, result.stderr
    letter = _squeezed(pdf_text(out / "demande-reexamen.pdf"))
    summary = _squeezed(pdf_text(out / "summary.pdf"))
    for phrase in (
        "Monsieur le Directeur général,",
        "l'expression de ma haute considération.",
        "accompagne le formulaire de demande de réexamen de l'Ofpra, que j'ai complété et signé (pièce A)",
        "la copie de mon attestation de demande d'asile (pièce B)",
        "Je demande expressément à être entendu par un officier de protection lors d'un entretien personnel",
        "Élément nouveau n° 1 : fait intervenu après la décision définitive",
        "Élément nouveau n° 2 : fait dont je n'ai pu avoir connaissance qu'après la décision définitive",
        "Élément nouveau n° 3 : fait antérieur que je n'ai pas pu invoquer en raison d'une situation de vulnérabilité",
        "Formulaire de demande de réexamen de l'Ofpra, complété et signé",
        "Copie de l'attestation de demande d'asile (enregistrement du 3 mars 2026)",
    ):
        assert _squeezed(typeset(phrase)) in letter, phrase
    # A and B come before the numbered exhibits in the bordereau
    bordereau = letter.split(_squeezed("Bordereau des pièces"), 1)[1]
    positions = [bordereau.index(_squeezed(typeset(s))) for s in (
        "Formulaire de demande de réexamen", "Copie de l'attestation", "Avis de recherche du 20 janvier 2026", "Attestation du psychologue")]
    assert positions == sorted(positions)
    for phrase in (
        "A. Le formulaire de demande de réexamen de l'Ofpra, rempli et signé",
        "B. Une copie de votre attestation de demande d'asile",
        "Si l'Ofpra juge le dossier incomplet, il vous laisse 4 jours pour le compléter (R.531-37 CESEDA) ; à défaut, "
        "l'Ofpra peut clôturer la demande.",
        "Certitude de ce cas : déduction",
        "votre droit de vous maintenir en France prend fin avec cette décision (L.542-2 CESEDA)",
        "Une seconde demande de réexamen, après celle-ci, ne donne aucun droit de vous maintenir en France (L.542-2 CESEDA).",
        "Les conditions matérielles d'accueil (allocation, hébergement) peuvent être refusées",
        "Selon la règle vérifiée avant juin 2026, le délai est de 1 mois",
        "Certitude de ce délai : non vérifiée",
    ):
        assert _squeezed(typeset(phrase)) in summary, phrase


def test_summary_tells_the_consequences_in_english(tmp_path):
    result, out = build(tmp_path, example_data())
    assert result.returncode == 0, result.stderr
    _, summary = texts(out)
    section = summary.split("What a re-examination changes for you\n", 1)[1]
    assert section.startswith(
        "Certainty: inference (an application of sourced rules: check it)\n"
        "If Ofpra declares the request inadmissible, your right to remain in France ends with that decision (L.542-2 "
        "CESEDA), even if you appeal to the CNDA: you can then be ordered to leave France.\n"
        "A second re-examination request, after this one, gives no right to remain at all (L.542-2 CESEDA).\n"
        "The material reception conditions (allowance, accommodation) may be refused to a person who asks for a "
        "re-examination (L.551-15 CESEDA).\n"
        "The appeal to the CNDA against an inadmissibility decision does not by itself stop a removal"
    )
    assert "Certainty of this period: verified (follows directly from a sourced rule)" in summary
    assert "Certainty of this period: unverified (not confirmed from an official text: check it)" in summary


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "(section “New elements”): explain the situation of vulnerability"),
        ("fr", "(partie « Éléments nouveaux ») : expliquez la situation de vulnérabilité"),
    ],
)
def test_a_vulnerability_head_without_explanation_writes_nothing(tmp_path, lang, expected):
    data = example_data()
    data["new_elements"][2]["vulnerability"] = ""
    result, out = build(tmp_path, data, lang=lang)
    assert result.returncode == 1
    assert not out.exists()
    assert "Traceback" not in result.stderr
    assert typeset(expected) in result.stderr or expected in result.stderr
    assert "violences sexuelles de la part" not in result.stderr  # the person's account is never repeated


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
        "Registered on Tuesday 3 March 2026 by Préfecture du Calvados, Caen (14), competent for Manche (50).",
        "Element 1: a fact that happened on Tuesday 20 January 2026, after the final decision.",
        "Element 2: a fact of Sunday 10 August 2025 that you could only learn of on Monday 2 February 2026, after the final decision.",
        "Element 3: a fact of Friday 16 June 2023, known before the final decision, that a situation of vulnerability prevented you from raising.",
        "Certainty of this category: inference (an application of sourced rules: check it). It rests on the CNDA's definition and practitioners' reading, not on the words of L.531-42 CESEDA: Ofpra may not accept it, so explain the vulnerability precisely and enclose what supports it (a medical certificate, an association's attestation).",
        "The request itself is Ofpra's re-examination form, handed to you at the prefecture with the asylum application certificate: complete it and sign it. This letter is the written statement that accompanies it.",
        "If Ofpra finds the file incomplete, it gives you 4 days to complete it (R.531-37 CESEDA); if you do not, Ofpra may close the request. Send a complete file at once to avoid that risk.",
        "What to enclose\nA. Ofpra's re-examination form, completed and signed\nB. A copy of your asylum application certificate (attestation de demande d'asile)\n1. Avis de recherche du 20 janvier 2026 (copie) — translation attached\n",
        "4. Attestation du psychologue du 10 février 2026 (psychotraumatisme) (in French)\n",
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
    result, out = build(tmp_path, registered_on("2026-04-03", signed_on="2026-04-06"), today="2026-04-06")
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
        "Ofpra's decision on this request will come under the reform of June 2026 (decisions notified from Monday "
        "8 June 2026): if it declares the request inadmissible, the period to appeal to the CNDA may be as short as "
        "5 days. Read the decision as soon as it arrives.",
        "The competent prefecture for Guyane (973) is not confirmed by an official text: check it against your convocation.",
        "In Guyane (973), some asylum periods are shorter (R.591-12-1 CESEDA): check the period on your convocation.",
    ]
    assert "Certainty: unverified (not confirmed from an official text: check it)" in summary


def test_a_registration_a_month_before_the_reform_says_the_decision_may_come_under_it(tmp_path):
    """Registered on 15 May 2026: Ofpra's decision may be notified before or after 8 June; in French too."""
    result, out = build(tmp_path, registered_on("2026-05-15", signed_on="2026-05-16"), today="2026-05-16", lang="fr")
    assert result.returncode == 0, result.stderr
    _, summary = texts(out)
    warnings = [line[2:] for line in summary.splitlines() if line.startswith("⚠ ")]
    assert warnings[0] == typeset(
        "La décision de l'Ofpra sur cette demande pourra être notifiée à partir du lundi 8 juin 2026 (réforme de juin "
        "2026) : si elle déclare la demande irrecevable, le délai de recours devant la CNDA pourra être de 5 jours "
        "seulement. Lisez la décision dès sa réception."
    )


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


HEAD_EN = "“New elements no. 1 › Why this element is new (occurred_after, learned_after, vulnerability or new_evidence)” (section “New elements”)"
HEAD_FR = "« Éléments nouveaux n° 1 › Pourquoi cet élément est nouveau (occurred_after, learned_after, vulnerability ou new_evidence) » (partie « Éléments nouveaux »)"

CASES = {
    "unknown department": (
        lambda d: d["registration"].update(department="Calvadoss"),
        [
            "“New registration at the prefecture › Department where you live, which decides the competent prefecture "
            "(its number, e.g. 14, 2A, 971, or its name)” (section “Registration”): no department found: give a "
            "department number (14, 2A, 971), its name in French or a postal code. Did you mean: Calvados (14)?"
        ],
        [
            "« Nouvel enregistrement en préfecture › Département où vous résidez, qui détermine la préfecture compétente "
            "(son numéro, par ex. 14, 2A, 971, ou son nom) » (partie « Enregistrement ») : aucun département trouvé : "
            "indiquez un numéro de département (14, 2A, 971), son nom en français ou un code postal. Vouliez-vous dire : "
            "Calvados (14) ?"
        ],
    ),
    "ambiguous department": (
        lambda d: d["registration"].update(department="Corse"),
        [
            "“New registration at the prefecture › Department where you live, which decides the competent prefecture "
            "(its number, e.g. 14, 2A, 971, or its name)” (section “Registration”): several departments match: "
            "Corse-du-Sud (2A), Haute-Corse (2B). Give the department number or its full name."
        ],
        [
            "« Nouvel enregistrement en préfecture › Département où vous résidez, qui détermine la préfecture compétente "
            "(son numéro, par ex. 14, 2A, 971, ou son nom) » (partie « Enregistrement ») : plusieurs départements "
            "correspondent : Corse-du-Sud (2A), Haute-Corse (2B). Indiquez le numéro du département ou son nom complet."
        ],
    ),
    "old element with no head": (
        lambda d: (d["new_elements"][0].pop("head"), d["new_elements"][0].update(occurred_on="2025-06-01")),
        [
            HEAD_EN + ": this element dates from before the final decision (“Final decision on the previous application › "
            "Date of the final decision”, in the section “Previous decision”). It is new only under one of these heads: you could only "
            "learn of it after that decision (give the date you learned of it); a real situation of vulnerability (sexual "
            "orientation, sexual violence, trauma…) prevented you from raising it (explain it); or it is new evidence of a "
            "fact already invoked (give the date you obtained it) (L.531-42 CESEDA; CE 26 January 2018, n° 397611)."
        ],
        [
            HEAD_FR + " : cet élément est antérieur à la décision définitive (« Décision définitive sur la demande "
            "précédente › Date de la décision définitive », dans la partie « Décision précédente »). Il n'est nouveau que dans l'un de ces "
            "cas : vous n'avez pu en avoir connaissance qu'après cette décision (indiquez la date à laquelle vous l'avez "
            "appris) ; une situation réelle de vulnérabilité (orientation sexuelle, violences sexuelles, traumatisme…) ne "
            "vous a pas permis de l'invoquer (expliquez-la) ; ou c'est une preuve nouvelle d'un fait déjà invoqué "
            "(indiquez la date à laquelle vous l'avez obtenue) (L.531-42 CESEDA ; CE, 26 janvier 2018, n° 397611)."
        ],
    ),
    "element before the decision under the head occurred after": (
        lambda d: d["new_elements"][0].update(occurred_on="2025-06-01"),
        [
            HEAD_EN + ": this element happened before the final decision (“Final decision on the previous application › "
            "Date of the final decision”, in the section “Previous decision”), not after it: choose the head that applies (learned of "
            "later, a situation of vulnerability, or new evidence of a fact already invoked), or correct the date."
        ],
        [
            HEAD_FR + " : cet élément est survenu avant la décision définitive (« Décision définitive sur la demande "
            "précédente › Date de la décision définitive », dans la partie « Décision précédente »), et non après : choisissez le cas qui "
            "s'applique (connu seulement après, situation de vulnérabilité, ou preuve nouvelle d'un fait déjà invoqué), "
            "ou corrigez la date."
        ],
    ),
    "vulnerability without an explanation": (
        lambda d: d["new_elements"][2].pop("vulnerability"),
        [
            "“New elements no. 3 › The situation of vulnerability that prevented you from raising it before (sexual "
            "orientation, sexual violence, trauma…)” (section “New elements”): explain the situation of "
            "vulnerability that prevented you from raising this element before the final decision: without it, the "
            "element is not new."
        ],
        [
            "« Éléments nouveaux n° 3 › La situation de vulnérabilité qui ne vous a pas permis de l'invoquer auparavant "
            "(orientation sexuelle, violences sexuelles, traumatisme…) » (partie « Éléments nouveaux ») : expliquez la "
            "situation de vulnérabilité qui ne vous a pas permis d'invoquer cet élément avant la décision définitive : "
            "sans cette explication, l'élément n'est pas nouveau."
        ],
    ),
    "learned later without a date": (
        lambda d: d["new_elements"][1].pop("learned_on"),
        [
            "“New elements no. 2 › Date you learned of it (needed if it happened before the final decision)” "
            "(section “New elements”): give the date you learned of this element: it is new under this head only if "
            "you could learn of it only after the final decision (“Final decision on the previous application › Date of "
            "the final decision”, in the section “Previous decision”) (L.531-42 CESEDA)."
        ],
        [
            "« Éléments nouveaux n° 2 › Date à laquelle vous en avez eu connaissance (nécessaire s'il est survenu avant "
            "la décision définitive) » (partie « Éléments nouveaux ») : indiquez la date à laquelle vous avez eu "
            "connaissance de cet élément : il n'est nouveau à ce titre que si vous n'avez pu en avoir connaissance "
            "qu'après la décision définitive (« Décision définitive sur la demande précédente › Date de la décision "
            "définitive », dans la partie « Décision précédente ») (L.531-42 CESEDA)."
        ],
    ),
    "new evidence without the date it was obtained": (
        lambda d: d["new_elements"][0].update(head="new_evidence"),
        [
            "“New elements no. 1 › Date you obtained this new evidence” (section “New elements”): give the "
            "date you obtained this evidence: new evidence of a fact already invoked counts only if the evidence itself "
            "is new, obtained after the final decision (“Final decision on the previous application › Date of the final "
            "decision”, in the section “Previous decision”)."
        ],
        [
            "« Éléments nouveaux n° 1 › Date à laquelle vous avez obtenu cette preuve nouvelle » "
            "(partie « Éléments nouveaux ») : indiquez la date à laquelle vous avez obtenu cette preuve : une "
            "preuve nouvelle d'un fait déjà invoqué ne compte que si la preuve elle-même est nouvelle, obtenue après la "
            "décision définitive (« Décision définitive sur la demande précédente › Date de la décision définitive », "
            "dans la partie « Décision précédente »)."
        ],
    ),
    "new evidence obtained on the day of the decision": (
        lambda d: d["new_elements"][0].update(head="new_evidence", evidence_obtained_on="2025-11-14"),
        [
            "“New elements no. 1 › Date you obtained this new evidence” (section “New elements”): you "
            "obtained this evidence before the final decision (“Final decision on the previous application › Date of the "
            "final decision”, in the section “Previous decision”): it is not new evidence and cannot support a re-examination. Remove "
            "it, or correct the date."
        ],
        [
            "« Éléments nouveaux n° 1 › Date à laquelle vous avez obtenu cette preuve nouvelle » "
            "(partie « Éléments nouveaux ») : vous avez obtenu cette preuve avant la décision définitive "
            "(« Décision définitive sur la demande précédente › Date de la décision définitive », dans la partie « Décision précédente ») : "
            "ce n'est pas une preuve nouvelle et elle ne peut pas fonder un réexamen. Retirez-la, ou corrigez la date."
        ],
    ),
    "element known before the decision": (
        lambda d: d["new_elements"][1].update(learned_on="2025-09-01"),
        [
            "“New elements no. 2 › Date you learned of it (needed if it happened before the final decision)” "
            "(section “New elements”): you learned of this element before the final decision (“Final decision on the previo"
            "us application › Date of the final decision”, in the section “Previous decision”): it is not new in the sense of L.531-42 CESEDA and cannot support a re-examination. Remove it, or "
            "correct the date."
        ],
        [
            "« Éléments nouveaux n° 2 › Date à laquelle vous en avez eu connaissance (nécessaire s'il est survenu avant "
            "la décision définitive) » (partie « Éléments nouveaux ») : vous avez eu connaissance de cet élément avant la "
            "décision définitive (« Décision définitive sur la demande précédente › Date de la décision définitive », dans la partie « Décision précédente ») : il n'est pas nouveau au sens de l'article L.531-42 du "
            "CESEDA et ne peut pas fonder un réexamen. Retirez-le, ou corrigez la date."
        ],
    ),
    "element learned later without a reason": (
        lambda d: d["new_elements"][1].update(why_not_before=""),
        [
            "“New elements no. 2 › Why it could not be produced before the final decision” (section “New elements”): "
            "explain why this element could not be produced before the final decision (“Final decision on the previous application › Date of the final decision”, in the section “Previous decision”) "
            "(L.531-42 CESEDA)."
        ],
        [
            "« Éléments nouveaux n° 2 › Pourquoi il n'a pas pu être produit avant la décision définitive » "
            "(partie « Éléments nouveaux ») : expliquez pourquoi cet élément n'a pas pu être produit avant la décision "
            "définitive (« Décision définitive sur la demande précédente › Date de la décision définitive », dans la partie « Décision précédente ») (L.531-42 CESEDA)."
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
            "“New elements” (section “New elements”): a re-examination needs at least one new element: a fact or a document that "
            "arose, or that you learned of, after the final decision (L.531-42 CESEDA)."
        ],
        [
            "« Éléments nouveaux » (partie « Éléments nouveaux ») : un réexamen exige au moins un élément nouveau : un fait ou un "
            "document survenu après la décision définitive, ou dont vous n'avez eu connaissance qu'après elle "
            "(L.531-42 CESEDA)."
        ],
    ),
    "registration before the decision": (
        lambda d: d["registration"].update(date="2025-11-10"),
        [
            "“New registration at the prefecture › Date of the new registration at the prefecture” (section “Registration”): "
            "the new registration cannot be before the final decision (“Final decision on the previous application › Date of the final decision”, in the section “Previous decision”)."
        ],
        [
            "« Nouvel enregistrement en préfecture › Date du nouvel enregistrement en préfecture » (partie « Enregistrement ») : "
            "le nouvel enregistrement ne peut pas être antérieur à la décision définitive (« Décision définitive sur la demande précédente › Date de la décision définitive », dans la partie « Décision précédente »)."
        ],
    ),
    "signature before the registration": (
        lambda d: d["signature"].update(date="2026-03-02"),
        [
            "“Signature › Date of signature” (section “Signature”): the request cannot be signed before the new registration "
            "(“New registration at the prefecture › Date of the new registration at the prefecture”, in the section “Registration”)."
        ],
        [
            "« Signature › Date de signature » (partie « Signature ») : la demande ne peut pas être signée avant le nouvel "
            "enregistrement (« Nouvel enregistrement en préfecture › Date du nouvel enregistrement en préfecture », dans la partie « Enregistrement »)."
        ],
    ),
    "learned before it happened": (
        lambda d: d["new_elements"][0].update(learned_on="2026-01-19"),
        [
            "“New elements no. 1 › Date you learned of it (needed if it happened before the final decision)” "
            "(section “New elements”): you cannot have learned of it before it happened (“New elements no. 1 › Date the element happened”, in the section “New elements”)."
        ],
        [
            "« Éléments nouveaux n° 1 › Date à laquelle vous en avez eu connaissance (nécessaire s'il est survenu avant "
            "la décision définitive) » (partie « Éléments nouveaux ») : vous ne pouvez pas en avoir eu connaissance avant "
            "qu'il survienne (« Éléments nouveaux n° 1 › Date à laquelle l'élément est survenu », dans la partie « Éléments nouveaux »)."
        ],
    ),
    "element in the future": (
        lambda d: d["new_elements"][0].update(occurred_on="2026-03-06"),
        ["“New elements no. 1 › Date the element happened” (section “New elements”): this date is in the future."],
        ["« Éléments nouveaux n° 1 › Date à laquelle l'élément est survenu » (partie « Éléments nouveaux ») : cette date est dans le futur."],
    ),
    "exhibit that does not exist": (
        lambda d: d["new_elements"][1].update(exhibits=[3, 5]),
        [
            "“New elements no. 2 › Numbers of the exhibits that prove it no. 2” (section “New elements”): there is no "
            "exhibit no. 5: the list of exhibits has 4."
        ],
        [
            "« Éléments nouveaux n° 2 › Numéros des pièces qui le prouvent n° 2 » (partie « Éléments nouveaux ») : il n'y a "
            "pas de pièce n° 5 : la liste des pièces en compte 4."
        ],
    ),
    "a typed prefecture": (
        lambda d: d["registration"].update(prefecture="Préfecture de la Manche"),
        [
            "“New registration at the prefecture” (section “Registration”): this group holds an answer that this procedure does "
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
        # The day of the decision is not "after" it (L.531-42): the head "occurred after" does not apply.
        found = problems(data, "en")
        assert [p.split(": ", 1)[0] for p in found] == [HEAD_EN]
        assert "this element happened before the final decision" in found[0]
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


# --- a request registered under the EU regulation (review F-01, F-02) ----------------------------


def _registered_after_the_regulation() -> dict:
    return registered_on("2026-12-02", signed_on="2026-12-04")


def _section(summary: str, heading: str, following: str) -> str:
    return summary.split(heading + "\n", 1)[1].split(following + "\n", 1)[0]


# What the summary says of a request registered under the regulation, in each language.
UNDER_THE_REGULATION = {
    "en": {
        "what happens next": "What happens next",
        "what it changes": "What a re-examination changes for you",
        "period": (
            "If the request is admissible, Ofpra examines it in the accelerated procedure.\n"
            "Your re-examination request was registered on or after Friday 12 June 2026: EU regulation 2024/1348 applies to "
            "it. If Ofpra declares it inadmissible, the period to appeal to the CNDA may be only 5 days (between 5 and 10 "
            "days under the regulation; the French text was not found). Read the period printed on the decision (“voies et "
            "délais de recours”) and act within 5 days.\n"
            "Certainty of this period: unverified (not confirmed from an official text: check it)\n"
            "The former rule (1 month from the notification, L.532-1 CESEDA) does not apply to your request.\n"
        ),
        "former rule": "Under the rule verified before June 2026",
        "verified": "verified (follows directly from a sourced rule)",
        "how to stay": (
            "Your request was registered on or after Friday 12 June 2026: if Ofpra declares it inadmissible, the appeal to "
            "the CNDA does not by itself protect you from removal (EU regulation 2024/1348, art. 68). You must ask the court, "
            "in the appeal or separately, to allow you to stay in France until it rules, within a period that may be as short "
            "as 5 days from the notification. The French form of that request was not verified: see a lawyer at once.\n"
            "Certainty of this request: unverified (not confirmed from an official text: check it)\n"
            "Former rule (applications lodged before Friday 12 June 2026), as a safety net, to check: if you are ordered to "
            "leave France, challenge that order before the tribunal administratif at once and ask it to suspend the removal "
            "until the CNDA rules (L.752-5 CESEDA and following).\n"
        ),
    },
    "fr": {
        "what happens next": "Et ensuite",
        "what it changes": "Ce que le réexamen change pour vous",
        "period": typeset(
            "Si la demande est recevable, l'Ofpra l'examine en procédure accélérée.\n"
            "Votre demande de réexamen a été enregistrée à compter du vendredi 12 juin 2026 : le règlement (UE) 2024/1348 "
            "s'applique. Si l'Ofpra la déclare irrecevable, le délai de recours devant la CNDA pourrait n'être que de 5 jours "
            "(entre 5 et 10 jours selon le règlement ; texte français non trouvé). Lisez le délai imprimé sur la décision "
            "(« voies et délais de recours ») et agissez dans les 5 jours.\n"
            "Certitude de ce délai : non vérifiée (non confirmée par un texte officiel : à vérifier)\n"
            "L'ancienne règle (1 mois à compter de la notification, L.532-1 CESEDA) ne s'applique pas à votre demande.\n"
        ),
        "former rule": typeset("Selon la règle vérifiée avant juin 2026"),
        "verified": typeset("vérifiée (découle directement d'une règle sourcée)"),
        "how to stay": typeset(
            "Votre demande a été enregistrée à compter du vendredi 12 juin 2026 : si l'Ofpra la déclare irrecevable, le "
            "recours devant la CNDA ne vous protège pas automatiquement de l'éloignement (règlement (UE) 2024/1348, art. 68). "
            "Vous devez demander à la juridiction, dans le recours ou à part, l'autorisation de rester en France jusqu'à sa "
            "décision, dans un délai qui peut n'être que de 5 jours à compter de la notification. La forme française de cette "
            "demande n'a pas été vérifiée : consultez sans attendre un avocat.\n"
            "Certitude de cette demande : non vérifiée (non confirmée par un texte officiel : à vérifier)\n"
            "Régime antérieur (demandes introduites avant le vendredi 12 juin 2026), à titre de précaution et à vérifier : si "
            "une obligation de quitter le territoire vous est notifiée, contestez-la aussitôt devant le tribunal administratif "
            "et demandez-lui de suspendre l'éloignement jusqu'à la décision de la CNDA (L.752-5 CESEDA et suivants).\n"
        ),
    },
}


def _summary_under_the_regulation(tmp_path: Path, lang: str) -> str:
    """The summary sheet, in ``lang``, of a request registered under the regulation."""
    result, out = build(tmp_path, _registered_after_the_regulation(), lang=lang, today="2026-12-05")
    assert result.returncode == 0, result.stderr
    return texts(out)[1]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_request_registered_under_the_regulation_leads_with_the_short_appeal_period(tmp_path, lang):
    says = UNDER_THE_REGULATION[lang]
    summary = _summary_under_the_regulation(tmp_path, lang)
    section = _section(summary, says["what happens next"], says["what it changes"])
    assert says["period"] in section
    # the month is never presented as the applicable, verified rule
    assert says["former rule"] not in summary
    assert says["verified"] not in section


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_request_registered_under_the_regulation_says_how_to_stay_during_the_appeal(tmp_path, lang):
    says = UNDER_THE_REGULATION[lang]
    section = _summary_under_the_regulation(tmp_path, lang).split(says["what it changes"] + "\n", 1)[1]
    assert says["how to stay"] in section


def test_a_request_registered_before_the_regulation_keeps_the_former_texts(tmp_path):
    result, out = build(tmp_path, registered_on("2026-06-11", signed_on="2026-06-12"), today="2026-06-12")
    assert result.returncode == 0, result.stderr
    _, summary = texts(out)
    assert (
        "If Ofpra declares it inadmissible, you can appeal to the CNDA. Under the rule verified before June 2026, the "
        "period is 1 month from the notification of that decision (L.532-1 CESEDA).\n"
        "Certainty of this period: verified (follows directly from a sourced rule)\n"
    ) in summary
    assert "The appeal to the CNDA against an inadmissibility decision does not by itself stop a removal" in summary
    assert "EU regulation 2024/1348 applies to it" not in summary
    assert "art. 68" not in summary


def test_an_exhibit_neither_in_french_nor_translated_says_the_translation_is_to_attach(tmp_path):
    """The bordereau's "non" means a translation is missing; the summary says so, and a document
    already in French says "sans objet" instead (review F-14)."""
    data = example_data()
    data["exhibits"][3] = {"title": "Certificat médical établi à Kaboul", "translated": False}
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    letter, summary = texts(out)
    assert "4\nCertificat médical établi à Kaboul\nnon\n" in letter
    assert "4. Certificat médical établi à Kaboul — translation to attach\n" in summary
