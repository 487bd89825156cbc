"""Who may join a protected person in France: L.561-2 CESEDA, member by member.

The general rule first, then its named exceptions, as the law is written (Catala's
lesson). Every legal value (ages, the 3-month window, the bases for a child of one
parent) comes from the rule data ``rules/data/reunification/``; every verdict carries
the rules it rests on, their sources and their weakest certainty.

- Spouse or civil partner, at least 18, married / in a PACS before the asylum
  application. After it: not eligible; regroupement familial through OFII instead.
- Unmarried partner, at least 18, stable and continuous common life begun before the
  asylum application.
- Unmarried children of the couple who have not passed their 19th birthday, age on the
  visa-application date (CE avis 29 June 2023 n° 472495), with the exception for a child
  who turned 19 between the asylum application and the grant, if the visa application
  is made within 3 months of the grant. The birthday itself is uncertain.
- A child of one parent (previous union) under 18 with one of the listed bases.
- A minor unmarried refugee: both parents, and their unmarried minor children in their
  effective charge (siblings only come with a parent).
- A recognised stateless person: the same, if holding the residence card (L.582-5).

When the visa application has not been made yet, the member is assessed as if it were
made today, and a limit that is coming (19th or 18th birthday, end of the 3-month
window) becomes the date before which it must be made.
"""

from __future__ import annotations

import datetime as dt
from docassemble_asylum.eligibility.ages import Position, age_years_months, anniversary, doubt, has_reached, position, year_only
from docassemble_asylum.eligibility.result import MemberVerdict, Reason, Verdict
from docassemble_asylum.french_calendar import add_months
from docassemble_asylum.i18n import N_
from docassemble_asylum.models.reunification import CHILD_RELATIONSHIPS, UNION_RELATIONSHIPS, FamilyMember, Reunification
from docassemble_asylum.rules import rulebook
from docassemble_asylum.rules.schema import Certainty, RuleVersion

CLOSE_DAYS = 183
"""A limit within about six months of today is "close": a product choice, not law, so
that the summary puts it first. The legal limits themselves come from the rule data."""

RELATIONSHIP_LABELS = {
    "spouse": N_("spouse"),
    "civil_partner": N_("civil partner (PACS)"),
    "partner": N_("unmarried partner"),
    "child": N_("child of the couple"),
    "child_of_one_parent": N_("child of a previous union"),
    "parent": N_("parent"),
    "sibling": N_("brother or sister"),
    "other": N_("other family member"),
}


# The words that agree with the member's sex (French "conjointe", "concubin"); without it,
# RELATIONSHIP_LABELS's neutral wording.
RELATIONSHIP_LABELS_BY_SEX = {
    ("spouse", "female"): N_("wife"),
    ("spouse", "male"): N_("husband"),
    ("partner", "female"): N_("unmarried partner (woman)"),
    ("partner", "male"): N_("unmarried partner (man)"),
    ("parent", "female"): N_("mother"),
    ("parent", "male"): N_("father"),
    ("sibling", "female"): N_("sister"),
    ("sibling", "male"): N_("brother"),
}


def relationship_label(relationship: str | None, sex: str | None = None) -> Reason:
    by_sex = RELATIONSHIP_LABELS_BY_SEX.get((relationship or "", sex or ""))
    return Reason(by_sex or RELATIONSHIP_LABELS.get(relationship or "", N_("relationship not given")))


def _rule(key: str, day: dt.date) -> RuleVersion:
    return rulebook()[f"reunification.{key}"].at(day)


def _use(result: MemberVerdict, key: str, day: dt.date) -> RuleVersion:
    """The rule in force on ``day``, recorded in the verdict (key, sources, certainty)."""
    version = _rule(key, day)
    result.use(version, f"reunification.{key}")
    return version


class _Case:
    """Facts shared by every member of one request."""

    def __init__(self, answers: Reunification, today: dt.date):
        self.answers = answers
        self.person = answers.protected_person
        self.today = today


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def evaluate(answers: Reunification, today: dt.date) -> list[MemberVerdict]:
    """One verdict per member, in the order of the answers."""
    case = _Case(answers, today)
    results = [_evaluate_member(case, index, member) for index, member in enumerate(answers.members)]
    _one_spouse_only(case, results)
    _siblings_need_a_parent(case, results)
    for result in results:
        _protected_person_conditions(case, answers.members[result.index], result)
        _deadline(case, result)
    return results


