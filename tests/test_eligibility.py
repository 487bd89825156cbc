"""Family reunification eligibility, member by member (L.561-2 / L.582-5 CESEDA, RULES.md §5).

The worked examples of RULES.md §8 first, then the edges the rules name: the 19th
birthday itself, the Conseil d'État's 3-month window, 29 February, a union on the day of
the asylum application, stateless persons, a minor refugee's family. Exact verdicts,
exact dates, exact reasons in English and French.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from docassemble_asylum.eligibility.ages import age_years_months, anniversary, has_reached
from docassemble_asylum.eligibility.reunification import evaluate
from docassemble_asylum.i18n import language
from docassemble_asylum.models.reunification import Reunification
from docassemble_asylum.rules import Certainty, rulebook
from tests.conftest import run_cli

TODAY = dt.date(2026, 11, 23)
D = dt.date.fromisoformat


def person(**changes) -> dict:
    base = {
        "family_name": "Testeur",
        "given_names": "Alix",
        "sex": "female",
        "date_of_birth": "1985-05-05",
        "place_of_birth": "Ville-Fictive (Pays)",
        "nationality": "fictive",
        "marital_status": "married",
        "ofpra_file_number": "00-00-00000",
        "protection": "refugee",
        "asylum_application_date": "2024-01-10",
        "protection_granted_on": "2025-01-15",
        "residence_document": "residence_card",
        "address": {"street": "1 rue de l'Exemple", "postal_code": "75001", "city": "Paris"},
    }
    base.update(changes)
    return base


def member(relationship: str, **changes) -> dict:
    base = {
        "family_name": "Testeur",
        "given_names": "Camille",
        "date_of_birth": "2000-01-01",
        "place_of_birth": "Ville-Fictive (Pays)",
        "nationality": "fictive",
        "country_of_residence": "Pays-Fictif",
        "relationship": relationship,
    }
    if relationship in ("child", "child_of_one_parent", "sibling"):
        base["marital_status"] = "single"
    base.update(changes)
    return base


def verdicts(members: list[dict], today: dt.date = TODAY, **person_changes):
    answers = Reunification.model_validate(
        {"protected_person": person(**person_changes), "members": members, "signature": {"place": "Paris", "date": "2026-05-01"}}
    )
    return evaluate(answers, today)


def one(member_data: dict, today: dt.date = TODAY, **person_changes):
    (result,) = verdicts([member_data], today, **person_changes)
    return result


def reasons(result, lang: str = "en") -> list[str]:
    with language(lang):
        return result.reason_texts()


# --- RULES.md §8 worked examples ------------------------------------------------------------


def test_child_of_the_couple_aged_18_years_11_months_at_the_visa_application_is_eligible():
    result = one(member("child", date_of_birth="2007-06-20", visa_application_date="2026-05-25"))
    assert result.verdict.value == "eligible"
    assert result.certainty is Certainty.verified
    assert result.assessed_on == D("2026-05-25") and result.assessed_at_visa_application
    assert reasons(result) == [
        "Aged 18 years and 11 months on the visa application date (Monday 25 May 2026): under the 19th birthday."
    ]
    assert reasons(result, "fr") == [
        "18 ans et 11 mois à la date de la demande de visa (lundi 25 mai 2026) : avant son 19e anniversaire."
    ]
    # the age is not assessed at today's date (the child is 19 by then): CE avis 29 June 2023
    assert any("472495" in s.title for s in result.sources)


def test_child_who_turned_19_after_the_grant_and_before_the_visa_application_is_not_eligible():
    result = one(member("child", date_of_birth="2007-03-01", visa_application_date="2026-04-02"), protection_granted_on="2025-01-15")
    assert result.verdict.value == "not_eligible"
    assert reasons(result) == [
        "Turned 19 on Sunday 1 March 2026, after protection was granted (Wednesday 15 January 2025) and before the visa "
        "application date (Thursday 2 April 2026): too old for reunification."
    ]


def test_child_of_a_previous_union_aged_17_with_a_foreign_custody_judgment_is_eligible():
    result = one(
        member(
            "child_of_one_parent",
            date_of_birth="2009-01-10",
            one_parent_basis="custody_judgment",
            custody_judgment={"court": "Tribunal fictif", "date": "2015-03-03"},
            visa_application_date="2026-05-25",
        )
    )
    assert result.verdict.value == "eligible"
    assert reasons(result) == [
        "Under 18 on the visa application date (Monday 25 May 2026).",
        "Child of one parent: a foreign court gave custody to that parent.",
        "Bring the custody judgment (with a sworn translation). Whether the other parent's authorisation for the child to come "
        "to France is also required is not settled: get it if you can.",
    ]
    assert reasons(result, "fr")[1] == "Enfant d'un seul parent : une juridiction étrangère a confié la garde à ce parent."
    # eligible, but resting on an unsettled rule (the other parent's authorisation): the certainty says so (issue 19)
    assert "reunification.other_parent_authorisation" in result.rules and result.certainty is Certainty.uncertain
    assert {"title": "Réfugié.info, fiche « La réunification familiale »", "url": "https://refugies.info"} in [
        {"title": s.title, "url": s.url} for s in result.sources
    ]


def test_spouse_married_after_the_asylum_application_is_pointed_to_regroupement_familial():
    result = one(member("spouse", date_of_birth="1990-02-02", union_date="2024-06-01", visa_application_date="2026-05-25"))
    assert result.verdict.value == "not_eligible"
    assert result.alternative == "regroupement_familial"
    assert reasons(result) == [
        "The union (Saturday 1 June 2024) is after the asylum application (Wednesday 10 January 2024): reunification is "
        "only for a family that existed before it. The route is regroupement familial, through OFII, with conditions of "
        "resources and housing (OFII has an online simulator)."
    ]
    assert "regroupement familial, auprès de l'OFII" in reasons(result, "fr")[0]
    assert "https://www.ofii.fr" in [s.url for s in result.sources]


def test_minor_refugee_is_joined_by_both_parents_and_an_11_year_old_sibling():
    results = verdicts(
        [
            member("parent", sex="female", date_of_birth="1980-01-01", visa_application_date="2026-05-25"),
            member("parent", sex="male", date_of_birth="1978-01-01", visa_application_date="2026-05-25"),
            member("sibling", date_of_birth="2014-09-01", in_parents_care=True, visa_application_date="2026-05-25"),
        ],
        date_of_birth="2010-02-02",
        marital_status="single",
    )
    assert [r.verdict.value for r in results] == ["eligible", "eligible", "eligible"]
    assert age_years_months(D("2014-09-01"), D("2026-05-25")) == (11, 8)
    assert reasons(results[2]) == [
        "The protected person was a minor on the visa application date (Monday 25 May 2026).",
        "Under 18 on the visa application date (Monday 25 May 2026).",
        "Minor brother or sister in the effective charge of the parents.",
    ]


# --- children of the couple: the 19th birthday and the 3-month window ------------------------


def test_application_on_the_19th_birthday_itself_is_uncertain():
    result = one(member("child", date_of_birth="2007-05-25", visa_application_date="2026-05-25"))
    assert result.verdict.value == "uncertain"
    assert result.certainty is Certainty.uncertain
    assert "reunification.nineteenth_birthday" in _rule_keys(result)
    assert reasons(result) == [
        "The visa application is (or would be) made on the 19th birthday (Monday 25 May 2026): whether the child has then "
        "passed it is not settled."
    ]


def test_child_not_yet_applied_gets_the_day_before_the_19th_birthday_and_a_close_flag():
    result = one(member("child", date_of_birth="2008-02-14"))
    assert result.verdict.value == "eligible"
    # the day before the birthday is a Saturday: the consulate is closed, the Friday before is shown (issue 19)
    assert (result.apply_before, result.last_day_in_law, result.last_day_to_apply) == (D("2027-02-14"), D("2027-02-13"), D("2027-02-12"))
    assert result.deadline_close is True
    assert reasons(result)[1] == (
        "Aged 18 years and 9 months today. The visa application must be made before the 19th birthday (Sunday 14 February "
        "2027): on Friday 12 February 2027 at the latest."
    )
    assert reasons(result, "fr")[1] == (
        "18 ans et 9 mois aujourd'hui. La demande de visa doit être déposée avant le 19e anniversaire (dimanche 14 février "
        "2027) : le vendredi 12 février 2027 au plus tard."
    )
    far = one(member("child", date_of_birth="2015-02-14"))
    assert far.last_day_to_apply == D("2034-02-13") and far.deadline_close is False  # a Monday: not moved


@pytest.mark.parametrize(
    ("visa", "verdict"),
    [("2026-10-01", "eligible"), ("2026-12-01", "eligible"), ("2027-01-01", "eligible"), ("2027-01-02", "not_eligible")],
)
def test_turned_19_between_the_asylum_application_and_the_grant_within_3_months(visa, verdict):
    # 19 on 2025-06-01, between the asylum application (2024-01-10) and the grant (2026-10-01): window until 2027-01-01.
    result = one(
        member("child", date_of_birth="2006-06-01", visa_application_date=visa),
        today=D("2027-03-01"),
        protection_granted_on="2026-10-01",
    )
    assert result.verdict.value == verdict
    if verdict == "eligible":
        assert result.certainty is Certainty.inference  # the 3 months counted "de quantième à quantième"
        assert "until Friday 1 January 2027; Conseil d'État, 29 June 2023" in reasons(result)[0]
    else:
        assert reasons(result) == [
            "Turned 19 on Sunday 1 June 2025, between the asylum application and the grant (Thursday 1 October 2026), "
            "but the visa application (Saturday 2 January 2027) is after the 3 months that followed the grant (until "
            "Friday 1 January 2027)."
        ]


def test_the_3_month_window_is_the_deadline_when_no_visa_application_yet():
    result = one(member("child", date_of_birth="2006-06-01"), today=D("2026-11-23"), protection_granted_on="2026-10-01")
    assert result.verdict.value == "eligible"
    assert result.last_day_to_apply == D("2027-01-01") and result.deadline_close
    late = one(member("child", date_of_birth="2006-06-01"), today=D("2027-01-02"), protection_granted_on="2026-10-01")
    assert late.verdict.value == "not_eligible"
    assert "That time has passed." in reasons(late)[-1]


def test_already_19_at_the_asylum_application_is_not_eligible():
    result = one(member("child", date_of_birth="2004-01-01", visa_application_date="2025-02-01"))
    assert result.verdict.value == "not_eligible"
    assert reasons(result) == ["Already 19 when the asylum application was lodged (Wednesday 10 January 2024): too old for reunification."]


def test_married_child_is_not_eligible_and_a_civil_partnership_is_uncertain():
    assert one(member("child", date_of_birth="2010-01-01", marital_status="married")).verdict.value == "not_eligible"
    assert one(member("child", date_of_birth="2010-01-01", marital_status="civil_partnership")).verdict.value == "uncertain"


def test_child_born_after_the_grant_is_uncertain():
    result = one(member("child", date_of_birth="2025-06-01", visa_application_date="2026-01-05"))
    assert result.verdict.value == "uncertain"
    assert "Réfugié.info says only children born before the positive decision are covered" in reasons(result)[0]


def test_29_february_birthdays_give_a_two_day_uncertain_window():
    window = anniversary(D("2008-02-29"), 19)
    assert (window.earliest, window.latest) == (D("2027-02-28"), D("2027-03-01"))
    assert has_reached(D("2026-02-28"), anniversary(D("2008-02-29"), 18)) is None
    for day, verdict in (("2027-02-27", "eligible"), ("2027-02-28", "uncertain"), ("2027-03-01", "uncertain"), ("2027-03-02", "not_eligible")):
        result = one(member("child", date_of_birth="2008-02-29", visa_application_date=day), today=D("2027-03-05"))
        assert result.verdict.value == verdict, day


# --- the couple ------------------------------------------------------------------------------


def test_spouse_married_before_the_asylum_application_is_eligible():
    result = one(member("spouse", date_of_birth="1990-02-02", union_date="2012-06-01", visa_application_date="2026-05-25"))
    assert result.verdict.value == "eligible"
    assert reasons(result) == ["Married or in a PACS on Friday 1 June 2012, before the asylum application (Wednesday 10 January 2024)."]


def test_union_on_the_day_of_the_asylum_application_is_uncertain():
    result = one(member("civil_partner", date_of_birth="1990-02-02", union_date="2024-01-10"))
    assert result.verdict.value == "uncertain"


def test_spouse_under_18_at_the_visa_application_is_not_eligible():
    result = one(member("spouse", date_of_birth="2008-06-01", union_date="2023-06-01", visa_application_date="2026-05-25"))
    assert result.verdict.value == "not_eligible"
    assert reasons(result) == [
        "Under 18 on Monday 25 May 2026: a spouse or partner must be at least 18. It becomes possible from Monday 1 June 2026."
    ]


def test_unmarried_partner_needs_a_stable_common_life_before_the_asylum_application():
    ok = one(member("partner", date_of_birth="1990-02-02", union_date="2019-01-01", common_life_stable=True))
    assert ok.verdict.value == "eligible"
    assert reasons(ok)[-1].startswith("The stable and continuous common life must be proved")
    assert one(member("partner", date_of_birth="1990-02-02", union_date="2019-01-01", common_life_stable=False)).verdict.value == "not_eligible"
    late = one(member("partner", date_of_birth="1990-02-02", union_date="2025-01-01", common_life_stable=True))
    assert late.verdict.value == "not_eligible" and late.alternative == "regroupement_familial"


def test_only_one_spouse_is_admitted_and_the_children_of_another_carry_a_caution():
    results = verdicts(
        [
            member("spouse", date_of_birth="1990-02-02", union_date="2012-06-01"),
            member("spouse", given_names="Dominique", date_of_birth="1991-02-02", union_date="2015-06-01"),
            member("child", given_names="Sacha", date_of_birth="2016-02-02", other_parent="camille testeur"),
            member("child", given_names="Noa", date_of_birth="2017-02-02", other_parent="Dominique Testeur"),
        ]
    )
    assert [r.verdict.value for r in results] == ["eligible", "not_eligible", "eligible", "eligible"]
    assert reasons(results[1])[-1] == (
        "At most 1 spouse or partner can be admitted through reunification (L.561-2 and L.561-3 CESEDA: essential principles of "
        "family life): Camille TESTEUR is listed first."
    )
    assert "reunification.polygamy" in results[0].rules and "reunification.polygamy" in results[1].rules
    assert results[1].apply_before is None and results[1].last_day_to_apply is None
    # the admitted spouse's child: no caution; the other spouse's child: a caution on an unsettled point
    assert "reunification.polygamy_children" not in results[2].rules and results[2].certainty is Certainty.verified
    assert reasons(results[3])[-1] == (
        "Several spouses or partners are listed: the child of a spouse who is not admitted is at risk of refusal (L.561-3 "
        "CESEDA). Give the child's other parent and get advice."
    )
    assert results[3].certainty is Certainty.uncertain
    assert reasons(results[3], "fr")[-1].startswith("Plusieurs conjoints ou partenaires sont indiqués")


# --- children of one parent, the minor refugee's family, others ------------------------------


@pytest.mark.parametrize(
    ("basis", "verdict"),
    [("sole_filiation", "eligible"), ("other_parent_deceased", "eligible"), ("other_parent_deprived", "eligible"), ("none_of_these", "not_eligible")],
)
def test_child_of_one_parent_bases(basis, verdict):
    assert one(member("child_of_one_parent", date_of_birth="2012-01-01", one_parent_basis=basis)).verdict.value == verdict


def test_child_of_one_parent_aged_18_is_not_eligible_and_a_minor_gets_the_18th_birthday():
    old = one(member("child_of_one_parent", date_of_birth="2008-01-01", one_parent_basis="sole_filiation", visa_application_date="2026-05-25"))
    assert old.verdict.value == "not_eligible"
    assert reasons(old) == ["Aged 18 on Monday 25 May 2026: a child of one parent must be under 18."]
    young = one(member("child_of_one_parent", date_of_birth="2009-03-01", one_parent_basis="sole_filiation"))
    assert (young.apply_before, young.last_day_to_apply) == (D("2027-03-01"), D("2027-02-26"))  # 28 Feb is a Sunday


def test_parents_of_an_adult_refugee_are_not_eligible():
    result = one(member("parent", date_of_birth="1960-01-01"))
    assert result.verdict.value == "not_eligible"
    assert reasons(result)[-1] == "Only a minor refugee can be joined by parents, brothers and sisters; the protected person is an adult."
    assert reasons(result, "fr")[-1] == (
        "Seul un réfugié mineur peut être rejoint par ses parents, frères et sœurs ; la personne protégée est majeure."
    )


def test_parents_of_a_refugee_minor_at_the_asylum_application_but_adult_now_are_uncertain():
    result = one(member("parent", date_of_birth="1980-01-01"), date_of_birth="2007-06-01", marital_status="single")
    assert result.verdict.value == "uncertain"


def test_siblings_come_only_with_a_parent():
    alone = verdicts([member("sibling", date_of_birth="2014-01-01", in_parents_care=True)], date_of_birth="2010-02-02", marital_status="single")
    assert alone[0].verdict.value == "not_eligible"
    assert reasons(alone[0])[-1] == (
        "Brothers and sisters can only come with a parent who is joining the protected person; no eligible parent is listed."
    )


def test_other_relatives_are_not_covered():
    result = one(member("other", date_of_birth="1950-01-01"))
    assert result.verdict.value == "not_eligible"


def test_members_not_declared_to_ofpra_get_a_caution_without_changing_the_verdict():
    result = one(member("child", date_of_birth="2012-01-01", declared_to_ofpra=False))
    assert result.verdict.value == "eligible"
    assert reasons(result)[-1].startswith("This person was not declared to Ofpra during the asylum application")


# --- stateless persons (L.582-5) -------------------------------------------------------------


@pytest.mark.parametrize(("document", "verdict"), [("residence_card", "eligible"), ("receipt", "uncertain"), ("none", "not_eligible")])
def test_stateless_person_must_hold_the_residence_card(document, verdict):
    result = one(member("child", date_of_birth="2012-01-01"), protection="stateless", residence_document=document)
    assert result.verdict.value == verdict
    assert "reunification.stateless" in _rule_keys(result)


# --- the rule data ---------------------------------------------------------------------------


def _rule_keys(result) -> set[str]:
    return set(result.rules)


def test_reunification_rules_carry_the_values_and_certainties_of_rules_md():
    book = rulebook()
    day = D("2026-05-25")
    assert book["reunification.beneficiaries"].at(day).value == {
        "union_min_age": 18,
        "couple_child_birthday_limit": 19,
        "minor_refugee_age_limit": 18,
        "union_before": "asylum_application",
    }
    assert book["reunification.age_assessment"].at(day).value == {"assessed_on": "visa_application", "exception_months": 3}
    assert book["reunification.nineteenth_birthday"].at(day).certainty is Certainty.uncertain
    assert book["reunification.other_parent_authorisation"].at(day).certainty is Certainty.uncertain
    crrv = book["reunification.crrv_period"]
    assert crrv.at(D("2023-01-01")).value["days"] == 30 and crrv.at(day).certainty is Certainty.verified
    with pytest.raises(LookupError):
        crrv.at(D("2022-12-31"))
    bureau = book["reunification.bureau_address"].at(day)
    assert bureau.certainty is Certainty.unverified
    assert bureau.value["lines"][-2:] == ["11 rue de la Maison Blanche", "44036 Nantes Cedex 1"]
    assert book["reunification.crrv_address"].at(day).value["lines"] == ["BP 83609", "44036 Nantes Cedex 1"]
    assert book["reunification.visa_fee"].at(day).value == {"amount_eur": 99}
    assert book["reunification.visa_fee"].at(day).certainty is Certainty.unverified
    assert book["reunification.after_visa"].at(day).value["prefecture_months"] == 2
    assert book["reunification.stateless"].at(day).article == "CESEDA, art. L.582-5"
    # The only article ids linked are those found in a source (doctrine.fr, 2026-12-05; the
    # rule files' maintainer notes say so): CESEDA L.561-2 and L.561-3, CPC 641; CESEDA
    # L.582-5 and D.312-4 have none yet.
    ceseda = "Code de l'entrée et du séjour des étrangers et du droit d'asile (Légifrance), article "
    article_pages = {
        ceseda + "L561-2": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000042775786",
        ceseda + "L561-3": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000042775784",
        "Code de procédure civile (Légifrance), article 641": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006411002",
    }
    linked = set()
    for rule in book:
        if rule.key.startswith("reunification."):
            for version in rule.versions:
                for ref in version.references:
                    if "LEGIARTI" in ref.url:
                        assert article_pages.get(ref.title) == ref.url, (rule.key, ref.title)
                        linked.add(ref.title)
    assert linked == set(article_pages)


# --- through the CLI -------------------------------------------------------------------------


def test_check_json_gives_one_verdict_per_member_in_the_users_language(example_answers):
    path = example_answers("reunification")
    result = run_cli("check", "reunification", "--answers", str(path), "--json", "--today", "2026-11-23", "--lang", "fr")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    members = body["members"]
    assert [(m["name"], m["relationship"], m["verdict"]) for m in members] == [
        ("Laila SADAT", "spouse", "eligible"),
        ("Omid RAHIMI", "child", "eligible"),
        ("Sara RAHIMI", "child", "eligible"),
        ("Yasin RAHIMI", "child_of_one_parent", "eligible"),
        ("Zahra AHMADI", "parent", "not_eligible"),
    ]
    for m in members:
        assert {"name", "relationship", "verdict", "reasons", "sources"} <= set(m)
        assert m["sources"] and all(s["url"].startswith("https://") for s in m["sources"])
    sara = members[2]
    assert (sara["apply_before"], sara["last_day_in_law"], sara["last_day_to_apply"], sara["deadline_close"]) == (
        "2027-02-14",
        "2027-02-13",
        "2027-02-12",
        True,
    )
    assert sara["moved_from_weekend"] is True
    assert sara["reasons"][1] == (
        "18 ans et 9 mois aujourd'hui. La demande de visa doit être déposée avant le 19e anniversaire (dimanche 14 février "
        "2027) : le vendredi 12 février 2027 au plus tard."
    )
    assert members[4]["reasons"][-1].startswith("Seul un réfugié mineur peut être rejoint")


def test_check_prints_the_verdicts(example_answers):
    path = example_answers("reunification")
    result = run_cli("check", "reunification", "--answers", str(path), "--today", "2026-11-23", "--lang", "en")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "The answers are complete and consistent."
    assert "Zahra AHMADI (mother): not eligible" in lines
    assert "Yasin RAHIMI (child of a previous union): eligible" in lines
