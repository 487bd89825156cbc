"""The parts of the CNDA appeal's French text that depend on who files it and on legal aid.

Kept apart from ``cnda_appeal.py`` (validation, deadline, summary) because each is a
piece of French pleading with its own rules:

- the exhibits, numbered once: the contested decision first, then the legal-aid decision
  and the proof of the request's date when given, then the applicant's documents; every
  "pièce n°" of the letter reads this numbering (``exhibit_numbers``);
- the admissibility section after a legal-aid request (art. 9-4 loi n° 91-647): the dates
  come from the answers and from the deadline engine's result, never computed here;
- representation: the lawyer (name, bar, address, phone, e-mail, election of domicile),
  the minor's legal representative, and who signs. Unknown parts are placeholders.
"""

from __future__ import annotations

from docassemble_asylum.deadlines.result import DeadlineResult
from docassemble_asylum.models.cnda_appeal import CndaAppeal
from docassemble_asylum.questions.typed import folded
from docassemble_asylum.render import french
from docassemble_asylum.render.filters import date_fr
from docassemble_asylum.render.placeholders import placeholder

LEGAL_AID_DECISION = "legal_aid_decision"
LEGAL_AID_PROOF = "legal_aid_proof"
SUSPENDING = ("pending", "suspended")  # the engine's ``details["legal_aid"]`` when the request was in time

REPRESENTATIVE_PLACEHOLDER = placeholder("nom et qualité du représentant légal (parent ou administrateur ad hoc)")


def translation_note(exhibit) -> str:
    return exhibit.translation_note


def legal_aid_decided(answers: CndaAppeal) -> bool:
    aid = answers.legal_aid
    return aid.status != "not_requested" and aid.decision_notified_on is not None


def exhibits(answers: CndaAppeal) -> list[dict]:
    """The bordereau, numbered: the contested decision, the legal-aid documents, then the rest."""
    d, aid = answers.decision, answers.legal_aid
    found = [
        {"key": "decision", "title": f"Décision de l'Ofpra n° {d.number} du {date_fr(d.date)} (décision attaquée)", "translation": "sans objet (document en français)"}
    ]
    if legal_aid_decided(answers):
        when = f" du {date_fr(aid.decided_on)}" if aid.decided_on else ""
        reference = f" (n° {aid.reference})" if aid.reference else ""
        found.append(
            {
                "key": LEGAL_AID_DECISION,
                "title": f"Décision du bureau d'aide juridictionnelle{when}{reference}, notifiée le {date_fr(aid.decision_notified_on)}",
                "translation": "sans objet (document en français)",
            }
        )
    if aid.status != "not_requested" and aid.request_proof:
        found.append(
            {
                "key": LEGAL_AID_PROOF,
                "title": f"Justificatif de la date de la demande d'aide juridictionnelle : {aid.request_proof}",
                "translation": "sans objet (document en français)",
            }
        )
    for exhibit in answers.exhibits:
        found.append({"key": "", "title": exhibit.title, "translation": translation_note(exhibit)})
    for number, exhibit in enumerate(found, start=1):
        exhibit["number"] = number
    return found


# What an exhibit's title says when it already is the copy of an identity or asylum document
# the summary would otherwise suggest adding (review F-38), written as ``folded`` writes it.
IDENTITY_OR_ASYLUM_DOCUMENT = ("attestation de demande d'asile", "passeport", "carte d'identite")


def identity_or_asylum_document_listed(titles) -> bool:
    """Whether one of the exhibits (by its title, whatever its accents or case: « Copie de
    l'Attestation de demande d’asile », « PASSEPORT ») already is the copy the summary
    suggests, so that the suggestion is not made for a document already listed."""
    return any(term in folded(title) for title in titles for term in IDENTITY_OR_ASYLUM_DOCUMENT)


def exhibit_numbers(listed: list[dict]) -> dict[str, int]:
    return {e["key"]: e["number"] for e in listed if e["key"]}


