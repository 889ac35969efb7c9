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
) -> list[str]:
    notes = NOTES["en" if language == "en" else "de"]
    indicators = notes["indicator_sources"].format(sources=", ".join(sources)) if sources else ""
    return [
        notes["sources"].format(wave=wave, year=year, n=number(respondents, language), indicators=indicators),
        notes["coding"],
        notes["suppression"].format(min_cell=min_cell, small=small),
        notes["intervals"],
        notes["quotes"],
        weighting or notes["unweighted"],
    ]
