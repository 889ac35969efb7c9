"""The methods notes under the report section: where the numbers come from and how to read them."""

from __future__ import annotations

from analysis.summary import number

NOTES = {
    "de": {
        "sources": "Datenquellen: Befragungswelle „{wave}“ ({year}) mit {n} Befragten{indicators}.",
        "indicator_sources": "; Kennzahlen aus {sources}",
        "coding": "Offene Antworten: gezählt werden die von Codierenden bestätigten Codes; Vorschläge der "
        "automatischen Codierung zu noch nicht entschiedenen Antworten sind getrennt ausgewiesen und als "
        "Vorschläge gekennzeichnet. Basis eines Codes sind die entschiedenen Antworten auf die Fragen, zu "
        "denen er gehört.",
        "suppression": "Datenschutz: Zellen mit weniger als {min_cell} Personen werden nicht ausgewiesen, dazu "
        "so viele weitere (sekundäre Geheimhaltung), dass sich keine verdeckte Zahl aus Summen oder "
        "Differenzen berechnen lässt; Stadtteile mit zu wenigen Befragten werden ganz ausgelassen. Anteile auf "
        "einer Basis unter {small} Antworten sind als unsicher markiert.",
        "intervals": "Die Intervalle sind 95-%-Konfidenzintervalle nach Wilson.",
        "quotes": "Zitate stammen nur aus Antworten, deren Verfasserinnen und Verfasser zugestimmt haben und die "
        "zum Zitieren freigegeben wurden; Namen, Kontaktdaten und Adressen sind unkenntlich gemacht.",
        "unweighted": "Die Anteile sind ungewichtet.",
        "workshops": "Workshops: Aussagen aus Workshops hat eine Gruppe gemeinsam formuliert; sie werden wie offene "
        "Antworten codiert und stehen bei den Handlungsfeldern ihrer Codes (ungeprüfte Maschinenvorschläge sind "
        "gekennzeichnet). Die Abstimmung über eine Aussage wird erst ab {min_cell} Abstimmenden gezeigt, "
        "Stimmenzahlen darunter nicht; Namen und Kontaktdaten sind auch hier unkenntlich gemacht.",
    },
    "en": {
        "sources": "Data sources: survey wave “{wave}” ({year}) with {n} respondents{indicators}.",
        "indicator_sources": "; indicators from {sources}",
        "coding": "Free-text answers: counts are of codes confirmed by human coders; suggestions of the automatic "
        "coder on answers not yet decided are shown separately and labelled as suggestions. A code's base is "
        "the decided answers to the questions it belongs to.",
        "suppression": "Privacy: cells with fewer than {min_cell} people are withheld, together with as many "
        "others (secondary suppression) as needed so that no withheld number can be worked out from totals or "
        "differences; districts with too few respondents are left out altogether. Shares on fewer than {small} "
        "answers are flagged as uncertain.",
        "intervals": "Intervals are 95% Wilson score confidence intervals.",
        "quotes": "Quotes come only from answers whose authors agreed and which were approved for quoting; names, "
        "contact details and addresses are masked.",
        "unweighted": "Shares are unweighted.",
        "workshops": "Workshops: statements from workshops were written by a group together; they are coded like "
        "free-text answers and shown under the fields of action of their codes (unchecked machine suggestions are "
        "marked). Votes on a statement are shown only from {min_cell} voters on, and no vote count below that; "
        "names and contact details are masked here too.",
    },
}


def methods_notes(
    wave: str,
    year: int,
    respondents: int,
    sources: list[str],
    min_cell: int,
    small: int,
    weighting: str | None,
    language: str,
    *,
    workshops: bool = False,
) -> list[str]:
    notes = NOTES["en" if language == "en" else "de"]
    indicators = notes["indicator_sources"].format(sources=", ".join(sources)) if sources else ""
    held = [notes["workshops"].format(min_cell=min_cell)] if workshops else []
    return [
        notes["sources"].format(wave=wave, year=year, n=number(respondents, language), indicators=indicators),
        notes["coding"],
        notes["suppression"].format(min_cell=min_cell, small=small),
        notes["intervals"],
        notes["quotes"],
        *held,
        weighting or notes["unweighted"],
    ]
