"""The interview notice as a practitioner sends it (issue 18, notice part): the choice of sex
of the officer and the interpreter, the files attached to the e-mail (the convocation first,
the letter's PDF with ``--pdf``), the association's address and authorisation, the summary's
time and the associations' own lead time.

Asserted on what people read: the DOCX's text, the PDF's text (pdftotext), the ``.eml``
parsed by the standard ``email`` package, the manifest, the exact messages. Fictional data.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, require_tool
from docassemble_asylum.render.docx import docx_text
from docassemble_asylum.render.typography import plain as typeset
from pinned_examples import pinned_example_text

PROCEDURE = "interview-notice"
LETTER = "accompagnement-entretien-ofpra.docx"
EMAIL = "accompagnement-entretien-ofpra.eml"
TODAY = "2026-04-01"  # the pinned example's interview: Tuesday 14 April 2026 at 9:30
CONVOCATION = b"%PDF-1.4\n% fictional convocation\n"
FILE_LABEL = "Files to attach to the e-mail (the convocation first) no. {n} › File to attach (its path, from the folder of the answers file)"


def example() -> dict:
    return yaml.safe_load(pinned_example_text(PROCEDURE))


def write_case(folder: Path, data: dict, name: str = "case.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(cli, case: Path, out: Path, *extra: str, lang: str = "en"):
    return cli("build", PROCEDURE, "--answers", str(case), "--out", str(out), "--today", TODAY, "--lang", lang, *extra)


def parse_eml(path: Path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def attachments_of(message) -> list[tuple[str, str, bytes]]:
    return [(part.get_filename(), part.get_content_type(), part.get_content()) for part in message.iter_attachments()]


def with_convocation(folder: Path, data: dict) -> dict:
    (folder / "pieces").mkdir(parents=True, exist_ok=True)
    (folder / "pieces" / "convocation.pdf").write_bytes(CONVOCATION)
    (folder / "pieces" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0fictional")
    data["attachments"] = [
        {"file": "pieces/convocation.pdf", "description": "Convocation à l'entretien du 14 avril 2026"},
        {"file": "pieces/photo.jpg"},
    ]
    return data


# --- choice of sex ---------------------------------------------------------------------------


def test_both_sex_requests_in_the_letter_the_email_and_the_summary(cli, tmp_path):
    case = write_case(tmp_path, example())
    result = build(cli, case, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    letter = docx_text((tmp_path / "out" / LETTER).read_bytes())
    request = typeset(
        "Mme Samira Leïla HADDAD souhaite être entendue en arabe (syrien), et demande, dans la mesure du possible, "
        "que l'entretien soit mené par un officier de protection et un interprète de sexe féminin."
    )
    reason = typeset("Cette demande est liée aux motifs de la demande d'asile : elle a subi des violences sexuelles dans son pays d'origine.")
    assert request in letter and reason in letter
    body = parse_eml(tmp_path / "out" / EMAIL).get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert request in body and reason in body
    summary = docx_text((tmp_path / "out" / "summary.docx").read_bytes())
    assert "It asks, as far as possible, for a protection officer and an interpreter who are women." in summary
    assert (
        "Ofpra grants this request as far as it can when it is linked to the grounds of the application (for example "
        "sexual violence); it is not guaranteed."
    ) in summary
    # a request, never a right asserted
    assert "droit à" not in letter and "exige" not in letter


@pytest.mark.parametrize(
    ("chosen", "sentence"),
    [
        (
            {"officer": True, "sex": "male", "reason": "il a subi des violences sexuelles en détention"},
            "et demande, dans la mesure du possible, que l'entretien soit mené par un officier de protection de sexe masculin.",
        ),
        (
            {"interpreter": True, "sex": "female", "reason": "elle ne peut évoquer les faits devant un homme"},
            "et demande, dans la mesure du possible, à être assistée d'un interprète de sexe féminin.",
        ),
    ],
)
def test_one_request_alone(cli, tmp_path, chosen, sentence):
    data = example()
    data["chosen_sex"] = chosen
    result = build(cli, write_case(tmp_path, data), tmp_path / "out", lang="fr")
    assert result.returncode == 0, result.stderr
    letter = docx_text((tmp_path / "out" / LETTER).read_bytes())
    assert typeset(sentence) in letter
    assert typeset(f"Cette demande est liée aux motifs de la demande d'asile : {chosen['reason']}.") in letter


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "en",
            "“Choice of the sex of the protection officer and the interpreter › Reason for the request, in one sentence "
            "(linked to the grounds of the application, e.g. sexual violence)” (section “Interpreter and officer”): give the reason for the "
            "request in one sentence: Ofpra grants it when it is linked to the grounds of the application (for example sexual violence).",
        ),
        (
            "fr",
            "« Choix du sexe de l’officier de protection et de l’interprète › Motif de la demande, en une phrase (lié aux "
            "motifs de la demande d’asile, par exemple des violences sexuelles) » (partie « Interprète et officier ») : indiquez le motif de "
            "la demande en une phrase : l’Ofpra y fait droit lorsqu’elle est liée aux motifs de la demande d’asile (par "
            "exemple des violences sexuelles).",
        ),
    ],
)
def test_an_officer_request_needs_its_reason(cli, tmp_path, lang, message):
    data = example()
    data["chosen_sex"] = {"officer": True, "sex": "female"}
    result = build(cli, write_case(tmp_path, data), tmp_path / "out", lang=lang)
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_example_as_of_main_still_builds_and_asks_for_the_interpreter(cli, tmp_path):
    """``interpreter.same_gender: true`` (answers written before ``chosen_sex``) means the interpreter request."""
    old = (ROOT / "tests" / "fixtures" / "interview-notice-before-chosen-sex.yaml").read_text(encoding="utf-8")
    assert "same_gender: true" in old and "chosen_sex" not in old
    case = tmp_path / "old.yaml"
    case.write_text(old, encoding="utf-8")
    result = build(cli, case, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    letter = docx_text((tmp_path / "out" / LETTER).read_bytes())
    assert typeset(
        "Mme Samira Leïla HADDAD souhaite être entendue en arabe (syrien), et demande, dans la mesure du possible, "
        "à être assistée d'un interprète du même sexe."
    ) in letter
    assert "officier de protection" not in letter and "Cette demande est liée" not in letter
    summary = docx_text((tmp_path / "out" / "summary.docx").read_bytes())
    assert "It asks, as far as possible, for an interpreter of the applicant's own sex." in summary


# --- attachments ---------------------------------------------------------------------------


def test_the_convocation_is_attached_listed_and_hashed(cli, tmp_path):
    data = with_convocation(tmp_path, example())
    result = build(cli, write_case(tmp_path, data), tmp_path / "out")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    message = parse_eml(out / EMAIL)
    found = attachments_of(message)
    assert [(name, kind) for name, kind, _ in found] == [
        (LETTER, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("convocation.pdf", "application/pdf"),
        ("photo.jpg", "image/jpeg"),
    ]
    assert found[1][2] == CONVOCATION and found[0][2] == (out / LETTER).read_bytes()
    letter = docx_text((out / LETTER).read_bytes())
    assert typeset("Pièces jointes au courriel :\n1. Convocation à l'entretien du 14 avril 2026 (convocation.pdf)\n2. photo.jpg") in letter
    body = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert typeset("Vous trouverez en pièces jointes ce courrier et :\n- Convocation à l'entretien du 14 avril 2026 (convocation.pdf)\n- photo.jpg") in body
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["attachments"] == [
        {"name": "convocation.pdf", "sha256": hashlib.sha256(CONVOCATION).hexdigest(), "bytes": len(CONVOCATION), "type": "application/pdf"},
        {"name": "photo.jpg", "sha256": hashlib.sha256(b"\xff\xd8\xff\xe0fictional").hexdigest(), "bytes": 13, "type": "image/jpeg"},
    ]
    # the user's files are recorded, never copied into the case folder
    assert sorted(p.name for p in out.iterdir()) == sorted([LETTER, EMAIL, "summary.docx", "manifest.json"])


def test_with_pdf_the_email_attaches_the_pdf_of_the_letter(cli, tmp_path):
    require_tool("soffice")
    data = with_convocation(tmp_path, example())
    result = build(cli, write_case(tmp_path, data), tmp_path / "out", "--pdf")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    pdf = out / "accompagnement-entretien-ofpra.pdf"
    found = attachments_of(parse_eml(out / EMAIL))
    assert [(name, kind) for name, kind, _ in found] == [
        ("accompagnement-entretien-ofpra.pdf", "application/pdf"),
        ("convocation.pdf", "application/pdf"),
        ("photo.jpg", "image/jpeg"),
    ]
    assert found[0][2] == pdf.read_bytes() and found[1][2] == CONVOCATION
    manifest = json.loads((out / "manifest.json").read_text())
    by_name = {f["name"]: f["sha256"] for f in manifest["files"]}
    assert by_name[EMAIL] == hashlib.sha256((out / EMAIL).read_bytes()).hexdigest()  # the e-mail as rewritten
    assert manifest["attachments"][0]["sha256"] == hashlib.sha256(CONVOCATION).hexdigest()
    tool = require_tool("pdftotext")
    text = " ".join(subprocess.run([tool, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "un officier de protection et un interprète de sexe féminin" in text
    assert "1. Convocation à l’entretien du 14 avril 2026 (convocation.pdf)" in text


def bad_attachments(folder: Path) -> list[str]:
    (folder / "real.pdf").write_bytes(CONVOCATION)
    os.symlink("real.pdf", folder / "link.pdf")
    os.mkfifo(folder / "pipe.pdf")
    with open(folder / "big.pdf", "wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)
    (folder / "empty.pdf").write_bytes(b"")
    return ["missing.pdf", "link.pdf", "pipe.pdf", "big.pdf", "empty.pdf"]


def test_bad_attachments_are_refused_before_anything_is_written(cli, tmp_path):
    data = example()
    data["attachments"] = [{"file": name} for name in bad_attachments(tmp_path)]
    case = write_case(tmp_path, data)
    result = build(cli, case, tmp_path / "out", "--pdf")
    assert result.returncode == 1
    expected = [
        "this file does not exist (a path is read from the folder of the answers file).",
        "this path is a symbolic link: give the path of the file itself (symbolic links are not followed).",
        "this path is not an ordinary file (a folder, a FIFO, a device or a socket).",
        "this file is larger than 10 MB: attach a smaller copy (a scan at a lower resolution).",
        "this file is empty.",
    ]
    assert result.stderr == "Error: The answers have 5 problems; nothing was written:\n" + "".join(
        f"  - “{FILE_LABEL.format(n=n + 1)}” (section “Attachments”): {message}\n" for n, message in enumerate(expected)
    )
    assert not (tmp_path / "out").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def test_an_unreadable_attachment_is_named_in_french(cli, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    (tmp_path / "secret.pdf").write_bytes(CONVOCATION)
    os.chmod(tmp_path / "secret.pdf", 0)
    data = example()
    data["attachments"] = [{"file": "secret.pdf"}]
    result = build(cli, write_case(tmp_path, data), tmp_path / "out", lang="fr")
    assert result.returncode == 1
    assert (
        "« Fichiers à joindre au courriel (la convocation d’abord) n° 1 › Fichier à joindre (son chemin, à partir du "
        "dossier du fichier de réponses) » (partie « Pièces jointes ») : ce fichier ne peut pas être lu (permission refusée)."
    ) in result.stderr
    assert not (tmp_path / "out").exists()


def test_paths_are_read_from_the_answers_file_folder_not_the_current_one(cli, tmp_path):
    data = with_convocation(tmp_path / "dossier", example())
    case = write_case(tmp_path / "dossier", data)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = cli("build", PROCEDURE, "--answers", str(case), "--out", str(tmp_path / "out"), "--today", TODAY, cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert [name for name, _, _ in attachments_of(parse_eml(tmp_path / "out" / EMAIL))][1:] == ["convocation.pdf", "photo.jpg"]


def test_batch_attaches_each_case_s_files_and_fails_a_bad_case_alone(cli, tmp_path):
    cases = tmp_path / "cases"
    good = with_convocation(cases, example())
    write_case(cases, good, "haddad.yaml")
    bad = example()
    bad["attachments"] = [{"file": "pieces/absent.pdf"}]
    write_case(cases, bad, "other.yaml")
    result = cli("batch", PROCEDURE, str(cases), "--out", str(tmp_path / "out"), "--today", TODAY, "--jobs", "1")
    assert result.returncode == 1, result.stderr
    found = attachments_of(parse_eml(tmp_path / "out" / "haddad" / EMAIL))
    assert [name for name, _, _ in found] == [LETTER, "convocation.pdf", "photo.jpg"] and found[1][2] == CONVOCATION
    assert not (tmp_path / "out" / "other").exists()
    report = (tmp_path / "out" / "report.csv").read_text(encoding="utf-8")
    assert "attachments.0.file" in report and "this file does not exist" in report


def test_a_jsonl_batch_reads_paths_from_the_jsonl_file_folder(cli, tmp_path):
    data = with_convocation(tmp_path, example())
    (tmp_path / "cases.jsonl").write_text(json.dumps({"case_id": "haddad", **data}, ensure_ascii=False) + "\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = cli("batch", PROCEDURE, str(tmp_path / "cases.jsonl"), "--out", str(tmp_path / "out"), "--today", TODAY, "--jobs", "1", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert [n for n, _, _ in attachments_of(parse_eml(tmp_path / "out" / "haddad" / EMAIL))] == [LETTER, "convocation.pdf", "photo.jpg"]


# --- an association's representative ------------------------------------------------------


def association(**extra) -> dict:
    data = example()
    data.pop("signature_place")
    data["companion"] = {
        "kind": "association",
        "name": "Karim Benali",
        "sex": "male",
        "association": "cimade",
        "association_address": {"street": "64 rue Clisson", "postal_code": "75013", "city": "Paris"},
        "email": "k.benali@association.example",
        **extra,
    }
    return data


def test_association_letter_gives_its_address_its_authorisation_and_a_dated_place(cli, tmp_path):
    result = build(cli, write_case(tmp_path, association()), tmp_path / "out")
    assert result.returncode == 0, result.stderr
    letter = docx_text((tmp_path / "out" / LETTER).read_bytes())
    assert typeset("Karim Benali\nAssociation La Cimade\n64 rue Clisson\n75013 Paris\nCourriel : k.benali@association.example") in letter
    assert typeset(
        "l'association est habilitée par le directeur général de l'Office en application de l'article R. 531-13 du même code."
    ) in letter
    assert typeset("Paris, le 1er avril 2026") in letter  # the association's city; was "Le 1er avril 2026"
    assert "avril 2023" not in letter and "décision" not in letter


def test_after_the_2023_authorisations_lapsed_the_summary_says_to_check_with_the_association(cli, tmp_path):
    data = association()
    data["interview"]["date"] = "2026-12-15"
    case = write_case(tmp_path, data)
    result = cli("build", PROCEDURE, "--answers", str(case), "--out", str(tmp_path / "out"), "--today", "2026-12-01", "--lang", "en")
    assert result.returncode == 0, result.stderr
    letter = docx_text((tmp_path / "out" / LETTER).read_bytes())
    assert "2023" not in letter and "habilitée par le directeur général" in letter
    summary = docx_text((tmp_path / "out" / "summary.docx").read_bytes())
    assert (
        "“La Cimade” is on the list of authorised associations that asylumdocs knows (last known list: décision du "
        "directeur général de l'Ofpra du 21 avril 2023, lapsed on Monday 20 April 2026 unless renewed)."
    ) in summary
    assert (
        "The authorisations of the décision du directeur général de l'Ofpra du 21 avril 2023 lasted three years and ended "
        "on Monday 20 April 2026; no renewal is known to asylumdocs, so the letter cites no decision. Ask the association "
        "for Ofpra's current list and check that it and its representative are on it."
    ) in summary


def test_an_older_association_file_without_address_still_builds(cli, tmp_path):
    data = association()
    del data["companion"]["association_address"]
    result = build(cli, write_case(tmp_path, data), tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert typeset("Le 1er avril 2026") in docx_text((tmp_path / "out" / LETTER).read_bytes())


def test_check_json_names_the_precise_companion_question(cli, tmp_path):
    data = association()
    del data["companion"]["email"]
    case = write_case(tmp_path, data)
    result = cli("check", PROCEDURE, "--answers", str(case), "--today", TODAY, "--json", "--lang", "en")
    problems = json.loads(result.stdout)["problems"]
    assert problems == [
        {
            "field": "companion.email",
            "question": "Companion at the interview › Representative's e-mail",
            "message": "give the representative's e-mail or phone, so that Ofpra can reach them.",
        }
    ]
    data["companion"]["association"] = "Association inconnue de test"
    case = write_case(tmp_path, data)
    problems = json.loads(cli("check", PROCEDURE, "--answers", str(case), "--today", TODAY, "--json").stdout)["problems"]
    assert [p["question"] for p in problems] == ["Companion at the interview › Representative's e-mail", "Companion at the interview › I have checked on Ofpra's current list that this association is authorised"]


# --- the summary ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "subtitle", "lead"),
    [
        (
            "en",
            "For Samira Leïla HADDAD, Ofpra file no. 25-04-12345: interview on Tuesday 14 April 2026 at 9\u00a0h\u00a030",
            "Associations often need more notice than Ofpra to send a representative: La Cimade, for example, asks to be "
            "contacted at least 10 days before the interview, with the convocation. Contact the association as early as you can.",
        ),
        (
            "fr",
            "interview",  # the French subtitle is checked through its time below
            "Les associations ont souvent besoin d’être prévenues plus tôt que l’Ofpra pour envoyer un représentant : La Cimade, "
            "par exemple, demande à être sollicitée au moins 10 jours avant l’entretien, convocation jointe. Contactez "
            "l’association le plus tôt possible.",
        ),
    ],
)
def test_summary_writes_the_time_as_the_letter_and_the_associations_lead_time(cli, tmp_path, lang, subtitle, lead):
    result = build(cli, write_case(tmp_path, example()), tmp_path / "out", lang=lang)
    assert result.returncode == 0, result.stderr
    summary = docx_text((tmp_path / "out" / "summary.docx").read_bytes())
    assert "9\u00a0h\u00a030" in summary  # as the letter writes it, never broken across lines
    assert "09:30" not in summary
    if lang == "en":
        assert subtitle in summary
    assert typeset(lead) in summary or lead in summary
    assert "https://www.lacimade.org/accompagnement-associatif-des-demandeurs-dasile-dans-les-entretiens-ofpra-un-regard-citoyen/" in summary


def test_files_are_private(cli, tmp_path):
    data = with_convocation(tmp_path, example())
    result = build(cli, write_case(tmp_path, data), tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "out").iterdir()} == {0o600}
