"""The summary sheet a docassemble server offers says how to send the e-mail from there.

The command line writes a ready-to-send ``.eml``; a docassemble server shows the e-mail's
address, subject and text on its documents screen and offers no ``.eml``. The summary sheet
is one template with one wording switch (render/delivery.py ``on_server``, set by the glue):
on a server it never mentions a file the person does not have.
"""

from __future__ import annotations

import pytest
import yaml

from docassemble_asylum.i18n import language
from docassemble_asylum.procedures import get
from docassemble_asylum.render.delivery import emails_as_files, on_server
from pinned_examples import EXAMPLE_DAY, pinned_example_text


def how_to_send(procedure: str, lang: str, server: bool, **changes) -> list[str]:
    """The bullets of the summary's "How to send it" section."""
    from docassemble_asylum.procedures import interview_absence, interview_notice

    data = yaml.safe_load(pinned_example_text(procedure)) | changes
    day = EXAMPLE_DAY[procedure]
    module = {"interview-notice": interview_notice, "interview-absence": interview_absence}[procedure]

    def summary(answers, today):
        return module.summary(answers, module.compute_deadline(answers, today)).as_context()

    with language(lang):
        answers = get(procedure).validate(data, day)
        if server:
            with on_server():
                sheet = summary(answers, day)
        else:
            sheet = summary(answers, day)
        heading = {"en": "How to send it", "fr": "Comment l'envoyer"}[lang]
    (section,) = [s for s in sheet["summary"]["sections"] if s["heading"] == heading]
    return [bullet["text"] for bullet in section["bullets"]]


def test_the_switch_is_the_command_lines_outside_the_glue():
    assert emails_as_files()
    with on_server():
        assert not emails_as_files()
    assert emails_as_files()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_notice_summary_on_a_server_sends_from_the_documents_screen(lang):
    cli = how_to_send("interview-notice", lang, server=False)
    web = how_to_send("interview-notice", lang, server=True)
    assert any("accompagnement-entretien-ofpra.eml" in line for line in cli)
    assert not any(".eml" in line for line in web)
    assert web[:2] == {
        "en": [
            "Send it by e-mail to the address given on the convocation: accompagnement-entretien@ofpra.example, from the companion's mailbox. "
            "The documents screen gives the e-mail's subject and text: copy them into a new message.",
            "Attach the letter accompagnement-entretien-ofpra.docx (or its PDF) to the e-mail, with the files listed in it. "
            "Keep a copy of the e-mail as sent.",
        ],
        "fr": [
            "Envoyez-la par courriel à l'adresse indiquée sur la convocation : accompagnement-entretien@ofpra.example, depuis la boîte de "
            "l'accompagnant. L'écran des documents donne l'objet et le texte du courriel : copiez-les dans un nouveau message.",
            "Joignez au courriel le courrier accompagnement-entretien-ofpra.docx (ou son PDF), avec les fichiers qu'il mentionne. "
            "Gardez une copie du courriel tel qu'envoyé.",
        ],
    }[lang]
    assert web[2:] == cli[2:]  # the rest of the section is the same


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_absence_summary_on_a_server_sends_from_the_documents_screen(lang):
    """The bundled example is a medical absence whose letter announces the certificate."""
    cli = how_to_send("interview-absence", lang, server=False)
    web = how_to_send("interview-absence", lang, server=True)
    assert "absence-entretien-ofpra.eml" in cli[0]
    assert not any(".eml" in line for line in web)
    assert web == {
        "en": [
            "Send it by e-mail to the address given on the convocation: entretiens@ofpra.example. The documents screen gives "
            "the e-mail's subject and text: copy them into a new message.",
            "The letter says that the medical certificate is attached: attach to the e-mail the letter "
            "absence-entretien-ofpra.docx (or its PDF), the certificate and the convocation.",
            "Keep a copy of the e-mail as sent: it proves that Ofpra was told before the interview.",
        ],
        "fr": [
            "Envoyez-le par courriel à l'adresse indiquée sur la convocation : entretiens@ofpra.example. L'écran des "
            "documents donne l'objet et le texte du courriel : copiez-les dans un nouveau message.",
            "Le courrier indique que le certificat médical est joint : joignez au courriel le courrier "
            "absence-entretien-ofpra.docx (ou son PDF), le certificat et la convocation.",
            "Gardez une copie du courriel envoyé : elle prouve que l'Ofpra a été prévenu avant l'entretien.",
        ],
    }[lang]


def test_the_absence_summary_on_a_server_names_the_files_to_attach():
    listed = [{"file": "convocation.pdf", "description": "Convocation"}]
    web = how_to_send("interview-absence", "en", server=True, attachments=listed)
    assert web[1].startswith("Attach to the e-mail the letter absence-entretien-ofpra.docx (or its PDF) and the documents you listed: ")
    assert "convocation.pdf" in web[1]
