"""Author the provisional fillable family-situation form (templates/forms/family_situation.pdf).

``python tools/forms/make_family_form.py`` writes it; ``--check`` fails if the committed
form differs from what this script produces (byte for byte: reportlab's invariant mode
fixes dates and the document ID), so the script stays the single source of the form.

Why a provisional form: the official form the Bureau des familles de réfugiés sends was
not found (RULES.md §5). This one carries the fields RULES.md lists, is marked "modèle
provisoire" on every page, and its field names follow Suffolk LIT Lab's AssemblyLine
convention (``users1_name_first``, ``children2_birthdate``, ``__2`` for a value repeated
elsewhere in the PDF, checkbox pairs ``_yes`` / ``_no``), so that the answers→fields
mapping (``family_situation.mapping.yaml``) reads like the rest of the ecosystem. When
the official form is obtained, it gets its own mapping file: a data change only.

Fonts: only the standard Helvetica (WinAnsi). Values the font cannot show (Arabic,
Cyrillic…) are replaced at fill time by the person's Latin spelling, never by "?".
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "templates" / "forms" / "family_situation.pdf"

PAGE_W, PAGE_H = A4
LEFT, RIGHT = 40, PAGE_W - 40
WIDTH = RIGHT - LEFT
RED = Color(0.7, 0, 0)
GREY = Color(0.25, 0.25, 0.25)
PAGES = 5
FIELD_FONT_SIZE = 9
ROW = 27  # label + box + gap

CHILD_SLOTS = 4
QUESTIONNAIRE_TITLE = (
    "« FORMULAIRE à renseigner par le/la réfugié(e), bénéficiaire de la protection subsidiaire ou apatride »"
)
SWORN_DECLARATIONS = (
    "Je déclare sur l’honneur ne pas vivre en France en état de polygamie.",
    "Je déclare sur l’honneur respecter les principes essentiels qui, conformément aux lois de la République, régissent",
    "la vie familiale en France.",
)
PARENT_SLOTS = 2
SIBLING_SLOTS = 2


class Sheet:
    """A page cursor: draws labels and fields top-down, so the layout reads like the form."""

    def __init__(self, c: canvas.Canvas):
        self.c = c
        self.page = 0
        self.y = 0.0

    # --- pages ---------------------------------------------------------------------------

    def new_page(self) -> None:
        if self.page:
            self.c.showPage()
        self.page += 1
        c = self.c
        c.setFillColor(black)
        c.setFont("Helvetica-Bold", 12)
        c.drawString(LEFT, PAGE_H - 42, "Formulaire de situation familiale — réunification familiale")
        c.setFillColor(RED)
        c.setStrokeColor(RED)
        c.setLineWidth(1.2)
        c.rect(RIGHT - 150, PAGE_H - 50, 150, 22, stroke=1, fill=0)
        c.setFont("Helvetica-Bold", 10)
        c.drawCentredString(RIGHT - 75, PAGE_H - 43, "MODÈLE PROVISOIRE")
        c.setFillColor(GREY)
        c.setFont("Helvetica", 7)
        c.drawString(
            LEFT,
            28,
            "Modèle provisoire établi par asylumdocs : le formulaire officiel du Bureau des familles de réfugiés "
            "n’a pas été trouvé. Utilisez le formulaire officiel dès qu’il vous parvient.",
        )
        # No "Page N/M" here: the total is known only once the annex pages are added, so the
        # filling stamps "Page X / Y" on every page (mapping's page_label).
        c.setFillColor(black)
        self.y = PAGE_H - 64
        if self.page > 1:
            # The protected person's name on every page: the same value, AssemblyLine's __N suffix.
            self.c.setFont("Helvetica", 7.5)
            self.c.drawString(LEFT, self.y - 10, "Personne protégée :")
            self.text(f"users1_name_full__{self.page}", LEFT + 72, self.y - 14, 200, "Personne protégée (nom complet)", border=False)
            self.c.setFont("Helvetica", 7.5)
            self.c.drawString(LEFT + 290, self.y - 10, "N° Ofpra :")
            self.text(f"users1_ofpra_number__{self.page}", LEFT + 330, self.y - 14, 120, "Numéro de dossier Ofpra", border=False)
            self.y -= 22

    def paragraph(self, lines: list[str], size: float = 8) -> None:
        self.c.setFont("Helvetica", size)
        for line in lines:
            self.y -= size + 2.5
            self.c.drawString(LEFT, self.y, line)
        self.y -= 4

    def section(self, title: str) -> None:
        self.y -= 16
        self.c.setFillColor(Color(0.9, 0.9, 0.9))
        self.c.rect(LEFT, self.y - 3, WIDTH, 15, stroke=0, fill=1)
        self.c.setFillColor(black)
        self.c.setFont("Helvetica-Bold", 10)
        self.c.drawString(LEFT + 4, self.y + 1, title)
        self.y -= 4

    def subtitle(self, title: str) -> None:
        self.y -= 14
        self.c.setFont("Helvetica-Bold", 9)
        self.c.drawString(LEFT, self.y, title)
        self.c.setLineWidth(0.4)
        self.c.setStrokeColor(GREY)
        self.c.line(LEFT, self.y - 3, RIGHT, self.y - 3)
        self.y -= 4

    # --- fields --------------------------------------------------------------------------

    def text(self, name, x, y, width, tooltip, *, height=14, maxlen=100, multiline=False, color=black, border=True):
        self.c.acroForm.textfield(
            name=name,
            tooltip=tooltip,
            x=x,
            y=y,
            width=width,
            height=height,
            maxlen=maxlen,
            fontName="Helvetica",
            fontSize=FIELD_FONT_SIZE,
            textColor=color,
            fillColor=white,
            borderColor=GREY if border else white,
            borderWidth=0.6 if border else 0,
            fieldFlags="multiline" if multiline else "",
            annotationFlags="print",
        )

    def row(self, cells: list[tuple[str, str, float]], *, height=14, multiline=False, maxlen=100) -> None:
        """Labelled boxes side by side: (field name, label, share of the width)."""
        self.y -= ROW + (height - 14)
        x = LEFT
        for name, label, share in cells:
            width = WIDTH * share - (6 if share < 1 else 0)
            self.c.setFont("Helvetica", 7.5)
            self.c.setFillColor(GREY)
            self.c.drawString(x, self.y + height + 3, label)
            self.c.setFillColor(black)
            self.text(name, x, self.y, width, label, height=height, multiline=multiline, maxlen=maxlen)
            x += WIDTH * share

    def yes_no(self, prefix: str, question: str) -> None:
        """AssemblyLine's paired checkboxes: ``<prefix>_yes`` / ``<prefix>_no`` (on-state /Yes)."""
        self.y -= 18
        self.c.setFont("Helvetica", 8)
        self.c.drawString(LEFT, self.y + 2, question)
        x = LEFT + 250
        for suffix, label in (("yes", "oui"), ("no", "non")):
            self.c.acroForm.checkbox(
                name=f"{prefix}_{suffix}",
                tooltip=f"{question} — {label}",
                x=x,
                y=self.y,
                size=10,
                buttonStyle="cross",
                borderColor=GREY,
                fillColor=white,
                borderWidth=0.6,
                fieldFlags="",
            )
            self.c.drawString(x + 14, self.y + 2, label)
            x += 60

    def more(self, name: str) -> None:
        """A line that says where the members beyond the slots are (filled only then)."""
        self.y -= 15
        self.text(name, LEFT, self.y, WIDTH, "Suite de la rubrique (annexe)", maxlen=200, border=False)

    def caution(self, name: str) -> None:
        """A red line for "à vérifier" notes (members whose eligibility is uncertain)."""
        self.y -= 16
        self.text(name, LEFT, self.y, WIDTH, "Mise en garde (à vérifier avant l’envoi)", maxlen=400, color=RED, border=False)


