"""The notice to Ofpra of a companion at the interview, end to end (issue 4, RULES.md §4).

What is asserted is what people see: the text of the generated DOCX, the .eml parsed by
the standard library's e-mail parser (headers, body, attachment), the exact dates, and
the exact error messages in English and French. All data is fictional.
"""

from __future__ import annotations

import copy
import datetime as dt
import email
import email.policy
import json
from pathlib import Path

import pytest
import yaml

from docassemble_asylum.render.docx import docx_text
from docassemble_asylum.render.typography import plain as typeset
from pinned_examples import pinned_example_text

PROCEDURE = "interview-notice"
LETTER = "accompagnement-entretien-ofpra.docx"
EMAIL = "accompagnement-entretien-ofpra.eml"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORBIDDEN = ("report", "postpone")  # "reporter", "reporté", "postponement" contain them


def example_data() -> dict:
    return yaml.safe_load(pinned_example_text(PROCEDURE))


def association_data(association: str = "La Cimade", **extra) -> dict:
    data = example_data()
    data["companion"] = {
        "kind": "association",
        "name": "Karim Benali",
        "association": association,
        "email": "k.benali@association.example",
        "phone": "06 00 00 00 00",
        **extra,
    }
    return data


def build(cli, tmp_path: Path, data: dict, *, today: str = "2026-04-01", lang: str = "en"):
    tmp_path.mkdir(parents=True, exist_ok=True)
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    result = cli("build", PROCEDURE, "--answers", str(case), "--out", str(out), "--today", today, "--lang", lang)
    return result, out


def build_in_process(data: dict, today: dt.date, lang: str = "en") -> dict[str, bytes]:
    """The same pipeline as ``asylumdocs build``, without a subprocess (for the many date cases)."""
    from docassemble_asylum.i18n import language
    from docassemble_asylum.procedures import get
    from docassemble_asylum.procedures.base import BuildOptions

    spec = get(PROCEDURE)
    with language(lang):
        answers = spec.validate(copy.deepcopy(data), today)
        files = spec.build_outputs(answers, BuildOptions(today=today, lang=lang), b"input")
    return {f.name: f.data for f in files}


