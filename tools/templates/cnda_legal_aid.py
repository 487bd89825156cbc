"""Template of the request for legal aid to the CNDA's legal-aid office (loi n° 91-647, art. 9-4).

A letter on plain paper (RULES.md §2): the sender, the office, the sentence « je demande
l'aide juridictionnelle » and the decision (from the render context,
procedures/cnda_legal_aid.py), the identity in a table, the enclosed decision, the signature.
"""

from tools.templates.docx_kit import bullets_block, footer_text, heading, identity_table, lines_block, new_document, para, paragraphs_block, sender_block, signature_block, subject_block

OUTPUT = "cnda_legal_aid.docx"


def build():
    doc = new_document()
    sender_block(doc, "applicant", "N° de dossier Ofpra : {{ applicant.ofpra_file_number }}")
    para(doc, "{{ office.name }}", bold=True, align="right", space_after=0)
    para(doc, "{{ office.office }}", align="right", space_after=0)
    lines_block(doc, "office.lines", align="right")
    para(doc, "")
    para(doc, "{{ signature.place }}, le {{ signature.date }}", align="right")
    para(doc, "")
    subject_block(doc)
    paragraphs_block(doc, "paragraphs")

    heading(doc, 'Identité {{ "du demandeur"|agree(applicant.sex) }}', level=2)
    identity_table(doc)
    para(doc, "")
    para(doc, "{{ closing }}", align="justify")

    signature_block(doc)

    para(doc, "")
    para(doc, "Pièce jointe :", bold=True, space_after=0)
    bullets_block(doc, "enclosures")
    footer_text(doc, "Demande d'aide juridictionnelle — {{ applicant.full_name }} — décision n° {{ decision.number }}")
    return doc
