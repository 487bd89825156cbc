"""The French typographic layer (render/typography.py, render/docx_typography.py)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from docassemble_asylum.render import typography
from docassemble_asylum.render.typography import NBSP, NNBSP, plain, winansi

S, N = NBSP, NNBSP


def docx_form(text: str) -> str:
    """What the DOCX carries, with U+2011 standing for w:noBreakHyphen and ^ before superscript."""
    edits = typography.analyse(text)
    out = []
    for i, char in enumerate(text):
        out.append(edits.insert.get(i, ""))
        if i in edits.superscript and (i - 1) not in edits.superscript:
            out.append("^")
        out.append("\u2011" if i in edits.no_break_hyphens else edits.replace.get(i, char))
    out.append(edits.insert.get(len(text), ""))
    return "".join(out)


@pytest.mark.parametrize(
    "given, expected",
    [
        ("Nom : Amina", f"Nom{S}: Amina"),
        ("Nom: Amina", f"Nom{S}: Amina"),
        ("Nom  : Amina", f"Nom {S}: Amina"),  # the space next to the sign is the one that binds
        ("Adresse :", f"Adresse{S}:"),
        ("Pourquoi ? Parce que ; enfin !", f"Pourquoi{N}? Parce que{N}; enfin{N}!"),
        ("Pourquoi? Parce que; enfin!", f"Pourquoi{N}? Parce que{N}; enfin{N}!"),
        ("Vraiment?!", f"Vraiment{N}?!"),
        ("« Préfecture »", f"«{N}Préfecture{N}»"),
        ("«Préfecture»", f"«{N}Préfecture{N}»"),
        ("l'Office d'Omid aujourd'hui", "l’Office d’Omid aujourd’hui"),
        ("n° 2026-000123", f"n°{S}2026-000123"),
        ("N°2026", f"N°{S}2026"),
        ("M. Dupont, Mme Martin, Me Durand", f"M.{S}Dupont, Mme{S}Martin, Me{S}Durand"),
        ("art. L. 531-42", f"art.{S}L.{S}531-42"),
        ("article L531-42", f"article L.{S}531-42"),
        ("article L 531-42", f"article L.{S}531-42"),
        ("article L.531-42 et R. 532-6", f"article L.{S}531-42 et R.{S}532-6"),
        ("10 km, 15 %, 30 €, 8 jours", f"10{S}km, 15{S}%, 30{S}€, 8{S}jours"),
        ("10 000 €", f"10{N}000{S}€"),
        ("le 4 décembre 2026", f"le 4{S}décembre 2026"),
        ("le 1er avril 2026", f"le 1er{S}avril 2026"),
        ("à 9 h 30", f"à 9{S}h{S}30"),
    ],
)
def test_french_rules(given, expected):
    assert plain(given) == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://www.cnda.fr/demarches?type=recours&x=1",
        "voir https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000043?r=1:2",
        "amina.o'neil@example.fr",
        "www.ofpra.gouv.fr",
        "à 9:30",
        "un rapport de 3:1",
        "Saint-Denis",
        "",
        "  ",
    ],
)
def test_addresses_times_and_ratios_are_left_alone(text):
    assert plain(text) == text


def test_an_url_keeps_its_characters_but_the_punctuation_after_it_is_spaced():
    assert plain("voir https://www.cnda.fr/a?b=1 !") == f"voir https://www.cnda.fr/a?b=1{N}!"
    assert plain("écrire à jean.dupont@example.fr : merci") == f"écrire à jean.dupont@example.fr{S}: merci"


@pytest.mark.parametrize(
    "text",
    [
        "N° de dossier : 2026-000123 ; « Préfecture » l'Office, art. L531-42, le 1er avril à 9 h 30 ?",
        "Quoi?! M. Dupont: 10 000 € «x»",
    ],
)
def test_idempotent(text):
    once = plain(text)
    assert plain(once) == once
    assert not typography.analyse(once).replace and not typography.analyse(once).insert


def test_letters_and_words_are_never_changed():
    text = "Omid a dit: «je n'ai pas pu venir ; j'étais malade!» Réf. 2026-000123, art. L531-42."
    result = plain(text)

    def letters(value):
        return re.sub(r"[\s\u00a0\u202f'’.]", "", value)

    assert letters(result) == letters(text)


def test_docx_form_protects_numbers_and_raises_ordinals():
    assert docx_form("décision n° 2026-000123 du 1er avril") == f"décision n°{S}2026\u2011000123 du 1^er{S}avril"
    assert docx_form("art. R. 532-6") == f"art.{S}R.{S}532\u20116"
    assert docx_form("AGDREF 7512345678, dossier OFP-2026-12") == "AGDREF 7512345678, dossier OFP\u20112026\u201112"
    assert docx_form("la 2e audience, les 1res pages") == "la 2^e audience, les 1^res pages"
    assert docx_form("Jean-Pierre à Saint-Denis") == "Jean-Pierre à Saint-Denis"  # no digit: may break


def test_plain_media_keep_plain_hyphens_and_ordinals():
    assert plain("n° 2026-000123 le 1er avril") == f"n°{S}2026-000123 le 1er{S}avril"
    assert "\u2011" not in plain("R. 532-6 ; 2026-000123")


def test_winansi_has_no_narrow_space():
    result = winansi("« Préfecture » ; n° 12 l'Office")
    assert NNBSP not in result
    assert result == f"«{S}Préfecture{S}»{S}; n°{S}12 l’Office"
    result.encode("cp1252")  # every character is in Helvetica's WinAnsi encoding


# ------------------------------------------------------------------ the DOCX pass

def _render(paragraph_xml: str) -> str:
    from lxml import etree

    from docassemble_asylum.render.docx_typography import W, french_pass

    root = etree.fromstring(f'<w:body xmlns:w="{W}">{paragraph_xml}</w:body>')
    french_pass(root)
    return etree.tostring(root, encoding="unicode").replace(f' xmlns:w="{W}"', "")


def test_docx_pass_sees_across_runs():
    xml = _render('<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>N° de dossier</w:t></w:r><w:r><w:t xml:space="preserve"> : 2026-000123</w:t></w:r></w:p>')
    assert xml == (
        "<w:body><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>N°\u00a0de dossier</w:t></w:r>"
        '<w:r><w:t>\u00a0: 2026</w:t><w:noBreakHyphen/><w:t>000123</w:t></w:r></w:p></w:body>'
    )


def test_docx_pass_superscript_run_keeps_the_run_properties():
    xml = _render('<w:p><w:r><w:rPr><w:i/><w:lang w:val="fr-FR"/></w:rPr><w:t>Paris, le 1er avril 2026</w:t></w:r></w:p>')
    assert xml == (
        '<w:body><w:p><w:r><w:rPr><w:i/><w:lang w:val="fr-FR"/></w:rPr><w:t>Paris, le 1</w:t></w:r>'
        '<w:r><w:rPr><w:i/><w:vertAlign w:val="superscript"/><w:lang w:val="fr-FR"/></w:rPr><w:t>er</w:t></w:r>'
        '<w:r><w:rPr><w:i/><w:lang w:val="fr-FR"/></w:rPr><w:t>\u00a0avril 2026</w:t></w:r></w:p></w:body>'
    )


def test_docx_pass_leaves_fields_breaks_and_correct_text_alone():
    correct = "<w:p><w:r><w:t>Nom\u00a0: Amina</w:t></w:r><w:r><w:br/><w:t>page </w:t></w:r>" \
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>'
    assert _render(correct) == f"<w:body>{correct}</w:body>"
    # A line break separates: no rule joins the two lines.
    assert _render("<w:p><w:r><w:t>fin</w:t><w:br/><w:t>; suite</w:t></w:r></w:p>") == (
        "<w:body><w:p><w:r><w:t>fin</w:t><w:br/><w:t>; suite</w:t></w:r></w:p></w:body>"
    )


def test_docx_pass_is_idempotent():
    once = _render("<w:p><w:r><w:t>le 1er avril, n° 2026-12 ; « oui »</w:t></w:r></w:p>")
    from lxml import etree

    from docassemble_asylum.render.docx_typography import W, french_pass

    root = etree.fromstring(once.replace("<w:body>", f'<w:body xmlns:w="{W}">'))
    french_pass(root)
    assert etree.tostring(root, encoding="unicode").replace(f' xmlns:w="{W}"', "") == once


def test_english_documents_are_not_touched(tmp_path):
    from docx import Document

    from docassemble_asylum.render.docx import LANGUAGE_KEY, render_docx

    document = Document()
    document.add_paragraph("Last day: {{ day }} ; it's 2026-000123")
    template = tmp_path / "t.docx"
    document.save(template)
    english = zipfile.ZipFile(io.BytesIO(render_docx(template, {"day": "Friday 4 December 2026", LANGUAGE_KEY: "en"})))
    assert "Last day: Friday 4 December 2026 ; it's 2026-000123" in english.read("word/document.xml").decode()
    french = zipfile.ZipFile(io.BytesIO(render_docx(template, {"day": "vendredi 4 décembre 2026"})))
    assert "Last day\u00a0: vendredi 4\u00a0décembre 2026\u202f; it’s 2026</w:t><w:noBreakHyphen/>" in french.read("word/document.xml").decode()


# ------------------------------------------------------------------ agreement and elision (render/french.py)


def test_agreement_has_a_neutral_wording_never_a_split_form():
    from docassemble_asylum.render.french import WORDS, agree

    assert agree("du requérant", "female") == "de la requérante"
    assert agree("du requérant", "male") == "du requérant"
    assert agree("du requérant", None) == agree("du requérant", "other") == "de la partie requérante"
    assert agree("avocat au barreau de", None) == "du barreau de"
    for concept, forms in WORDS.items():
        assert all(not re.search(r"\((?:e|s|es)\)|\w/\w", form) for form in forms), concept


def test_the_agree_and_de_filters_are_registered_for_templates():
    from docassemble_asylum.render.docx import jinja_env

    env = jinja_env()
    source = '{{ "Le requérant"|agree(sex) }} souhaite être {{ "entendu (requérant)"|agree(sex) }} ; {{ name|de }}'
    assert env.from_string(source).render(sex="female", name="Omid") == "La requérante souhaite être entendue ; d’Omid"
    assert env.from_string(source).render(sex=None, name="Hamid") == "La partie requérante souhaite être entendue ; de Hamid"


def test_elision_before_a_vowel_never_before_h_and_only_in_french():
    from docassemble_asylum.i18n import language
    from docassemble_asylum.render.french import de, format_elided

    assert (de("Omid"), de("Élise"), de("Hamid"), de("Sara")) == ("d’Omid", "d’Élise", "de Hamid", "de Sara")
    # a y before a vowel is a consonant: no elision (review F-36); before a consonant, a vowel
    assert (de("Yasin"), de("Youssef"), de("Yves")) == ("de Yasin", "de Youssef", "d’Yves")
    with language("fr"):
        assert format_elided("Dossier de visa de {who}", who="Omid RAHIMI") == "Dossier de visa d’Omid RAHIMI"
        assert format_elided("Dossier de visa de {who}", who="Hamid") == "Dossier de visa de Hamid"
        # A particle the user typed inside a value is the user's text: left as it is.
        assert format_elided("Dossier de {who}", who="João de Oliveira") == "Dossier de João de Oliveira"
    with language("en"):
        assert format_elided("Visa file of {who}", who="Omid") == "Visa file of Omid"


def test_a_long_unbroken_word_takes_linear_time():
    # Found by the fuzzer: the e-mail and domain patterns were tried from every position of
    # a 100,000-character word (quadratic: minutes); the entity check rescanned the text.
    import time

    started = time.monotonic()
    for text in ("𝔘" * 100_000, "a;" * 50_000, "x@" * 50_000):
        assert plain(text).replace(NNBSP, "") == text
    assert time.monotonic() - started < 10  # about 1 s; was over 60 s for one build


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # review F-39: a phone number is never broken across lines
        ("par télécopie au 01 48 18 43 11.", "par télécopie au 01\u00a048\u00a018\u00a043\u00a011."),
        ("tél. +33 1 48 18 43 11", "tél. +33\u00a01\u00a048\u00a018\u00a043\u00a011"),
        # not a phone number: digits grouped otherwise are left to the other rules
        ("dossier 2026 12 12 12 12", "dossier 2026 12 12 12 12"),
    ],
)
def test_phone_numbers_keep_their_spaces_unbreakable(text, expected):
    from docassemble_asylum.render.typography import plain

    assert plain(text) == expected
