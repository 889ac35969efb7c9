"""Plain-language sentences on the main findings, generated from the section's numbers, in German or English.

Sentences only use figures that are shown (never a withheld one), talk about experiences rather than about
groups of people, put what strengthens people beside what holds them back, and call a change against the
previous wave only when the two 95 % intervals do not overlap.
"""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent

from analysis.closed_results import Headline
from analysis.report_model import ClosedResult, CodeCount, FieldSection, IndicatorRow, Share

HEADLINES: dict[str, Headline] = {
    "belonging_city": ("belonging_overall", "city", ("fully", "rather")),
    "attachment_district": ("attachment", "district", ("very_close", "close")),
    "discrimination": ("discrimination_any", "", ("yes",)),
}
"""Combined shares the summary reports: the question, the matrix line and the options that count."""
FIELD_HEADLINES = {"living_together": "belonging_city", "discrimination": "discrimination"}
STRENGTH_PREFIXES = ("helps.", "belonging.positive")
"""Strengths for the "what strengthens people" sentence; wishes are proposals, not what already helps."""

TEXTS = {
    "de": {
        "respondents": "An der Befragung „{title}“ haben {n} Menschen teilgenommen.",
        "belonging_city": "{p} der Befragten fühlen sich unserer Stadt zugehörig ({interval}).",
        "attachment_district": "{p} fühlen sich ihrem Stadtteil eng oder sehr eng verbunden ({interval}).",
        "discrimination": "{p} berichten, dass sie in den letzten 24 Monaten benachteiligt oder diskriminiert "
        "wurden ({interval}).",
        "interval": "95-%-Intervall {low}–{high}",
        "option": "Bei „{question}“ wählten {p} die Antwort „{option}“ ({interval}).",
        "both": "Die am häufigsten genannte Hürde ist „{barrier}“ ({bp} der codierten Antworten); gestärkt fühlen "
        "sich viele durch „{strength}“ ({sp}).",
        "barrier": "Die am häufigsten genannte Hürde ist „{barrier}“ ({bp} der codierten Antworten).",
        "strength": "Als stärkend wird am häufigsten „{strength}“ genannt ({sp} der codierten Antworten).",
        "targets": "Von {total} Kennzahlen mit Ziel- oder Schwellenwert haben {reached} ihr Ziel erreicht, "
        "bei {below} ist die Schwelle unterschritten.",
        "trends": "Von {total} Kennzahlen mit Zeitreihe entwickeln sich {improving} günstig und {worsening} ungünstig.",
        "rise": "Gegenüber der Welle {wave} ist der Anteil „{label}“ von {before} auf {after} gestiegen.",
        "fall": "Gegenüber der Welle {wave} ist der Anteil „{label}“ von {before} auf {after} gesunken.",
        "no_data": "Für dieses Handlungsfeld liegen in dieser Welle keine Daten vor.",
        "too_few": "Für dieses Handlungsfeld lassen sich in dieser Welle keine Ergebnisse zusammenfassen.",
        "statement": "Eine gemeinsame Aussage aus einem Workshop betrifft dieses Handlungsfeld.",
        "statements": "{n} gemeinsame Aussagen aus Workshops betreffen dieses Handlungsfeld.",
    },
    "en": {
        "respondents": "{n} people took part in the survey “{title}”.",
        "belonging_city": "{p} of respondents feel they belong to our city ({interval}).",
        "attachment_district": "{p} feel closely or very closely attached to their district ({interval}).",
        "discrimination": "{p} report having been treated unfairly or discriminated against in the last 24 months "
        "({interval}).",
        "interval": "95% interval {low}–{high}",
        "option": "{p} answered “{option}” to “{question}” ({interval}).",
        "both": "The barrier mentioned most often is “{barrier}” ({bp} of coded answers); many draw strength from "
        "“{strength}” ({sp}).",
        "barrier": "The barrier mentioned most often is “{barrier}” ({bp} of coded answers).",
        "strength": "What strengthens people is most often “{strength}” ({sp} of coded answers).",
        "targets": "Of {total} indicators with a target or threshold, {reached} have reached their target and "
        "{below} are beyond the threshold.",
        "trends": "Of {total} indicators with a time series, {improving} are improving and {worsening} worsening.",
        "rise": "Compared with wave {wave}, the share for “{label}” rose from {before} to {after}.",
        "fall": "Compared with wave {wave}, the share for “{label}” fell from {before} to {after}.",
        "no_data": "There are no data for this field of action in this wave.",
        "too_few": "No results of this field of action can be summarised in this wave.",
        "statement": "One statement written together in a workshop concerns this field of action.",
        "statements": "{n} statements written together in workshops concern this field of action.",
    },
}


def text(language: str, key: str, **values: object) -> str:
    return TEXTS.get(language, TEXTS["de"])[key].format(**values)


def percent(value: float, language: str) -> str:
    return format_percent(value, locale=_locale(language))


def number(value: float, language: str) -> str:
    return format_decimal(value, locale=_locale(language))


