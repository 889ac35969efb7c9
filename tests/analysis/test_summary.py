"""Generated sentences: numbers in the report language, changes only beyond the intervals, nothing withheld."""

from __future__ import annotations

from analysis.report_model import ClosedResult, CodeCount, FieldSection, OptionResult, Share
from analysis.shares import make_share, withheld_share
from analysis.summary import changed, field_summary, interval, percent, section_summary


def code(code_id: str, kind: str, label: str, count: int | None, n: int = 100) -> CodeCount:
    hidden = count is None
    return CodeCount(
        code=code_id,
        label=label,
        kind=kind,
        count=count,
        n=None if hidden else n,
        share=None if hidden else count / n,
        suppressed=hidden,
        small_base=False,
        by_district={},
        by_group={},
        suggested=0,
    )


def field(**parts) -> FieldSection:
    values = dict(indicators=[], closed=[], strengths=[], barriers=[], co_occurrences=[], quotes=[], figures=[])
    return FieldSection(id="housing", title="Wohnen", summary=[], **{**values, **parts})


def test_percentages_and_intervals_follow_the_language() -> None:
    share = make_share(62, 100)  # Wilson: .5220 to .7090
    assert percent(share.share, "de") == "62\xa0%"
    assert percent(share.share, "en") == "62%"
    assert interval(share, "de") == "95-%-Intervall 52–71\xa0%"
    assert interval(share, "en") == "95% interval 52–71%"


def test_a_change_is_called_only_when_intervals_do_not_overlap() -> None:
    now = make_share(60, 100)  # .502 to .691
    assert changed(now, make_share(40, 100)) == 1  # .309 to .498: just below .502
    assert changed(make_share(40, 100), now) == -1
    assert changed(now, make_share(52, 100)) == 0  # .423 to .615 overlaps
    assert changed(now, withheld_share()) == 0
    assert changed(now, None) == 0


def test_field_without_data_says_so_in_one_sentence() -> None:
    assert field_summary(field(), None, False, None, "de") == [
        "Für dieses Handlungsfeld liegen in dieser Welle keine Daten vor."
    ]
    assert field_summary(field(), None, False, None, "en") == [
        "There are no data for this field of action in this wave."
    ]


def test_strengths_are_named_beside_barriers_and_withheld_codes_never() -> None:
    section = field(
        strengths=[code("helps.neighbours", "strength", "Nachbarschaft", 30)],
        barriers=[
            code("domain.housing", "barrier", "Wohnungssuche", 40),
            code("ground.name", "barrier", "Name", None),
        ],
    )
    sentences = field_summary(section, None, True, None, "de")
    assert sentences == [
        "Die am häufigsten genannte Hürde ist „Wohnungssuche“ (40\xa0% der codierten Antworten); gestärkt fühlen "
        "sich viele durch „Nachbarschaft“ (30\xa0%)."
    ]
    assert "Name" not in " ".join(sentences)


def test_section_summary_uses_shown_headlines_and_changes() -> None:
    option = OptionResult("yes", "Ja", make_share(60, 100), {}, previous=make_share(40, 100))
    section = field(closed=[ClosedResult("discrimination_any", "Benachteiligt?", [option])])
    headlines = {"belonging_city": make_share(300, 400), "discrimination": withheld_share()}
    sentences = section_summary("Zusammenleben", 400, headlines, [section], "2023", "de")
    assert sentences[0] == "An der Befragung „Zusammenleben“ haben 400 Menschen teilgenommen."
    # 300 of 400: Wilson .7053 to .7899
    assert sentences[1] == "75\xa0% der Befragten fühlen sich unserer Stadt zugehörig (95-%-Intervall 71–79\xa0%)."
    assert not any("benachteiligt oder diskriminiert" in sentence for sentence in sentences)
    assert (
        sentences[-1]
        == "Gegenüber der Welle 2023 ist der Anteil „Benachteiligt?: Ja“ von 40\xa0% auf 60\xa0% gestiegen."
    )
    assert 3 <= len(sentences) <= 6


def test_english_sentences() -> None:
    share: Share = make_share(300, 400)
    sentences = section_summary("Living together", 1200, {"belonging_city": share}, [field()], None, "en")
    assert sentences[0] == "1,200 people took part in the survey “Living together”."
    assert sentences[1] == "75% of respondents feel they belong to our city (95% interval 71–79%)."
