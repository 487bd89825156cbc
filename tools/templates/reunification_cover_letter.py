"""Template of the cover letter to the Bureau des familles de réfugiés (réunification familiale).

French, like every letter to an authority. It accompanies the family-situation form and
its enclosures. The Bureau's address comes from the rule data, which marks it
unverified (RULES.md §5): the letter says so under it in a placeholder, highlighted and
listed among the unfinished parts as every part left to complete (the bureau-letter's too).
Only eligible and uncertain members are listed (the procedure decides).
"""

from docx.shared import Cm

from tools.templates.docx_kit import bullets_block, footer_text, keep_with_next, lines_block, new_document, para, paragraphs_block, tag

OUTPUT = "reunification_cover_letter.docx"


def build():
    doc = new_document()
    lines_block(doc, "sender.address_lines", bold_first="sender.full_name")
    tag(doc, "if sender.contact")
    para(doc, "{{ sender.contact }}", space_after=0)
    tag(doc, "endif")
    para(doc, "N° de dossier Ofpra : {{ sender.ofpra_file_number }}", space_after=0)
    para(doc, "")
    lines_block(doc, "bureau.lines", align="right")
    tag(doc, "if bureau.unverified")
    para(doc, "{{ bureau.unverified }}", align="right", size=9)
    tag(doc, "endif")
    para(doc, "")
    para(doc, "{{ place_date }}", align="right")
    para(doc, "")
    para(doc, "Objet : réunification familiale — formulaire de situation familiale et pièces justificatives", bold=True, space_after=0)
    para(doc, "Réf. : dossier Ofpra n° {{ sender.ofpra_file_number }}", space_after=0)
    para(doc, "")
    para(doc, "Madame, Monsieur,")
    para(doc, "{{ opening }}", align="justify")

    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Nom et prénoms", "Lien", "Naissance", "Consulat", "Demande de visa")):
        cell.paragraphs[0].add_run(text).bold = True
    loop = table.add_row().cells
    loop[0].paragraphs[0].add_run("{%tr for member in members %}")
    body = table.add_row().cells
    for cell, text in zip(body, ("{{ member.name }}", "{{ member.link }}", "{{ member.birth }}", "{{ member.consulate }}", "{{ member.visa }}")):
        cell.paragraphs[0].add_run(text)
    end = table.add_row().cells
    end[0].paragraphs[0].add_run("{%tr endfor %}")
    for row in table.rows:
        for cell, width in zip(row.cells, (Cm(4.2), Cm(3.2), Cm(3.6), Cm(3.0), Cm(2.6))):
            cell.width = width
    para(doc, "")
    para(doc, "Vous trouverez ci-joint :", align="justify")
    bullets_block(doc, "enclosures")
    tag(doc, "if observations")
    keep_with_next(para(doc, "Observations :", bold=True))
    paragraphs_block(doc, "observations")
    tag(doc, "endif")
    para(
        doc,
        "Mon adresse actuelle est celle qui figure en tête de ce courrier ; je vous remercie de m'adresser toute "
        "correspondance à cette adresse et de me faire connaître, le cas échéant, les pièces complémentaires nécessaires.",
        align="justify",
    )
    para(doc, "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.", align="justify")
    para(doc, "")
    para(doc, "{{ sender.full_name }}", align="right", space_after=0)
    para(doc, "(signature)", italic=True, align="right", size=9)
    footer_text(doc, "Réunification familiale — {{ sender.full_name }} — dossier Ofpra n° {{ sender.ofpra_file_number }}")
    return doc
