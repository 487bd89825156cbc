"""Template of the appeal against a visa refusal to the Commission de recours contre les
décisions de refus de visa d'entrée en France (CESEDA, art. D.312-4; RULES.md §5).

A registered letter: the sender (the protected person), the commission, the refused
family members one per paragraph, the facts, the grounds of the refusal answered one by
one (from the render context, procedures/visa_appeal.py), the family-link evidence, the
request, the signature and the enclosures.
"""

from tools.templates.docx_kit import bullets_block, footer_text, heading, keep_with_next, lines_block, new_document, para, paragraphs_block, sender_block, signature_block, subject_block, tag

OUTPUT = "visa_appeal.docx"


def build():
    doc = new_document()
    tag(doc, "if sender.other_names")
    sender_block(doc, "sender", "N° de dossier Ofpra : {{ sender.ofpra_file_number }}", "Autres noms ou graphies : {{ sender.other_names }}")
    tag(doc, "else")
    sender_block(doc, "sender", "N° de dossier Ofpra : {{ sender.ofpra_file_number }}")
    tag(doc, "endif")
    lines_block(doc, "commission.lines", align="right", bold_first="commission.name")
    para(doc, "")
    para(doc, "{{ signature.place }}, le {{ signature.date }}", align="right")
    para(doc, "Lettre recommandée avec demande d'avis de réception", italic=True)
    para(doc, "")
    subject_block(doc)
    paragraphs_block(doc, "facts")

    heading(doc, "Membres de la famille concernés", level=2)
    tag(doc, "for member in members")
    p = para(doc, "{{ member.name }}", bold=True, space_after=0)
    keep_with_next(p)
    para(doc, "{{ member.link }}, {{ member.birth }}, de nationalité {{ member.nationality }} ; {{ member.applied }}.", align="justify")
    tag(doc, "endfor")

    heading(doc, "Discussion", level=2)
    tag(doc, "for ground in grounds")
    keep_with_next(para(doc, "{{ ground.heading }}", bold=True))
    paragraphs_block(doc, "ground.paragraphs")
    tag(doc, "endfor")
    para(doc, "{{ general }}", align="justify")

    heading(doc, "Preuves du lien familial", level=2)
    bullets_block(doc, "evidence")

    para(doc, "")
    para(doc, "{{ conclusion }}", align="justify")
    para(doc, "{{ closing }}", align="justify")

    signature_block(doc)

    para(doc, "")
    keep_with_next(para(doc, "Pièces jointes :", bold=True, space_after=0))
    bullets_block(doc, "enclosures")
    footer_text(doc, "Recours contre un refus de visa — {{ sender.full_name }} — référence {{ refusal.reference }}")
    return doc