def _deadline(case: _Case, result: MemberVerdict) -> None:
    """An ineligible member has no day to apply by; a day moved off a weekend says so."""
    if not result.included:
        result.drop_deadline()
        return
    if result.last_day_to_apply is None or result.assessed_at_visa_application:
        return
    result.deadline_close = (result.apply_before - case.today).days <= CLOSE_DAYS
    if result.moved_from_weekend:
        result.caution(
            N_(
                "The last day, {law_day}, is a {weekday}: the consulate is closed, so apply on {last_day} at the latest. Book "
                "the consulate appointment now, and check the consulate's own closing days (French public holidays are not its "
                "holidays)."
            ),
            law_day=result.last_day_in_law,
            weekday=Reason(WEEKDAY_NAMES[result.last_day_in_law.weekday()]),
            last_day=result.last_day_to_apply,
        )


WEEKDAY_NAMES = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))


def _evaluate_member(case: _Case, index: int, member: FamilyMember) -> MemberVerdict:
    applied = member.visa_application_date
    day = applied or case.today
    closed = _rule("consulate_closing_days", case.today).value["closed_weekdays"]
    result = MemberVerdict(
        index=index,
        name=member.full_name,
        relationship=member.relationship or "",
        assessed_on=day,
        assessed_at_visa_application=applied is not None,
        closed_weekdays=tuple(WEEKDAYS.index(name) for name in closed),
        applying_now=member.applying_now,
        not_applying_reason=member.not_applying_reason if not member.applying_now else "",
    )
    if applied is None:
        result.note(N_("No visa application yet: assessed as if it were made today ({date})."), date=day)
    try:
        handler = _HANDLERS[member.relationship or "other"]
        handler(case, member, result, day)
    except LookupError:
        result.conclude(Verdict.uncertain, N_("The rules shipped with this version do not cover a visa application on {date}: get advice."), date=day)
    if year_only(member.date_of_birth):
        result.caution(
            N_(
                "Only the year of birth is known ({year}): ages and dates here count from 1 January {year}, the earliest "
                "possible birthday (the safe day to apply before). The exact date of birth may give more time."
            ),
            year=str(member.date_of_birth.year),
        )
    if member.declared_to_ofpra is False:
        result.caution(
            N_(
                "This person was not declared to Ofpra during the asylum application: the Bureau may doubt the family link. "
                "Explain why in the observations and gather proof of the link (éléments de possession d'état)."
            )
        )
    return result


# --- the couple ----------------------------------------------------------------------------


def _adult(member: FamilyMember, result: MemberVerdict, day: dt.date, min_age: int) -> bool:
    """At least ``min_age`` on ``day``; records the reason either way. False stops the check."""
    window = anniversary(member.date_of_birth, min_age)
    reached = has_reached(day, window)
    if reached is None:
        result.conclude(Verdict.uncertain, doubt(window)[0], age=min_age, **doubt(window)[1])
        return True
    if not reached:
        result.conclude(
            Verdict.not_eligible,
            N_("Under {age} on {date}: a spouse or partner must be at least {age}. It becomes possible from {birthday}."),
            age=min_age,
            date=day,
            birthday=window.latest,
        )
        return False
    return True


def _union_before_asylum(case: _Case, member: FamilyMember, result: MemberVerdict, msg_before: str) -> None:
    asylum = case.person.asylum_application_date
    union = member.union_date
    if union is None:  # reported by the consistency check; never a guess here
        result.conclude(Verdict.uncertain, N_("The date of the union is missing."))
        return
    if union < asylum:
        result.note(msg_before, date=union, asylum=asylum)
        return
    if union == asylum:
        result.conclude(
            Verdict.uncertain,
            N_(
                "The union began on the very day of the asylum application ({date}); the law requires it to be earlier. "
                "Get advice before applying."
            ),
            date=union,
        )
        return
    _use(result, "regroupement_familial", case.today)
    result.alternative = "regroupement_familial"
    result.conclude(
        Verdict.not_eligible,
        N_(
            "The union ({date}) is after the asylum application ({asylum}): reunification is only for a family that existed "
            "before it. The route is regroupement familial, through OFII, with conditions of resources and housing (OFII has "
            "an online simulator)."
        ),
        date=union,
        asylum=asylum,
    )