def admissibility(answers: CndaAppeal, deadline: DeadlineResult, numbers: dict[str, int], designation: str) -> dict:
    """Section III: a short plea of admissibility when a legal-aid request in time suspended the
    period; otherwise the one sentence on legal aid. ``states_notification`` is true when the
    plea states how the decision was notified (section II then does not say it again)."""
    aid, n = answers.legal_aid, answers.decision.notification
    status = deadline.details.get("legal_aid", "none")
    if aid.status == "not_requested":
        return {"heading": "Aide juridictionnelle", "paragraphs": [f"{designation} n'a pas sollicité le bénéfice de l'aide juridictionnelle."]}
    reference = f" (demande n° {aid.reference})" if aid.reference else ""
    if status not in SUSPENDING:
        return {
            "heading": "Aide juridictionnelle",
            "paragraphs": [f"{designation} a sollicité le bénéfice de l'aide juridictionnelle le {date_fr(aid.requested_on)}{reference}."],
        }
    notified = deadline.details.get("notified")
    paragraphs = []
    if n.method == "online":
        if n.first_read_on:
            paragraphs.append(
                f"La décision attaquée a été mise à disposition sur l'espace numérique Ofpra le {date_fr(n.posted_online_on)} et "
                f"consultée pour la première fois le {date_fr(n.first_read_on)}. En application de l'article R. 531-17 du code de "
                "l'entrée et du séjour des étrangers et du droit d'asile, elle est réputée notifiée à la date de cette première "
                "consultation."
            )
        else:
            paragraphs.append(
                f"La décision attaquée a été mise à disposition sur l'espace numérique Ofpra le {date_fr(n.posted_online_on)} et n'a "
                "pas été consultée dans les quinze jours. En application de l'article R. 531-17 du code de l'entrée et du séjour des "
                f"étrangers et du droit d'asile, elle est réputée notifiée à l'issue de ce délai, soit le {_date_iso_fr(notified)}."
            )
    elif n.method == "uncollected":
        paragraphs.append(f"Le pli recommandé contenant la décision attaquée a été présenté le {_date_iso_fr(notified)} (avis de passage).")
    else:
        paragraphs.append(f"La décision attaquée a été notifiée le {_date_iso_fr(notified)}.")
    notes = [f"demande n° {aid.reference}"] if aid.reference else []
    if LEGAL_AID_PROOF in numbers:
        notes.append(f"pièce n° {numbers[LEGAL_AID_PROOF]}")
    noted = f" ({' ; '.join(notes)})" if notes else ""
    paragraphs.append(
        f"{designation} a sollicité le bénéfice de l'aide juridictionnelle le {date_fr(aid.requested_on)}{noted}, "
        "dans le délai de quinze jours suivant cette notification."
    )
    rule = (
        "En application de l'article 9-4 de la loi n° 91-647 du 10 juillet 1991 relative à l'aide juridique, cette demande a "
        "suspendu le délai de recours"
    )
    if status == "pending":
        paragraphs.append(f"À la date du présent recours, il n'a pas encore été statué sur cette demande. {rule}, qui demeure suspendu.")
    else:
        piece = f" (pièce n° {numbers[LEGAL_AID_DECISION]})" if LEGAL_AID_DECISION in numbers else ""
        when = f" du {date_fr(aid.decided_on)}" if aid.decided_on else ""
        notified_on = date_fr(aid.decision_notified_on)
        outcome = {
            "granted": "lui a accordé le bénéfice de l'aide juridictionnelle",
            "refused": "a rejeté cette demande",
        }.get(aid.status, "a statué sur cette demande")
        sentence = (
            f"Par une décision{when}, notifiée le {notified_on}{piece}, le bureau d'aide juridictionnelle {outcome}"
            if when
            else f"Par une décision notifiée le {notified_on}{piece}, le bureau d'aide juridictionnelle {outcome}"
        )
        if aid.status == "granted" and aid.designated_lawyer:
            sentence += f" et a désigné Maître {aid.designated_lawyer} pour l'assister"
        paragraphs.append(sentence + ".")
        # No expiry date: the remaining time is counted in readings a day apart (RULES.md §2,
        # uncertain), and the Court counts it itself; the appeal states the dates it rests on.
        paragraphs.append(
            f"{rule} ; le délai a recommencé à courir, pour sa durée restante, à compter de la notification de cette décision, "
            f"le {notified_on}. Le présent recours, formé le {date_fr(answers.signature.date)}, est donc recevable."
        )
    # This section opens with the notification (its date, or its online posting and first
    # reading): the section on the contested decision then leaves it out (review F-38).
    return {"heading": "Recevabilité du recours et aide juridictionnelle", "paragraphs": paragraphs, "states_notification": True}