def interval(share: Share, language: str) -> str:
    low = format_decimal(round(share.low * 100), locale=_locale(language))
    return text(language, "interval", low=low, high=percent(share.high, language))


def shown(share: Share | None) -> bool:
    return share is not None and not share.suppressed and share.share is not None


def changed(share: Share, previous: Share | None) -> int:
    """+1 or -1 when the intervals of the two waves do not overlap, else 0."""
    if not (shown(share) and shown(previous)):
        return 0
    if share.low > previous.high:
        return 1
    if share.high < previous.low:
        return -1
    return 0


def section_summary(
    title: str,
    respondents: int,
    headlines: dict[str, Share],
    fields: list[FieldSection],
    previous_wave: str | None,
    language: str,
) -> list[str]:
    sentences = [text(language, "respondents", title=title, n=number(respondents, language))]
    for name, share in headlines.items():
        if shown(share):
            sentences.append(_share_sentence(name, share, language))
    strengths = {code.code: code for field in fields for code in field.strengths}
    barriers = {code.code: code for field in fields for code in field.barriers}
    sentences += _codes_sentence(list(strengths.values()), list(barriers.values()), language)
    city = {(row.indicator, row.district): row for field in fields for row in field.indicators}
    sentences += _indicator_sentences(list(city.values()), language)[:1]
    if previous_wave:
        sentences += _change_sentences([result for field in fields for result in field.closed], previous_wave, language)
    return sentences[:6]


def field_summary(
    field: FieldSection, headline: Share | None, has_data: bool, previous_wave: str | None, language: str
) -> list[str]:
    if not has_data:
        return [text(language, "no_data")]
    sentences = _indicator_sentences(field.indicators, language)[:1]
    name = FIELD_HEADLINES.get(field.id)
    if name and shown(headline):
        sentences.append(_share_sentence(name, headline, language))
    else:
        sentences += _top_option(field.closed, language)
    sentences += _codes_sentence(field.strengths, field.barriers, language)
    if previous_wave:
        sentences += _change_sentences(field.closed, previous_wave, language)[:1]
    if field.statements:
        count = len(field.statements)
        sentences.append(text(language, "statement" if count == 1 else "statements", n=number(count, language)))
    return sentences[:3] or [text(language, "too_few")]


def _share_sentence(name: str, share: Share, language: str) -> str:
    return text(language, name, p=percent(share.share, language), interval=interval(share, language))


def _top_option(results: list[ClosedResult], language: str) -> list[str]:
    options = [(option.overall.share, result, option) for result in results for option in result.options]
    options = [item for item in options if shown(item[2].overall) and item[0] and not item[2].overall.small_base]
    if not options:
        return []
    _, result, option = max(options, key=lambda item: item[0])
    return [
        text(
            language,
            "option",
            question=result.label,
            option=option.label,
            p=percent(option.overall.share, language),
            interval=interval(option.overall, language),
        )
    ]


def _codes_sentence(strengths: list[CodeCount], barriers: list[CodeCount], language: str) -> list[str]:
    def top(codes: list[CodeCount]) -> CodeCount | None:
        codes = [code for code in codes if not code.suppressed and code.count]
        return max(codes, key=lambda code: code.count) if codes else None

    strength = top([code for code in strengths if code.code.startswith(STRENGTH_PREFIXES)])
    barrier = top([code for code in barriers if code.kind == "barrier"])
    values = {}
    if strength:
        values.update(strength=strength.label, sp=percent(strength.share, language))
    if barrier:
        values.update(barrier=barrier.label, bp=percent(barrier.share, language))
    if strength and barrier:
        return [text(language, "both", **values)]
    if values:
        return [text(language, "strength" if strength else "barrier", **values)]
    return []


def _indicator_sentences(rows: list[IndicatorRow], language: str) -> list[str]:
    city = [row for row in rows if row.district is None and row.status != "missing"]
    judged = [row for row in city if row.status != "no_target"]
    sentences = []
    if judged:
        reached = sum(row.status == "target_reached" for row in judged)
        below = sum(row.status == "below_threshold" for row in judged)
        sentences.append(text(language, "targets", reached=reached, below=below, total=len(judged)))
    trended = [row for row in city if row.trend != "unknown"]
    if any(row.trend in ("improving", "worsening") for row in trended):
        improving = sum(row.trend == "improving" for row in trended)
        worsening = sum(row.trend == "worsening" for row in trended)
        sentences.append(text(language, "trends", improving=improving, worsening=worsening, total=len(trended)))
    return sentences


def _change_sentences(results: list[ClosedResult], previous_wave: str, language: str) -> list[str]:
    sentences = []
    for result in results:
        for option in result.options:
            direction = changed(option.overall, option.previous)
            if direction:
                sentences.append(
                    text(
                        language,
                        "rise" if direction > 0 else "fall",
                        wave=previous_wave,
                        label=f"{result.label}: {option.label}",
                        before=percent(option.previous.share, language),
                        after=percent(option.overall.share, language),
                    )
                )
    return sentences[:2]


def _locale(language: str) -> str:
    return "en" if language == "en" else "de"