def _spouse(case: _Case, member: FamilyMember, result: MemberVerdict, day: dt.date) -> None:
    rule = _use(result, "beneficiaries", day)
    if _adult(member, result, day, rule.value["union_min_age"]):
        # Say which union when the answers say it (section II of the Bureau's questionnaire).
        kind = case.answers.marital_situation.current_union_kind
        if kind in ("civil_marriage", "customary_or_religious_marriage"):
            before = N_("Married on {date}, before the asylum application ({asylum}).")
        elif kind == "civil_partnership":
            before = N_("In a PACS since {date}, before the asylum application ({asylum}).")
        else:
            before = N_("Married or in a PACS on {date}, before the asylum application ({asylum}).")
        _union_before_asylum(case, member, result, before)


def _partner(case: _Case, member: FamilyMember, result: MemberVerdict, day: dt.date) -> None:
    rule = _use(result, "beneficiaries", day)
    if not _adult(member, result, day, rule.value["union_min_age"]):
        return
    _union_before_asylum(case, member, result, N_("Common life since {date}, before the asylum application ({asylum})."))
    if member.common_life_stable is False:
        result.conclude(
            Verdict.not_eligible,
            N_("An unmarried partner must have had a stable and continuous common life before the asylum application."),
        )
    elif member.common_life_stable is None:
        result.conclude(Verdict.uncertain, N_("Whether the common life was stable and continuous was not answered."))
    elif result.verdict is not Verdict.not_eligible:
        result.caution(
            N_("The stable and continuous common life must be proved: shared address, photos, messages, money transfers, testimonies.")
        )


# --- children ------------------------------------------------------------------------------


def _unmarried(member: FamilyMember, result: MemberVerdict) -> bool:
    if member.marital_status == "married":
        result.conclude(Verdict.not_eligible, N_("Married: only unmarried children (or brothers and sisters) can come."))
        return False
    if member.marital_status == "civil_partnership":
        result.conclude(
            Verdict.uncertain,
            N_("In a civil partnership: the law speaks of unmarried children; whether a partnership counts is not settled."),
        )
    if member.marital_status is None:
        result.conclude(Verdict.uncertain, N_("The marital status was not given: only unmarried children can come."))
    return True


def _age_text(member: FamilyMember, day: dt.date) -> dict:
    years, months = age_years_months(member.date_of_birth, day)
    return {"years": years, "months": months, "date": day}


def _child_of_couple(case: _Case, member: FamilyMember, result: MemberVerdict, day: dt.date) -> None:
    rule = _use(result, "beneficiaries", day)
    assessment = _use(result, "age_assessment", day)
    if not _unmarried(member, result):
        return
    if member.date_of_birth > case.person.protection_granted_on:
        result.conclude(
            Verdict.uncertain,
            N_(
                "Born after protection was granted ({date}): Réfugié.info says only children born before the positive "
                "decision are covered; the law does not say. Get advice."
            ),
            date=case.person.protection_granted_on,
        )
    limit = rule.value["couple_child_birthday_limit"]
    window = anniversary(member.date_of_birth, limit)
    applied = result.assessed_at_visa_application
    where = position(day, window)
    if where is Position.before:
        if applied:
            result.conclude(
                Verdict.eligible,
                N_("Aged {years} years and {months} months on the visa application date ({date}): under the {limit}th birthday."),
                limit=limit,
                **_age_text(member, day),
            )
        else:
            result.conclude(
                Verdict.eligible,
                N_(
                    "Aged {years} years and {months} months today. The visa application must be made before the {limit}th "
                    "birthday ({birthday}): on {last_day} at the latest."
                ),
                limit=limit,
                deadline=True,
                birthday=window.earliest,
                last_day=result.limit(window.earliest),
                **_age_text(member, day),
            )
        return
    if where is Position.on and year_only(member.date_of_birth):
        result.conclude(Verdict.uncertain, doubt(window)[0], age=limit, **doubt(window)[1])
        return
    if where is Position.on:
        _use(result, "nineteenth_birthday", day)
        result.conclude(
            Verdict.uncertain,
            N_(
                "The visa application is (or would be) made on the {limit}th birthday ({date}): whether the child has then "
                "passed it is not settled."
            ),
            limit=limit,
            date=day,
        )
        return
    _turned_19_before_grant(case, member, result, day, window, assessment)