def _date_iso_fr(value: str | None) -> str:
    import datetime as dt

    return date_fr(dt.date.fromisoformat(value)) if value else placeholder("date de notification")


def lawyer_paragraphs(answers: CndaAppeal, designation: str) -> list[str]:
    """The lawyer who files: name, bar, full address, phone, e-mail, and the election of domicile."""
    lawyer = answers.lawyer
    if answers.filed_by != "lawyer" or lawyer is None:
        return []
    bar = french.agree("avocat au barreau de", lawyer.sex) + f" {lawyer.bar}"
    address = ", ".join(lawyer.address.lines) if lawyer.address else placeholder("adresse postale du cabinet")
    phone = lawyer.phone or placeholder("téléphone")
    email = lawyer.email or placeholder("courriel")
    represented = french.agree("Représenté", answers.applicant.sex)
    return [
        f"{represented} par Maître {lawyer.name}, {bar}, {address}, tél. {phone}, courriel {email}.",
        f"{designation} élit domicile au cabinet de Maître {lawyer.name}.",
    ]


def designated_lawyer(answers: CndaAppeal) -> str:
    """The lawyer designated under legal aid, when the appeal is not filed by a lawyer named in it."""
    aid = answers.legal_aid
    if aid.status != "granted" or not aid.designated_lawyer.strip():
        return ""
    if answers.filed_by == "lawyer" and answers.lawyer is not None:
        return ""
    return aid.designated_lawyer.strip()


def designated_lawyer_paragraphs(answers: CndaAppeal) -> list[str]:
    """« Ayant pour avocate Maître X, désignée au titre de l'aide juridictionnelle », under the
    identity: the Court then writes to the lawyer (RULES.md §2, an appeal after legal aid)."""
    name = designated_lawyer(answers)
    if not name:
        return []
    aid = answers.legal_aid
    reference = f" (dossier n° {aid.reference})" if aid.reference else ""
    return [
        french.by_sex(
            aid.designated_lawyer_sex,
            f"Ayant pour avocate Maître {name}, désignée au titre de l'aide juridictionnelle{reference}.",
            f"Ayant pour avocat Maître {name}, désigné au titre de l'aide juridictionnelle{reference}.",
            f"Ayant pour conseil Maître {name}, au titre de l'aide juridictionnelle{reference}.",
        )
    ]


def representative_line(answers: CndaAppeal) -> str:
    """"Mme X, en qualité de représentante légale", or the placeholder when not known yet."""
    rep = answers.representative
    if rep is None:
        return ""
    if rep.kind == "not_known_yet" or not rep.name:
        return REPRESENTATIVE_PLACEHOLDER
    if rep.kind == "parent":
        quality = french.by_sex(rep.sex, "représentante légale", "représentant légal", "parent exerçant l'autorité parentale")
    else:
        quality = french.by_sex(rep.sex, "administratrice ad hoc", "administrateur ad hoc", "administrateur ad hoc")
    return f"{rep.name}, en qualité {french.de(quality)}"


def minor_paragraphs(answers: CndaAppeal) -> list[str]:
    line = representative_line(answers)
    if not line:
        return []
    designation = french.agree("Le requérant", answers.applicant.sex)
    minor = french.by_sex(answers.applicant.sex, "mineure", "mineur", "mineure")
    return [f"{designation}, {minor}, agit par l'intermédiaire de {line}."]


def signatory(answers: CndaAppeal) -> str:
    a = answers.applicant
    if answers.filed_by == "lawyer" and answers.lawyer is not None:
        bar = french.agree("avocat au barreau de", answers.lawyer.sex) + f" {answers.lawyer.bar}"
        return f"Pour {a.full_name}, Maître {answers.lawyer.name}, {bar}"
    line = representative_line(answers)
    if line:
        return f"Pour {a.full_name}, {line}"
    return a.full_name
