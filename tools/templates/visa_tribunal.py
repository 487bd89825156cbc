"""Template of the draft application to the Tribunal administratif de Nantes against the
commission's rejection of a visa appeal (RULES.md §5): the parties, the contested
decision, the facts, the grounds as headings to complete, the conclusions (annulment,
injunction L.911-1 CJA, costs L.761-1 CJA), the exhibits (procedures/visa_tribunal.py).
"""

from tools.templates.docx_kit import footer_text, heading, keep_with_next, lines_block, new_document, para, paragraphs_block, signature_block, tag

OUTPUT = "visa_tribunal.docx"


def build():
    doc = new_document()
    para(doc, "REQUÊTE INTRODUCTIVE D'INSTANCE", bold=True, align="center")
    para(doc, "(projet à compléter)", italic=True, align="center")
    para(doc, "")
    para(doc, "À Mesdames et Messieurs les président et conseillers composant le", align="right", space_after=0)
    lines_block(doc, "tribunal.lines", align="right", bold_first="tribunal.name")
    para(doc, "")
    keep_with_next(para(doc, "POUR :", bold=True, space_after=0))
    para(doc, "{{ applicant }}", align="justify")
    tag(doc, "if represented")
    para(doc, "{{ represented }}", align="justify")
    tag(doc, "endif")
    keep_with_next(para(doc, "CONTRE :", bold=True, space_after=0))
    para(doc, "{{ contested }}.", align="justify")

    heading(doc, "I. Faits et procédure", level=2)
    paragraphs_block(doc, "facts")
    keep_with_next(para(doc, "Membres de la famille concernés :", bold=True, space_after=0))
    tag(doc, "for member in members")
    para(doc, "{{ member.name }} — {{ member.link }}, {{ member.birth }}, de nationalité {{ member.nationality }}", style="List Bullet")
    tag(doc, "endfor")

    heading(doc, "II. Discussion", level=2)
    keep_with_next(para(doc, "A. Sur la légalité externe", bold=True))
    paragraphs_block(doc, "external")
    keep_with_next(para(doc, "B. Sur la légalité interne", bold=True))
    tag(doc, "for ground in internal")
    keep_with_next(para(doc, "{{ ground.heading }}", italic=True))
    paragraphs_block(doc, "ground.paragraphs")
    tag(doc, "endfor")

    heading(doc, "III. Par ces motifs", level=2)
    para(doc, "Il est demandé au tribunal de :")
    tag(doc, "for item in conclusions")
    para(doc, "{{ item }}", style="List Number", align="justify")
    tag(doc, "endfor")

    signature_block(doc)

    heading(doc, "Bordereau des pièces", level=2)
    tag(doc, "for item in exhibits")
    para(doc, "Pièce n° {{ loop.index }} : {{ item }}")
    tag(doc, "endfor")
    footer_text(doc, "Requête — {{ sender.full_name }} — refus de visa {{ reference }}")
    return doc