def _turned_19_before_grant(case, member, result, day, window, assessment) -> None:
    """The CE 2023 exception: 19 reached between the asylum application and the grant."""
    asylum = case.person.asylum_application_date
    granted = case.person.protection_granted_on
    months = assessment.value["exception_months"]
    window_end = add_months(granted, months)
    limit = window.years
    if window.latest > granted and window.earliest <= granted:  # the year of birth alone: either side of the grant
        result.conclude(Verdict.uncertain, doubt(window)[0], age=limit, **doubt(window)[1])
        return
    if window.latest > granted:
        result.conclude(
            Verdict.not_eligible,
            N_(
                "Turned {limit} on {birthday}, after protection was granted ({granted}) and before the visa application "
                "date ({date}): too old for reunification."
            ),
            limit=limit,
            birthday=window.latest,
            granted=granted,
            date=day,
        )
        return
    at_asylum = position(asylum, window)
    if at_asylum is Position.after:
        result.conclude(
            Verdict.not_eligible,
            N_("Already {limit} when the asylum application was lodged ({asylum}): too old for reunification."),
            limit=limit,
            asylum=asylum,
        )
        return
    if at_asylum is Position.on:
        _use(result, "nineteenth_birthday", day)
        result.conclude(
            Verdict.uncertain,
            N_("Turned {limit} on the very day of the asylum application ({asylum}): not settled."),
            limit=limit,
            asylum=asylum,
        )
    if day <= window_end:
        # The 3 months counted "de quantième à quantième" (CPC art. 641): an application of the rule.
        if result.assessed_at_visa_application:
            result.conclude(
                Verdict.eligible,
                N_(
                    "Turned {limit} on {birthday}, between the asylum application ({asylum}) and the grant ({granted}): age "
                    "is then assessed at the asylum application, because the visa application ({date}) was made within "
                    "{window} months of the grant (until {end}; Conseil d'État, 29 June 2023)."
                ),
                certainty=Certainty.inference,
                limit=limit,
                window=months,
                birthday=window.latest,
                asylum=asylum,
                granted=granted,
                date=day,
                end=window_end,
            )
        else:
            result.limit(window_end + dt.timedelta(days=1))
            result.conclude(
                Verdict.eligible,
                N_(
                    "Turned {limit} on {birthday}, between the asylum application ({asylum}) and the grant ({granted}): still "
                    "eligible if the visa application is made within {window} months of the grant, on {end} at the latest "
                    "(Conseil d'État, 29 June 2023)."
                ),
                certainty=Certainty.inference,
                deadline=True,
                limit=limit,
                window=months,
                birthday=window.latest,
                asylum=asylum,
                granted=granted,
                end=window_end,
            )
        return
    if result.assessed_at_visa_application:
        result.conclude(
            Verdict.not_eligible,
            N_(
                "Turned {limit} on {birthday}, between the asylum application and the grant ({granted}), but the visa "
                "application ({date}) is after the {window} months that followed the grant (until {end})."
            ),
            limit=limit,
            window=months,
            birthday=window.latest,
            granted=granted,
            date=day,
            end=window_end,
        )
    else:
        result.conclude(
            Verdict.not_eligible,
            N_(
                "Turned {limit} on {birthday}, between the asylum application and the grant ({granted}): the visa "
                "application had to be made within the {window} months that followed the grant, by {end}. That time has passed."
            ),
            limit=limit,
            window=months,
            birthday=window.latest,
            granted=granted,
            end=window_end,
        )


ONE_PARENT_BASES = {
    "sole_filiation": N_("the filiation is established only towards that parent"),
    "other_parent_deceased": N_("the other parent is dead"),
    "other_parent_deprived": N_("the other parent was deprived of parental rights"),
    "custody_judgment": N_("a foreign court gave custody to that parent"),
}


def _minor(member: FamilyMember, result: MemberVerdict, day: dt.date, limit: int, who: str) -> bool:
    """Under ``limit`` on ``day``; when not applied yet, the birthday is the date to apply before."""
    window = anniversary(member.date_of_birth, limit)
    reached = has_reached(day, window)
    if reached is None:
        result.conclude(Verdict.uncertain, doubt(window)[0], age=limit, **doubt(window)[1])
        return True
    if reached:
        result.conclude(
            Verdict.not_eligible,
            N_("Aged {years} on {date}: {who} must be under {age}."),
            years=age_years_months(member.date_of_birth, day)[0],
            date=day,
            who=Reason(who),
            age=limit,
        )
        return False
    if not result.assessed_at_visa_application:
        result.note(
            N_("Under {age} today: the visa application must be made before the {age}th birthday ({birthday}), on {last_day} at the latest."),
            deadline=True,
            age=limit,
            birthday=window.earliest,
            last_day=result.limit(window.earliest),
        )
    else:
        result.note(N_("Under {age} on the visa application date ({date})."), age=limit, date=day)
    return True


