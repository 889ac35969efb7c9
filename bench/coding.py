"""Coding throughput: the full machine coder against bare ``spacy.blank`` tokenisation of the same answers.

The answers are built from the demo bank of hand-written answers in seven languages: each is one bank
answer, half of them followed by a second answer in the same language, so most of the 100,000 texts
are distinct (nothing is cached per text) while the vocabulary stays realistic. Both sides stream the
answers in batches; rounds alternate which side goes first, and the ratio is taken per round, because
this machine's speed drifts by tens of percent from minute to minute. Memory is the process's resident
size after each batch: it must stay flat once the pipelines are warm.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import spacy
import yaml
from spacy.language import Language as Pipeline

from analysis import classifier
from analysis.codebook import load_codebook
from analysis.coding import CHUNK_ROWS, Coder, collector_paused
from analysis.text import TEXT_LANGUAGES, detect_languages, pipeline
from analysis.training import examples, learnable_codes, read_coded

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "survey" / "demo" / "texts.yaml"
GOLD = ROOT / "tests" / "data" / "coding-gold.csv"
DEFAULT_ANSWERS = 100_000
DEFAULT_ROUNDS = 3
MIN_ANSWERS_PER_SECOND = 8_000
MIN_SHARE_OF_TOKENISATION = 0.35
MAX_MEMORY_GROWTH_MB = 50


@dataclass(frozen=True)
class Answer:
    text: str
    language: str
    question: str


def bench_coder(model_dir: Path | None = None) -> Coder:
    """Rules and a model: the given or newest saved one, else one trained here on the development set."""
    from survey.settings import get_settings

    codebook = load_codebook()
    directory = model_dir or classifier.latest(get_settings().models_dir)
    if directory:
        return Coder(codebook, classifier.load(directory))
    training = examples(read_coded(GOLD), codebook)
    return Coder(codebook, classifier.train(training, learnable_codes(codebook, training)))


def answers(n: int, seed: int = 0) -> list[Answer]:
    bank = yaml.safe_load(BANK.read_text(encoding="utf-8"))
    pools = [(question, lang, texts) for question, langs in bank.items() for lang, texts in langs.items()]
    rng = random.Random(seed)
    made = []
    for _ in range(n):
        question, lang, texts = rng.choice(pools)
        text = rng.choice(texts)
        if rng.random() < 0.5:
            text = f"{text} {rng.choice(texts)}"
        made.append(Answer(text, lang, question))
    return made


def _batches(items: list[Answer]) -> Iterator[list[Answer]]:
    for start in range(0, len(items), CHUNK_ROWS):
        yield items[start : start + CHUNK_ROWS]


def blank_pipelines() -> dict[str, Pipeline]:
    return {lang: spacy.blank(lang) for lang in TEXT_LANGUAGES}


def tokenise(pipelines: dict[str, Pipeline], items: list[Answer]) -> int:
    """The baseline: spaCy's blank tokeniser per language, batch by batch, as the coder streams them.

    The pipelines are built before the clock starts, as the coder's are: building seven takes half a second.
    """
    tokens = 0
    for batch in _batches(items):
        for lang, nlp in pipelines.items():
            for doc in nlp.pipe((a.text for a in batch if a.language == lang), batch_size=512):
                tokens += len(doc)
    return tokens


def code(coder: Coder, items: list[Answer], after_batch: Callable[[], None] | None = None) -> int:
    suggestions = 0
    for batch in _batches(items):
        coded = coder.code([a.text for a in batch], [a.language for a in batch], [a.question for a in batch])
        suggestions += sum(len(answer.suggestions) for answer in coded)
        if after_batch:
            after_batch()
    return suggestions


def stages(coder: Coder, items: list[Answer]) -> dict[str, float]:
    """Microseconds per answer for each step of the coder, measured one after the other on the same answers."""
    texts = [a.text for a in items]
    timings: dict[str, float] = {}

    def timed(name: str, work: Callable[[], object]) -> object:
        start = time.perf_counter()
        result = work()
        timings[name] = (time.perf_counter() - start) / len(items) * 1e6
        return result

    with collector_paused():
        languages = timed("detect language", lambda: detect_languages(texts, [a.language for a in items]))
        by_language: dict[str, list[int]] = {}
        for i, language in enumerate(languages):
            by_language.setdefault(language, []).append(i)
        docs = timed(
            "tokenise + lemmatise",
            lambda: {lang: list(pipeline(lang).pipe(texts[i] for i in rows)) for lang, rows in by_language.items()},
        )
        hits = timed(
            "rules (match, negation, evidence)",
            lambda: {
                lang: [
                    coder.rules.code_doc(doc, texts[i], lang)
                    for i, doc in zip(by_language[lang], lang_docs, strict=True)
                ]
                for lang, lang_docs in docs.items()
            },
        )
        if coder.model:
            timed(
                "model",
                lambda: [
                    coder.model.probabilities(docs[lang], [[e.code for e in found] for found in hits[lang]])
                    for lang in docs
                ],
            )
    return timings


def resident_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * 4096 / 2**20


@dataclass(frozen=True)
class Round:
    tokenise_per_s: float
    code_per_s: float

    @property
    def share(self) -> float:
        return self.code_per_s / self.tokenise_per_s


@dataclass(frozen=True)
class Result:
    answers: int
    rounds: list[Round]
    memory_mb: list[float]
    """Resident size after each batch of the last coding round."""
    source: str
    stages: dict[str, float]
    """Microseconds per answer of each step, on the first batch."""

    @property
    def code_per_s(self) -> float:
        return statistics.median(r.code_per_s for r in self.rounds)

    @property
    def tokenise_per_s(self) -> float:
        return statistics.median(r.tokenise_per_s for r in self.rounds)

    @property
    def share(self) -> float:
        return statistics.median(r.share for r in self.rounds)

    @property
    def memory_growth_mb(self) -> float:
        """Growth after the first two batches, once the caches and string stores are warm."""
        warm = self.memory_mb[1] if len(self.memory_mb) > 1 else self.memory_mb[0]
        return max(self.memory_mb) - warm

    @property
    def passed(self) -> bool:
        return (
            self.code_per_s >= MIN_ANSWERS_PER_SECOND
            and self.share >= MIN_SHARE_OF_TOKENISATION
            and self.memory_growth_mb <= MAX_MEMORY_GROWTH_MB
        )


def _timed(work: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    work()
    return n / (time.perf_counter() - start)


def run(
    coder: Coder, n: int = DEFAULT_ANSWERS, rounds: int = DEFAULT_ROUNDS, progress: Callable[[], None] | None = None
) -> Result:
    items = answers(n)
    code(coder, items[:CHUNK_ROWS])  # warm-up: pipelines, matchers, detector models
    blank = blank_pipelines()
    tokenise(blank, items[:CHUNK_ROWS])
    measured = []
    memory: list[float] = []
    for index in range(rounds):
        memory.clear()
        sides = {
            "tokenise": lambda: tokenise(blank, items),
            "code": lambda: code(coder, items, lambda: memory.append(resident_mb())),
        }
        order = ["tokenise", "code"] if index % 2 == 0 else ["code", "tokenise"]
        speeds = {side: _timed(sides[side], n) for side in order}
        measured.append(Round(speeds["tokenise"], speeds["code"]))
        if progress:
            progress()
    return Result(n, measured, memory, coder.source, stages(coder, items[:CHUNK_ROWS]))


def markdown(result: Result) -> str:
    rows = "\n".join(
        f"| {i} | {r.tokenise_per_s:,.0f} | {r.code_per_s:,.0f} | {r.share:.0%} |"
        for i, r in enumerate(result.rounds, 1)
    )
    return "\n".join(
        [
            f"{result.answers:,} answers in 7 languages, coded by {result.source}, batches of {CHUNK_ROWS:,}.",
            "",
            "| Round | tokenise answers/s | code answers/s | share |",
            "|------:|-------------------:|---------------:|------:|",
            rows,
            "",
            f"Median: **{result.code_per_s:,.0f} answers/s** (target ≥ {MIN_ANSWERS_PER_SECOND:,}), "
            f"**{result.share:.0%} of tokenisation speed** (target ≥ {MIN_SHARE_OF_TOKENISATION:.0%}); "
            f"resident memory {min(result.memory_mb):,.0f}–{max(result.memory_mb):,.0f} MB over the batches, "
            f"growth after warm-up {result.memory_growth_mb:,.1f} MB (target ≤ {MAX_MEMORY_GROWTH_MB} MB).",
            "",
            "Where the time goes (µs per answer, steps run one by one on one batch): "
            + ", ".join(f"{name} {us:.0f}" for name, us in result.stages.items())
            + ".",
        ]
    )
