"""The user's documents of the reunification packet, in the user's language.

Four sheets laid out by the generic summary template (every word comes from here, through
gettext; the template holds none): the checklists (each included member's visa file,
the proof of the family link, what the protected person sends to the Bureau), the
timeline, the eligibility report, and the summary sheet. Every legal value (fee, 30 days,
2 months, addresses, document lists) is read from the rule data with its certainty.
"""

from __future__ import annotations

import datetime as dt

from docassemble_asylum.eligibility.reunification import relationship_label
from docassemble_asylum.render import french
from docassemble_asylum.eligibility.result import MemberVerdict, Verdict
from docassemble_asylum.french_calendar import days_after, roll_back
from docassemble_asylum.i18n import N_, format_date, gettext
from docassemble_asylum.models.reunification import FamilyMember, Reunification
from docassemble_asylum.render.summary import Section, SourceLine, Summary, footer, sources_lines
from docassemble_asylum.rules import rulebook
from docassemble_asylum.rules.schema import Certainty, RuleVersion

CHECKLISTS = "pieces-a-reunir.docx"
TIMELINE = "calendrier.docx"
REPORT = "eligibilite.docx"

VERDICT_LABELS = {
    Verdict.eligible: N_("eligible"),
    Verdict.not_eligible: N_("not eligible"),
    Verdict.uncertain: N_("uncertain: get advice"),
}

# Certainty of an eligibility verdict or a rule (the deadline wording "aim for the safe day" does not apply here).
CERTAINTY_LABELS = {
    Certainty.verified: N_("verified: follows directly from a sourced rule"),
    Certainty.inference: N_("inference: an application of sourced rules; check it"),
    Certainty.uncertain: N_("uncertain: the rule itself is unsettled; get advice"),
    Certainty.unverified: N_("unverified: not confirmed from an official text; check it"),
}


def certainty_label(certainty: Certainty) -> str:
    return gettext(CERTAINTY_LABELS[Certainty(certainty)])


VISA_ITEMS = {
    "visa_form": N_("One long-stay visa application form, completed, printed and signed (after the pre-application on France-Visas)."),
    "photos": N_("{photos} identity photos in the EU format."),
    "birth_certificate": N_("Full copy of the birth certificate, with a sworn translation into French."),
    "fee": N_("The visa fee: {amount} € per person, paid in local currency (the amount and any exemption are to be confirmed with the consulate)."),
    "passport": N_("A passport valid at least {months} months after the end of the visa (if there is none, a letter explaining why: its absence does not block the application)."),
    "protected_person_reference": N_("Your Ofpra file number ({number}) or CNDA reference, or a copy of your residence permit showing your protection."),
    "protected_person_address": N_("Your current postal address in France (tell the Bureau des familles de réfugiés if it changes)."),
}
UNION_PROOF = {
    "spouse": N_("Marriage certificate, with a sworn translation."),
    "civil_partner": N_("Certificate of the civil partnership (PACS or equivalent), with a sworn translation."),
    "partner": N_("Proof of the stable and continuous common life before the asylum application (shared address, photos, messages, testimonies)."),
}
NO_PASSPORT = N_("No passport: a letter explaining why one cannot be obtained (its absence does not block the application).")
ONE_PARENT_PROOF = {
    "sole_filiation": N_("The full birth certificate showing the filiation towards one parent only."),
    "other_parent_deceased": N_("The other parent's death certificate, with a sworn translation."),
    "other_parent_deprived": N_("The decision depriving the other parent of parental rights, with a sworn translation."),
    "custody_judgment": N_(
        "The foreign custody judgment, with a sworn translation, and if you can get it the other parent's authorisation for the "
        "child to come to France (whether it is required is not settled)."
    ),
}
SIBLING_PROOF = N_("Proof that the parents have effective charge of the child.")
EVIDENCE_ITEMS = {
    "photos": N_("Photos of the family together."),
    "messages": N_("Message conversations."),
    "call_logs": N_("Screenshots of call histories."),
    "gifts": N_("Lists of gifts."),
    "ceremony_videos": N_("Videos of ceremonies (wedding, birth…)."),
    "money_transfers": N_(
        "Receipts of money transfers (Western Union…); if a transfer is not in the person's name, a statement on plain paper by "
        "the person who received the money, saying so and why they could not collect it themselves."
    ),
    "testimonies": N_("Testimonies of relatives and friends."),
}
BUREAU_ITEMS = {
    "family_situation_form": N_(
        "The family-situation form the Bureau sends you, completed and signed (the provisional form in this folder helps you "
        "prepare it)."
    ),
    "residence_permit_copy": N_("A double-sided copy of your residence permit, or of your receipt (récépissé)."),
    "proof_of_address": N_("Proof of your current address."),
    "social_security_certificate": N_("Your social-security certificate (attestation de droits)."),
    "caf_statement": N_("Your latest CAF statement (attestation de paiement) naming your dependants."),
    "possession_evidence": N_("All the proof of the family link (éléments de possession d'état) you have."),
}


