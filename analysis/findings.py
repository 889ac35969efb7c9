"""What the coded free-text answers say: answers per code, by district and group, and codes that go together.

Only accepted codes (a coder's final decision) are counted; machine suggestions on answers nobody has decided
on yet are counted apart, so a report never mixes the two. A code's base is the decided answers to the
questions it may be given to (``Codebook.applies``): the share then reads "of those who answered about this".
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from analysis.codebook import Codebook
from analysis.fields import Catalogue
from analysis.report_input import ReportInput, positions
from analysis.report_model import CodeCount, CoOccurrence
from analysis.shares import Table, share_grid

TOP_PAIRS = 5


def accepted_codes(data: ReportInput) -> pd.DataFrame:
    """Accepted codes within their scope, one row per answer and code, with the answer's question and response."""
    texts = data.texts[["answer_id", "response_id", "question_id"]]
    accepted = data.codings.loc[data.codings["status"] == "accepted", ["answer_id", "code"]].drop_duplicates()
    accepted = accepted.merge(texts, on="answer_id")
    code, codes = pd.factorize(accepted["code"], use_na_sentinel=False)
    question, questions = pd.factorize(accepted["question_id"], use_na_sentinel=False)
    allowed = _scopes(data.codebook, list(codes), list(questions))
    return accepted[allowed[code, question]].reset_index(drop=True)


def code_counts(
    data: ReportInput, accepted: pd.DataFrame, catalogue: Catalogue, withheld: Collection[str], language: str
) -> dict[str, CodeCount]:
    """Every code with an accepted or suggested answer, in codebook order."""
    codings = data.codings
    is_suggestion = (codings["status"] == "suggested").to_numpy()
    decided_ids = codings.loc[~is_suggestion, "answer_id"].unique()
    texts = data.texts[["answer_id", "response_id", "question_id"]]
    decided = texts[texts["answer_id"].isin(decided_ids)]
    suggested = codings[is_suggestion & ~codings["answer_id"].isin(decided_ids).to_numpy()]
    suggested_by_code = suggested.drop_duplicates(["answer_id", "code"])["code"].value_counts()

    labels = {code.id: code.label for code in data.codebook.all_codes()}
    present = set(accepted["code"].unique()) | set(suggested_by_code.index)  # unique: iterating rows is slow
    order = [code for code in labels if code in present] + sorted(present - set(labels))
    questions = sorted(set(decided["question_id"].unique()) | set(accepted["question_id"].unique()))
    areas = _areas(data, decided, accepted, order, _scopes(data.codebook, order, questions), questions)
    counts = {}
    for c, code in enumerate(order):
        grids = {}
        for name, (categories, answers, chosen) in areas.items():
            city_counts, city_n = chosen[c].sum(keepdims=True), int(answers[:, c].sum())
            table = Table(categories, ["code"], chosen[c, :-1, None], answers[:-1, c], city_counts, city_n)
            grids[name] = share_grid(
                table, data.min_cell_size, partition=False, withheld=withheld if name == "district" else ()
            )
        overall, by_district = grids.pop("district")
        city = overall["code"]
        counts[code] = CodeCount(
            code=code,
            label=labels.get(code, {}).get(language) or labels.get(code, {}).get("de") or code,
            kind=catalogue.kind(code),
            count=city.count,
            n=city.n,
            share=city.share,
            suppressed=city.suppressed,
            small_base=city.small_base,
            by_district=by_district["code"],
            by_group={name: grid[1]["code"] for name, grid in grids.items()},
            suggested=int(suggested_by_code.get(code, 0)),
        )
    return counts


def code_pairs(accepted: pd.DataFrame) -> pd.Series:
    """Answers per pair of accepted codes on the same answer, most frequent first."""
    codes = accepted[["answer_id", "code"]]
    pairs = codes.merge(codes, on="answer_id")
    pairs = pairs[pairs["code_x"] < pairs["code_y"]]
    return pairs.groupby(["code_x", "code_y"]).size().sort_values(ascending=False, kind="stable")


def co_occurrences(pairs: pd.Series, codes: Collection[str], min_cell: int) -> list[CoOccurrence]:
    """The most frequent pairs with at least one of ``codes``; pairs under the minimum show no count."""
    first = pairs.index.get_level_values(0)
    second = pairs.index.get_level_values(1)
    top = pairs[first.isin(codes) | second.isin(codes)].head(TOP_PAIRS)
    return [
        CoOccurrence(a, b, int(count) if count >= min_cell else None, bool(count < min_cell))
        for (a, b), count in top.items()
    ]


def _scopes(codebook: Codebook, codes: list[str], questions: list[str]) -> np.ndarray:
    """Codes × questions: whether the code may be given to answers to the question (``Codebook.applies``)."""
    allowed = [[codebook.applies(code, question) for question in questions] for code in codes]
    return np.array(allowed, dtype=bool).reshape(len(codes), len(questions))


def _areas(
    data: ReportInput,
    decided: pd.DataFrame,
    accepted: pd.DataFrame,
    codes: list[str],
    scopes: np.ndarray,
    questions: list[str],
) -> dict[str, tuple[list[str], np.ndarray, np.ndarray]]:
    """Per breakdown (district, then each group): its areas, each code's base (decided answers to questions in
    its scope) as area × code, and answers with the code as code × area. The last area holds answers without
    one (no district or group value), which count for the city only."""
    responses = data.responses
    decided_position = positions(responses["response_id"], decided["response_id"])
    accepted_position = positions(responses["response_id"], accepted["response_id"])
    decided_question = positions(questions, decided["question_id"])
    accepted_code = positions(codes, accepted["code"])
    breakdowns = {"district": data.districts}
    for group in data.groups:
        breakdowns[group] = sorted(responses[group].dropna().astype(str).unique())
    out = {}
    for name, categories in breakdowns.items():
        width = len(categories) + 1
        area = pd.Categorical(responses[name].astype("string"), categories=categories).codes.astype(np.int64)
        area = np.append(np.where(area < 0, len(categories), area), len(categories))  # position -1: unknown
        answers = np.bincount(
            area[decided_position] * len(questions) + decided_question, minlength=width * len(questions)
        ).reshape(width, len(questions))
        chosen = np.bincount(accepted_code * width + area[accepted_position], minlength=len(codes) * width)
        out[name] = (list(categories), answers @ scopes.T.astype(np.int64), chosen.reshape(len(codes), width))
    return out
