"""The rule loader refuses every malformed rule file, and every shipped rule loads."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from docassemble_asylum.rules import Certainty, RuleFileError, load_rulebook, rulebook
from docassemble_asylum.rules.loader import data_root, parse_rule_file

GOOD = """\
key: cnda.appeal_period
title: Délai de recours
versions:
  - effective_from: "2021-05-01"
    article: CESEDA, art. L.532-1 ; délai franc
    article_en: "CESEDA, art. L.532-1; délai franc"
    references:
      - title: CESEDA (Légifrance)
        url: https://www.service-public.gouv.fr/particuliers/vosdroits/F2675
    checked_on: "2026-11-23"
    certainty: verified
    value:
      months: 1
"""


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def refused(tmp_path: Path, text: str, relative: str = "cnda/appeal_period.yaml") -> str:
    write(tmp_path, relative, text)
    with pytest.raises(RuleFileError) as info:
        load_rulebook(tmp_path)
    return str(info.value)


def test_a_good_file_loads(tmp_path):
    write(tmp_path, "cnda/appeal_period.yaml", GOOD)
    book = load_rulebook(tmp_path)
    rule = book["cnda.appeal_period"]
    assert rule.at(dt.date(2026, 3, 2)).value == {"months": 1}
    assert rule.at(dt.date(2030, 1, 1)).certainty is Certainty.verified
    assert len(book.digest) == 64
    with pytest.raises(LookupError, match="no version in force on 2020-01-01"):
        rule.at(dt.date(2020, 1, 1))
    with pytest.raises(KeyError, match="no rule named 'cnda.nothing'"):
        book["cnda.nothing"]


def test_refuses_a_rule_without_a_source(tmp_path):
    text = GOOD.replace(
        "    references:\n      - title: CESEDA (Légifrance)\n"
        "        url: https://www.service-public.gouv.fr/particuliers/vosdroits/F2675\n",
        "    references: []\n",
    )
    assert "references: []" in text
    message = refused(tmp_path, text)
    assert message.startswith("appeal_period.yaml: versions.0.references: List should have at least 1 item")


def test_refuses_a_rule_with_no_references_field(tmp_path):
    text = GOOD.replace(
        "    references:\n      - title: CESEDA (Légifrance)\n"
        "        url: https://www.service-public.gouv.fr/particuliers/vosdroits/F2675\n",
        "",
    )
    assert refused(tmp_path, text) == "appeal_period.yaml: versions.0.references: Field required"


def test_refuses_a_source_without_a_real_url(tmp_path):
    text = GOOD.replace("url: https://www.service-public.gouv.fr/particuliers/vosdroits/F2675", "url: légifrance")
    assert "versions.0.references.0.url: String should match pattern" in refused(tmp_path, text)


def test_refuses_duplicate_keys(tmp_path):
    text = GOOD + "    value:\n      months: 2\n"
    assert refused(tmp_path, text) == "appeal_period.yaml: duplicate key 'value' at line 14"


def test_refuses_an_impossible_date(tmp_path):
    message = refused(tmp_path, GOOD.replace('"2021-05-01"', '"2026-02-30"'))
    assert message.startswith("appeal_period.yaml: versions.0.effective_from: Value error, day is out of range for month")


def test_refuses_an_unquoted_impossible_date(tmp_path):
    message = refused(tmp_path, GOOD.replace('"2021-05-01"', "2026-02-30"))
    assert "versions.0.effective_from: Value error, day is out of range for month" in message


def test_refuses_a_date_not_written_yyyy_mm_dd(tmp_path):
    message = refused(tmp_path, GOOD.replace('checked_on: "2026-11-23"', 'checked_on: "2026-2-3"'))
    assert message == "appeal_period.yaml: versions.0.checked_on: Value error, a date must be written YYYY-MM-DD"


def test_refuses_a_timestamp_for_a_date(tmp_path):
    message = refused(tmp_path, GOOD.replace('"2021-05-01"', '"2021-05-01T00:00"'))
    assert message == "appeal_period.yaml: versions.0.effective_from: Value error, a date must be written YYYY-MM-DD"


def test_refuses_unknown_fields(tmp_path):
    message = refused(tmp_path, GOOD.replace("    certainty: verified\n", "    certainty: verified\n    sure: yes\n"))
    assert message == "appeal_period.yaml: versions.0.sure: Extra inputs are not permitted"


def test_refuses_an_unknown_field_at_the_top(tmp_path):
    message = refused(tmp_path, GOOD + "comment: hello\n")
    assert message == "appeal_period.yaml: comment: Extra inputs are not permitted"


def test_refuses_an_unknown_certainty(tmp_path):
    message = refused(tmp_path, GOOD.replace("certainty: verified", "certainty: probable"))
    assert message.startswith("appeal_period.yaml: versions.0.certainty: Input should be 'verified', 'inference',")


def test_refuses_a_key_that_does_not_match_its_path(tmp_path):
    message = refused(tmp_path, GOOD, relative="cnda/period.yaml")
    assert message == "period.yaml: key 'cnda.appeal_period' does not match its path ('cnda.period')"


def test_refuses_overlapping_versions(tmp_path):
    second = textwrap.indent(
        textwrap.dedent(
            """\
            - effective_from: "2026-06-12"
              article: CESEDA, art. L.532-1
              article_en: CESEDA, art. L.532-1
              references:
                - title: CESEDA (Légifrance)
                  url: https://www.service-public.gouv.fr/particuliers/vosdroits/F2675
              checked_on: "2026-11-23"
              certainty: unverified
              value:
                months: 1
            """
        ),
        "  ",
    )
    message = refused(tmp_path, GOOD + second)
    assert message == (
        "appeal_period.yaml: (file): Value error, versions overlap: "
        "the one from 2021-05-01 must end before 2026-06-12"
    )
    closed = GOOD.replace('    article:', '    effective_until: "2026-06-12"\n    article:', 1)
    message = refused(tmp_path, closed + second)
    assert "versions overlap: the one from 2021-05-01 must end before 2026-06-12" in message
    fixed = GOOD.replace('    article:', '    effective_until: "2026-06-11"\n    article:', 1)
    write(tmp_path, "cnda/appeal_period.yaml", fixed + second)
    rule = load_rulebook(tmp_path)["cnda.appeal_period"]
    assert rule.at(dt.date(2026, 6, 11)).certainty is Certainty.verified
    assert rule.at(dt.date(2026, 6, 12)).certainty is Certainty.unverified


def test_refuses_a_version_that_ends_before_it_starts(tmp_path):
    text = GOOD.replace('    article:', '    effective_until: "2021-04-30"\n    article:', 1)
    assert "effective_until is before effective_from" in refused(tmp_path, text)


def test_refuses_a_file_that_is_not_a_mapping(tmp_path):
    assert refused(tmp_path, "- a\n- b\n") == "appeal_period.yaml: a rule file must be a mapping"


def test_refuses_invalid_yaml(tmp_path):
    assert refused(tmp_path, "key: [unclosed\n").startswith("appeal_period.yaml: ")


def test_refuses_an_empty_folder(tmp_path):
    with pytest.raises(RuleFileError, match="no rule file under"):
        load_rulebook(tmp_path)


def test_parse_rule_file_without_expected_key(tmp_path):
    path = write(tmp_path, "anything.yaml", GOOD)
    assert parse_rule_file(path).key == "cnda.appeal_period"


# --- the shipped rules -------------------------------------------------------------------

DEADLINE_RULES = {
    "cnda.appeal_period",
    "cnda.overseas_extension",
    "cnda.online_notification",
    "cnda.legal_aid",
    "cnda.reform_2026",
    "cnda.address",
    "reexamination.filing_period",
    "reexamination.ofpra_address",
    "interview.notice_period",
    "calendar.public_holidays",
    "calendar.local_holidays",
}


def test_every_shipped_rule_file_validates_eagerly():
    eager = load_rulebook(data_root())
    assert set(eager.keys()) == set(rulebook().keys())
    assert eager.digest == rulebook().digest


def test_a_lazy_book_refuses_a_bad_file_when_its_rule_is_used(tmp_path):
    write(tmp_path, "cnda/appeal_period.yaml", GOOD)
    write(tmp_path, "cnda/legal_aid.yaml", GOOD.replace("cnda.appeal_period", "cnda.legal_aid").replace("references:", "refs:"))
    with pytest.raises(RuleFileError):
        load_rulebook(tmp_path)
    lazy = load_rulebook(tmp_path, lazy=True)
    assert sorted(lazy.keys()) == ["cnda.appeal_period", "cnda.legal_aid"]
    assert lazy["cnda.appeal_period"].at(dt.date(2026, 3, 2)).value == {"months": 1}
    with pytest.raises(RuleFileError, match=r"^legal_aid.yaml: .*versions.0.refs: Extra inputs are not permitted"):
        lazy["cnda.legal_aid"]
    with pytest.raises(KeyError, match="no rule named 'cnda.other'"):
        lazy["cnda.other"]


def test_every_shipped_rule_loads_and_has_a_source():
    book = rulebook()
    assert DEADLINE_RULES <= set(book.keys())
    for rule in book:
        for version in rule.versions:
            assert version.references, rule.key
            for ref in version.references:
                assert ref.url.startswith("https://"), (rule.key, ref.url)
                # An article's own page (of a code, or of a law: loda), never a malformed id.
                if "LEGIARTI" in ref.url:
                    assert ARTICLE_PAGE.fullmatch(ref.url), ref.url


ARTICLE_PAGE = re.compile(r"https://www\.legifrance\.gouv\.fr/(codes|loda)/article_lc/(LEGIARTI\d{12})")
CHECKED_LINKS = re.compile(r"Links? checked on (\d{4}-\d{2}-\d{2}): (.*)")


def test_every_article_link_taken_as_verified_says_where_and_when_it_was_checked():
    """A Légifrance article link without ``link: unverified`` is one someone tied to its article
    in a source: the version's maintainer note records the day ("Link checked on YYYY-MM-DD:")
    and, in that sentence, the LEGIARTI id and the source, so that the next maintainer can check
    it again. Article ids are easy to invent and hard to spot when wrong."""
    checked = 0
    for rule in rulebook():
        for version in rule.versions:
            recorded = " ".join(m.group(2) for note in version.maintainer_notes for m in CHECKED_LINKS.finditer(note))
            for ref in version.references:
                page = ARTICLE_PAGE.fullmatch(ref.url)
                if page and ref.link is None:
                    assert page.group(2) in recorded, (rule.key, ref.title)
                    checked += 1
    assert checked >= 20


CESEDA_WHOLE_CODE = "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006070158"


# The only CESEDA references still opening the whole code: the article is known, but neither its
# own page nor the section that holds it could be read offline (5 December 2026). Any other
# whole-code link fails the test below; one found moves from here to its article's page.
WHOLE_CODE_UNTIL_FOUND = {"cnda.non_suspensive": ["L752-5"], "reexamination.addressee": ["L121-7"]}


def test_every_ceseda_reference_points_at_its_article_or_says_it_does_not():
    """A CESEDA link to the whole code is a defect unless marked (link: unverified, with a note
    for maintainers saying what to replace) and unless it says which article it stands for (in
    its title or the caption) or that the article was not found (« non trouvé »), so that the
    check below sees it when that article's own page becomes known; each rule version records
    the day it was checked."""
    book = rulebook()
    whole_code: dict[str, list[str]] = {}
    for rule in book:
        for version in rule.versions:
            assert version.checked_on >= dt.date(2026, 1, 1), rule.key
            for ref in version.references:
                if ref.url.startswith(CESEDA_WHOLE_CODE):
                    assert ref.link == "unverified" and ref.link_note, (rule.key, ref.title)
                    assert _articles_named(ref, version) or "non trouvé" in version.article, (rule.key, ref.title)
                    whole_code.setdefault(rule.key, []).extend(_articles_named(ref, version))
    assert whole_code == WHOLE_CODE_UNTIL_FOUND, "a CESEDA reference opens the whole code: link its article or its section"


SECTION_PAGE = re.compile(r"https://www\.legifrance\.gouv\.fr/codes/(?:section_lc/LEGITEXT\d{12}|id)/(LEGISCTA\d{12})/")


def test_every_section_link_is_marked_and_says_where_its_id_was_read():
    """A link to a part of a code (when the article's own id is unknown) is a stopgap: marked
    ``link: unverified``, and its note names the section id it points at, so the next
    maintainer can check the source and replace it with the article's own page."""
    sections = 0
    for rule in rulebook():
        for version in rule.versions:
            for ref in version.references:
                page = SECTION_PAGE.fullmatch(ref.url)
                if page:
                    assert ref.link == "unverified", (rule.key, ref.title)
                    assert page.group(1) in " ".join(ref.link_note.split()), (rule.key, ref.title)
                    sections += 1
    assert sections >= 15


CESEDA_TITLE = "Code de l'entrée et du séjour des étrangers et du droit d'asile"
# An article number as the data writes it: L532-1, L.532-1, L. 532-1, R*122-3.
ARTICLE_NUMBER = re.compile(r"\b([LRD])\*?\.?\s?(\d{3}-\d+(?:-\d+)?)\b")


def _numbers(text: str) -> list[str]:
    return [kind + number for kind, number in ARTICLE_NUMBER.findall(text)]


def _articles_named(ref, version) -> list[str]:
    """The CESEDA articles a reference stands for: those its title names outside parentheses
    (a section link's title adds the section's range in parentheses), or, for a reference
    whose title names none (a whole-code link), those of the version's caption in a clause
    that names the CESEDA."""
    named = _numbers(re.sub(r"\([^)]*\)", " ", ref.title))
    if named:
        return named
    return [n for clause in version.article.split(";") if "CESEDA" in clause for n in _numbers(clause)]


def confirmed_ceseda_articles(book) -> dict[str, str]:
    """Each CESEDA article whose own Légifrance page some rule links as checked (no ``link:
    unverified``; the other tests make its maintainer note say where and when), with its id."""
    confirmed: dict[str, str] = {}
    for rule in book:
        for version in rule.versions:
            for ref in version.references:
                page = ARTICLE_PAGE.fullmatch(ref.url)
                if page and ref.link is None and ref.title.startswith(CESEDA_TITLE):
                    named = _articles_named(ref, version)
                    if len(named) == 1:
                        confirmed[named[0]] = page.group(2)
    return confirmed


def ceseda_link_regressions(book) -> list[str]:
    """Every CESEDA reference that opens a section or the whole code for an article whose
    own page is known elsewhere in the data: once an article's id is confirmed, no rule may
    go back to a stopgap link for it."""
    confirmed = confirmed_ceseda_articles(book)
    found = []
    for rule in book:
        for version in rule.versions:
            for ref in version.references:
                if SECTION_PAGE.fullmatch(ref.url):
                    kind = "a section"
                elif ref.url.rstrip("/") == CESEDA_WHOLE_CODE:
                    kind = "the whole code"
                else:
                    continue
                for article in _articles_named(ref, version):
                    if article in confirmed:
                        found.append(
                            f"{rule.key} (from {version.effective_from}): {article} links {kind}, "
                            f"but its own page is known: codes/article_lc/{confirmed[article]}"
                        )
    return found


def test_no_ceseda_reference_goes_back_to_a_section_or_the_whole_code_for_a_confirmed_article():
    book = rulebook()
    confirmed = confirmed_ceseda_articles(book)
    # The articles whose ids were tied to their numbers in a source (see their maintainer notes).
    assert {"L542-2": "LEGIARTI000042775920", "L561-2": "LEGIARTI000042775786", "L561-3": "LEGIARTI000042775784"}.items() <= confirmed.items()
    assert ceseda_link_regressions(book) == []


def test_a_section_or_whole_code_link_for_a_confirmed_article_is_reported(tmp_path):
    """The check above can fail: a rule that links the part of the code holding L561-2, or
    the whole code for a caption citing it, while another rule links L561-2's own page."""
    checked = f"""\
    key: reunification.beneficiaries
    title: Bénéficiaires
    versions:
      - effective_from: "2021-05-01"
        article: CESEDA, art. L.561-2
        article_en: "CESEDA, art. L.561-2"
        references:
          - title: {CESEDA_TITLE} (Légifrance), article L561-2
            url: https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000042775786
        checked_on: "2026-12-05"
        certainty: verified
        maintainer_note: "Link checked on 2026-12-05: LEGIARTI000042775786 is article L561-2 (a source)."
        value: 1
    """
    stopgaps = f"""\
    key: reunification.other
    title: Autre
    versions:
      - effective_from: "2021-05-01"
        effective_until: "2026-06-11"
        article: CESEDA, art. L.561-2
        article_en: "CESEDA, art. L.561-2"
        references:
          - title: {CESEDA_TITLE} (Légifrance), article L561-2 (articles L561-1 à L561-5)
            url: https://www.legifrance.gouv.fr/codes/section_lc/LEGITEXT000006070158/LEGISCTA000042771996/
            link: unverified
            link_note: The section LEGISCTA000042771996.
        checked_on: "2026-12-05"
        certainty: verified
        value: 1
      - effective_from: "2026-06-12"
        article: CESEDA, art. L.561-2 ; Règlement (UE) 2024/1348, art. 41
        article_en: "CESEDA, art. L.561-2; Regulation (EU) 2024/1348, art. 41"
        references:
          - title: {CESEDA_TITLE} (Légifrance)
            url: {CESEDA_WHOLE_CODE}
            link: unverified
            link_note: The whole code.
        checked_on: "2026-12-05"
        certainty: verified
        value: 1
    """
    write(tmp_path, "reunification/beneficiaries.yaml", checked)
    write(tmp_path, "reunification/other.yaml", stopgaps)
    book = load_rulebook(tmp_path)
    assert confirmed_ceseda_articles(book) == {"L561-2": "LEGIARTI000042775786"}
    assert ceseda_link_regressions(book) == [
        "reunification.other (from 2021-05-01): L561-2 links a section, but its own page is known: "
        "codes/article_lc/LEGIARTI000042775786",
        "reunification.other (from 2026-06-12): L561-2 links the whole code, but its own page is known: "
        "codes/article_lc/LEGIARTI000042775786",
    ]


def test_the_cnda_appeal_period_links_the_part_of_the_code_holding_l532_1():
    (ref,) = [r for r in rulebook()["cnda.appeal_period"].at(dt.date(2026, 3, 2)).references if "L532-1" in r.title]
    assert ref.url == "https://www.legifrance.gouv.fr/codes/section_lc/LEGITEXT000006070158/LEGISCTA000042772360/"
    assert ref.link == "unverified" and "F2675" in ref.link_note


def test_a_ceseda_reference_to_the_whole_code_is_refused(tmp_path):
    path = tmp_path / "appeal_period.yaml"
    path.write_text(
        "key: cnda.appeal_period\ntitle: Délai de recours\nversions:\n"
        "  - effective_from: \"2021-05-01\"\n    article: CESEDA, art. L.532-1\n    article_en: CESEDA, art. L.532-1\n    references:\n"
        "      - title: CESEDA, article L532-1\n        url: " + CESEDA_WHOLE_CODE + "\n"
        "    checked_on: \"2026-12-05\"\n    certainty: verified\n    value: {months: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError, match="this Légifrance link opens a whole code or law: link the article itself"):
        parse_rule_file(path, expected_key="cnda.appeal_period")


def test_loi_91_647_is_linked_to_its_own_article_9_4():
    # LEGIARTI000037398437: art. 9-4 of the loi n° 91-647 (JORFTEXT000000537611), version of
    # 2019-2024, per doctrine.fr and tricoteuses.fr (see the link_note in cnda/legal_aid.yaml).
    urls = [ref.url for rule in rulebook() for v in rule.versions for ref in v.references if "91-647" in ref.title]
    assert urls and set(urls) == {"https://www.legifrance.gouv.fr/loda/article_lc/LEGIARTI000037398437"}


def test_shipped_deadline_values():
    book = rulebook()
    day = dt.date(2026, 3, 2)
    assert book["cnda.appeal_period"].at(day).value == {"months": 1}
    assert book["cnda.appeal_period"].at(day).certainty is Certainty.verified
    assert book["cnda.overseas_extension"].at(day).certainty is Certainty.unverified
    assert book["cnda.online_notification"].at(day).value == {"days": 15, "alternative_days": 14}
    assert book["cnda.legal_aid"].at(day).value["request_days"] == 15
    assert book["cnda.legal_aid"].at(day).certainty is Certainty.uncertain
    reform = book["cnda.reform_2026"]
    assert reform.current.effective_from == dt.date(2026, 6, 8)
    assert reform.current.value["minimum_days"] == {
        "normal": 14,
        "accelerated": 5,
        "inadmissibility": 5,
        "implicit_withdrawal": 5,
        "reexamination_rejected": 5,
    }
    with pytest.raises(LookupError):
        reform.at(dt.date(2026, 6, 7))
    address = book["cnda.address"].at(day).value
    assert address == {
        "name": "Cour nationale du droit d'asile",
        "lines": ["35 rue Cuvier", "93558 Montreuil-sous-Bois Cedex"],
        "fax": "01 48 18 44 20",
    }
    period = book["reexamination.filing_period"]
    assert period.at(dt.date(2026, 6, 11)).certainty is Certainty.inference
    assert period.at(dt.date(2026, 6, 12)).certainty is Certainty.unverified
    assert period.at(dt.date(2026, 6, 12)).value == {"days": 8}
    assert book["reexamination.ofpra_address"].at(day).value == {
        "name": "Office français de protection des réfugiés et apatrides (Ofpra)",
        "lines": ["201 rue Carnot", "94136 Fontenay-sous-Bois Cedex"],
    }
    notice = book["interview.notice_period"].at(day)
    assert notice.value == {"days_before": {"normal": 7, "accelerated": 4}}
    assert notice.certainty is Certainty.verified


# --- who a note is for ------------------------------------------------------------------------------

TABLE = GOOD.replace(
    "    value:\n      months: 1\n",
    "    maintainer_note: Why the value is what it is.\n"
    "    value:\n"
    "      \"50\":\n"
    "        city: Caen\n"
    "        user_notes: [\"Shown to the user.\"]\n"
    "        maintainer_notes: [\"A correction of the source.\"]\n",
)


def test_maintainer_notes_are_taken_out_of_the_value_and_kept_apart(tmp_path):
    write(tmp_path, "cnda/appeal_period.yaml", TABLE)
    version = load_rulebook(tmp_path)["cnda.appeal_period"].current
    assert version.value == {"50": {"city": "Caen", "user_notes": ["Shown to the user."]}}
    assert version.maintainer_notes == ("Why the value is what it is.", "A correction of the source.")


@pytest.mark.parametrize("key", ["note", "notes"])
def test_refuses_a_note_that_does_not_say_who_it_is_for(tmp_path, key):
    message = refused(tmp_path, TABLE.replace("        user_notes:", f"        {key}:"))
    assert message == (
        f"appeal_period.yaml: versions.0: Value error, value.50.{key}: say who the note is for: maintainer_notes "
        "(never shown) or user_notes (shown to the user)"
    )


def test_refuses_the_former_version_note_key(tmp_path):
    message = refused(tmp_path, TABLE.replace("    maintainer_note:", "    note:"))
    assert message == "appeal_period.yaml: versions.0.note: Extra inputs are not permitted"


def test_every_shipped_note_says_who_it_is_for():
    """The shipped files load (so no bare note) and the prefecture table's corrections are maintainers' only."""
    book = load_rulebook(data_root())
    table = book["prefectures.asylum_registration"].current
    assert any("« Handle »" in note for note in table.maintainer_notes)
    assert "Handle" not in str(table.value)
    assert table.value["50"]["user_notes"] == [
        {"fr": "La Manche relève de la préfecture du Calvados, à Caen (14).", "en": "The Manche is served by the Calvados prefecture, in Caen (14)."}
    ]


# --- the caption in the reader's language (review F-34) -----------------------------------------------


def test_refuses_a_version_without_an_english_caption(tmp_path):
    message = refused(tmp_path, GOOD.replace('    article_en: "CESEDA, art. L.532-1; délai franc"\n', ""))
    assert message == "appeal_period.yaml: versions.0.article_en: Field required"


def test_refuses_an_english_caption_spaced_the_french_way(tmp_path):
    message = refused(tmp_path, GOOD.replace("L.532-1; délai franc", "L.532-1 ; délai franc"))
    assert message == "appeal_period.yaml: versions.0.article_en: Value error, an English caption has no space before ; : ! or ?"


def test_the_caption_is_in_the_language_of_the_text_being_written(tmp_path):
    from docassemble_asylum.i18n import language

    write(tmp_path, "cnda/appeal_period.yaml", GOOD)
    version = load_rulebook(tmp_path)["cnda.appeal_period"].current
    with language("fr"):
        assert version.caption == "CESEDA, art. L.532-1 ; délai franc"
    with language("en"):
        assert version.caption == "CESEDA, art. L.532-1; délai franc"


def test_every_shipped_caption_has_an_english_form_written_the_english_way():
    """Every version loads (so each has ``article_en``); no English caption keeps a French word of
    the captions' usual vocabulary or the French spacing."""
    french_words = re.compile(r"(?<![-\w])(et|du|de la|des|non trouvée?s?|délai de|computation du|vaut|publiée?|suivants|lu dans)(?![-\w])")
    for rule in load_rulebook(data_root()):
        for version in rule.versions:
            english = re.sub(r"[«“\"][^»”\"]*[»”\"]", "", version.article_en)  # quoted titles keep their words
            for name in ("Bureau des familles de réfugiés", "France terre d'asile"):  # names of bodies
                english = english.replace(name, "")
            assert not french_words.search(english), (rule.key, version.article_en)
            assert "n°" not in version.article_en, (rule.key, version.article_en)