def _rule(key: str, today: dt.date) -> RuleVersion:
    return rulebook()[f"reunification.{key}"].at(today)


def _rule_or_none(key: str, today: dt.date) -> RuleVersion | None:
    """The rule in force today, or None before it took effect."""
    try:
        return _rule(key, today)
    except LookupError:
        return None


def _check(text: str) -> str:
    return f"☐ {text}"


def _sheet(title: str, subtitle: str) -> Summary:
    return Summary(title=title, subtitle=subtitle, footer=footer())


def _rule_lines(versions: list[RuleVersion]) -> list[str]:
    lines = []
    seen = []
    for version in versions:
        lines.append(SourceLine(gettext("Rule: {article} — certainty: {label}").format(article=version.caption, label=certainty_label(version.certainty))))
        fresh = [r for r in version.references if r not in seen]
        seen += fresh
        lines += sources_lines(fresh)
    return lines


def _member_heading(member: FamilyMember, verdict: MemberVerdict) -> str:
    return gettext("{name} ({relationship})").format(name=member.full_name, relationship=relationship_label(verdict.relationship, member.sex).text())


# --- checklists ----------------------------------------------------------------------------


def checklists(answers: Reunification, verdicts: list[MemberVerdict], today: dt.date) -> Summary:
    person = answers.protected_person
    visa = _rule("visa_checklist", today)
    fee = _rule("visa_fee", today)
    evidence = _rule("possession_evidence", today)
    bureau = _rule("bureau_documents", today)
    address = _rule("bureau_address", today)
    sheet = _sheet(
        gettext("Family reunification — documents to gather"),
        gettext("For {name} and the family members who can apply").format(name=person.full_name),
    )
    sheet.warnings.append(gettext("The consulate's own list prevails: it may ask for more documents."))
    for verdict in verdicts:
        if not verdict.requested:
            continue
        member = answers.members[verdict.index]
        section = Section(french.format_elided(gettext("Visa file of {who}"), who=_member_heading(member, verdict)))
        if verdict.verdict is Verdict.uncertain:
            section.paragraphs.append(gettext("⚠ Eligibility uncertain: get advice before applying (see the eligibility report)."))
        values = {
            "photos": visa.value["photos"],
            "amount": fee.value["amount_eur"],
            "months": visa.value["passport_valid_months_after_visa"],
            "number": person.ofpra_file_number,
        }
        for item in visa.value["items"]:
            if item == "union_proof":
                if member.relationship in UNION_PROOF:
                    section.bullets.append(_check(gettext(UNION_PROOF[member.relationship])))
                continue
            if item == "passport" and member.has_passport is False:
                section.bullets.append(_check(gettext(NO_PASSPORT)))
                continue
            section.bullets.append(_check(gettext(VISA_ITEMS[item]).format(**values)))
        if member.relationship == "child_of_one_parent" and member.one_parent_basis in ONE_PARENT_PROOF:
            section.bullets.append(_check(gettext(ONE_PARENT_PROOF[member.one_parent_basis])))
        if member.relationship == "sibling":
            section.bullets.append(_check(gettext(SIBLING_PROOF)))
        section.bullets.append(_check(gettext("The proof of the family link listed below (éléments de possession d'état).")))
        sheet.sections.append(section)
    proof = Section(gettext("Proof of the family link (éléments de possession d'état)"))
    proof.paragraphs.append(
        gettext(
            "Unofficial proof that shows the family link. Send it with the Bureau's form, and add it to the visa files when "
            "civil-status documents are missing."
        )
    )
    proof.bullets += [_check(gettext(EVIDENCE_ITEMS[item])) for item in evidence.value["items"]]
    sheet.sections.append(proof)
    send = Section(gettext("What you send to the Bureau des familles de réfugiés"))
    send.paragraphs.append(gettext("By post, once the Bureau has sent you its form, to:"))
    send.paragraphs.append(", ".join(address.value["lines"]))
    if address.certainty is not Certainty.verified:
        send.paragraphs.append(gettext("This address is not confirmed by an official page: check it on the Bureau's letter."))
    send.bullets += [_check(gettext(BUREAU_ITEMS[item])) for item in bureau.value["items"]]
    simplified = _rule_or_none("ofpra_simplified_form", today)
    if simplified is not None:
        send.bullets.append(
            _check(
                gettext(
                    "The simplified form annexed to Ofpra's decision granting your protection, if you are married, in a PACS or "
                    "divorced (since {date}, Ofpra no longer sends the “fiche familiale de référence”): a copy."
                ).format(date=format_date(dt.date.fromisoformat(simplified.value["since"])))
            )
        )
    send.bullets.append(_check(gettext("The cover letter in this folder, signed.")))
    sheet.sections.append(send)
    sources = Section(gettext("Sources"))
    sources.bullets += _rule_lines([visa, fee, evidence, bureau, address, *([simplified] if simplified else [])])
    sheet.sections.append(sources)
    return sheet