def parse_eml(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def eml_body(message) -> str:
    """The text part, with MIME's canonical CRLF line ends read as newlines."""
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def summary_text(files: dict[str, bytes]) -> str:
    return docx_text(files["summary.docx"])


# --- the example, end to end ---------------------------------------------------------------


def test_example_builds_the_letter_the_email_and_the_summary(cli, tmp_path):
    result, out = build(cli, tmp_path, example_data())
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted([LETTER, EMAIL, "summary.docx", "manifest.json"])

    letter_bytes = (out / LETTER).read_bytes()
    letter = docx_text(letter_bytes)
    for line in (
        "Maître Hélène Dubois-Martin\nAvocate au barreau de Paris\n10 rue de l'Exemple\n75011 Paris\n"
        "Tél. : 01 00 00 00 00\nCourriel : h.dubois-martin@avocat.example",
        "Office français de protection des réfugiés et apatrides (Ofpra)\nPar courriel : accompagnement-entretien@ofpra.example",
        "Paris, le 1er avril 2026",
        "Objet : information de la présence d'un accompagnant à l'entretien personnel",
        "Réf. : dossier Ofpra n° 25-04-12345 — Samira Leïla HADDAD — entretien du 14 avril 2026 à 9 h 30",
        "En ma qualité d'avocate au barreau de Paris, je vous informe que j'accompagnerai Mme Samira Leïla HADDAD, "
        "née le 17 août 1994, dossier Ofpra n° 25-04-12345, lors de son entretien personnel prévu le mardi 14 avril 2026 "
        "à 9 h 30 (Ofpra, 201 rue Carnot, 94120 Fontenay-sous-Bois).",
        "Cet accompagnement est prévu par l'article L. 531-15 du code de l'entrée et du séjour des étrangers et du droit d'asile.",
        "Mme Samira Leïla HADDAD a donné son accord à cet accompagnement.",
        "Mme Samira Leïla HADDAD souhaite être entendue en arabe (syrien), et demande, dans la mesure du possible, "
        "que l'entretien soit mené par un officier de protection et un interprète de sexe féminin.",
        "Cette demande est liée aux motifs de la demande d'asile : elle a subi des violences sexuelles dans son pays d'origine.",
        "Vous pouvez me joindre au 01 00 00 00 00 ou par courriel à l'adresse h.dubois-martin@avocat.example.",
        "Je vous remercie de bien vouloir en prendre note et vous prie d'agréer, Madame, Monsieur, l'expression de mes "
        "salutations distinguées.",
        "Accompagnement à l'entretien Ofpra — dossier n° 25-04-12345",
    ):
        assert typeset(line) in letter, line
    assert "{{" not in letter and "{%" not in letter
    assert "tardif" not in letter  # on time: no apology

    message = parse_eml((out / EMAIL).read_bytes())
    assert message["To"] == "Ofpra <accompagnement-entretien@ofpra.example>"
    assert message["To"].addresses[0].addr_spec == "accompagnement-entretien@ofpra.example"
    assert message["From"] == "h.dubois-martin@avocat.example"
    assert message["Subject"] == "Dossier Ofpra n°\u00a025-04-12345 — accompagnement à l’entretien du 14\u00a0avril 2026"
    assert message["Date"] == "Wed, 01 Apr 2026 12:00:00 +0000"
    assert message["Date"].datetime == dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.timezone.utc)
    assert message["MIME-Version"] == "1.0"
    assert message.get_content_type() == "multipart/mixed"
    body = eml_body(message)
    assert body.startswith("Madame, Monsieur,\n\nEn ma qualité d’avocate au barreau de Paris, je vous informe")
    assert "Vous trouverez ce courrier en pièce jointe." in body
    assert body.endswith("salutations distinguées.\n\nMaître Hélène Dubois-Martin\nAvocate au barreau de Paris\n")
    # the body says what the letter says, sentence for sentence
    for sentence in letter.split("\n"):
        if sentence.startswith(("En ma qualité", "Cet accompagnement", "Mme Samira", "Vous pouvez")):
            assert sentence in body, sentence
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == DOCX_TYPE
    assert attachment.get_filename() == LETTER
    assert attachment.get_content() == letter_bytes

    summary = docx_text((out / "summary.docx").read_bytes())
    for line in (
        "Notice to Ofpra of a companion at the interview — summary sheet",
        "For Samira Leïla HADDAD, Ofpra file no. 25-04-12345: interview on Tuesday 14 April 2026 at 9\u00a0h\u00a030",
        "When to send the notice",
        "Last day: Tuesday 7 April 2026",
        "Send it by e-mail to the address given on the convocation: accompagnement-entretien@ofpra.example.",
        "The letter accompagnement-entretien-ofpra.docx is attached to the e-mail (its PDF, accompagnement-entretien-ofpra.pdf, "
        "when PDFs were made too), with the files listed in it.",
        "The notice asks for the interview of Samira Leïla HADDAD to be held in Arabic (“arabe (syrien)” in the letter).",
        "It asks, as far as possible, for a protection officer and an interpreter who are women.",
    ):
        assert line in summary, line
    assert "⚠" not in summary  # on time, lawyer: no warning at the top

    manifest = json.loads((out / "manifest.json").read_text())
    assert [f["name"] for f in manifest["files"]] == [LETTER, EMAIL, "summary.docx"]


def test_outputs_are_reproducible():
    first = build_in_process(example_data(), dt.date(2026, 4, 1))
    second = build_in_process(example_data(), dt.date(2026, 4, 1))
    assert first == second
    # the e-mail's Date follows the build's day, not the clock
    other_day = build_in_process(example_data(), dt.date(2026, 4, 2))
    assert parse_eml(other_day[EMAIL])["Date"] == "Thu, 02 Apr 2026 12:00:00 +0000"


