"""A synthetic wave as the report reads it: five districts (one with three respondents), closed answers,
coded texts in three languages, indicators with targets and gaps, and population margins.

Answers follow fixed rules rather than chance where tests compute expectations: Altstadt is over-represented
and reports discrimination more often than the other districts, so weighting to the population must lower the
city's "yes" share.
"""

from __future__ import annotations

import pandas as pd

from analysis.codebook import load_codebook
from analysis.report_input import ClosedQuestion, ReportInput

DISTRICTS = ["Altstadt", "Nordend", "Südstadt", "Weststadt", "Hafen"]
SIZES = {"Altstadt": 120, "Nordend": 100, "Südstadt": 90, "Weststadt": 80, "Hafen": 3}
NO_DISTRICT = 7
SMALL = "Hafen"
YES_RATE = {"Altstadt": 0.6, "Nordend": 0.2, "Südstadt": 0.2, "Weststadt": 0.2, None: 0.2}
POPULATION = {"Altstadt": 0.10, "Nordend": 0.30, "Südstadt": 0.25, "Weststadt": 0.30, "Hafen": 0.05}
MAIL = "ayse.demir@example.org"

QUESTIONS = [
    ClosedQuestion(
        "belonging_overall",
        "Zugehörigkeit",
        "matrix",
        [("fully", "voll und ganz"), ("rather", "eher"), ("rather_not", "eher nicht"), ("not_at_all", "gar nicht")],
        [("germany", "Deutschland"), ("city", "unserer Stadt")],
    ),
    ClosedQuestion("discrimination_any", "Benachteiligt in den letzten 24 Monaten?", "single_choice",
                   [("yes", "Ja"), ("no", "Nein")]),
    ClosedQuestion(
        "discrimination_domains",
        "Lebensbereiche",
        "multiple_choice",
        [("work", "Arbeit"), ("housing", "Wohnen"), ("authorities", "Ämter")],
    ),
    ClosedQuestion("helps_at_home", "Was hilft", "multiple_choice",
                   [("friends", "Freundeskreis"), ("work", "Arbeit"), ("language", "Sprachkenntnisse")]),
]  # fmt: skip

TEXTS = {
    "discrimination_experience": [
        ("de", "Der Vermieter sagte, er vermiete nicht an Ausländer.", ["domain.housing", "ground.origin"]),
        ("tr", "İş görüşmesinde adım yüzünden beni almadılar.", ["domain.work", "ground.name"]),
        ("en", f"At the Jobcenter they ignored me, write to {MAIL}.", ["domain.authorities", "form.ignored"]),
    ],
    "belonging_situation_positive": [
        ("de", "Meine Nachbarn haben mir beim Umzug geholfen, Frau Müller war toll.", ["helps.neighbours"]),
        ("en", "My colleagues invited me to their team party.", ["helps.work", "belonging.positive"]),
        ("tr", "Türkçe ve Almanca konuşabildiğim için kendimi evimde hissediyorum.", ["helps.language"]),
    ],
}  # fmt: skip


def _responses() -> pd.DataFrame:
    districts = [d for d in DISTRICTS for _ in range(SIZES[d])] + [None] * NO_DISTRICT
    count = len(districts)
    return pd.DataFrame(
        {
            "response_id": [f"r{i:04d}" for i in range(count)],
            "district": districts,
            "language": "de",
            "channel": "online",
            "age_group": [("age_18_29", "age_30_44", "age_45_64")[i % 3] for i in range(count)],
        }
    )


def _closed(responses: pd.DataFrame) -> pd.DataFrame:
    rows = []
    position = {d: 0 for d in [*DISTRICTS, None]}
    for response_id, district in zip(responses["response_id"], responses["district"], strict=True):
        district = district if isinstance(district, str) else None
        i = position[district]
        position[district] += 1
        size = SIZES.get(district, NO_DISTRICT)
        yes = district == SMALL or i < round(YES_RATE[district] * size)
        rows.append((response_id, "discrimination_any", "", "yes" if yes else "no"))
        if yes:
            rows.append((response_id, "discrimination_domains", "", "housing"))
            if i % 2 == 0:
                rows.append((response_id, "discrimination_domains", "", "work"))
        for item, offset in (("germany", 0), ("city", 1)):
            rows.append(
                (response_id, "belonging_overall", item, ("fully", "rather", "rather_not", "fully")[(i + offset) % 4])
            )
        rows.append((response_id, "helps_at_home", "", "friends"))
        if i % 3 == 0:
            rows.append((response_id, "helps_at_home", "", "language"))
    return pd.DataFrame(rows, columns=["response_id", "question_id", "item", "value"])  # fmt: skip


