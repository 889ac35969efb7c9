"""Every word the report section and its figures print, in German and English, and how numbers are written.

One mapping per language keeps translation in one place; a key missing in English falls back to German so a
new string never breaks a report. Numbers go through Babel so German gets the decimal comma and "42 %".
"""

from __future__ import annotations

from datetime import date

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

SMALL_BASE = 30
"""Shares on fewer answers than this are flagged ``small_base`` by the model and read with caution."""

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "meta": "Befragungswelle {wave}: {respondents} Befragte, erstellt am {date}.",
        "previous_wave": "Verglichen wird mit der Welle {wave}.",
        "weighted": "Anteile gewichtet ({weighting}); n ist die ungewichtete Zahl der Antworten.",
        "unweighted": "Anteile ungewichtet.",
        "withheld_districts": "Aus Datenschutzgründen nicht ausgewiesen: {districts}.",
        "indicators": "Kennzahlen",
        "survey": "Befragung",
        "strengths": "Was Menschen stärkt",
        "barriers": "Hürden und Diskriminierung",
        "voices": "Stimmen",
        "methods": "Methodische Hinweise",
        "table": "Tabelle {number}",
        "figure": "Abbildung {number}",
        "city": "Gesamtstadt",
        "indicator": "Kennzahl",
        "district": "Gebiet",
        "latest": "Aktueller Wert",
        "earlier": "Frühere Jahre",
        "target": "Ziel",
        "threshold": "Schwelle",
        "status": "Stand",
        "trend": "Entwicklung",
        "source": "Quelle",
        "indicators_caption": "Kennzahlen der Gesamtstadt: aktueller Wert, frühere Jahre, Ziel und Schwelle",
        "indicators_districts_caption": "Kennzahlen nach Stadtteil: aktueller Wert und Stand",
        "no_value": "kein Wert",
        "option": "Antwort",
        "share_interval": "Anteil (95-%-Intervall)",
        "previous": "Vorwelle",
        "closed_caption": "{question}: Anteile in der Gesamtstadt",
        "districts_caption": "{question}: Anteile nach Stadtteil",
        "code": "Code",
        "answers": "Antworten",
        "share": "Anteil",
        "suggested": "noch nicht geprüfte Maschinenvorschläge",
        "strengths_caption": "Was Menschen stärkt: kodierte Antworten",
        "barriers_caption": "Hürden und Diskriminierung: kodierte Antworten",
        "pairs_caption": "Häufig gemeinsam genannt",
        "first_code": "Code",
        "second_code": "zusammen mit",
        "suppressed_note": "weniger als {min_cell_size} Antworten – aus Datenschutzgründen nicht ausgewiesen",
        "small_base_note": "Anteil auf weniger als 30 Antworten – mit Vorsicht lesen",
        "quote_attribution": "Antwort auf {language}",
        "statements": "Aussagen aus Workshops",
        "statement_attribution": "gemeinsame Aussage im Workshop von {organisation}, {date}",
        "agreement": "Abstimmung: {agreement}",
        "agree_of": "{agree} von {voters} stimmen zu",
        "statement_codes": "Codes: {codes}",
        "statement_suggested": "Codes (Maschinenvorschläge, noch nicht geprüft): {codes}",
        "workshops": "Workshops",
        "workshops_intro": "Vereine und Initiativen haben {count} Workshops mit ihren Gemeinschaften durchgeführt. "
        "Die Aussagen der Gruppen stehen bei den Handlungsfeldern, zu denen sie codiert sind.",
        "workshops_caption": "Durchgeführte Workshops",
        "organisation": "Organisation",
        "date": "Datum",
        "participants": "Teilnehmende",
        "statements_count": "Aussagen",
        "other_statements": "Weitere Aussagen aus Workshops",
        "status_target_reached": "✓ Ziel erreicht",
        "status_on_track": "↗ auf dem Weg zum Ziel",
        "status_between": "◐ zwischen Schwelle und Ziel",
        "status_below_threshold": "⚠ Schwelle verfehlt",
        "status_no_target": "○ kein Ziel gesetzt",
        "status_missing": "? kein aktueller Wert",
        "trend_improving": "↑ besser",
        "trend_worsening": "↓ schlechter",
        "trend_stable": "→ gleichbleibend",
        "trend_unknown": "? unbekannt",
        "year": "Jahr",
        "share_axis": "Anteil der Antworten",
        "no_codes": "keine ausweisbaren Codes",
        "alt_indicators": "Liniendiagramm „{title}“ für die Gesamtstadt.",
        "alt_indicator_line": "{indicator}: {values}",
        "alt_target": "Ziel {value}",
        "alt_threshold": "Schwelle {value}",
        "alt_gaps": "keine Werte für {years}",
        "alt_shares": "Balkendiagramm: Anteil „{option}“ bei „{question}“ nach Stadtteil, mit 95-%-Intervallen.",
        "alt_share": "{name} {share} (n = {n})",
        "alt_interval": "95-%-Intervall {low} bis {high}",
        "alt_small_base": "Mit Vorsicht zu lesen, weil auf weniger als 30 Antworten: {names}.",
        "alt_withheld": "Aus Datenschutzgründen nicht ausgewiesen: {names}.",
        "alt_codes": "Balkendiagramm „{title}“: Anteil der Antworten mit dem Code.",
        "alt_codes_withheld": "Nicht gezeigt, weil zu wenige Antworten: {names}.",
        "alt_codes_more": "Aus Platzgründen nicht gezeigt, in der Tabelle: {count} weitere unter „{group}“.",
        "alt_cloud": "Wortwolke „{title}“ aus Antworten auf {language}. Häufigste Wörter: {words}.",
        "alt_word": "„{word}“ ({count}-mal)",
    },
    "en": {
        "meta": "Survey wave {wave}: {respondents} respondents, generated on {date}.",
        "previous_wave": "Compared with wave {wave}.",
        "weighted": "Shares weighted ({weighting}); n is the unweighted number of answers.",
        "unweighted": "Shares unweighted.",
        "withheld_districts": "Withheld for privacy: {districts}.",
        "indicators": "Indicators",
        "survey": "Survey",
        "strengths": "Strengths",
        "barriers": "Barriers",
        "voices": "Voices",
        "methods": "Methods",
        "table": "Table {number}",
        "figure": "Figure {number}",
        "city": "Whole city",
        "indicator": "Indicator",
        "district": "Area",
        "latest": "Latest value",
        "earlier": "Earlier years",
        "target": "Target",
        "threshold": "Threshold",
        "status": "Status",
        "trend": "Trend",
        "source": "Source",
        "indicators_caption": "City-wide indicators: latest value, earlier years, target and threshold",
        "indicators_districts_caption": "Indicators by district: latest value and status",
        "no_value": "no value",
        "option": "Answer",
        "share_interval": "Share (95 % interval)",
        "previous": "Previous wave",
        "closed_caption": "{question}: shares in the whole city",
        "districts_caption": "{question}: shares by district",
        "code": "Code",
        "answers": "Answers",
        "share": "Share",
        "suggested": "machine suggestions not yet reviewed",
        "strengths_caption": "Strengths: coded answers",
        "barriers_caption": "Barriers: coded answers",
        "pairs_caption": "Often mentioned together",
        "first_code": "Code",
        "second_code": "together with",
        "suppressed_note": "fewer than {min_cell_size} answers – withheld for privacy",
        "small_base_note": "share of fewer than 30 answers – read with caution",
        "quote_attribution": "Answer in {language}",
        "statements": "Statements from workshops",
        "statement_attribution": "statement written together in the workshop of {organisation}, {date}",
        "agreement": "Vote: {agreement}",
        "agree_of": "{agree} of {voters} agree",
        "statement_codes": "Codes: {codes}",
        "statement_suggested": "Codes (machine suggestions, not yet checked): {codes}",
        "workshops": "Workshops",
        "workshops_intro": "Associations and initiatives held {count} workshops with their communities. The groups' "
        "statements stand under the fields of action they are coded for.",
        "workshops_caption": "Workshops held",
        "organisation": "Organisation",
        "date": "Date",
        "participants": "Participants",
        "statements_count": "Statements",
        "other_statements": "Further statements from workshops",
        "status_target_reached": "✓ target reached",
        "status_on_track": "↗ on track",
        "status_between": "◐ between threshold and target",
        "status_below_threshold": "⚠ threshold missed",
        "status_no_target": "○ no target set",
        "status_missing": "? no current value",
        "trend_improving": "↑ improving",
        "trend_worsening": "↓ worsening",
        "trend_stable": "→ stable",
        "trend_unknown": "? unknown",
        "year": "Year",
        "share_axis": "Share of answers",
        "no_codes": "no codes to show",
        "alt_indicators": "Line chart “{title}” for the whole city.",
        "alt_indicator_line": "{indicator}: {values}",
        "alt_target": "target {value}",
        "alt_threshold": "threshold {value}",
        "alt_gaps": "no values for {years}",
        "alt_shares": "Bar chart: share answering “{option}” to “{question}” by district, with 95 % intervals.",
        "alt_share": "{name} {share} (n = {n})",
        "alt_interval": "95 % interval {low} to {high}",
        "alt_small_base": "Read with caution, based on fewer than 30 answers: {names}.",
        "alt_withheld": "Withheld for privacy: {names}.",
        "alt_codes": "Bar chart “{title}”: share of answers with each code.",
        "alt_codes_withheld": "Not shown because too few answers: {names}.",
        "alt_codes_more": "Left out for space, in the table: {count} more under “{group}”.",
        "alt_cloud": "Word cloud “{title}” from answers in {language}. Most frequent words: {words}.",
        "alt_word": "“{word}” ({count} times)",
    },
}


