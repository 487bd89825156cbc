"""Template of the notice to Ofpra that the applicant will be accompanied (L.531-15 CESEDA).

The sentences come from the render context (procedures/interview_notice.py) because the
same text is the body of the e-mail: one wording, two outputs, no drift between them.
The template only lays them out as a French letter.
"""

from tools.templates.docx_kit import footer_text, lines_block, new_document, para, paragraphs_block, tag

OUTPUT = "interview_notice.docx"


def build():
    return email_letter("Pièces jointes au courriel :", "Accompagnement à l'entretien Ofpra — dossier n° {{ reference_number }}")


def email_letter(enclosures_heading: str, footer: str):
    """A letter to Ofpra sent by e-mail (the notice, the absence letter): its sentences, then the
    files attached to the e-mail, numbered."""
    doc = new_document()
    lines_block(doc, "sender.lines")
    para(doc, "")
    lines_block(doc, "recipient.lines", align="right")
    para(doc, "")
    para(doc, "{{ date_line }}", align="right")
    para(doc, "")
    para(doc, "Objet : {{ subject }}", bold=True, space_after=0)
    para(doc, "Réf. : {{ reference }}", space_after=0)
    para(doc, "")
    para(doc, "{{ salutation }}")
    paragraphs_block(doc, "paragraphs")
    tag(doc, "if enclosures")
    para(doc, enclosures_heading, space_after=0)
    tag(doc, "for enclosure in enclosures")
    para(doc, "{{ loop.index }}. {{ enclosure }}", space_after=0)
    tag(doc, "endfor")
    para(doc, "")
    tag(doc, "endif")
    para(doc, "{{ closing }}", align="justify")
    para(doc, "")
    tag(doc, "for line in signature.lines")
    para(doc, "{{ line }}", align="right", space_after=0)
    tag(doc, "endfor")
    footer_text(doc, footer)
    return doc
