"""Issue 19: verdicts that never overstate, working-day deadlines, members not applying now.

Read through ``check reunification --json`` as a user's tools would. Three families walk
every verdict path of ``eligibility/reunification.py`` (the couple, children of the couple
and of one parent, the Conseil d'État's window, a minor refugee's parents and siblings, a
stateless person, polygamy). For each member, the certainty must be exactly the weakest of
every rule the verdict rests on (read here from the rule data, not from the code) and of
every sentence that carries a certainty; an uncertain verdict is never more certain than
"uncertain"; an ineligible member has no deadline.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from docassemble_asylum.render.typography import plain as typeset
from docassemble_asylum.rules import Certainty, rulebook
from tests.conftest import run_cli
from tests.test_eligibility import member, person

TODAY = "2026-11-23"
D = dt.date.fromisoformat
HERE = Path(__file__).parent


def _answers(members: list[dict], **person_changes) -> dict:
    return {"protected_person": person(**person_changes), "members": members, "signature": {"place": "Paris", "date": "2026-11-20"}}


ADULT_REFUGEE = [
    member("spouse", given_names="Alpha", date_of_birth="1990-02-02", union_date="2012-06-01"),  # eligible
    member("spouse", given_names="Bravo", date_of_birth="1991-02-02", union_date="2024-06-01"),  # after asylum
    member("partner", given_names="Charlie", date_of_birth="1990-02-02", union_date="2010-01-01", common_life_stable=False),
    member("spouse", given_names="Delta", date_of_birth="2010-02-02", union_date="2023-01-01"),  # under 18
    member("child", given_names="Echo", date_of_birth="2008-02-14", other_parent="Alpha Testeur"),  # weekend deadline
    member("child", given_names="Foxtrot", date_of_birth="2009-02-14", marital_status="married"),
    member("child", given_names="Golf", date_of_birth="2005-06-01", visa_application_date="2025-03-01", other_parent="Alpha Testeur"),
    member("child", given_names="Hotel", date_of_birth="2006-06-01", visa_application_date="2026-05-25"),  # 19 after grant
    member(
        "child_of_one_parent",
        given_names="India",
        date_of_birth="2012-01-10",
        one_parent_basis="custody_judgment",
        custody_judgment={"court": "Tribunal fictif", "date": "2026-06-10"},
        visa_application_date="2026-05-25",
    ),
    member("child_of_one_parent", given_names="Juliet", date_of_birth="2012-01-10", one_parent_basis="none_of_these"),
    member("child_of_one_parent", given_names="Kilo", date_of_birth="2007-01-10", one_parent_basis="sole_filiation"),
    member("child", given_names="Lima", date_of_birth="2007-05-25", visa_application_date="2026-05-25", other_parent="Alpha Testeur"),
    member("other", given_names="Mike"),
    member("parent", given_names="November", date_of_birth="1950-01-01"),
    member("civil_partner", given_names="Oscar", date_of_birth="1992-02-02", union_date="2015-06-01"),  # a second spouse
]
MINOR_REFUGEE = [
    member("parent", given_names="Papa", date_of_birth="1980-01-01"),
    member("sibling", given_names="Quebec", date_of_birth="2015-03-03", in_parents_care=True),
    member("sibling", given_names="Romeo", date_of_birth="2016-03-03", in_parents_care=False),
]
STATELESS = [member("spouse", given_names="Sierra", date_of_birth="1990-02-02", union_date="2012-06-01")]

FAMILIES = {
    "adult": (_answers(ADULT_REFUGEE), {}),
    "minor": (
        _answers(MINOR_REFUGEE, date_of_birth="2010-01-01", marital_status="single"),
        {},
    ),
    "stateless-receipt": (_answers(STATELESS, protection="stateless", residence_document="receipt"), {}),
    "stateless-none": (_answers(STATELESS, protection="stateless", residence_document="none"), {}),
}

EXPECTED = {
    "adult": [
        ("eligible", "verified"),
        ("not_eligible", "verified"),
        ("not_eligible", "verified"),
        ("not_eligible", "verified"),
        ("eligible", "verified"),  # its weekend advice is about the day, not about eligibility
        ("not_eligible", "verified"),
        ("eligible", "inference"),
        ("not_eligible", "verified"),
        ("eligible", "uncertain"),
        ("not_eligible", "verified"),
        ("not_eligible", "verified"),
        ("uncertain", "uncertain"),
        ("not_eligible", "verified"),
        ("not_eligible", "verified"),
        ("not_eligible", "verified"),
    ],
}


def _check(tmp_path: Path, name: str, data: dict) -> list[dict]:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run_cli("check", "reunification", "--answers", str(path), "--json", "--today", TODAY, "--lang", "en")
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)["members"]


def _rule_certainty(key: str, days: list[dt.date]) -> Certainty:
    found = []
    for day in days:
        try:
            found.append(rulebook()[key].at(day).certainty)
        except LookupError:
            pass
    assert found, key
    return Certainty.weakest(*found)


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("verdicts")
    return {name: _check(tmp, name, data) for name, (data, _) in FAMILIES.items()}


def test_every_verdict_path_is_as_certain_as_its_weakest_rule_and_no_more(checked):
    seen_paths = set()
    for name, members in checked.items():
        for m in members:
            days = [D(TODAY)] + ([D(m["assessed_on"])] if m["assessed_on"] else [])
            weakest = Certainty.weakest(Certainty.verified, *(_rule_certainty(k, days) for k in m["rules"]))
            certainty = Certainty(m["certainty"])
            # never more certain than a rule it rests on
            assert certainty.rank >= weakest.rank, (name, m["name"], m["rules"], m["certainty"])
            if m["verdict"] == "uncertain":
                assert certainty.rank >= Certainty.uncertain.rank, (name, m["name"])
            # weaker than its rules only with a sentence that says why
            if certainty is not weakest:
                assert m["certainty_reasons"], (name, m["name"])
            if certainty is not Certainty.verified:
                assert m["certainty_reasons"], (name, m["name"])
            seen_paths.add((m["relationship"], m["verdict"], m["certainty"]))
    assert [(m["verdict"], m["certainty"]) for m in checked["adult"]] == EXPECTED["adult"]
    assert [m["verdict"] for m in checked["minor"]] == ["eligible", "eligible", "not_eligible"]
    assert [m["verdict"] for m in checked["stateless-receipt"]] == ["uncertain"]
    assert [m["verdict"] for m in checked["stateless-none"]] == ["not_eligible"]
    assert len(seen_paths) >= 12


def test_a_child_with_a_custody_judgment_is_eligible_but_uncertain_with_the_reason(checked):
    india = checked["adult"][8]
    assert (india["verdict"], india["certainty"]) == ("eligible", "uncertain")
    assert "reunification.other_parent_authorisation" in india["rules"]
    assert india["certainty_reasons"][0] == (
        "Bring the custody judgment (with a sworn translation). Whether the other parent's authorisation for the child to come "
        "to France is also required is not settled: get it if you can."
    )
    # a judgment dated after the visa application is accepted, with a warning
    assert (
        "The custody judgment (Wednesday 10 June 2026) is dated after the visa application (Monday 25 May 2026): it can be "
        "produced later; send it to the consulate and to the Bureau as soon as you have it."
    ) in india["reasons"]


def test_an_ineligible_member_has_no_deadline(checked):
    for name, members in checked.items():
        for m in members:
            if m["verdict"] == "not_eligible":
                assert (m["apply_before"], m["last_day_to_apply"], m["last_day_in_law"], m["deadline_close"]) == (None, None, None, False)
                assert not any("at the latest" in r for r in m["reasons"]), (name, m["name"], m["reasons"])
    # Juliet (child of one parent, no basis) was under 18 with a birthday limit: gone, and another route named
    juliet = checked["adult"][9]
    assert juliet["alternative"] == "custody_judgment_first"
    assert checked["adult"][1]["alternative"] == "regroupement_familial"
    assert checked["minor"][2]["alternative"] is None
    assert checked["stateless-none"][0]["alternative"] == "residence_card_first"


def test_a_last_day_on_a_weekend_is_shown_as_the_friday_before(checked):
    echo = checked["adult"][4]
    assert (echo["last_day_in_law"], echo["last_day_to_apply"], echo["moved_from_weekend"]) == ("2027-02-13", "2027-02-12", True)
    assert echo["reasons"][-1] == (
        "The last day, Saturday 13 February 2027, is a Saturday: the consulate is closed, so apply on Friday 12 February 2027 "
        "at the latest. Book the consulate appointment now, and check the consulate's own closing days (French public "
        "holidays are not its holidays)."
    )
    # a weekday last day is not moved: the minor refugee's parent, before the refugee's 18th birthday (Saturday 1 January 2028)
    papa = checked["minor"][0]
    assert (papa["last_day_in_law"], papa["last_day_to_apply"], papa["moved_from_weekend"]) == ("2027-12-31", "2027-12-31", False)


def test_polygamy_one_spouse_admitted_and_the_other_spouses_children_cautioned(checked):
    adult = checked["adult"]
    oscar = adult[14]
    assert oscar["verdict"] == "not_eligible" and "reunification.polygamy" in oscar["rules"]
    assert oscar["reasons"][-1].endswith("Alpha TESTEUR is listed first.")
    # Echo's other parent is the admitted spouse: no caution; Kilo has none given (ineligible anyway)
    assert "reunification.polygamy_children" not in adult[4]["rules"]
    # India (custody judgment, no other parent given) carries the caution with the rule
    assert "reunification.polygamy_children" in adult[8]["rules"]


# --- applying now ---------------------------------------------------------------------------------


def test_an_old_answers_file_loads_with_every_member_applying(tmp_path):
    """The bundled example as it was on main before issue 19: no "applying now" answer."""
    old = HERE / "old_answers" / "reunification-as-of-main.yaml"
    assert "applying_now" not in old.read_text(encoding="utf-8")
    result = run_cli("check", "reunification", "--answers", str(old), "--json", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    members = json.loads(result.stdout)["members"]
    assert [m["applying_now"] for m in members] == [True] * 5
    assert [m["not_applying_reason"] for m in members] == [""] * 5


def _not_applying_without_a_reason(data: dict) -> None:
    data["members"][1]["applying_now"] = False


def _arrival_before_birth(data: dict) -> None:
    data["protected_person"]["date_of_arrival_in_france"] = "1980-01-01"


@pytest.mark.parametrize(
    ("change", "lang", "expected"),
    [
        (
            _not_applying_without_a_reason,
            "en",
            "“Family members no. 2 › Why this family member is not applying now” (section “Family”): this answer "
            "is required when “Family members no. 2 › Applying for reunification now” is no (in the section “Family”).",
        ),
        (
            _not_applying_without_a_reason,
            "fr",
            "« Membres de la famille n° 2 › Pourquoi ce membre de la famille ne fait pas la demande maintenant » "
            "(partie « Famille ») : cette réponse est obligatoire quand la réponse à « Membres de la famille n° 2 › "
            "Demande la réunification maintenant » est non (dans la partie « Famille »).",
        ),
        (
            _arrival_before_birth,
            "en",
            "“Protected person › Date of arrival in France” (section “Protected person”): this date is "
            "before “Protected person › Date of birth” (in the section “Protected person”).",
        ),
        (
            _arrival_before_birth,
            "fr",
            "« Personne protégée › Date d'arrivée en France » (partie « Personne protégée ») : cette date "
            "est antérieure à « Personne protégée › Date de naissance » (dans la partie « Personne protégée »).",
        ),
    ],
)
def test_an_inconsistent_answer_is_refused_naming_the_question(tmp_path, change, lang, expected):
    data = yaml.safe_load((HERE / "old_answers" / "reunification-as-of-main.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "reunification", "--answers", str(path), "--out", str(out), "--today", TODAY, "--lang", lang)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert expected in result.stderr.replace("\n", " ").replace("\u202f", " ").replace("\u00a0", " ").replace("’", "'"), result.stderr
    assert not out.exists()


def test_eligible_members_not_applying_are_out_of_the_form_and_the_summary_warns_of_partial_reunification(tmp_path):
    from tests.test_reunification import build, text

    data = yaml.safe_load((HERE / "old_answers" / "reunification-as-of-main.yaml").read_text(encoding="utf-8"))
    data["members"][1]["applying_now"] = False
    data["members"][1]["not_applying_reason"] = "passport being renewed"
    result, out = build(tmp_path, data)
    assert result.returncode == 0, result.stderr
    summary = text(out, "summary.docx")
    assert (
        "⚠ Not applying now: Omid RAHIMI (child of the couple). Practitioners report that a partial reunification (eligible "
        "members applying later or separately) is often a ground of refusal (unverified: not confirmed from an official text; "
        "check it). When applying separately is the only way, do it, and explain why in the observations."
    ) in summary.replace("\n", " ")
    assert "Omid RAHIMI (child of the couple): not applying now (passport being renewed)." in summary
    values = {name: f.get("/V") for name, f in PdfReader(str(out / "formulaire-situation-familiale.pdf")).get_fields().items()}
    # Omid is in no member slot; he is listed among the members not requested, with the reason
    assert [values[f"children{n}_name_first"] for n in (1, 2)] == ["Sara", "Yasin"]
    assert values["not_requested"].replace("\u00a0", " ").startswith("Omid RAHIMI — Enfant du couple — 15 mars 2010 — passport being renewed\n")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_member_who_has_not_applied_while_others_have_is_warned_of_partial_reunification(tmp_path, lang):
    """Sara applies now but has not applied yet, while three members applied on 6 October 2026:
    the risk of a partial reunification is said at the top of the summary, and the timeline
    says what to do when no consulate appointment comes (review F-03)."""
    from tests.test_reunification import build, text

    data = yaml.safe_load((HERE / "old_answers" / "reunification-as-of-main.yaml").read_text(encoding="utf-8"))
    assert data["members"][2]["given_names"] == "Sara" and "visa_application_date" not in data["members"][2]
    result, out = build(tmp_path, data, lang=lang)
    assert result.returncode == 0, result.stderr
    summary = text(out, "summary.docx").replace("\n", " ")
    timeline = text(out, "calendrier.docx").replace("\n", " ")
    expected = {
        "en": (
            "⚠ Not applied yet: Sara RAHIMI (child of the couple), while other members applied on Tuesday 6 October 2026. "
            "Practitioners report that a partial reunification (eligible members applying later or separately) is often a "
            "ground of refusal (unverified: not confirmed from an official text; check it): apply as soon as possible, and "
            "tell the consulate and the Bureau that the application belongs to the same reunification (give the same "
            "references).",
            "No appointment at the consulate within 2 months: the family may ask the administrative judge for an emergency "
            "order (CE, 9 June 2022, no. 455754, read in a secondary source). Certainty: unverified: not confirmed from an "
            "official text; check it. Get advice from a lawyer or an association first.",
        ),
        "fr": (
            typeset(
                "⚠ Pas encore de demande : Sara RAHIMI (enfant du couple), alors que d'autres membres ont déposé la leur le "
                "mardi 6 octobre 2026. La pratique rapporte qu'une réunification partielle (des membres éligibles qui "
                "déposent plus tard ou séparément) est souvent un motif de refus (non vérifiée : non confirmée par un texte "
                "officiel ; à vérifier) : déposez la demande au plus vite et signalez au consulat et au Bureau qu'elle fait "
                "partie de la même réunification (donnez les mêmes références)."
            ),
            typeset(
                "Pas de rendez-vous au consulat dans les 2 mois : la famille peut demander au juge administratif une mesure "
                "d'urgence (CE, 9 juin 2022, n° 455754, lu dans une source secondaire). Certitude : non vérifiée : non "
                "confirmée par un texte officiel ; à vérifier. Prenez d'abord conseil auprès d'un avocat ou d'une association."
            ),
        ),
    }[lang]
    assert expected[0] in summary, summary
    assert expected[1] in timeline, timeline