@pytest.mark.parametrize("late", [False, True])
@pytest.mark.parametrize("kind", ["lawyer", "association"])
def test_never_a_request_to_postpone(kind, late):
    data = example_data() if kind == "lawyer" else association_data()
    files = build_in_process(data, dt.date(2026, 4, 10) if late else dt.date(2026, 4, 1))
    message = parse_eml(files[EMAIL])
    for text in (docx_text(files[LETTER]), eml_body(message), message["Subject"]):
        lowered = text.lower()
        for word in FORBIDDEN:
            assert word not in lowered, (word, text)


# --- the deadline ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("interview", "procedure", "last", "safe", "last_text", "safe_text"),
    [
        # RULES.md §8: normal procedure, a Tuesday 7 days before
        ("2026-04-14", "normal", "2026-04-07", "2026-04-07", "Tuesday 7 April 2026", None),
        # RULES.md §8: accelerated, interview − 4 = Sunday 17 May → the Friday before
        ("2026-05-21", "accelerated", "2026-05-17", "2026-05-15", "Sunday 17 May 2026", "Friday 15 May 2026"),
        # 15 May − 7 = Friday 8 May (Victoire 1945) → Thursday 7 May
        ("2026-05-15", "normal", "2026-05-08", "2026-05-07", "Friday 8 May 2026", "Thursday 7 May 2026"),
        # 21 July − 7 = Tuesday 14 July (Fête nationale) → Monday 13 July
        ("2026-07-21", "normal", "2026-07-14", "2026-07-13", "Tuesday 14 July 2026", "Monday 13 July 2026"),
        # accelerated, 13 April − 4 = Thursday 9 April, a working day
        ("2026-04-13", "accelerated", "2026-04-09", "2026-04-09", "Thursday 9 April 2026", None),
    ],
)
def test_latest_and_safe_day(interview, procedure, last, safe, last_text, safe_text):
    from docassemble_asylum.procedures import get

    data = example_data()
    data["interview"].update(date=interview, procedure=procedure)
    spec = get(PROCEDURE)
    answers = spec.validate(copy.deepcopy(data), dt.date(2026, 4, 1))
    report = spec.report(answers, dt.date(2026, 4, 1))
    assert report["deadline"]["last_day"] == last
    assert report["deadline"]["safe_day"] == safe
    assert report["late"] is False
    summary = summary_text(build_in_process(data, dt.date(2026, 4, 1)))
    assert f"Last day: {last_text}" in summary
    if safe_text:
        assert f"Safe day (aim for this one): {safe_text}" in summary
    else:
        assert "Safe day" not in summary


def test_check_prints_the_days(cli, tmp_path):
    data = example_data()
    data["interview"].update(date="2026-05-21", procedure="accelerated")
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("check", PROCEDURE, "--answers", str(case), "--today", "2026-04-01", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "The answers are complete and consistent.\n"
        "Latest day to send the notice: Sunday 17 May 2026\n"
        "Recommended day (a working day): Friday 15 May 2026\n"
    )
    result = cli("check", PROCEDURE, "--answers", str(case), "--today", "2026-04-01", "--json")
    body = json.loads(result.stdout)
    assert (body["deadline"]["last_day"], body["deadline"]["safe_day"], body["late"]) == ("2026-05-17", "2026-05-15", False)


def test_late_notice_is_still_built_and_says_so(cli, tmp_path):
    # interview Tuesday 14 April, latest day Tuesday 7 April, today Thursday 9 April
    result, out = build(cli, tmp_path, example_data(), today="2026-04-09")
    assert result.returncode == 0, result.stderr
    apology = (
        "Je vous prie de bien vouloir excuser le caractère tardif de cette information, qui vous parvient moins de "
        "7 jours avant l'entretien ; je vous remercie par avance de bien vouloir en tenir compte."
    )
    assert typeset(apology) in docx_text((out / LETTER).read_bytes())
    assert typeset(apology) in eml_body(parse_eml((out / EMAIL).read_bytes()))
    summary = docx_text((out / "summary.docx").read_bytes())
    assert (
        "⚠ The notice is late: the latest day to send it was Tuesday 7 April 2026. Ofpra asks to be told “as far as "
        "possible” 7 days before the interview; a late notice does not forbid the companion from attending. Send it "
        "today: the e-mail apologises for the delay."
    ) in summary