# --- timeline ------------------------------------------------------------------------------


def crrv_days(notified: dt.date, today: dt.date) -> tuple[dt.date, dt.date, RuleVersion]:
    """(day 30, the day to send by, the rule): day 30 = notification + 30 (CPC art. 641).

    Whether a day 30 on a weekend or holiday is extended is not settled for this appeal:
    the day to send by is the last working day on or before it.
    """
    rule = rulebook()["reunification.crrv_period"].at(notified)
    last = days_after(notified, rule.value["days"])
    return last, roll_back(last), rule


def crrv_lines(answers: Reunification, verdicts: list[MemberVerdict], today: dt.date) -> list[str]:
    """One sentence per member whose visa refusal was notified: the CRRV appeal's day 30."""
    lines = []
    for verdict in verdicts:
        member = answers.members[verdict.index]
        if member.visa_refusal_notified_on is None:
            continue
        last, send_by, rule = crrv_days(member.visa_refusal_notified_on, today)
        text = gettext("{who}: refusal notified on {notified}: day {days} is {last}.").format(
            who=_member_heading(member, verdict), notified=format_date(member.visa_refusal_notified_on), days=rule.value["days"], last=format_date(last)
        )
        if send_by != last:
            text += " " + gettext("It is not a working day: send the appeal by {date}.").format(date=format_date(send_by))
        if today > last:
            text += " " + gettext("That day has passed: get legal advice at once.")
        lines.append(text)
    return lines


