"""The CNDA appeal as a lawyer would file it: reasons answered point by point, the
admissibility plea after legal aid, the lawyer's details, the minor's representative,
exhibits already in French. Read from the generated DOCX (text and w:highlight)."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
import subprocess
import zipfile

import pytest
import yaml
from lxml import etree

from docassemble_asylum.render.docx import docx_text
from docassemble_asylum.render.docx_highlight import highlighted_texts
from docassemble_asylum.render.typography import plain as typeset
from pinned_examples import pinned_example_text
from tests.conftest import require_tool, run_cli

TODAY = "2026-04-28"


def example() -> dict:
    return yaml.safe_load(pinned_example_text("cnda-appeal"))


def build(tmp_path, data, *extra, lang="en", today=TODAY):
    tmp_path.mkdir(parents=True, exist_ok=True)
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "cnda-appeal", "--answers", str(case), "--out", str(out), "--today", today, "--lang", lang, *extra)
    return result, out


def letter(out) -> str:
    return docx_text((out / "recours-cnda.docx").read_bytes())


def marked(out, name="recours-cnda.docx") -> list[str]:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO((out / name).read_bytes())).read("word/document.xml"))
    return [t.replace("\u00a0", " ") for t in highlighted_texts(root)]


def test_the_example_pleads_admissibility_with_each_date_and_numbers_the_exhibits(tmp_path):
    result, out = build(tmp_path, example())
    assert result.returncode == 0, result.stderr
    text = letter(out)
    for sentence in (
        "III. Recevabilité du recours et aide juridictionnelle\nLa décision attaquée a été notifiée le 2 mars 2026.",
        "La requérante a sollicité le bénéfice de l'aide juridictionnelle le 12 mars 2026 (demande n° BAJ-2026-0456 ; pièce n° 3), "
        "dans le délai de quinze jours suivant cette notification.",
        "Par une décision du 15 avril 2026, notifiée le 20 avril 2026 (pièce n° 2), le bureau d'aide juridictionnelle lui a accordé "
        "le bénéfice de l'aide juridictionnelle et a désigné Maître Claire Martin pour l'assister.",
        "En application de l'article 9-4 de la loi n° 91-647 du 10 juillet 1991 relative à l'aide juridique, cette demande a suspendu "
        "le délai de recours ; le délai a recommencé à courir, pour sa durée restante, à compter de la notification de cette décision, "
        "le 20 avril 2026. Le présent recours, formé le 28 avril 2026, est donc recevable.",
        # the legal-aid decision and the proof right after the contested decision; the rest follow
        "2\nDécision du bureau d'aide juridictionnelle du 15 avril 2026 (n° BAJ-2026-0456), notifiée le 20 avril 2026\nsans objet (document en français)",
        "3\nJustificatif de la date de la demande d'aide juridictionnelle : rapport de transmission de la télécopie du 12 mars 2026",
        "4\nConvocation de la police d'Idlib du 5 mars 2024\noui",
        "6\nCopie de l'attestation de demande d'asile\nsans objet (document en français)",
        "La décision attaquée est jointe au présent recours (pièce n° 1).",
        # the applicant's account introduced as such and quoted
        "La requérante expose les faits dans ses propres termes :\n« Je suis née à Idlib",
        "du 20 janvier 2026. »",
        # the decision answered point by point; the reservation
        "Motif n° 1 : l'Office a retenu que\n« Les déclarations de l'intéressée sur son arrestation sont restées vagues et peu personnalisées. »",
        "Motif n° 2 : l'Office a retenu que\n« La pétition invoquée n'est pas établie. »\n[À compléter : réponse à ce motif]",
        "La requérante produira un mémoire complémentaire et se réserve de présenter tous autres moyens à produire, déduire ou "
        "suppléer, au besoin même d'office.",
    ):
        assert typeset(sentence) in text, sentence
    assert "Traduction jointe : non" not in text
    # the tool marks the remaining time uncertain (RULES.md §2): the appeal states no expiry date (review F-08)
    assert "expire le" not in text
    assert marked(out) == ["[À compléter : réponse à ce motif]", "[À compléter : développer ce moyen]"]
    assert "Unfinished parts (highlighted in the draft), to complete before sending:" in result.stdout
    assert "  • This reason of the Ofpra decision has no answer yet. (question: “Reasons of the Ofpra decision, answered point by point no. 2 › Answer to this reason”)" in result.stdout


def test_without_a_proof_or_a_decision_the_numbering_follows(tmp_path):
    data = example()
    data["legal_aid"] = {"status": "requested", "requested_on": "2026-03-12"}
    result, out = build(tmp_path, data, today="2026-03-20")
    assert result.returncode == 0, result.stderr
    text = letter(out)
    assert typeset("2\nConvocation de la police d'Idlib du 5 mars 2024") in text
    assert "bureau d'aide juridictionnelle" not in text
    # requested, not decided: the appeal says so, the summary says when to compute again
    assert typeset(
        "À la date du présent recours, il n'a pas encore été statué sur cette demande. En application de l'article 9-4 de la loi "
        "n° 91-647 du 10 juillet 1991 relative à l'aide juridique, cette demande a suspendu le délai de recours, qui demeure suspendu."
    ) in text
    sheet = docx_text((out / "summary.docx").read_bytes())
    assert (
        "Legal aid was requested on Thursday 12 March 2026 and no decision has been notified yet: the appeal period is suspended, and "
        "the draft says so. As soon as the legal-aid decision is notified, enter the date of its notification and build the draft "
        "again: the real last day is computed from it."
    ) in sheet


def test_legal_aid_refused(tmp_path):
    data = example()
    data["legal_aid"] = {"status": "refused", "requested_on": "2026-03-12", "decision_notified_on": "2026-04-20"}
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    assert typeset(
        "Par une décision notifiée le 20 avril 2026 (pièce n° 2), le bureau d'aide juridictionnelle a rejeté cette demande."
    ) in letter(out)
    sheet = docx_text((out / "summary.docx").read_bytes())
    assert "The refusal can be contested before the president of the CNDA within 15 days of its notification." in sheet
    assert "Legal aid was refused (decision notified on Monday 20 April 2026)." in sheet


def test_online_notification_states_posting_first_reading_and_the_rule(tmp_path):
    data = example()
    data["decision"]["notification"] = {"method": "online", "posted_online_on": "2026-02-26", "first_read_on": "2026-03-02"}
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    assert typeset(
        "La décision attaquée a été mise à disposition sur l'espace numérique Ofpra le 26 février 2026 et consultée pour la première "
        "fois le 2 mars 2026. En application de l'article R. 531-17 du code de l'entrée et du séjour des étrangers et du droit d'asile, "
        "elle est réputée notifiée à la date de cette première consultation."
    ) in letter(out)


def test_a_late_request_pleads_nothing_it_cannot(tmp_path):
    data = example()
    data["legal_aid"]["requested_on"] = "2026-03-20"  # after the 15 days
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    text = letter(out)
    assert "Recevabilité" not in text
    assert typeset("III. Aide juridictionnelle\nLa requérante a sollicité le bénéfice de l'aide juridictionnelle le 20 mars 2026 (demande n° BAJ-2026-0456).") in text


def test_the_notification_is_stated_once_in_the_admissibility_plea_when_there_is_one(tmp_path):
    """Review F-38: section II said « Cette décision a été notifiée le … » and section III
    « La décision attaquée a été notifiée le … ». The plea keeps it; section II does not."""
    result, out = build(tmp_path / "postal", example())
    assert result.returncode == 0, result.stderr
    text = letter(out)
    assert text.count(typeset("notifiée le 2 mars 2026")) == 1
    assert typeset("Cette décision a été notifiée") not in text
    assert typeset("II. Décision attaquée\nLa requérante conteste la décision n° 2026-000123") in text
    assert typeset("a rejeté sa demande d'asile.\nLa décision attaquée est jointe au présent recours (pièce n° 1).") in text
    assert typeset("III. Recevabilité du recours et aide juridictionnelle\nLa décision attaquée a été notifiée le 2 mars 2026.") in text
    online = example()
    online["decision"]["notification"] = {"method": "online", "posted_online_on": "2026-02-26", "first_read_on": "2026-03-02"}
    result, out = build(tmp_path / "online", online)
    assert result.returncode == 0, result.stderr
    text = letter(out)
    assert text.count(typeset("mise à disposition sur l'espace numérique Ofpra")) == 1
    assert typeset("Cette décision a été mise à disposition") not in text


@pytest.mark.parametrize("legal_aid", [{"status": "not_requested"}, {"status": "requested", "requested_on": "2026-03-20"}])
def test_without_an_admissibility_plea_section_ii_states_the_notification(tmp_path, legal_aid):
    data = example()
    data["legal_aid"] = legal_aid  # none, or requested after the 15 days: no plea
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    text = letter(out)
    assert typeset("a rejeté sa demande d'asile.\nCette décision a été notifiée le 2 mars 2026.\nLa décision attaquée est jointe") in text
    assert text.count(typeset("notifiée le 2 mars 2026")) == 1


ADVICE = {
    "en": "Suggested, if not listed yet: a copy of an identity document (passport, identity card) or of the asylum document "
    "(attestation de demande d'asile), added to the exhibits.",
    "fr": "Conseillé, s'il n'est pas encore listé : une copie d'un document d'identité (passeport, carte d'identité) ou du "
    "document de demande d'asile (attestation de demande d'asile), ajoutée aux pièces.",
}


def summary_text(out) -> str:
    return " ".join(docx_text((out / "summary.docx").read_bytes()).split())


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    "title",
    ["Copie de l'attestation de demande d'asile", "COPIE DE L’ATTESTATION DE DEMANDE D’ASILE", "Passeport (copie des pages 2 et 3)", "Copie du passeport"],
)
def test_the_summary_does_not_suggest_a_document_already_listed(tmp_path, lang, title):
    """Review F-38: the example lists the attestation (exhibit 6) and the summary still advised
    adding it. Read accent- and case-blind in the exhibit titles."""
    data = example()
    data["exhibits"][-1]["title"] = title
    result, out = build(tmp_path, data, lang=lang)
    assert result.returncode == 0, result.stderr
    sheet = summary_text(out)
    assert " ".join(typeset(ADVICE[lang]).split()) not in sheet
    assert " ".join(ADVICE[lang].split()) not in sheet
    # the exhibit itself is still listed among what to enclose
    assert "6. " + title in sheet or "6. " + typeset(title) in sheet


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_summary_suggests_an_identity_or_asylum_document_when_none_is_listed(tmp_path, lang):
    data = example()
    data["exhibits"] = data["exhibits"][:2]  # the police summons and the school certificate
    result, out = build(tmp_path, data, lang=lang)
    assert result.returncode == 0, result.stderr
    sheet = summary_text(out)
    assert " ".join(typeset(ADVICE[lang]).split()) in sheet or " ".join(ADVICE[lang].split()) in sheet


def lawyer_case() -> dict:
    data = example()
    data["filed_by"] = "lawyer"
    data["lawyer"] = {
        "name": "Claire Martin",
        "sex": "female",
        "bar": "Seine-Saint-Denis",
        "address": {"street": "4 avenue de la République", "postal_code": "93100", "city": "Montreuil"},
        "phone": "01 00 00 00 00",
        "email": "cabinet@example.org",
    }
    return data


def test_the_lawyer_who_files_gives_address_phone_e_mail_and_domicile(tmp_path):
    result, out = build(tmp_path, lawyer_case())
    assert result.returncode == 0, result.stderr
    text = letter(out)
    assert typeset(
        "Représentée par Maître Claire Martin, avocate au barreau de Seine-Saint-Denis, 4 avenue de la République, 93100 Montreuil, "
        "tél. 01 00 00 00 00, courriel cabinet@example.org.\nLa requérante élit domicile au cabinet de Maître Claire Martin."
    ) in text
    assert typeset("Pour Samira Leïla HADDAD, Maître Claire Martin, avocate au barreau de Seine-Saint-Denis") in text
    assert "Unfinished" not in result.stdout.split("Unfinished parts")[0]
    assert not any("adresse" in m for m in marked(out))


def test_a_lawyer_without_address_leaves_it_highlighted_and_listed(tmp_path):
    data = lawyer_case()
    del data["lawyer"]["address"], data["lawyer"]["email"]
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    assert "[À compléter : adresse postale du cabinet]" in marked(out)
    assert "[À compléter : courriel]" in marked(out)
    assert "  • The lawyer's postal address is missing (the court writes to the office where domicile is elected). (question: “Lawyer › Lawyer's address”)" in result.stdout


def minor_case(representative) -> dict:
    data = example()
    data["applicant"]["date_of_birth"] = "2010-05-04"
    if representative is not None:
        data["representative"] = representative
    return data


def test_a_minor_signed_by_a_parent(tmp_path):
    result, out = build(tmp_path, minor_case({"kind": "parent", "name": "Nour HADDAD", "sex": "female"}))
    assert result.returncode == 0, result.stderr
    text = letter(out)
    assert typeset("La requérante, mineure, agit par l'intermédiaire de Nour HADDAD, en qualité de représentante légale.") in text
    assert typeset("Fait à Montreuil, le 28 avril 2026\nPour Samira Leïla HADDAD, Nour HADDAD, en qualité de représentante légale") in text


def test_an_unaccompanied_minor_signed_by_the_administrateur_ad_hoc(tmp_path):
    result, out = build(tmp_path, minor_case({"kind": "ad_hoc_administrator", "name": "Paul Durand", "sex": "male"}))
    assert result.returncode == 0, result.stderr
    assert typeset("Pour Samira Leïla HADDAD, Paul Durand, en qualité d'administrateur ad hoc") in letter(out)


def test_a_minor_with_no_representative_yet_is_built_highlighted_and_warned(tmp_path):
    result, out = build(tmp_path, minor_case({"kind": "not_known_yet"}))
    assert result.returncode == 0, result.stderr
    placeholder = "[À compléter : nom et qualité du représentant légal (parent ou administrateur ad hoc)]"
    assert marked(out).count(placeholder) == 2  # the identity section and the signature block
    assert typeset(f"Pour Samira Leïla HADDAD, {placeholder}") in letter(out)
    sheet = docx_text((out / "summary.docx").read_bytes()).splitlines()
    # the warning at the top, before the unfinished parts and the deadline
    assert sheet[3].startswith("⚠ The applicant is a minor and no legal representative is known yet.")
    assert "by an administrateur ad hoc, whom the public prosecutor (procureur de la République) appoints" in sheet[3]
    # then the designated lawyer to contact (the example's legal aid designated one)
    assert sheet[4].startswith("⚠ A lawyer was designated under legal aid (Maître Claire Martin)")
    assert sheet[5] == "Unfinished parts: complete them before sending"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "  - “Legal representative of the minor applicant” (section “Signature”): the applicant is under 18 on the date of "
            "signature: say who represents them (a parent, the administrateur ad hoc, or not known yet).\n",
        ),
        (
            "fr",
            "  - « Représentant légal du demandeur mineur » (partie « Signature ») : la personne a moins de 18 ans à la date de "
            "signature : indiquez qui la représente (un parent, l'administrateur ad hoc, ou personne pour l'instant).\n",
        ),
    ],
)
def test_a_minor_with_no_representative_answer_is_refused_naming_the_question(tmp_path, lang, expected):
    result, out = build(tmp_path, minor_case(None), lang=lang)
    assert result.returncode == 1
    assert result.stderr.splitlines()[1:] == [expected.rstrip("\n")]
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_representative_for_an_adult_and_a_decision_before_its_request_are_refused(tmp_path):
    data = example()
    data["representative"] = {"kind": "parent", "name": "X"}
    data["legal_aid"]["decided_on"] = "2026-03-10"
    result, out = build(tmp_path, data)
    assert result.returncode == 1
    assert "(section “Signature”): only for an applicant under 18 on the date of signature." in result.stderr
    assert (
        "(section “Legal aid”): the legal-aid decision cannot be made before the request (“Legal aid › Date legal aid was "
        "requested”, in the section “Legal aid”)."
    ) in result.stderr
    assert not out.exists()


def test_check_json_lists_the_unfinished_parts_of_the_example(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(pinned_example_text("cnda-appeal"), encoding="utf-8")
    result = run_cli("check", "cnda-appeal", "--answers", str(case), "--json", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert [u["field"] for u in json.loads(result.stdout)["unfinished"]] == ["grounds.1.text", "decision_reasons.1.answer"]


def test_the_example_bundled_before_these_additions_still_builds(tmp_path):
    """The answers file as bundled before these additions (no reasons, no representative, Exhibit
    without in_french, legal aid without a decision date)."""
    # The bundled example as it was on main at 419cc49 (kept as a fixture: a checkout's "main"
    # moves on, and a CI checkout may have none).
    case = tmp_path / "old.yaml"
    case.write_text((Path(__file__).parent / "fixtures" / "cnda-appeal-before-letter.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "cnda-appeal", "--answers", str(case), "--out", str(out), "--today", "2026-04-28")
    assert result.returncode == 0, result.stderr
    text = letter(out)
    assert typeset("Par une décision notifiée le 20 avril 2026 (pièce n° 2), le bureau d'aide juridictionnelle a statué sur cette demande.") in text
    assert typeset("5\nCopie de l'attestation de demande d'asile\nnon") in text


def test_the_pdf_shows_what_the_docx_says(tmp_path):
    require_tool("soffice")
    pdftotext = require_tool("pdftotext")
    result, out = build(tmp_path, lawyer_case(), "--pdf")
    assert result.returncode == 0, result.stderr
    text = subprocess.run([pdftotext, "-layout", str(out / "recours-cnda.pdf"), "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    for expected in (
        "4 avenue de la République, 93100 Montreuil",
        "le 20 avril 2026. Le présent recours, formé le 28 avril 2026, est donc recevable.",
        "[À compléter : réponse à ce motif]",
        "sans objet (document en français)",
        "tous autres moyens à produire, déduire ou suppléer",
    ):
        assert " ".join(typeset(expected).replace("\u00a0", " ").replace("\u202f", " ").split()) in flat.replace("\u00a0", " ").replace("\u202f", " "), expected


# --- the lawyer designated under legal aid (review F-07); the conclusions (F-12); the signature (F-13)


@pytest.mark.parametrize(
    ("lang", "summary_says"),
    [
        (
            "en",
            "A lawyer was designated under legal aid (Maître Claire Martin): contact her at once; she normally files the appeal "
            "(through CNDém@t). File it yourself only in agreement with her, or if she cannot be reached before the safe day.",
        ),
        (
            "fr",
            typeset(
                "Une avocate a été désignée au titre de l'aide juridictionnelle (Maître Claire Martin) : contactez-la immédiatement ; "
                "c'est normalement elle qui dépose le recours (par CNDém@t). Ne le déposez vous-même qu'en accord avec elle, ou si "
                "elle est injoignable avant la date sûre."
            ),
        ),
    ],
)
def test_the_designated_lawyer_is_named_as_counsel_below_the_identity(tmp_path, lang, summary_says):
    data = example()
    data["legal_aid"]["designated_lawyer_sex"] = "female"
    result, out = build(tmp_path, data, lang=lang)
    assert result.returncode == 0, result.stderr
    # the letter is French whatever the user's language
    assert typeset(
        "Ayant pour avocate Maître Claire Martin, désignée au titre de l'aide juridictionnelle (dossier n° BAJ-2026-0456).\n"
        "II. Décision attaquée"
    ) in letter(out)
    assert summary_says in docx_text((out / "summary.docx").read_bytes())


def test_a_designated_lawyer_of_unknown_sex_gets_a_neutral_wording(tmp_path):
    data = example()
    data["legal_aid"].pop("designated_lawyer_sex", None)
    result, out = build(tmp_path, data, lang="fr")
    assert result.returncode == 0, result.stderr
    assert typeset("Ayant pour conseil Maître Claire Martin, au titre de l'aide juridictionnelle (dossier n° BAJ-2026-0456).") in letter(out)
    assert typeset(
        "L'aide juridictionnelle a désigné Maître Claire Martin pour vous assister : contactez Maître Claire Martin "
        "immédiatement ; c'est normalement Maître Claire Martin qui dépose le recours (par CNDém@t)."
    ) in docx_text((out / "summary.docx").read_bytes())


def test_a_lawyer_who_files_is_not_named_twice(tmp_path):
    result, out = build(tmp_path, lawyer_case())
    assert result.returncode == 0, result.stderr
    assert "Ayant pour" not in letter(out)
    assert "A lawyer was designated under legal aid" not in docx_text((out / "summary.docx").read_bytes())


def test_the_conclusions_identify_the_decision_and_agree_with_the_applicant(tmp_path):
    result, out = build(tmp_path, example())
    assert result.returncode == 0, result.stderr
    assert typeset(
        "annuler la décision n° 2026-000123 du 24 février 2026 du directeur général de l'Ofpra ;\n"
        "lui reconnaître la qualité de réfugiée ;\n"
        "à titre subsidiaire, lui accorder le bénéfice de la protection subsidiaire."
    ) in letter(out)
    data = example()
    data["applicant"]["sex"] = "male"
    data["decision"]["outcome"] = "subsidiary_protection_granted"
    result, out = build(tmp_path / "m", data)
    assert result.returncode == 0, result.stderr
    text = letter(out)
    assert typeset(
        "annuler la décision n° 2026-000123 du 24 février 2026 du directeur général de l'Ofpra en tant qu'elle refuse de lui "
        "reconnaître la qualité de réfugié ;\nlui reconnaître la qualité de réfugié."
    ) in text


def test_the_signature_follows_the_conclusions_before_the_bordereau(tmp_path):
    result, out = build(tmp_path, example())
    assert result.returncode == 0, result.stderr
    assert typeset(
        "La requérante souhaite être entendue en arabe.\n\nFait à Montreuil, le 28 avril 2026\nSamira Leïla HADDAD\n(signature)\n"
        "VII. Bordereau des pièces"
    ) in letter(out)