def test_accelerated_late_apology_counts_four_days():
    data = example_data()
    data["interview"].update(date="2026-05-21", procedure="accelerated")
    files = build_in_process(data, dt.date(2026, 5, 18))
    assert "moins de 4\u00a0jours avant l’entretien" in eml_body(parse_eml(files[EMAIL]))
    assert "the latest day to send it was Sunday 17 May 2026" in summary_text(files)


def test_on_the_latest_day_it_is_not_late_but_past_the_safe_day():
    data = example_data()
    data["interview"].update(date="2026-05-21", procedure="accelerated")
    # Sunday 17 May is the latest day; the safe day (Friday 15) has passed
    files = build_in_process(data, dt.date(2026, 5, 17))
    assert "tardif" not in docx_text(files[LETTER])
    assert (
        "⚠ The recommended day (Friday 15 May 2026) has passed: send the notice today; the latest day is Sunday 17 May 2026."
    ) in summary_text(files)


def test_interview_on_the_day_itself_is_built_as_late():
    files = build_in_process(example_data(), dt.date(2026, 4, 14))
    assert "caractère tardif" in eml_body(parse_eml(files[EMAIL]))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "“Interview (from the convocation) › Date of the interview” (section “Interview”): the interview date is before "
            "today (Wednesday 15 April 2026): a notice can no longer be sent for it.",
        ),
        (
            "fr",
            "« Entretien (d'après la convocation) › Date de l'entretien » (partie « Entretien ») : la date de l'entretien est "
            "antérieure à aujourd'hui (mercredi 15 avril 2026) : il n'est plus possible d'envoyer une information pour cet entretien.",
        ),
    ],
)
def test_interview_in_the_past_is_a_clean_error(cli, tmp_path, lang, expected):
    result, out = build(cli, tmp_path, example_data(), today="2026-04-15", lang=lang)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert expected in result.stderr
    assert not out.exists()


# --- the companion -------------------------------------------------------------------------