def person_rows(s: Sheet, p: str) -> None:
    s.row([(f"{p}_name_last", "Nom", 0.5), (f"{p}_name_first", "Prénoms", 0.5)])
    s.row(
        [
            (f"{p}_birthdate", "Date de naissance (JJ/MM/AAAA)", 0.25),
            (f"{p}_birth_place", "Lieu de naissance", 0.45),
            (f"{p}_nationality", "Nationalité", 0.30),
        ]
    )


def member_rows(s: Sheet, p: str, *, marital: bool, custody: bool = False) -> None:
    person_rows(s, p)
    if marital:
        # Wide enough for "Enfant de la personne protégée (union précédente) — autre parent : …"
        # (the Bureau's questionnaire names each child's other parent, section I).
        s.row([(f"{p}_relationship", "Lien avec la personne protégée", 0.8), (f"{p}_marital_status", "Situation matrimoniale", 0.2)])
        if custody:
            s.row([(f"{p}_custody", "Situation de garde (enfant d’un seul parent)", 1)], height=22, multiline=True, maxlen=600)
    else:
        s.row([(f"{p}_relationship", "Lien avec la personne protégée", 1)])
    s.row([(f"{p}_address_country", "Pays de résidence", 0.35), (f"{p}_consulate", "Consulat de France où le visa est demandé", 0.65)])
    s.row(
        [(f"{p}_address_on_one_line", "Adresse de résidence", 0.7), (f"{p}_visa_application_date", "Date de la demande de visa", 0.3)],
        maxlen=200,
    )
    s.yes_no(f"{p}_declared_to_ofpra", "Figure dans la demande d’asile faite à l’Ofpra :")
    s.caution(f"{p}_caution")


