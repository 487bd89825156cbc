"""The letter to Ofpra when the applicant cannot attend the interview or will be late (issue 20).

Asserted on what people read: the DOCX's text, the ``.eml`` parsed by the standard ``email``
package, the summary, the manifest, the exact messages, the deadline vectors (weekends and
holidays), the reuse of an interview-notice answers file (clear and encrypted). Fictional data.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import json
from pathlib import Path

import pytest
import yaml

from docassemble_asylum.render.docx import docx_text
from docassemble_asylum.render.typography import plain as typeset
from pinned_examples import pinned_example_text

PROCEDURE = "interview-absence"
LETTER = "absence-entretien-ofpra.docx"
EMAIL = "absence-entretien-ofpra.eml"
TODAY = "2026-04-08"  # the pinned example's interview: Tuesday 14 April 2026 at 9:30


def example() -> dict:
    return yaml.safe_load(pinned_example_text(PROCEDURE))


def write_case(folder: Path, data: dict, name: str = "case.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(cli, folder: Path, data: dict, *extra: str, today: str = TODAY, lang: str = "en"):
    case = write_case(folder, data)
    return cli("build", PROCEDURE, "--answers", str(case), "--out", str(folder / "out"), "--today", today, "--lang", lang, *extra)


def parse_eml(path: Path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


MANDATORY = (
    "Samira Leïla HADDAD\nDossier Ofpra n° 25-04-12345\n12 rue des Lilas\nchez Association Accueil Exemple\n93100 Montreuil\n"
    "Tél. : 06 00 00 00 01\nCourriel : s.haddad@courriel.example",
    "Office français de protection des réfugiés et apatrides (Ofpra)\n201 rue Carnot\n94136 Fontenay-sous-Bois Cedex\n"
    "Par courriel : entretiens@ofpra.example",
    "Montreuil, le 8 avril 2026",
    "Objet : impossibilité de me présenter à l'entretien personnel et demande de nouvelle date",
    "Réf. : dossier Ofpra n° 25-04-12345 — Samira Leïla HADDAD — entretien du 14 avril 2026 à 9 h 30",
    "Je soussignée Samira Leïla HADDAD, née le 17 août 1994, dossier Ofpra n° 25-04-12345, ai reçu une convocation à un "
    "entretien personnel prévu le mardi 14 avril 2026 à 9 h 30 (Ofpra, 201 rue Carnot, 94120 Fontenay-sous-Bois).",
    "Je vous informe que je ne pourrai pas me présenter à cet entretien.",
    "Cette absence est due à une raison médicale :",
    "J'ai été hospitalisée en urgence le 7 avril 2026 et mon médecin m'interdit tout déplacement jusqu'au 24 avril 2026.",
    "Je vous prie de bien vouloir me convoquer à une nouvelle date d'entretien. Je reste à la disposition de l'Office et me "
    "présenterai à la nouvelle convocation.",
    "Vous pouvez me joindre au 06 00 00 00 01, par courriel à l'adresse s.haddad@courriel.example ou par courrier à "
    "l'adresse ci-dessus.",
    "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
    "Absence à l'entretien Ofpra — dossier n° 25-04-12345",
)


def test_example_letter_email_and_summary_carry_every_mandatory_mention(cli, tmp_path):
    result = build(cli, tmp_path, example())
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == sorted([LETTER, EMAIL, "summary.docx", "manifest.json"])
    letter = docx_text((out / LETTER).read_bytes())
    for line in MANDATORY:
        assert typeset(line) in letter, line
    assert "{{" not in letter and "certificat médical dès que possible" not in letter

    message = parse_eml(out / EMAIL)
    assert message["To"].addresses[0].addr_spec == "entretiens@ofpra.example"
    assert message["From"] == "s.haddad@courriel.example"
    assert message["Subject"] == "Dossier Ofpra n°\u00a025-04-12345 — absence à l’entretien du 14\u00a0avril 2026"
    body = body_of(message)
    for line in MANDATORY[5:12]:
        assert typeset(line) in body, line
    assert [part.get_filename() for part in message.iter_attachments()] == [LETTER]

    summary = docx_text((out / "summary.docx").read_bytes())
    for line in (
        "Absence from the Ofpra interview — summary sheet",
        "For Samira Leïla HADDAD, Ofpra file no. 25-04-12345: interview on Tuesday 14 April 2026 at 9\u00a0h\u00a030",
        "Last day: Tuesday 14 April 2026",
        "Safe day (aim for this one): Monday 13 April 2026",
        "Certainty: inference (an application of sourced rules: check it)",
        "Ofpra is not bound to grant a new date. Unless Ofpra confirms in writing that the interview is moved, the applicant "
        "should attend on the date of the convocation if at all possible.",
        "Without a legitimate reason for the absence, Ofpra may decide on the file without an interview, or even close the "
        "examination of the application.",
        # the example's medical reason comes with a certificate that no file carries yet (review F-19)
        "The letter says that the medical certificate is attached, and no file is attached yet: attach the certificate (and "
        "the convocation) to the e-mail before sending it.",
    ):
        assert line in summary, line
    assert typeset("Je joins à ce courriel le certificat médical qui l'atteste.") in body
    assert "implicit withdrawal" not in summary  # an interview before 12 June 2026
    assert result.stdout.endswith(
        "Send the letter before the interview (Tuesday 14 April 2026), as early as possible.\n"
        "Day to aim for (a working day): Monday 13 April 2026\n"
    )


def test_after_the_reform_the_summary_warns_of_an_implicit_withdrawal(cli, tmp_path):
    data = example()
    data["interview"]["date"] = "2026-12-15"
    result = build(cli, tmp_path, data, today="2026-12-07")
    assert result.returncode == 0, result.stderr
    summary = docx_text((tmp_path / "out" / "summary.docx").read_bytes())
    assert (
        "If the asylum application was lodged on or after 12 June 2026 (the EU regulation's rules), an unjustified absence "
        "may also lead to an implicit withdrawal of the application, against which the appeal period may be as short as 5 "
        "to 10 days. This is not verified against the French text: read any letter from Ofpra at once and get advice."
    ) in summary
    assert "Certainty: unverified (not confirmed from an official text: check it)" in summary


def test_late_arrival_asks_to_be_received_or_a_new_date(cli, tmp_path):
    data = example()
    data["absence"] = {"kind": "late", "arrival": "11:00", "reason": "other", "explanation": "Mon train est supprimé ce jour-là."}
    result = build(cli, tmp_path, data, lang="fr")
    assert result.returncode == 0, result.stderr
    letter = docx_text((tmp_path / "out" / LETTER).read_bytes())
    for line in (
        "Objet : retard à l'entretien personnel",
        "Je vous informe que je ne pourrai arriver à cet entretien qu'avec du retard, vers 11 h 00.",
        "Ce retard est dû à la raison suivante :",
        "Mon train est supprimé ce jour-là.",
        "Je vous prie de bien vouloir me recevoir à mon arrivée ou, si cela n'est pas possible, me convoquer à une nouvelle "
        "date d'entretien.",
    ):
        assert typeset(line) in letter, line
    assert parse_eml(tmp_path / "out" / EMAIL)["Subject"] == "Dossier Ofpra n°\u00a025-04-12345 — retard à l’entretien du 14\u00a0avril 2026"


def test_a_medical_reason_without_certificate_is_built_with_a_warning(cli, tmp_path):
    data = example()
    data["absence"]["certificate"] = False
    result = build(cli, tmp_path, data)
    assert result.returncode == 0, result.stderr
    assert "Warning: the reason is medical but no medical certificate is among the documents.\n" in result.stdout
    letter = docx_text((tmp_path / "out" / LETTER).read_bytes())
    assert typeset("Je vous transmettrai le certificat médical dès que possible.") in letter
    summary = docx_text((tmp_path / "out" / "summary.docx").read_bytes())
    assert (
        "⚠ The reason is medical but no medical certificate is among the documents: Ofpra may not accept the absence as "
        "justified. Ask a doctor for a certificate and send it as soon as possible (the letter says it will follow)."
    ) in summary
    check = json.loads(
        cli("check", PROCEDURE, "--answers", str(tmp_path / "case.yaml"), "--today", TODAY, "--json").stdout
    )
    assert check["certificate_missing"] is True


def test_the_certificate_and_the_convocation_are_attached_and_hashed(cli, tmp_path):
    (tmp_path / "convocation.pdf").write_bytes(b"%PDF-1.4 convocation")
    (tmp_path / "certificat.pdf").write_bytes(b"%PDF-1.4 certificat")
    data = example()
    data["attachments"] = [
        {"file": "convocation.pdf", "description": "Convocation à l'entretien du 14 avril 2026"},
        {"file": "certificat.pdf", "description": "Certificat médical du 7 avril 2026"},
    ]
    result = build(cli, tmp_path, data)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    message = parse_eml(out / EMAIL)
    assert [(p.get_filename(), p.get_content_type()) for p in message.iter_attachments()] == [
        (LETTER, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("convocation.pdf", "application/pdf"),
        ("certificat.pdf", "application/pdf"),
    ]
    letter = docx_text((out / LETTER).read_bytes())
    assert typeset(
        "Pièces justificatives jointes au courriel :\n1. Convocation à l'entretien du 14 avril 2026 (convocation.pdf)\n"
        "2. Certificat médical du 7 avril 2026 (certificat.pdf)"
    ) in letter
    manifest = json.loads((out / "manifest.json").read_text())
    assert [(a["name"], a["sha256"]) for a in manifest["attachments"]] == [
        ("convocation.pdf", hashlib.sha256(b"%PDF-1.4 convocation").hexdigest()),
        ("certificat.pdf", hashlib.sha256(b"%PDF-1.4 certificat").hexdigest()),
    ]


@pytest.mark.parametrize(
    ("mutate", "lang", "expected"),
    [
        (
            lambda d: d["absence"].update(kind="late"),
            "en",
            "“Absence from the interview › Time at which the applicant expects to arrive (HH:MM)” (section “Absence”): give "
            "the time at which the applicant expects to arrive.",
        ),
        (
            lambda d: d["absence"].update(kind="late", arrival="09:00"),
            "fr",
            "« Absence à l'entretien › Heure d'arrivée prévue (HH:MM) » (partie « Absence ») : cette heure doit être "
            "postérieure à l'heure de l'entretien.",
        ),
        (
            lambda d: d["interview"].update(date="2026-04-07"),
            "en",
            "“Interview (from the convocation) › Date of the interview” (section “Interview”): the interview date is before "
            "today (Wednesday 8 April 2026): this letter announces an absence before the interview. After it, write to "
            "Ofpra at once to explain why the applicant could not attend.",
        ),
        (
            lambda d: d["absence"].update(explanation=""),
            "en",
            "“Absence from the interview › The reason, in a few sentences (in French, as the letter will say it)” "
            "(section “Absence”): this answer cannot be empty.",
        ),
    ],
)
def test_bad_answers_get_one_clear_message_naming_the_question(cli, tmp_path, mutate, lang, expected):
    data = example()
    mutate(data)
    result = build(cli, tmp_path, data, lang=lang)
    assert result.returncode == 1
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("interview", "last", "safe"),
    [
        ("2026-04-14", "2026-04-14", "2026-04-13"),  # Tuesday: Monday before
        ("2026-04-13", "2026-04-13", "2026-04-10"),  # Monday: the Friday before (the weekend passed over)
        ("2026-04-07", "2026-04-07", "2026-04-03"),  # Tuesday after Easter Monday (6 April): Friday 3
        ("2026-05-11", "2026-05-11", "2026-05-07"),  # Monday after Friday 8 May: Thursday 7
        ("2026-07-15", "2026-07-15", "2026-07-13"),  # Wednesday after 14 July: Monday 13
    ],
)
def test_deadline_vectors(interview, last, safe):
    from docassemble_asylum.deadlines import interview_absence

    result = interview_absence.compute(dt.date.fromisoformat(interview))
    assert (result.last_day.isoformat(), result.safe_day.isoformat(), result.certainty.value) == (last, safe, "inference")


def test_after_the_interview_s_day_the_deadline_says_to_send_at_once():
    from docassemble_asylum.deadlines import interview_absence
    from docassemble_asylum.i18n import language

    with language("en"):
        result = interview_absence.compute(dt.date(2026, 4, 14), today=dt.date(2026, 4, 15))
    assert result.passed
    assert result.warnings[0] == (
        "Today (Wednesday 15 April 2026) is after the day of the interview (Tuesday 14 April 2026). Send the letter at "
        "once anyway, with the documents that justify the absence."
    )


# --- starting from an interview notice ----------------------------------------------------


def absence_only() -> dict:
    data = example()
    return {key: data[key] for key in ("absence", "contact", "send_to")}


def test_build_from_a_notice_file_reuses_the_applicant_and_the_interview(cli, tmp_path):
    notice = tmp_path / "notice.yaml"
    notice.write_text(pinned_example_text("interview-notice"), encoding="utf-8")
    rest = write_case(tmp_path, absence_only(), "rest.yaml")
    out = tmp_path / "out"
    result = cli("build", PROCEDURE, "--from", str(notice), "--answers", str(rest), "--out", str(out), "--today", "2026-04-01", "--lang", "en")
    assert result.returncode == 0, result.stderr
    letter = docx_text((out / LETTER).read_bytes())
    assert typeset(
        "Je soussignée Samira Leïla HADDAD, née le 17 août 1994, dossier Ofpra n° 25-04-12345, ai reçu une convocation à un "
        "entretien personnel prévu le mardi 14 avril 2026 à 9 h 30 (Ofpra, 201 rue Carnot, 94120 Fontenay-sous-Bois)."
    ) in letter
    # the notice's companion, interpreter and consent are not this procedure's answers
    assert "Dubois-Martin" not in letter

    # without --from, the rest alone is not a letter: the applicant and the interview are missing
    alone = cli("build", PROCEDURE, "--answers", str(rest), "--out", str(tmp_path / "alone"), "--today", "2026-04-01", "--lang", "en")
    assert alone.returncode == 1
    assert "“Asylum applicant” (section “Applicant”): this answer is required." in alone.stderr
    assert "“Interview (from the convocation)” (section “Interview”): this answer is required." in alone.stderr


def test_build_from_an_encrypted_notice_file(cli, tmp_path):
    notice = tmp_path / "notice.yaml"
    notice.write_text(pinned_example_text("interview-notice"), encoding="utf-8")
    env = {"ASYLUMDOCS_PASSPHRASE": "correct horse battery staple"}
    sealed = cli("case", "encrypt", str(notice), env=env)
    assert sealed.returncode == 0, sealed.stderr
    encrypted = next(tmp_path.glob("notice.yaml.age"))
    rest = write_case(tmp_path, absence_only(), "rest.yaml")
    result = cli(
        "build", PROCEDURE, "--from", str(encrypted), "--answers", str(rest), "--out", str(tmp_path / "out"), "--today", "2026-04-01", env=env
    )
    assert result.returncode == 0, result.stderr
    assert "Samira Leïla HADDAD" in docx_text((tmp_path / "out" / LETTER).read_bytes())


def test_from_a_file_that_is_not_a_notice_is_refused(cli, tmp_path):
    rest = write_case(tmp_path, absence_only(), "rest.yaml")
    result = cli("build", PROCEDURE, "--from", str(rest), "--answers", str(rest), "--out", str(tmp_path / "out"), "--today", TODAY, "--lang", "en")
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: --from: {rest} is not a complete answers file of “Notice to Ofpra of a companion at the interview”. "
        "Check it with asylumdocs check.\n"
    )
    assert not (tmp_path / "out").exists()


def test_the_guided_interview_from_a_notice_does_not_ask_the_interview_again(tmp_path, monkeypatch):
    from tests.test_question_sets import Scripted, _run

    from docassemble_asylum.procedures import get

    monkeypatch.setenv("ASYLUMDOCS_INTERVIEW_TRACE", "1")
    notice = yaml.safe_load(pinned_example_text("interview-notice"))
    reused = get(PROCEDURE).answers_from(notice, tmp_path / "notice.yaml")
    assert sorted(reused) == ["applicant", "interview"]
    terminal = Scripted(PROCEDURE, "en")
    answers, _data = _run(PROCEDURE, terminal, prefill=(reused, tmp_path / "notice.yaml"))
    asked = [line.split(" ")[1] for line in terminal.out if line.startswith("@ask ")]
    assert not [path for path in asked if path.startswith(("interview.", "applicant."))]
    assert "absence.kind" in asked and "send_to" in asked
    assert answers.interview.convocation_email == notice["interview"]["convocation_email"]


def test_example_builds_without_today(cli, tmp_path):
    """``asylumdocs example interview-absence`` as of the real day builds as of the real day."""
    printed = cli("example", PROCEDURE)
    assert printed.returncode == 0, printed.stderr
    case = tmp_path / "case.yaml"
    case.write_text(printed.stdout, encoding="utf-8")
    result = cli("build", PROCEDURE, "--answers", str(case), "--out", str(tmp_path / "out"), "--lang", "en")
    assert result.returncode == 0, result.stderr
    summary = docx_text((tmp_path / "out" / "summary.docx").read_bytes())
    assert "⚠" not in summary.split("When to send the letter")[0]  # nothing passed, nothing missing