UNLISTED = {
    "en": (
        "“Companion at the interview › I have checked on Ofpra's current list that this association is authorised” "
        "(section “Companion”): this association is not on the list of "
        "associations authorised by Ofpra that asylumdocs knows (décision du directeur général de l'Ofpra du 21 avril 2023; "
        "unverified, the current list may differ). Known names: ARDHIS, Anafé, La Cimade, Forum réfugiés-Cosi, "
        "Coordination lesbienne en France, CQFD Fierté lesbienne, Ordre de Malte France, Accueil demandeurs d'asile (ADA), "
        "Aide à l'insertion des demandeurs d'asile et migrants (AIDA), France terre d'asile, Groupe accueil et solidarité (GAS), "
        "Amicale du Nid, L'HeD (L'Hébergement différent), Quazar (centre lesbien, gay, bi, trans d'Angers), Adheos. "
        "If the association is authorised (check Ofpra's current list), answer yes to the question asking whether you have "
        "checked it, to build the notice anyway; the summary sheet will carry a warning."
    ),
    "fr": (
        "« Accompagnant à l'entretien › J'ai vérifié sur la liste en vigueur de l'Ofpra que cette association est habilitée » "
        "(partie « Accompagnant ») : cette association ne figure pas sur la "
        "liste des associations habilitées par l'Ofpra que connaît asylumdocs (décision du directeur général de l'Ofpra "
        "du 21 avril 2023 ; non vérifiée, la liste actuelle peut être différente). Noms connus : ARDHIS, Anafé, La Cimade, "
        "Forum réfugiés-Cosi, Coordination lesbienne en France, CQFD Fierté lesbienne, Ordre de Malte France, Accueil "
        "demandeurs d'asile (ADA), Aide à l'insertion des demandeurs d'asile et migrants (AIDA), France terre d'asile, "
        "Groupe accueil et solidarité (GAS), Amicale du Nid, L'HeD (L'Hébergement différent), Quazar (centre lesbien, gay, "
        "bi, trans d'Angers), Adheos. Si l'association est habilitée (vérifiez la liste actuelle de l'Ofpra), répondez oui "
        "à la question qui demande si vous l'avez vérifié, pour établir l'information malgré tout ; la fiche de "
        "synthèse portera un avertissement."
    ),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_unlisted_association_is_refused_with_the_known_names(cli, tmp_path, lang):
    result, out = build(cli, tmp_path, association_data("Solidarité Exemple Migrants"), lang=lang)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert UNLISTED[lang] in result.stderr
    assert "Solidarité Exemple Migrants" not in result.stderr  # never the value typed
    assert not out.exists()


def test_unlisted_association_confirmed_is_built_with_a_warning(cli, tmp_path):
    data = association_data("Solidarité Exemple Migrants", association_not_listed_confirmed=True)
    result, out = build(cli, tmp_path, data)
    assert result.returncode == 0, result.stderr
    letter = docx_text((out / LETTER).read_bytes())
    # The representative's sex is not given: a neutral wording.
    assert typeset(
        "Au nom de l'association Solidarité Exemple Migrants, je vous informe que "
        "j'accompagnerai Mme Samira Leïla HADDAD"
    ) in letter
    assert typeset("Karim Benali\nPour l'association Solidarité Exemple Migrants") in letter
    assert typeset("Vous pouvez me joindre au 06 00 00 00 00 ou par courriel à l'adresse k.benali@association.example.") in letter
    message = parse_eml((out / EMAIL).read_bytes())
    assert message["From"] == "k.benali@association.example"
    summary = docx_text((out / "summary.docx").read_bytes())
    assert (
        "⚠ The association “Solidarité Exemple Migrants” is not on the list of authorised associations that asylumdocs "
        "knows; you confirmed that it is authorised. Check it on Ofpra's current list before sending: only a "
        "representative of an authorised association may accompany the applicant."
    ) in summary
    assert "This list must be checked" in summary


@pytest.mark.parametrize("typed", ["La Cimade", "cimade", "CIMADE", "l’association La Cimade", "Forum Refugies", "anafe"])
def test_listed_association_is_recognised_as_typed(typed):
    files = build_in_process(association_data(typed), dt.date(2026, 4, 1))
    expected = "La Cimade" if "imade" in typed.lower() else "Forum réfugiés-Cosi" if "forum" in typed.lower() else "Anafé"
    letter = docx_text(files[LETTER])
    assert typeset(f"Au nom de l'association {expected}, je vous informe") in letter
    assert typeset(f"Karim Benali\nPour l'association {expected}\n") in letter
    male = association_data(typed)
    male["companion"]["sex"] = "male"
    letter = docx_text(build_in_process(male, dt.date(2026, 4, 1))[LETTER])
    assert typeset(f"En ma qualité de représentant de l'association {expected}, je vous informe") in letter
    assert typeset(f"Karim Benali\nReprésentant de l'association {expected}\n") in letter
    summary = summary_text(files)
    assert "⚠" not in summary
    assert "is on the list of authorised associations that asylumdocs knows (décision du directeur général de l'Ofpra du 21 avril 2023)." in summary
    # the list is unverified and the sheet says it must be checked, with its sources
    assert (
        "This list must be checked: it was compiled from earlier decisions of Ofpra's director, not from the decision in "
        "force, and authorisations last three years. Check Ofpra's current list before the interview."
    ) in summary
    assert "Certainty: unverified (not confirmed from an official text: check it)" in summary
    assert (
        "Source: Je souhaite être accompagné en entretien (Ofpra), liste des associations habilitées — "
        "https://ofpra.gouv.fr/dossier/prise-en-compte-des-vulnerabilites/je-souhaite-etre-accompagne-en-entretien"
    ) in summary


def test_association_known_from_an_earlier_decision_only():
    from docassemble_asylum.procedures.interview_notice import listed_association

    # Adheos was authorised in 2020; in 2016 it was not on the list known here
    assert listed_association("Adheos", dt.date(2026, 4, 14)) == "Adheos"
    assert listed_association("Adheos", dt.date(2016, 6, 1)) is None
    assert listed_association("Cimade", dt.date(2016, 6, 1)) == "La Cimade"


def test_association_representative_needs_a_way_to_be_reached(cli, tmp_path):
    data = association_data()
    del data["companion"]["email"], data["companion"]["phone"]
    result, _ = build(cli, tmp_path, data)
    assert result.returncode == 1
    assert (
        "“Companion at the interview › Representative's e-mail” (section “Companion”): give the representative's e-mail or "
        "phone, so that Ofpra can reach them."
    ) in result.stderr


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "“Companion at the interview › Bar (barreau) of the lawyer” (section “Companion”): a lawyer must give the bar "
            "(barreau) where they are registered: Ofpra identifies the lawyer by it.",
        ),
        (
            "fr",
            "« Accompagnant à l'entretien › Barreau de l'avocat » (partie « Accompagnant ») : un avocat doit indiquer le barreau "
            "auquel il est inscrit : l'Ofpra identifie l'avocat par ce barreau.",
        ),
    ],
)
@pytest.mark.parametrize("how", ["missing", "empty"])
def test_lawyer_without_a_bar_is_a_clean_error(cli, tmp_path, lang, expected, how):
    data = example_data()
    if how == "missing":
        del data["companion"]["bar"]
    else:
        data["companion"]["bar"] = "  "
    result, out = build(cli, tmp_path, data, lang=lang)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    header = "Error: The answers have 1 problem; nothing was written:" if lang == "en" else "Erreur : Les réponses comportent 1 problème ; rien n'a été écrit :"
    assert result.stderr.startswith(header)
    assert expected in result.stderr
    assert not out.exists()