def _child_of_one_parent(case: _Case, member: FamilyMember, result: MemberVerdict, day: dt.date) -> None:
    rule = _use(result, "one_parent_children", day)
    _use(result, "age_assessment", day)
    if not _unmarried(member, result):
        return
    if not _minor(member, result, day, rule.value["age_limit"], N_("a child of one parent")):
        return
    basis = member.one_parent_basis
    if basis is None:
        result.conclude(Verdict.uncertain, N_("Why this child may come with one parent was not answered."))
        return
    if basis not in rule.value["bases"]:
        result.alternative = "custody_judgment_first"
        result.conclude(
            Verdict.not_eligible,
            N_(
                "A child of one parent can come only if the filiation is established only towards that parent, the other "
                "parent is dead or deprived of parental rights, or a foreign court gave custody to that parent."
            ),
        )
        return
    result.conclude(Verdict.eligible, N_("Child of one parent: {basis}."), basis=Reason(ONE_PARENT_BASES[basis]))
    if basis == "custody_judgment":
        # The verdict stays "eligible" but rests on an unsettled rule: its certainty says so.
        authorisation = _use(result, "other_parent_authorisation", day)
        result.caution(
            N_(
                "Bring the custody judgment (with a sworn translation). Whether the other parent's authorisation for the child "
                "to come to France is also required is not settled: get it if you can."
            ),
            certainty=authorisation.certainty,
        )
        judgment = member.custody_judgment
        if judgment is not None and member.visa_application_date is not None and judgment.date > member.visa_application_date:
            result.caution(
                N_(
                    "The custody judgment ({judgment}) is dated after the visa application ({date}): it can be produced later; "
                    "send it to the consulate and to the Bureau as soon as you have it."
                ),
                judgment=judgment.date,
                date=member.visa_application_date,
            )


# --- a minor refugee's parents and siblings ------------------------------------------------


def _minor_refugee(case: _Case, result: MemberVerdict, day: dt.date) -> bool:
    """The protected person is a minor unmarried refugee on ``day``; records why not otherwise."""
    rule = _use(result, "beneficiaries", day)
    person = case.person
    window = anniversary(person.date_of_birth, rule.value["minor_refugee_age_limit"])
    reached = has_reached(day, window)
    if reached is True and position(person.asylum_application_date, window) is not Position.before:
        result.conclude(
            Verdict.not_eligible,
            N_("Only a minor refugee can be joined by parents, brothers and sisters; the protected person is an adult."),
        )
        return False
    if person.marital_status == "married":
        result.conclude(Verdict.not_eligible, N_("Parents can join only an unmarried minor refugee; the protected person is married."))
        return False
    if person.marital_status is None:
        result.conclude(
            Verdict.uncertain,
            N_("The protected person's marital status was not given: only an unmarried minor can be joined by parents."),
        )
    if reached is None:
        result.conclude(Verdict.uncertain, doubt(window)[0], age=window.years, **doubt(window)[1])
        return True
    if reached is False:
        if result.assessed_at_visa_application:
            result.note(N_("The protected person was a minor on the visa application date ({date})."), date=day)
        else:
            result.note(
                N_(
                    "The protected person is a minor: the visa application must be made before their {limit}th birthday "
                    "({birthday}), on {last_day} at the latest."
                ),
                deadline=True,
                limit=window.years,
                birthday=window.earliest,
                last_day=result.limit(window.earliest),
            )
        return True
    result.conclude(
        Verdict.uncertain,
        N_(
            "The protected person was a minor at the asylum application but is 18 on {date}: whether parents can still "
            "come is not settled. Get advice at once."
        ),
        date=day,
    )
    return True


def _parent(case: _Case, member: FamilyMember, result: MemberVerdict, day: dt.date) -> None:
    if _minor_refugee(case, result, day):
        result.conclude(Verdict.eligible, N_("Parent of a minor unmarried refugee."))