def text(language: str, key: str, /, **values: object) -> str:
    """The string in the report language (German unless English is asked for), with values filled in."""
    strings = TEXTS["en" if language == "en" else "de"]
    return strings.get(key, TEXTS["de"][key]).format(**values)


def locale(language: str) -> str:
    return "en" if language == "en" else "de"


def percent(share: float, language: str, decimals: bool = False) -> str:
    """A share as the language writes percentages ("42 %" with a no-break space, "42%"); whole percent unless
    ``decimals`` (up to two) are asked for."""
    pattern = Locale.parse(locale(language)).percent_formats[None].pattern
    return format_percent(share, format=pattern.replace("0", "0.##") if decimals else pattern, locale=locale(language))


def number(value: float, language: str) -> str:
    return format_decimal(value, format="#,##0.##", locale=locale(language))


def quantity(value: float, unit: str | None, language: str) -> str:
    """A value with its unit; a "%" unit is written as Babel writes percentages in the language."""
    if unit == "%":
        return percent(value / 100, language, decimals=True)
    return f"{number(value, language)} {unit}" if unit else number(value, language)


def listing(items: list[str]) -> str:
    """Items joined for a sentence; semicolons when an item has a comma of its own (German decimals)."""
    return ("; " if any("," in item for item in items) else ", ").join(items)


def language_name(code: str, language: str) -> str:
    """The name of a text language in the report language ("Türkisch"), or the code Babel does not know."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(locale(language)) or code
    except (ValueError, LookupError):
        return code


def long_date(iso: str, language: str) -> str:
    """A generated_at timestamp as a date in words; left as it is when it is no ISO date."""
    try:
        return format_date(date.fromisoformat(iso[:10]), format="long", locale=locale(language))
    except ValueError:
        return iso