def test_unknown_kind_of_companion():
    from docassemble_asylum.errors import UserError
    from docassemble_asylum.i18n import language
    from docassemble_asylum.procedures import get

    data = example_data()
    data["companion"]["kind"] = "friend"
    with language("en"), pytest.raises(UserError) as info:
        get(PROCEDURE).validate(data, dt.date(2026, 4, 1))
    assert info.value.problems == ["“Companion at the interview” (section “Companion”): choose one of: 'lawyer', 'association'."]


# --- other answers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d.update(applicant_consents=False),
            "“The applicant agrees to be accompanied at the interview” (section “Consent”): the applicant must agree to be "
            "accompanied: the notice can only be sent with their consent.",
        ),
        (
            lambda d: d["interview"].update(time=570),  # what YAML makes of an unquoted 9:30
            "“Interview (from the convocation) › Time of the interview (HH:MM)” (section “Interview”): write the time between "
            "quotes, for example \"09:30\".",
        ),
        (
            lambda d: d["interview"].update(time="25:00"),
            "“Interview (from the convocation) › Time of the interview (HH:MM)” (section “Interview”): not a valid time: write "
            "it as HH:MM, for example \"09:30\".",
        ),
        (
            lambda d: d["interview"].update(convocation_email="Ofpra accueil"),
            "“Interview (from the convocation) › E-mail address given on the convocation for the companion's notice” "
            "(section “Interview”): not a valid e-mail address: write only the address, for example accueil@example.org.",
        ),
        (
            lambda d: d["interview"].update(convocation_email="accueil@ofpra-exemplé.fr"),  # not writable in a header
            "“Interview (from the convocation) › E-mail address given on the convocation for the companion's notice” "
            "(section “Interview”): not a valid e-mail address: write only the address, for example accueil@example.org.",
        ),
        (
            lambda d: d["interview"].update(place=""),
            "“Interview (from the convocation) › Place of the interview, as written on the convocation (for a "
            "videoconference: where the applicant connects from, if stated)” (section “Interview”): this answer is required "
            "for an interview in person (copy it from the convocation).",
        ),
    ],
)
def test_bad_answers_are_named_without_their_values(mutate, expected):
    from docassemble_asylum.errors import UserError
    from docassemble_asylum.i18n import language
    from docassemble_asylum.procedures import get

    data = example_data()
    mutate(data)
    with language("en"), pytest.raises(UserError) as info:
        get(PROCEDURE).validate(data, dt.date(2026, 4, 1))
    assert info.value.problems == [expected]