def timeline(answers: Reunification, verdicts: list[MemberVerdict], today: dt.date) -> Summary:
    person = answers.protected_person
    sheet = _sheet(gettext("Family reunification — timeline"), gettext("For {name}").format(name=person.full_name))
    used: list[RuleVersion] = []

    visa = Section(gettext("1. Visa applications, at the French consulate of each member's place of residence"))
    visa.paragraphs.append(
        gettext(
            "Pre-application on the France-Visas website (long stay, family reunification of a refugee, a beneficiary of "
            "subsidiary protection or a stateless person), then an appointment at the consulate: fingerprints, the file, the fee. "
            "It can be done as soon as protection is granted. Processing takes at least 2 months, often longer."
        )
    )
    for verdict in verdicts:
        if not verdict.included:
            continue
        member = answers.members[verdict.index]
        who = _member_heading(member, verdict)
        if not verdict.requested:
            visa.bullets.append(gettext("{who}: not applying now ({reason}).").format(who=who, reason=verdict.not_applying_reason))
        elif member.visa_application_date:
            visa.bullets.append(gettext("{who}: applied on {date}.").format(who=who, date=format_date(member.visa_application_date)))
        elif verdict.last_day_to_apply:
            visa.bullets.append(
                gettext("{who}: not yet applied. Apply as soon as possible, on {date} at the latest.").format(
                    who=who, date=format_date(verdict.last_day_to_apply)
                )
            )
        else:
            visa.bullets.append(gettext("{who}: not yet applied. Apply as soon as possible.").format(who=who))
    appointment = _rule_or_none("no_visa_appointment", today)
    if appointment is not None and any(v.included and v.requested for v in verdicts):
        used.append(appointment)
        visa.bullets.append(
            gettext(
                "No appointment at the consulate within {months} months: the family may ask the administrative judge for an "
                "emergency order ({article}). Certainty: {certainty}. Get advice from a lawyer or an association first."
            ).format(
                months=appointment.value["months_without_appointment"],
                article=appointment.caption,
                certainty=certainty_label(appointment.certainty),
            )
        )
    sheet.sections.append(visa)

    address = _rule("bureau_address", today)
    used.append(address)
    bureau = Section(gettext("2. The Bureau des familles de réfugiés' form"))
    bureau.paragraphs.append(
        gettext(
            "After the visa applications, the Bureau sends you a form about your family situation. Complete it, sign it and "
            "send it back by post with the documents listed in “{file}”, to:"
        ).format(file=CHECKLISTS)
    )
    bureau.paragraphs.append(", ".join(address.value["lines"]))
    bureau.bullets.append(gettext("Check that Ofpra has your exact address; if you move, tell Ofpra and the Bureau."))
    bureau.bullets.append(gettext("If the form does not arrive, write to the Bureau with your correct address."))
    if address.certainty is not Certainty.verified:
        bureau.bullets.append(gettext("This address is not confirmed by an official page: check it on the Bureau's letter."))
    sheet.sections.append(bureau)

    period = _rule("crrv_period", today)
    crrv_address = _rule("crrv_address", today)
    used += [period, crrv_address]
    refused = Section(gettext("3. If a visa is refused"))
    refused.paragraphs.append(
        gettext(
            "First a mandatory appeal to the Commission de recours contre les décisions de refus de visa (CRRV), within {days} "
            "days of the notification of the refusal, to: {address}. The refusal notice says where and how to appeal: it "
            "prevails."
        ).format(days=period.value["days"], address=", ".join([crrv_address.value["name"], *crrv_address.value["lines"]]))
    )
    refused.paragraphs.append(
        gettext(
            "Without an answer within {silence} months, the appeal is rejected; then the {court} can be seized within {months} "
            "months. Get help from a lawyer or an association (legal aid is possible)."
        ).format(silence=period.value["silence_months"], court=period.value["court"], months=period.value["court_months"])
    )
    refused.bullets += crrv_lines(answers, verdicts, today)
    sheet.sections.append(refused)

    after = _rule("after_visa", today)
    used.append(after)
    granted = Section(gettext("4. When a visa is granted"))
    granted.paragraphs.append(
        gettext("Travel to France within the validity of the visa (Réfugié.info: at most {months} months after it was issued).").format(
            months=after.value["travel_months_after_issue"]
        )
    )
    sheet.sections.append(granted)
    arrival = Section(gettext("5. After arrival in France"))
    arrival.paragraphs.append(
        gettext("Within {months} months of arrival, go to the prefecture to be registered and ask for a residence permit.").format(
            months=after.value["prefecture_months"]
        )
    )
    sheet.sections.append(arrival)
    sources = Section(gettext("Sources"))
    sources.bullets += _rule_lines(used)
    sheet.sections.append(sources)
    return sheet


# --- eligibility report --------------------------------------------------------------------


def assessed_line(verdict: MemberVerdict) -> str:
    if verdict.assessed_at_visa_application:
        return gettext("Assessed on the visa application date: {date}.").format(date=format_date(verdict.assessed_on))
    return gettext("No visa application yet: assessed as if it were made on {date}.").format(date=format_date(verdict.assessed_on))


def eligibility_report(answers: Reunification, verdicts: list[MemberVerdict], today: dt.date) -> Summary:
    person = answers.protected_person
    sheet = _sheet(
        gettext("Family reunification — eligibility report"),
        gettext("For {name}, prepared on {date}").format(name=person.full_name, date=format_date(today)),
    )
    for verdict in verdicts:
        member = answers.members[verdict.index]
        section = Section(
            gettext("{who}: {verdict}").format(who=_member_heading(member, verdict), verdict=gettext(VERDICT_LABELS[verdict.verdict]))
        )
        section.paragraphs.append(assessed_line(verdict))
        section.paragraphs.append(gettext("Certainty: {label}").format(label=certainty_label(verdict.certainty)))
        if verdict.last_day_to_apply and not verdict.assessed_at_visa_application:
            section.paragraphs.append(
                gettext("The visa application must be made on {date} at the latest.").format(date=format_date(verdict.last_day_to_apply))
            )
        if not verdict.included:
            section.paragraphs.append(gettext("Left out of the form and of the checklists."))
        section.bullets += verdict.reason_texts()
        section.bullets += sources_lines(verdict.sources)
        sheet.sections.append(section)
    grounds = _rule("refusal_grounds", today)
    limits = Section(gettext("What this report cannot check"))
    limits.paragraphs.append(
        gettext(
            "The consulate decides. Reunification can also be refused for a threat to public order or for not respecting the "
            "essential principles of family life in France (for example polygamy). A family member's identity and link must be "
            "proved."
        )
    )
    limits.bullets += _rule_lines([grounds])
    sheet.sections.append(limits)
    return sheet