def _texts_and_codings(responses: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    texts, codings = [], []
    answer = 0
    for index, response_id in enumerate(responses["response_id"]):
        if index % 2:
            continue
        for question, bank in TEXTS.items():
            language, text, codes = bank[(index // 2) % len(bank)]
            answer += 1
            quotable = (answer - 1) // 2 % 2 == 0  # both answers of every other respondent who wrote
            texts.append((answer, response_id, question, text, language, quotable))
            status = "suggested" if index // 2 % 4 == 3 else "accepted"  # a quarter still undecided
            codings += [(answer, code, status) for code in codes]
            if status == "accepted" and answer % 5 == 0:
                codings.append((answer, "domain.police", "rejected"))
    return (
        pd.DataFrame(texts, columns=["answer_id", "response_id", "question_id", "text", "language", "quotable"]),
        pd.DataFrame(codings, columns=["answer_id", "code", "status"]),
    )


def indicators() -> pd.DataFrame:
    rows = [
        # indicator, field, district, year, value, missing reason, target, threshold, higher is better
        ("Arbeitslosenquote", "Arbeit und Beschäftigung", None, 2021, 9.0, None, 6.0, 10.0, False),
        ("Arbeitslosenquote", "Arbeit und Beschäftigung", None, 2022, 8.0, None, 6.0, 10.0, False),
        ("Arbeitslosenquote", "Arbeit und Beschäftigung", None, 2023, 7.0, None, 6.0, 10.0, False),
        ("Arbeitslosenquote", "Arbeit und Beschäftigung", "Nordend", 2022, 12.0, None, 6.0, 10.0, False),
        ("Arbeitslosenquote", "Arbeit und Beschäftigung", "Nordend", 2023, 11.0, None, 6.0, 10.0, False),
        ("Einbürgerungsquote", "political", None, 2022, 1.8, None, 2.0, 1.0, True),
        ("Einbürgerungsquote", "political", None, 2023, 2.1, None, 2.0, 1.0, True),
        ("Kita-Besuchsquote", "BILDUNG", None, 2022, 78.0, None, 95.0, 80.0, True),
        ("Kita-Besuchsquote", "BILDUNG", None, 2023, 76.0, None, 95.0, 80.0, True),
        ("Wohnkostenbelastung", "Housing", None, 2022, 30.0, None, None, None, False),
        ("Wohnkostenbelastung", "Housing", None, 2023, 30.3, None, None, None, False),
        ("Ärztliche Versorgung", "Gesundheit", None, 2022, 5.0, None, 6.0, 4.0, True),
        ("Ärztliche Versorgung", "Gesundheit", None, 2023, None, "geheim", 6.0, 4.0, True),
        ("Vereinsmitglieder", "Sport und Freizeit", None, 2023, 21.0, None, None, None, True),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["indicator", "field_of_action", "district", "year", "value", "missing_reason", "target",
                 "threshold", "higher_is_better"],
    )  # fmt: skip
    return frame.assign(district_code=None, unit="%", source="Statistikstelle")


def population() -> pd.DataFrame:
    return pd.DataFrame({"variable": "district", "value": list(POPULATION), "share": list(POPULATION.values())})


def report_input(wave: str = "2025", previous: ReportInput | None = None) -> ReportInput:
    responses = _responses()
    texts, codings = _texts_and_codings(responses)
    return ReportInput(
        wave=wave,
        title="Zusammenleben 2025",
        year=2025,
        min_cell_size=5,
        districts=list(DISTRICTS),
        questions=QUESTIONS,
        text_questions={q: q for q in TEXTS},
        responses=responses,
        closed=_closed(responses),
        texts=texts,
        codings=codings,
        indicators=indicators(),
        codebook=load_codebook(),
        groups=["age_group"],
        population=population(),
        previous=previous,
    )


def earlier_wave() -> ReportInput:
    """The same wave two years before, when nobody reported discrimination in Nordend, Südstadt and Weststadt."""
    data = report_input("2023")
    closed = data.closed
    ids = data.responses.loc[data.responses["district"] != "Altstadt", "response_id"]
    shift = (closed["question_id"] == "discrimination_any") & closed["response_id"].isin(ids)
    closed.loc[shift, "value"] = "no"
    data.closed = closed[~((closed["question_id"] == "discrimination_domains") & closed["response_id"].isin(ids))]
    return data


def expected_counts(data: ReportInput, question: str, value: str) -> pd.Series:
    """Respondents choosing ``value`` per district (NaN: no district), straight from the frames."""
    chosen = data.closed[(data.closed["question_id"] == question) & (data.closed["value"] == value)]
    merged = chosen.merge(data.responses, on="response_id")
    return merged.groupby(merged["district"].fillna("-"))["response_id"].nunique()