def test_consent_refused_in_french(cli, tmp_path):
    data = example_data()
    data["applicant_consents"] = False
    result, _ = build(cli, tmp_path, data, lang="fr")
    assert result.returncode == 1
    assert (
        "« La personne accepte d'être accompagnée à l'entretien » (partie « Accord ») : la personne doit accepter "
        "d'être accompagnée : l'information ne peut être envoyée qu'avec son accord."
    ) in result.stderr


@pytest.mark.parametrize(("typed", "shown"), [("9:05", "9 h 05"), ("14h30", "14 h 30"), ("9h", "9 h 00"), ("09:30", "9 h 30")])
def test_times_as_people_write_them(typed, shown):
    data = example_data()
    data["interview"]["time"] = typed
    assert typeset(f"prévu le mardi 14 avril 2026 à {shown} (Ofpra") in docx_text(build_in_process(data, dt.date(2026, 4, 1))[LETTER])


def test_videoconference_and_unknown_sex():
    data = example_data()
    data["applicant"].pop("sex")
    data["interview"].update(mode="videoconference", place="Préfecture de Mayotte")
    data["interpreter"] = {"language": "shimaoré"}
    data.pop("chosen_sex")
    letter = docx_text(build_in_process(data, dt.date(2026, 4, 1))[LETTER])
    assert typeset(
        "j'accompagnerai Samira Leïla HADDAD, personne née le 17 août 1994, dossier Ofpra n° 25-04-12345, lors de son entretien "
        "personnel prévu le mardi 14 avril 2026 à 9 h 30 par visioconférence (lieu de connexion : Préfecture de Mayotte)."
    ) in letter
    assert typeset("Samira Leïla HADDAD souhaite que l'entretien se déroule en shimaoré.") in letter
    assert "(e)" not in letter and "né le" not in letter
    data["interview"]["place"] = ""
    letter = docx_text(build_in_process(data, dt.date(2026, 4, 1))[LETTER])
    assert typeset("à 9 h 30 par visioconférence.") in letter


# --- names in other scripts ---------------------------------------------------------------


def test_accents_and_arabic_survive_in_the_letter_and_the_email():
    data = association_data("Forum réfugiés-Cosi")
    data["applicant"].update(family_name="حداد", given_names="سميرة", sex="female")
    data["companion"]["name"] = "Zoé Lefèvre-Aït Saïd"
    files = build_in_process(data, dt.date(2026, 4, 1))
    letter = docx_text(files[LETTER])
    assert typeset("j'accompagnerai Mme سميرة حداد, née le 17 août 1994") in letter
    assert typeset("Zoé Lefèvre-Aït Saïd\nPour l'association Forum réfugiés-Cosi") in letter

    raw = files[EMAIL]
    raw.decode("ascii")  # 7-bit clean: every non-ASCII character is encoded
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    message = parse_eml(raw)
    part = message.get_body(preferencelist=("plain",))
    assert part.get_content_charset() == "utf-8"
    assert part["Content-Transfer-Encoding"] == "quoted-printable"
    body = part.get_content().replace("\r\n", "\n")
    assert typeset("j'accompagnerai Mme سميرة حداد, née le 17 août 1994") in body
    assert body.endswith(typeset("Zoé Lefèvre-Aït Saïd\nPour l'association Forum réfugiés-Cosi\n"))
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content() == files[LETTER]
    assert "سميرة حداد" in docx_text(attachment.get_content())