def build() -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle("Formulaire de situation familiale (modèle provisoire)")
    c.setAuthor("asylumdocs")
    c.setSubject("Réunification familiale — modèle provisoire")
    s = Sheet(c)

    # Page 1: the protected person and the spouse or partner.
    s.new_page()
    s.paragraph(
        [
            "Ce modèle reprend les rubriques connues du formulaire que le Bureau des familles de réfugiés envoie à la",
            "personne protégée après le dépôt des demandes de visa. Il sert à préparer et vérifier les réponses.",
            "Les rubriques 7 à 11 suivent le questionnaire du Bureau (reproduction de 2017, non officielle) intitulé :",
            QUESTIONNAIRE_TITLE,
        ]
    )
    s.section("1. La personne protégée")
    person_rows(s, "users1")
    s.y -= 12
    s.c.setFont("Helvetica", 8)
    s.c.drawString(LEFT, s.y - 12, "Protection accordée :")
    for offset, (value, label) in enumerate(
        (("refugie", "Statut de réfugié"), ("protection_subsidiaire", "Protection subsidiaire"), ("apatride", "Statut d’apatride"))
    ):
        x = LEFT + 100 + offset * 140
        c.acroForm.radio(
            name="users1_protection_type",
            value=value,
            tooltip="Protection accordée",
            x=x,
            y=s.y - 14,
            size=10,
            buttonStyle="circle",
            borderColor=GREY,
            fillColor=white,
            borderWidth=0.6,
            fieldFlags="noToggleToOff radio",
        )
        s.c.drawString(x + 14, s.y - 12, label)
    s.y -= 22
    s.row(
        [
            ("users1_ofpra_number", "N° de dossier Ofpra", 0.3),
            ("users1_protection_date", "Date d’octroi de la protection", 0.35),
            ("users1_asylum_application_date", "Date de la demande d’asile", 0.35),
        ]
    )
    s.row([("users1_marital_status", "Situation matrimoniale", 0.5), ("users1_residence_document", "Titre de séjour", 0.5)])
    s.row([("users1_address_line_one", "Adresse en France", 1)], maxlen=200)
    s.row(
        [
            ("users1_address_line_two", "Code postal et ville", 0.4),
            ("users1_phone_number", "Téléphone", 0.25),
            ("users1_email", "Courriel", 0.35),
        ]
    )
    s.section("2. Conjoint, partenaire de PACS ou concubin")
    person_rows(s, "spouses1")
    s.row(
        [
            ("spouses1_relationship", "Lien", 0.3),
            ("spouses1_union_date", "Date du mariage, du PACS ou du début de la vie commune", 0.4),
            ("spouses1_union_place", "Lieu du mariage ou du PACS", 0.3),
        ]
    )
    s.row([("spouses1_address_country", "Pays de résidence", 0.35), ("spouses1_consulate", "Consulat de France où le visa est demandé", 0.65)])
    s.row(
        [("spouses1_address_on_one_line", "Adresse de résidence", 0.7), ("spouses1_visa_application_date", "Date de la demande de visa", 0.3)],
        maxlen=200,
    )
    s.yes_no("spouses1_declared_to_ofpra", "Figure dans la demande d’asile faite à l’Ofpra :")
    s.caution("spouses1_caution")
    s.more("spouses_more")

    # Page 2: children 1-3. Page 3: child 4 and the parents (minor refugee).
    s.new_page()
    s.section("3. Enfants")
    for n in range(1, CHILD_SLOTS + 1):
        if n == 4:
            s.new_page()
            s.section("3. Enfants (suite)")
        s.subtitle(f"Enfant n° {n}")
        member_rows(s, f"children{n}", marital=True, custody=True)
    s.more("children_more")
    s.section("4. Parents (personne protégée mineure)")
    for n in range(1, PARENT_SLOTS + 1):
        s.subtitle(f"Parent n° {n}")
        member_rows(s, f"parents{n}", marital=False)
    s.more("parents_more")

    # Page 4: brothers and sisters, observations, signature.
    s.new_page()
    s.section("5. Frères et sœurs mineurs (avec les parents)")
    for n in range(1, SIBLING_SLOTS + 1):
        s.subtitle(f"Frère ou sœur n° {n}")
        member_rows(s, f"siblings{n}", marital=True)
    s.more("siblings_more")
    s.section("6. Observations")
    s.row([("observations", "Observations (explications utiles au Bureau)", 1)], height=150, multiline=True, maxlen=20000)

    # Page 5: the sections of the Bureau's questionnaire (RULES.md §5), then the sworn
    # declarations, printed with empty boxes (no field: the tool can never tick them).
    s.new_page()
    s.section("7. Arrivée en France et références")
    s.row(
        [
            ("users1_arrival_date", "Date d’arrivée en France (JJ/MM/AAAA)", 0.4),
            ("users1_dce_number", "N° DCE (référence du Bureau, si connue)", 0.6),
        ]
    )
    s.row([("visa_references", "Demandes de visa : membre — référence France-Visas — date", 1)], height=52, multiline=True, maxlen=4000)
    s.section("8. Personne à contacter à l’étranger (« répondant »)")
    s.row([("contact_name", "Nom et prénoms", 0.4), ("contact_city", "Ville", 0.3), ("contact_country", "Pays", 0.3)])
    s.row([("contact_phones", "Téléphones", 0.5), ("contact_email", "Courriel", 0.5)])
    s.section("9. Situation matrimoniale actuelle")
    s.row([("marital_current", "Union actuelle (mariage civil, coutumier ou religieux, PACS, concubinage)", 1)], maxlen=400)
    s.row(
        [("marital_other_unions", "Unions précédentes (divorce, décès) et autres conjoints", 1)], height=40, multiline=True, maxlen=4000
    )
    s.section("10. Membres de la famille non demandés (et pourquoi)")
    s.row([("not_requested", "Nom — lien — date de naissance — raison", 1)], height=52, multiline=True, maxlen=8000)
    s.section("11. Déclarations sur l’honneur (à cocher et signer par la personne protégée)")
    s.y -= 4
    for number, lines in enumerate((SWORN_DECLARATIONS[:1], SWORN_DECLARATIONS[1:])):
        s.y -= 13
        s.c.setStrokeColor(GREY)
        s.c.setLineWidth(0.6)
        s.c.rect(LEFT, s.y - 1, 9, 9, stroke=1, fill=0)
        s.c.setFont("Helvetica", 8.5)
        for i, line in enumerate(lines):
            s.c.drawString(LEFT + 16, s.y - i * 11, line)
        s.y -= 11 * (len(lines) - 1)
    s.y -= 8
    s.row([("signature_place", "Fait à", 0.5), ("signature_date", "Le (JJ/MM/AAAA)", 0.5)])
    s.y -= 56
    s.c.setFont("Helvetica", 7.5)
    s.c.setFillColor(GREY)
    s.c.drawString(LEFT, s.y + 40, "Signature de la personne protégée")
    s.c.setStrokeColor(GREY)
    s.c.rect(LEFT, s.y, 220, 36, stroke=1, fill=0)
    if s.page != PAGES:
        raise RuntimeError(f"the layout made {s.page} pages, PAGES says {PAGES}")
    if s.y < 40:
        raise RuntimeError("the last page overflows")
    c.save()
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed form is stale")
    args = parser.parse_args()
    data = build()
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_bytes() != data:
            print(f"{OUTPUT.relative_to(ROOT)} is stale: run python tools/forms/make_family_form.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_bytes(data)
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