# --- summary sheet -------------------------------------------------------------------------


def child_of_previous_union_alone(answers: Reunification) -> int | None:
    """The first child of the protected person's previous union when no previous union is
    declared (section 9 of the form empty): the form then says "union précédente" and
    declares none, a contradiction the Bureau may read as a union concealed. None otherwise.
    A warning, never an error: the child may have been born outside any union."""
    if answers.marital_situation.other_unions:
        return None
    for index, member in enumerate(answers.members):
        if member.relationship == "child_of_one_parent" and member.whose_child == "protected_person":
            return index
    return None


def summary(answers: Reunification, verdicts: list[MemberVerdict], today: dt.date, latin: list[str], files: list[tuple[str, str]]) -> Summary:
    person = answers.protected_person
    sheet = _sheet(
        gettext("Family reunification — summary sheet"),
        gettext("For {name}, Ofpra file no. {number}").format(name=person.full_name, number=person.ofpra_file_number),
    )
    for verdict in verdicts:
        member = answers.members[verdict.index]
        if verdict.included and verdict.deadline_close and verdict.last_day_to_apply:
            text = gettext("{who}: the visa application must be made on {date} at the latest.").format(
                who=_member_heading(member, verdict), date=format_date(verdict.last_day_to_apply)
            )
            if verdict.moved_from_weekend:
                text += " " + gettext(
                    "The last day in law falls on a weekend, when the consulate is closed: book the appointment now, and check the "
                    "consulate's own closing days (French public holidays are not its holidays)."
                )
            sheet.warnings.append(text)
    # A refused visa's appeal is the shortest deadline of the case: first, not only in the timeline.
    sheet.warnings += [gettext("Appeal to the CRRV — {line}").format(line=line) for line in crrv_lines(answers, verdicts, today)]
    for verdict in verdicts:
        if verdict.verdict is Verdict.eligible and verdict.certainty in (Certainty.uncertain, Certainty.unverified):
            sheet.warnings.append(
                french.format_elided(
                    # The reason says what is not settled: the sentence before it must not say it too
                    # (review F-35), and it starts a sentence of its own.
                    gettext("{who} is eligible, with one point to check. {reason}"),
                    who=_member_heading(answers.members[verdict.index], verdict),
                    reason=" ".join(verdict.certainty_reasons()[:1]),
                )
            )
        if verdict.verdict is Verdict.uncertain:
            sheet.warnings.append(
                french.format_elided(
                    gettext("Eligibility of {who} is uncertain: get advice before sending (the form marks it “à vérifier”)."),
                    who=_member_heading(answers.members[verdict.index], verdict),
                )
            )
    waiting = [v for v in verdicts if v.included and not v.applying_now]
    if waiting:
        partial = _rule("partial_reunification", today)
        sheet.warnings.append(
            gettext(
                "Not applying now: {who}. Practitioners report that a partial reunification (eligible members applying later "
                "or separately) is often a ground of refusal ({certainty}). When applying separately is the only way, do it, "
                "and explain why in the observations."
            ).format(
                who="; ".join(_member_heading(answers.members[v.index], v) for v in waiting),
                certainty=certainty_label(partial.certainty),
            )
        )
    applied = sorted(m.visa_application_date for v in verdicts if v.included and (m := answers.members[v.index]).visa_application_date)
    later = [v for v in verdicts if v.included and v.applying_now and answers.members[v.index].visa_application_date is None]
    if applied and later:
        partial = _rule("partial_reunification", today)
        sheet.warnings.append(
            gettext(
                "Not applied yet: {who}, while other members applied on {date}. Practitioners report that a partial "
                "reunification (eligible members applying later or separately) is often a ground of refusal ({certainty}): "
                "apply as soon as possible, and tell the consulate and the Bureau that the application belongs to the same "
                "reunification (give the same references)."
            ).format(
                who="; ".join(_member_heading(answers.members[v.index], v) for v in later),
                date=format_date(applied[0]),
                certainty=certainty_label(partial.certainty),
            )
        )
    if child_of_previous_union_alone(answers) is not None:
        sheet.warnings.append(
            gettext(
                "You declare a child of a previous union: give that union (marriage, divorce, death, separation) in section 9. "
                "An incomplete declaration can lead to a refusal."
            )
        )
    if latin:
        sheet.warnings.append(
            gettext("The form shows the Latin spelling of: {fields} (its font cannot show the original letters).").format(fields="; ".join(latin))
        )
    included = [v for v in verdicts if v.included]
    if included:
        sheet.warnings.append(
            gettext(
                "The family-situation form here is a provisional model: the official form comes from the Bureau des familles de "
                "réfugiés; use it when it arrives."
            )
        )
    else:
        sheet.warnings.append(gettext("No family member can apply for reunification: no form or letter was prepared."))
    who = Section(gettext("Who can join you"))
    for verdict in verdicts:
        who.bullets.append(
            gettext("{who}: {verdict}").format(
                who=_member_heading(answers.members[verdict.index], verdict), verdict=gettext(VERDICT_LABELS[verdict.verdict])
            )
        )
    if any(v.alternative == "regroupement_familial" for v in verdicts):
        who.paragraphs.append(
            gettext(
                "For a union formed after the asylum application, the route is regroupement familial, through OFII (conditions of "
                "resources and housing; OFII has an online simulator)."
            )
        )
    for verdict in verdicts:
        if verdict.included and not verdict.applying_now:
            who.bullets.append(
                gettext("{who}: not applying now ({reason}).").format(
                    who=_member_heading(answers.members[verdict.index], verdict), reason=verdict.not_applying_reason
                )
            )
    sheet.sections.append(who)
    grounds = _rule("refusal_grounds", today)
    public = Section(gettext("Public order and the principles of family life"))
    public.paragraphs.append(
        gettext(
            "Reunification can be refused when a family member's presence would threaten public order, or when the family does "
            "not respect the essential principles of family life in France ({article}). This tool asks no question about it; "
            "get advice if it may concern your family."
        ).format(article=grounds.caption)
    )
    sheet.sections.append(public)
    steps = Section(gettext("What to do now"))
    steps.bullets += [
        gettext("Each family member who can apply makes the visa application at the French consulate (see the timeline)."),
        gettext("Gather the documents of the checklists, with sworn translations."),
        gettext("When the Bureau's form arrives, complete it (the provisional form helps), sign it, and send it with the cover letter and the documents."),
        gettext("If a visa is refused: appeal to the CRRV within {days} days of the notification, with help if you can.").format(
            days=_rule("crrv_period", today).value["days"]
        ),
    ]
    steps.bullets += instead_lines(answers, verdicts)
    sheet.sections.append(steps)
    listing = Section(gettext("Files in this folder"))
    listing.bullets += [f"{name}: {description}" for name, description in files]
    sheet.sections.append(listing)
    return sheet


INSTEAD = {
    "regroupement_familial": N_(
        "{who}: not eligible for reunification; the route is regroupement familial, through OFII, with conditions of resources "
        "and housing."
    ),
    "custody_judgment_first": N_(
        "{who}: not eligible as things stand; a child of one parent can come once a foreign court has given custody to that "
        "parent (or with the other bases the law lists): obtain the custody judgment first, then apply."
    ),
    "residence_card_first": N_("{who}: not eligible yet; apply again once you hold the residence card."),
    "with_a_parent": N_("{who}: can come only with a parent who is joining you; apply together with an eligible parent."),
}
NO_ROUTE = N_("{who}: not eligible; the rules this tool knows give no other route: get advice.")


def instead_lines(answers: Reunification, verdicts: list[MemberVerdict]) -> list[str]:
    """What each ineligible member can do instead, as far as the rules say (``MemberVerdict.alternative``)."""
    return [
        gettext(INSTEAD.get(v.alternative or "", NO_ROUTE)).format(who=_member_heading(answers.members[v.index], v))
        for v in verdicts
        if not v.included
    ]