# --- shape of the answers, template, catalogs ---------------------------------------------


def test_example_and_schema(cli):
    example = cli("example", PROCEDURE, "--today", "2026-03-06")
    assert example.returncode == 0
    assert example.stdout.startswith("# Fictional case")
    assert yaml.safe_load(example.stdout) == example_data()
    schema = json.loads(cli("schema", PROCEDURE).stdout)
    assert set(schema["required"]) == {"applicant", "interview", "companion", "interpreter", "applicant_consents"}
    assert schema["additionalProperties"] is False
    companion = schema["properties"]["companion"]
    assert companion["discriminator"]["propertyName"] == "kind"
    assert set(companion["discriminator"]["mapping"]) == {"lawyer", "association"}
    association = schema["$defs"]["AssociationCompanion"]["properties"]
    assert association["association_not_listed_confirmed"]["default"] is False


def test_template_uses_only_the_context():
    from docxtpl import DocxTemplate

    from docassemble_asylum.i18n import language
    from docassemble_asylum.procedures import get
    from docassemble_asylum.procedures.interview_notice import render_context
    from docassemble_asylum.resources import letter_template

    with language("en"):
        answers = get(PROCEDURE).validate(example_data(), dt.date(2026, 4, 1))
    context = render_context(answers, dt.date(2026, 4, 1), late=False)
    needed = DocxTemplate(str(letter_template("interview_notice.docx"))).get_undeclared_template_variables()
    assert needed <= set(context), needed - set(context)


def test_french_catalog_is_complete():
    import tools.i18n

    assert tools.i18n.run(check=True, only="interview") == []


ASSERTED = "l’association est habilitée par le directeur général de l’Office"
CHECK_IT = (
    "[À compléter\u00a0: vérifiez avant l’envoi que l’association et son représentant figurent sur la liste en vigueur de "
    "l’Ofpra, puis retirez cette mention]"
)


def test_once_the_known_list_has_lapsed_the_authorisation_is_left_to_check(cli, tmp_path):
    """After 20 April 2026 the last list asylumdocs knows has lapsed (R.531-13: three years): the
    letter cannot assert La Cimade's authorisation unchecked. The sentence is followed by a
    highlighted part to complete, listed as unfinished, which the confirmation lifts (review F-45)."""
    data = association_data()
    data["interview"]["date"] = "2026-12-14"
    result, out = build(cli, tmp_path / "unchecked", data, today="2026-12-05", lang="fr")
    assert result.returncode == 0, result.stderr
    letter = docx_text((out / LETTER).read_bytes())
    assert ASSERTED in letter and CHECK_IT in letter
    assert "Parties inachevées (surlignées dans le projet), à compléter avant l'envoi :" in result.stdout
    case = tmp_path / "unchecked" / "case.yaml"
    check = cli("check", PROCEDURE, "--answers", str(case), "--today", "2026-12-05", "--json")
    assert [part["field"] for part in json.loads(check.stdout)["unfinished"]] == ["companion.association_not_listed_confirmed"]

    data["companion"]["association_not_listed_confirmed"] = True
    result, out = build(cli, tmp_path / "checked", data, today="2026-12-05", lang="fr")
    assert result.returncode == 0, result.stderr
    letter = docx_text((out / LETTER).read_bytes())
    assert ASSERTED in letter and "[À compléter" not in letter

    # while the 2023 list was in force, nothing to check
    data = association_data()
    result, out = build(cli, tmp_path / "in-force", data, today="2026-04-01", lang="fr")
    assert result.returncode == 0, result.stderr
    assert "[À compléter" not in docx_text((out / LETTER).read_bytes())


def test_the_guided_interview_asks_for_the_check_once_the_known_list_has_lapsed():
    from docassemble_asylum.questions.predicates import association_listed

    assert association_listed("La Cimade", "2026-04-01") is True
    assert association_listed("La Cimade", "2026-12-14") is False
    assert association_listed("Association inconnue", "2026-04-01") is False
