"""The combined report on 100,000 responses: loading from the database, building the section, rendering it.

A SQLite database is filled once per run (not timed) with synthetic submitted responses to the default
questionnaire in the demo's ten districts, answered along the questionnaire's own skip logic, with free
text from the demo bank: a third of the texts decided by a coder (accepted codes, some approved for
quoting), the rest carrying machine suggestions, and the demo's 20 indicators. The timed part runs in a
fresh process, so its peak memory is the report's own: ``section_for`` (SQL to frames, privacy layer,
figures) and the HTML and DOCX renderers. The baseline in the same run is reading the same answer table
into pandas, the least any report must do.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml
from sqlalchemy import insert
from sqlmodel import Session

from analysis.codebook import load_codebook
from analysis.coding import Coder
from survey.db import make_engine, upgrade
from survey.demo.seed import DEMO_SLUG, DISTRICTS, HERE, TEXT_LANGUAGES, TEXT_POOLS
from survey.demo.synthetic import fill
from survey.models import Answer, Channel, Coding, CodingReview, CodingStatus, Response, ResponseStatus, Role
from survey.questionnaire.answers import values_of
from survey.questionnaire.flow import shown_question_ids
from survey.settings import PROJECT_ROOT
from survey.users import add_user
from survey.waves import create_wave, questionnaire_for

DEFAULT_RESPONSES = 100_000
MAX_SECONDS = 10.0
MAX_MEMORY_MB = 1024
CHUNK = 5_000
REVIEWED_SHARE = 1 / 3
QUOTABLE_SHARE = 0.2


@dataclass(frozen=True)
class Result:
    responses: int
    answers: int
    texts: int
    seconds: dict[str, float]
    """Timed steps of the report process: load + build, html, docx."""
    peak_mb: float
    baseline_seconds: float
    """Reading the answer table into pandas in the same process."""

    @property
    def total(self) -> float:
        return sum(self.seconds.values())

    @property
    def passed(self) -> bool:
        return self.total < MAX_SECONDS and self.peak_mb < MAX_MEMORY_MB


def _codes_per_text(texts: dict) -> dict[str, list[str]]:
    """The rule codes of every bank text, coded once: the synthetic answers reuse the bank's texts."""
    coder = Coder(load_codebook())
    bank = [
        (text, lang, question) for question, langs in texts.items() for lang, pool in langs.items() for text in pool
    ]
    coded = coder.code([t for t, _, _ in bank], [lang for _, lang, _ in bank], [q for _, _, q in bank])
    return {text: [s.code for s in answer.suggestions] for (text, _, _), answer in zip(bank, coded, strict=True)}


def fill_database(url: str, responses: int, seed: int = 2026, progress: Callable[[int], None] | None = None) -> None:
    """A wave with ``responses`` submitted responses, codings and the demo indicators, inserted in bulk."""
    from analysis.indicators import read_indicators
    from survey.indicators import import_indicators

    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(seed)
    texts = yaml.safe_load((HERE / "texts.yaml").read_text(encoding="utf-8"))
    codes_of = _codes_per_text(texts)
    with Session(engine, expire_on_commit=False) as session:
        coder = add_user(session, "coder@bench.example", Role.coder, "bench-coder-password")
        wave = create_wave(
            session,
            questionnaire_path=PROJECT_ROOT / "questionnaires" / "belonging-discrimination.yaml",
            slug=DEMO_SLUG,
            title="Benchmark",
            districts=DISTRICTS,
            languages=["de", "en", "tr", "ar", "fa", "ru", "uk"],
            opens_on=date(2025, 3, 1),
            closes_on=date(2025, 5, 31),
        )
        import_indicators(session, read_indicators(HERE / "indicators.csv"))
        questionnaire = questionnaire_for(session, wave)
        weights = [0.3 if d == DISTRICTS[-1] else 1.0 + rng.random() for d in DISTRICTS]
        next_answer_id = 1
        for start in range(0, responses, CHUNK):
            rows, answers, codings, reviews = [], [], [], []
            for _ in range(min(CHUNK, responses - start)):
                language = rng.choices(list(TEXT_LANGUAGES), list(TEXT_LANGUAGES.values()))[0]
                pools = {qid: texts[category][language] for qid, category in TEXT_POOLS.items()}
                cells = fill(questionnaire, rng, districts=DISTRICTS, district_weights=weights, texts=pools)
                keep = shown_question_ids(questionnaire, values_of(cells))
                day = date(2025, 3, 1) + timedelta(days=rng.randint(0, 90))
                response = Response(
                    wave_id=wave.id,
                    questionnaire_version_id=wave.questionnaire_version_id,
                    channel=Channel.online,
                    language=language,
                    status=ResponseStatus.submitted,
                    code_hash=f"{rng.getrandbits(256):064x}",
                    page_reached=len(questionnaire.pages) - 1,
                    started_on=day,
                    updated_on=day,
                    submitted_on=day,
                )
                rows.append(response.model_dump())
                for cell in cells:
                    if cell.question_id not in keep:
                        continue
                    answer_id, next_answer_id = next_answer_id, next_answer_id + 1
                    answers.append(
                        {
                            "id": answer_id,
                            "response_id": response.id,
                            "question_id": cell.question_id,
                            "item": cell.item,
                            "value": cell.value,
                            "text": cell.text,
                            "language": language if cell.text else None,
                        }
                    )
                    if cell.text:
                        codings.extend(_codings(answer_id, codes_of.get(cell.text, []), coder.id, rng, reviews))
            session.execute(insert(Response), rows)
            session.execute(insert(Answer), answers)
            if codings:
                session.execute(insert(Coding), codings)
            if reviews:
                session.execute(insert(CodingReview), reviews)
            session.commit()
            if progress:
                progress(len(rows))
    engine.dispose()