def _sibling(case: _Case, member: FamilyMember, result: MemberVerdict, day: dt.date) -> None:
    if not _minor_refugee(case, result, day):
        return
    if not _unmarried(member, result):
        return
    minority = _rule("beneficiaries", day).value["minor_refugee_age_limit"]
    if not _minor(member, result, day, minority, N_("a brother or sister")):
        return
    if member.in_parents_care is False:
        result.conclude(Verdict.not_eligible, N_("A brother or sister must be in the effective charge of the parents who come."))
    elif member.in_parents_care is None:
        result.conclude(Verdict.uncertain, N_("Whether the parents have effective charge of this child was not answered."))
    else:
        result.conclude(Verdict.eligible, N_("Minor brother or sister in the effective charge of the parents."))


def _other(case: _Case, member: FamilyMember, result: MemberVerdict, day: dt.date) -> None:
    _use(result, "beneficiaries", day)
    result.conclude(
        Verdict.not_eligible,
        N_(
            "Reunification covers only the spouse or partner, the children, and a minor refugee's parents with their "
            "minor children: this family link is not covered."
        ),
    )


_HANDLERS = {
    "spouse": _spouse,
    "civil_partner": _spouse,
    "partner": _partner,
    "child": _child_of_couple,
    "child_of_one_parent": _child_of_one_parent,
    "parent": _parent,
    "sibling": _sibling,
    "other": _other,
}


# --- rules about the whole family ------------------------------------------------------------


def _one_spouse_only(case: _Case, results: list[MemberVerdict]) -> None:
    """Polygamy: only one spouse or partner can be admitted (L.561-2, L.561-3).

    The first spouse or partner who can come is the one admitted; any other is not
    eligible, and a child whose other parent is not the admitted spouse carries a caution.
    """
    couples = [r for r in results if r.relationship in UNION_RELATIONSHIPS and r.included]
    if len(couples) < 2:
        return
    admitted, others = couples[0], couples[1:]
    _use(admitted, "polygamy", case.today)
    for result in others:
        rule = _use(result, "polygamy", case.today)
        result.alternative = None
        result.conclude(
            Verdict.not_eligible,
            N_(
                "At most {count} spouse or partner can be admitted through reunification (L.561-2 and L.561-3 CESEDA: essential "
                "principles of family life): {admitted} is listed first."
            ),
            count=rule.value["admitted_spouses"],
            admitted=admitted.name,
        )
    admitted_name = _plain(admitted.name)
    for result in results:
        member = case.answers.members[result.index]
        if result.relationship not in CHILD_RELATIONSHIPS or not result.included:
            continue
        if member.other_parent and _plain(member.other_parent) == admitted_name:
            continue
        rule = _use(result, "polygamy_children", case.today)
        result.caution(
            N_(
                "Several spouses or partners are listed: the child of a spouse who is not admitted is at risk of refusal "
                "(L.561-3 CESEDA). Give the child's other parent and get advice."
            ),
            certainty=rule.certainty,
        )


def _plain(name: str) -> str:
    return " ".join(name.casefold().split())


def _siblings_need_a_parent(case: _Case, results: list[MemberVerdict]) -> None:
    parents = [r for r in results if r.relationship == "parent"]
    best = min((r.verdict for r in parents), key=lambda v: v.rank, default=None)
    for result in results:
        if result.relationship != "sibling" or not result.included:
            continue
        if best is None or best is Verdict.not_eligible:
            result.alternative = "with_a_parent"
            result.conclude(
                Verdict.not_eligible,
                N_("Brothers and sisters can only come with a parent who is joining the protected person; no eligible parent is listed."),
            )
        elif best is Verdict.uncertain:
            result.conclude(Verdict.uncertain, N_("Brothers and sisters come only with a parent, and the parents' eligibility is uncertain."))


def _protected_person_conditions(case: _Case, member: FamilyMember, result: MemberVerdict) -> None:
    """A stateless person must hold the residence card (L.582-5)."""
    person = case.person
    if person.protection != "stateless":
        return
    _use(result, "stateless", case.today)
    if person.residence_document == "residence_card":
        return
    if person.residence_document == "receipt":
        result.conclude(
            Verdict.uncertain,
            N_("A stateless person can be joined once holding the residence card; with a receipt only, the condition cannot be confirmed."),
        )
    else:
        result.alternative = "residence_card_first"
        result.conclude(
            Verdict.not_eligible,
            N_("A stateless person can be joined only once holding the residence card: apply again when you have it."),
        )
