"""Template of the letter to the Bureau des familles de réfugiés (RULES.md §5): the family-
situation form did not arrive, and/or a new postal address, with the references of the
visa applications (the sentences come from procedures/bureau_letter.py).
"""

from tools.templates.docx_kit import bullets_block, footer_text, keep_with_next, lines_block, new_document, para, paragraphs_block, sender_block, signature_block, subject_block, tag

OUTPUT = "bureau_letter.docx"


def build():
    doc = new_document()
    sender_block(doc, "sender")
    tag(doc, "for line in references")
    para(doc, "{{ line }}", space_after=0)
    tag(doc, "endfor")
    para(doc, "")
    lines_block(doc, "bureau.lines", align="right")
    # The address is unverified in the rule data: the same highlighted mark as the reunification letter's.
    tag(doc, "if bureau.unverified")
    para(doc, "{{ bureau.unverified }}", align="right", size=9)
    tag(doc, "endif")
    para(doc, "")
    para(doc, "{{ signature.place }}, le {{ signature.date }}", align="right")
    subject_block(doc)
    paragraphs_block(doc, "paragraphs[:1]")
    tag(doc, "for member in members")
    para(doc, "{{ member.name }} — {{ member.detail }}", style="List Bullet")
    tag(doc, "endfor")
    paragraphs_block(doc, "paragraphs[1:]")
    para(doc, "{{ closing }}", align="justify")

    signature_block(doc)

    keep_with_next(para(doc, "Pièces jointes :", bold=True, space_after=0))
    bullets_block(doc, "enclosures")
    footer_text(doc, "Lettre au Bureau des familles de réfugiés — {{ sender.full_name }}")
    return doc