def _codings(
    answer_id: int, codes: list[str], coder_id: int, rng: random.Random, reviews: list[dict]
) -> Iterator[dict]:
    if rng.random() < REVIEWED_SHARE:
        reviews.append({"answer_id": answer_id, "user_id": coder_id, "quotable": rng.random() < QUOTABLE_SHARE})
        status, source, user = CodingStatus.accepted, "user", coder_id
    else:
        status, source, user = CodingStatus.suggested, "rules", None
    for code in codes:
        yield {"answer_id": answer_id, "code": code, "source": source, "user_id": user, "status": status}


_TIMED = """
import json, resource, sys, time
import pandas as pd
from sqlmodel import Session
from analysis.render import render
from survey.db import make_engine
from survey.report_data import section_for
from survey.waves import wave_by_slug

engine = make_engine(sys.argv[1])
seconds = {}
with Session(engine) as session:
    wave = wave_by_slug(session, sys.argv[2])
    start = time.perf_counter()
    section = section_for(session, wave, "de")
    seconds["load and build"] = time.perf_counter() - start
    for fmt in ("html", "docx"):
        start = time.perf_counter()
        render(section, fmt)
        seconds[fmt] = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the baseline adds its own
    start = time.perf_counter()
    with engine.connect() as connection:
        pd.read_sql("SELECT response_id, question_id, item, value, text FROM answer", connection)
    baseline = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_mb": peak, "baseline": baseline}))
"""


def run(responses: int = DEFAULT_RESPONSES, progress: Callable[[int], None] | None = None) -> Result:
    with tempfile.TemporaryDirectory(prefix="stimmen-report-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        fill_database(url, responses, progress=progress)
        engine = make_engine(url)
        with engine.connect() as connection:
            answers = connection.exec_driver_sql("SELECT count(*) FROM answer").scalar_one()
            texts = connection.exec_driver_sql("SELECT count(*) FROM answer WHERE text IS NOT NULL").scalar_one()
        engine.dispose()
        out = subprocess.run(  # a fresh process: its peak memory is the report's alone
            [sys.executable, "-c", _TIMED, url, DEMO_SLUG], capture_output=True, text=True, check=True
        )
    measured = json.loads(out.stdout.strip().splitlines()[-1])
    return Result(responses, answers, texts, measured["seconds"], measured["peak_mb"], measured["baseline"])


def markdown(result: Result) -> str:
    steps = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.seconds.items())
    return "\n".join(
        [
            f"{result.responses:,} submitted responses in 10 districts ({result.answers:,} answers, "
            f"{result.texts:,} free texts), 20 indicators × 11 areas × 3 years.",
            "",
            f"Report section: **{result.total:.2f} s** (target < {MAX_SECONDS:.0f} s): {steps}; "
            f"peak memory of the report process **{result.peak_mb:,.0f} MB** (target < {MAX_MEMORY_MB:,} MB). "
            f"Baseline in the same process: reading the answer table into pandas took {result.baseline_seconds:.2f} s "
            f"({result.total / result.baseline_seconds:.1f}× that for the whole section).",
        ]
    )
