"""A realistic report section built by hand: two fields of action, a withheld district, a small base, quotes in
Turkish and Arabic (one hostile), and figures from ``analysis.figures``."""

from __future__ import annotations

from dataclasses import replace

from analysis.figures import cloud_figure, codes_chart, indicator_chart, shares_chart
from analysis.report_model import (
    ClosedResult,
    CodeCount,
    CoOccurrence,
    FieldSection,
    IndicatorRow,
    IndicatorValue,
    OptionResult,
    Quote,
    Section,
    Share,
)

WITHHELD_COUNT = 4711
"""Would-be count of a suppressed figure: it must never appear in any output."""
HOSTILE = '<script>alert("x")</script> Der Vermieter sagte <b>nein</b> & legte auf.'


def share(count: int, n: int, low: float, high: float, small_base: bool = False) -> Share:
    return Share(count=count, n=n, share=count / n, low=low, high=high, suppressed=False, small_base=small_base)


def suppressed(figure: Share) -> Share:
    """What privacy suppression leaves of a share: the flag and no numbers."""
    return replace(figure, count=None, n=None, share=None, low=None, high=None, suppressed=True, small_base=False)


def indicator_rows() -> list[IndicatorRow]:
    return [
        IndicatorRow(
            indicator="Arbeitslosenquote Ausländer:innen",
            district=None,
            unit="%",
            values=[
                IndicatorValue(2021, 14.2),
                IndicatorValue(2022, None, "nicht erhoben"),
                IndicatorValue(2023, 12.5),
            ],
            target=10.0,
            threshold=15.0,
            higher_is_better=False,
            status="between",
            trend="improving",
            source="Bundesagentur für Arbeit",
        ),
        IndicatorRow(
            indicator="Einbürgerungen je 1.000",
            district=None,
            unit=None,
            values=[IndicatorValue(2021, 8.1), IndicatorValue(2022, 9.4), IndicatorValue(2023, 11.0)],
            target=None,
            threshold=None,
            higher_is_better=True,
            status="no_target",
            trend="improving",
            source="Statistikstelle",
        ),
        IndicatorRow(
            indicator="Arbeitslosenquote Ausländer:innen",
            district="Nordstadt",
            unit="%",
            values=[IndicatorValue(2022, 16.0), IndicatorValue(2023, 16.4)],
            target=10.0,
            threshold=15.0,
            higher_is_better=False,
            status="below_threshold",
            trend="worsening",
            source="Bundesagentur für Arbeit",
        ),
    ]


def belonging() -> ClosedResult:
    return ClosedResult(
        question="belonging_city",
        label="Wie sehr fühlen Sie sich der Stadt verbunden?",
        options=[
            OptionResult(
                option="very_close",
                label="sehr verbunden",
                overall=share(212, 512, 0.37, 0.46),
                by_district={
                    "Nordstadt": share(61, 140, 0.36, 0.52),
                    "Weststadt": share(9, 23, 0.22, 0.59, small_base=True),
                    "Südstadt": suppressed(share(WITHHELD_COUNT, WITHHELD_COUNT + 2, 0.99, 1.0)),
                },
                previous=share(180, 470, 0.34, 0.43),
            ),
            OptionResult(
                option="not_close",
                label="nicht verbunden",
                overall=share(61, 512, 0.09, 0.15),
                by_district={
                    "Nordstadt": share(20, 140, 0.09, 0.21),
                    "Weststadt": share(3, 23, 0.05, 0.32, small_base=True),
                    "Südstadt": suppressed(share(1, 3, 0.06, 0.79)),
                },
            ),
        ],
    )


def code(code_id: str, label: str, kind: str, count: int | None, n: int = 300, suggested: int = 0) -> CodeCount:
    suppressed = count is None
    return CodeCount(
        code=code_id,
        label=label,
        kind=kind,  # type: ignore[arg-type]
        count=count,
        n=n,
        share=None if suppressed else count / n,
        suppressed=suppressed,
        small_base=False,
        by_district={},
        by_group={},
        suggested=suggested,
    )


def strengths() -> list[CodeCount]:
    return [
        code("helps.neighbours", "Nachbarschaft", "strength", 96, suggested=12),
        code("helps.clubs", "Vereine und Sport", "strength", 54),
    ]


def barriers() -> list[CodeCount]:
    return [
        code("discrimination.domain.housing", "Wohnungssuche", "barrier", 81, suggested=7),
        code("discrimination.domain.police", "Polizei", "barrier", None),
    ]


def build_section(language: str = "de") -> Section:
    quotes = [
        Quote(
            text="Komşularım bana çok yardım etti, kendimi evimde hissediyorum.",
            language="tr",
            language_name="Türkisch" if language == "de" else "Turkish",
            codes=["helps.neighbours"],
        ),
        Quote(
            text="لم أجد شقة لأن اسمي عربي. " + HOSTILE,
            language="ar",
            language_name="Arabisch" if language == "de" else "Arabic",
            codes=["discrimination.domain.housing"],
        ),
    ]
    cloud = cloud_figure({"Nachbarn": 14, "Wohnung": 11, "Verein": 6, "Sprache": 5}, "de", "Häufige Wörter", language)
    figures_one = [
        indicator_chart(indicator_rows(), "Arbeit und Einbürgerung", language),
        shares_chart(belonging(), "very_close", language),
        codes_chart(strengths(), barriers(), "Stärken und Hürden", language),
        cloud,
    ]
    first = FieldSection(
        id="zusammenleben",
        title="Zusammenleben und Teilhabe",
        indicators=indicator_rows(),
        closed=[belonging()],
        strengths=strengths(),
        barriers=barriers(),
        co_occurrences=[
            CoOccurrence("discrimination.domain.housing", "helps.neighbours", 17, False),
            CoOccurrence("discrimination.domain.police", "helps.clubs", None, True),
        ],
        quotes=quotes,
        figures=[f for f in figures_one if f is not None],
        summary=["42 % fühlen sich der Stadt sehr verbunden, etwas mehr als in der Vorwelle."],
    )
    second = FieldSection(
        id="wohnen",
        title="Wohnen",
        indicators=[],
        closed=[],
        strengths=[],
        barriers=[code("discrimination.domain.housing", "Wohnungssuche", "barrier", 81)],
        co_occurrences=[],
        quotes=[],
        figures=[],
        summary=["Die Wohnungssuche ist die am häufigsten genannte Hürde."],
    )
    return Section(
        wave="2024-herbst",
        title="Zugehörigkeit und Diskriminierung" if language == "de" else "Belonging and discrimination",
        language=language,
        generated_at="2024-11-20T10:00:00",
        respondents=512,
        min_cell_size=5,
        districts=["Nordstadt", "Weststadt", "Südstadt"],
        suppressed_districts=["Südstadt"],
        previous_wave="2023-herbst",
        weighting=None,
        summary=[
            "512 Menschen haben geantwortet.",
            "Nachbarschaft stärkt am meisten; Wohnungssuche ist die größte Hürde.",
        ],
        fields=[first, second],
        methods=["Anteile mit 95-%-Wilson-Intervallen.", "Zellen unter 5 Antworten werden nicht ausgewiesen."],
    )
