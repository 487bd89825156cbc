"""Template of the request for legal aid to the CNDA's legal-aid office (loi n° 91-647, art. 9-4).

A letter on plain paper (RULES.md §2): the sender, the office, the sentence « je demande
l'aide juridictionnelle » and the decision (from the render context,
procedures/cnda_legal_aid.py), the identity in a table, the enclosed decision, the signature.
"""

from docx.shared import Pt

from tools.templates.docx_kit import footer_text, heading, identity_table, lines_block, new_document, para, sender_block, tag

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
    para(doc, "Objet : {{ subject }}", bold=True)
    para(doc, "")
    para(doc, "{{ salutation }}")
    tag(doc, "for paragraph in paragraphs")
    para(doc, "{{ paragraph }}", align="justify")
    tag(doc, "endfor")

    heading(doc, 'Identité {{ "du demandeur"|agree(applicant.sex) }}', level=2)
    identity_table(doc)
    para(doc, "")
    para(doc, "{{ closing }}", align="justify")

    para(doc, "")
    para(doc, "Fait à {{ signature.place }}, le {{ signature.date }}", align="right")
    para(doc, "{{ signature.name }}", align="right")
    p = para(doc, "(signature)", italic=True, align="right")
    p.runs[0].font.size = Pt(9)

    para(doc, "")
    para(doc, "Pièce jointe :", bold=True, space_after=0)
    tag(doc, "for item in enclosures")
    para(doc, "{{ item }}", style="List Bullet")
    tag(doc, "endfor")
    footer_text(doc, "Demande d'aide juridictionnelle — {{ applicant.full_name }} — décision n° {{ decision.number }}")
    return doc
