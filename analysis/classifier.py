"""A code classifier trained on accepted human codings, suggesting codes beside the rules.

One model reads all text languages: a few hundred answers split seven ways are too few for a model per
language. Each answer is read by its language's pipeline (:func:`analysis.text.pipeline`), and the model
is a spaCy ``textcat_multilabel`` over bags of lemma n-grams, which cost microseconds per answer. Codes
the rules found for the answer are extra inputs ("stacking"): the model learns when to trust a rule and
which codes come with it, which lemmas alone cannot teach it from so little data.

A model's version is a hash of its training data and settings, so retraining on the same codings gives the
same version. Models are saved one directory per version (``<parent>/<version>/``); :func:`latest` picks the
most recently trained. Loading a saved pipeline needs this module imported: it registers the component.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import numpy
import spacy
from spacy.attrs import IS_PUNCT, IS_SPACE, NORM
from spacy.language import Language as Pipeline
from spacy.pipeline.textcat_multilabel import MultiLabel_TextCategorizer
from spacy.strings import hash_string
from spacy.tokens import Doc
from spacy.training import Example as SpacyExample
from spacy.util import fix_random_seed, minibatch, registry
from thinc.api import SGD, Model, SparseLinear_v2, chain
from thinc.types import Floats2d

from analysis.evaluation import Score, micro_f1, score
from analysis.text import WORD_COLUMNS, pipeline, word_table

FORMAT = 1
"""Bumped when saved models stop being readable by this module."""
COMPONENT = "stimmen_textcat"
RULES = "stimmen_rule_codes"
"""Doc extension holding the codes the rules found in the answer."""
MODEL = {
    "@architectures": "stimmen.LemmaRulesBOW.v1",
    "ngram_size": 2,
    "length": 2**14,
    "rule_weight": 3.0,
}
"""Lemma unigrams and bigrams; an answer's n-grams together form a unit vector, and each rule hit weighs 3."""
LEARN_RATE = 2.0
WEIGHT_DECAY = 0.01
BATCH_SIZE = 32
EPOCHS = 100
"""Plain SGD with weight decay, a logistic regression in effect: Adam scales every weight's step alike,
so words seen once move as fast as rule hits seen in hundreds of answers, and the model memorises
answers (cross-validated micro-F1 on domain and ground codes at 0.5: 0.54 with Adam, 0.75 with SGD)."""
THRESHOLD = 0.5
"""One threshold for all codes: thresholds tuned per code, or globally, inside the training folds scored
no better on held-out answers (a code has 3 to 50 examples: tuning fits noise)."""

if not Doc.has_extension(RULES):
    Doc.set_extension(RULES, default=())


@registry.architectures("stimmen.LemmaRulesBOW.v1")
def lemma_rules_bow(ngram_size: int, length: int, rule_weight: float, nO: int | None = None) -> Model:
    """spaCy's bag-of-n-grams classifier over lemmas instead of word forms, plus rule hits, giving logits.

    Each answer's n-grams count once and together weigh 1 (long answers do not shout); each rule hit
    weighs ``rule_weight``.
    """
    features: Model = Model(
        "lemma_rule_features", _features_forward, attrs={"ngram_size": ngram_size, "rule_weight": rule_weight}
    )
    output = SparseLinear_v2(nO=nO, length=length)
    model = chain(features, output)
    model.set_ref("output_layer", output)
    model.attrs["multi_label"] = True
    return model


_OWNER_BITS = numpy.uint64(14)
_KEY_BITS = numpy.uint64(64) - _OWNER_BITS


@cache
def _rule_key(code: str) -> int:
    return hash_string("__rule__" + code)


def _features_forward(model: Model, docs: list[Doc], is_train: bool):
    """Keys, values and per-doc lengths for ``SparseLinear``, computed for the whole batch at once: a
    numpy call per answer would cost more than the model itself."""
    ngram_size, rule_weight = model.attrs["ngram_size"], model.attrs["rule_weight"]
    tables = [word_table(doc) for doc in docs]
    table = numpy.concatenate([numpy.empty((0, len(WORD_COLUMNS)), numpy.uint64), *tables])
    is_word = (table[:, WORD_COLUMNS.index(IS_PUNCT)] == 0) & (table[:, WORD_COLUMNS.index(IS_SPACE)] == 0)
    words = numpy.ascontiguousarray(table[is_word, WORD_COLUMNS.index(NORM)], dtype=numpy.uint64)
    word_doc = numpy.repeat(numpy.arange(len(docs)), [len(t) for t in tables])[is_word]
    rules = [[_rule_key(code) for code in doc._.get(RULES)] for doc in docs]
    keys, owners = [words], [word_doc]
    for n in range(2, min(ngram_size, len(words)) + 1):
        within = word_doc[: 1 - n] == word_doc[n - 1 :]  # n-grams that do not cross into the next answer
        keys.append(model.ops.ngrams(n, words)[within])
        owners.append(word_doc[: 1 - n][within])
    keys.append(numpy.asarray([key for keys_ in rules for key in keys_], dtype=numpy.uint64))
    owners.append(numpy.repeat(numpy.arange(len(docs)), [len(keys_) for keys_ in rules]))
    key, owner = numpy.concatenate(keys), numpy.concatenate(owners)
    is_rule = numpy.arange(len(key)) >= len(key) - len(keys[-1])
    # Sorted by answer, each n-gram once per answer: one sort of the answer's number in the top bits and the
    # n-gram's hash below (two different n-grams of one answer would need to share their top 50 bits).
    if len(docs) >= 1 << int(_OWNER_BITS):
        raise ValueError(f"at most {(1 << int(_OWNER_BITS)) - 1} answers per batch")
    _, first = numpy.unique((owner.astype(numpy.uint64) << _KEY_BITS) | (key >> _OWNER_BITS), return_index=True)
    key, owner, is_rule = key[first], owner[first], is_rule[first]
    words_per_doc = numpy.bincount(owner[~is_rule], minlength=len(docs))
    values = numpy.where(is_rule, rule_weight, 1 / numpy.sqrt(numpy.maximum(words_per_doc[owner], 1)))
    lengths = numpy.bincount(owner, minlength=len(docs))
    features = (key, values.astype(numpy.float32), lengths.astype(numpy.int32))
    return features, lambda d_features: []


class LogisticTextCategorizer(MultiLabel_TextCategorizer):
    """``textcat_multilabel`` with the logistic loss: spaCy's squared error on sigmoid outputs barely moves
    a saturated score, and with a few hundred answers the model then learns little beyond "no"."""

    def predict(self, docs: Iterable[Doc]) -> Floats2d:
        return self.model.ops.sigmoid(self.model.predict(list(docs)))

    def get_loss(self, examples: Iterable[SpacyExample], scores: Floats2d) -> tuple[float, Floats2d]:
        examples = list(examples)
        truths, not_missing = self._examples_to_truth(examples)
        probabilities = self.model.ops.sigmoid(scores)
        loss = (numpy.logaddexp(0, scores) - truths * scores) * not_missing
        return float(loss.sum() / len(examples)), (probabilities - truths) * not_missing / len(examples)


@Pipeline.factory(COMPONENT, default_config={"model": MODEL, "threshold": THRESHOLD}, assigns=["doc.cats"])
def make_textcat(nlp: Pipeline, name: str, model: Model, threshold: float) -> LogisticTextCategorizer:
    return LogisticTextCategorizer(nlp.vocab, model, name, threshold=threshold)


@dataclass(frozen=True)
class Example:
    """An answer with its accepted human codes, and the codes the rules suggested for it."""

    text: str
    language: str
    codes: frozenset[str]
    rule_codes: frozenset[str] = frozenset()


def _docs(texts: Sequence[str], languages: Sequence[str]) -> list[Doc]:
    """Each answer read by its own language's pipeline, in input order; unknown languages raise ValueError."""
    docs: list[Doc | None] = [None] * len(texts)
    for language in dict.fromkeys(languages):
        rows = [i for i, lang in enumerate(languages) if lang == language]
        for i, doc in zip(rows, pipeline(language).pipe(texts[i] for i in rows), strict=True):
            docs[i] = doc
    return [doc for doc in docs if doc is not None]


def _with_rules(docs: Sequence[Doc], rule_codes: Sequence[Iterable[str]] | None) -> Sequence[Doc]:
    for doc, codes in zip(docs, rule_codes if rule_codes is not None else [()] * len(docs), strict=True):
        doc._.set(RULES, tuple(sorted(codes)))
    return docs


def _example_docs(examples: Sequence[Example]) -> Sequence[Doc]:
    return _with_rules(
        _docs([e.text for e in examples], [e.language for e in examples]), [e.rule_codes for e in examples]
    )


def _fit(
    docs: Sequence[Doc],
    labels: Sequence[frozenset[str]],
    codes: Sequence[str],
    epochs: int,
    seed: int,
    tick: Callable[[], None],
) -> Pipeline:
    if not docs:
        raise ValueError("training needs examples")
    if not codes or len(set(codes)) < len(codes):
        raise ValueError("codes must be given, each once")
    fix_random_seed(seed)
    nlp = spacy.blank("xx")
    textcat = nlp.add_pipe(COMPONENT)
    for code in codes:
        textcat.add_label(code)
    examples = [
        SpacyExample.from_dict(doc, {"cats": {code: float(code in gold) for code in codes}})
        for doc, gold in zip(docs, labels, strict=True)
    ]
    optimizer = SGD(LEARN_RATE, L2=WEIGHT_DECAY, use_averages=False)
    nlp.initialize(lambda: examples, sgd=optimizer)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, BATCH_SIZE):
            textcat.update(batch, sgd=optimizer)
        tick()
    return nlp


def _ticker(progress: Callable[[int, int], None] | None, total: int) -> Callable[[], None]:
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    return tick


def _version(examples: Sequence[Example], codes: Sequence[str], epochs: int, seed: int) -> str:
    """A hash of everything that determines the weights: the same data and settings give the same model."""
    content = {
        "format": FORMAT,
        "spacy": spacy.__version__,
        "settings": [MODEL, LEARN_RATE, WEIGHT_DECAY, BATCH_SIZE, epochs, seed],
        "codes": list(codes),
        "examples": [[e.text, e.language, sorted(e.codes), sorted(e.rule_codes)] for e in examples],
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()[:12]


class Classifier:
    """A trained model: probabilities per code for answers, and the thresholds above which it suggests a code."""

    def __init__(
        self,
        nlp: Pipeline,
        *,
        version: str,
        created: str,
        training_size: int,
        thresholds: dict[str, float],
        rule_features: bool,
    ) -> None:
        self.nlp = nlp
        self.version = version
        self.created = created
        self.training_size = training_size
        self.thresholds = thresholds
        self.rule_features = rule_features
        """Trained with rule hits, so predictions need them too: without, every rule looks silent."""

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.nlp.get_pipe(COMPONENT).labels)

    def predict(
        self, texts: Sequence[str], languages: Sequence[str], rule_codes: Sequence[Iterable[str]] | None = None
    ) -> list[dict[str, float]]:
        """Probability of every code per answer; ``languages`` are text languages (``analysis.text``)."""
        return self.predict_docs(_docs(texts, languages), rule_codes)

    def predict_docs(
        self, docs: Sequence[Doc], rule_codes: Sequence[Iterable[str]] | None = None
    ) -> list[dict[str, float]]:
        """Like :meth:`predict`, for answers already read by ``analysis.text.pipeline(language)`` (for the
        rules, say): reading is the larger part of the cost."""
        return [dict(zip(self.codes, row, strict=True)) for row in self.probabilities(docs, rule_codes).tolist()]

    def probabilities(self, docs: Sequence[Doc], rule_codes: Sequence[Iterable[str]] | None = None) -> Floats2d:
        """:meth:`predict_docs` as one array, a row per answer and a column per code in :attr:`codes` order:
        for callers that look at a few codes of many answers, a dictionary per answer costs more than the model."""
        if self.rule_features and rule_codes is None:
            raise ValueError(f"model {self.version} was trained with rule hits: pass rule_codes")
        textcat = self.nlp.get_pipe(COMPONENT)
        batches = [textcat.predict(batch) for batch in minibatch(_with_rules(docs, rule_codes), 1024)]
        return numpy.concatenate(batches) if batches else numpy.empty((0, len(self.codes)), numpy.float32)

    def suggest(
        self, texts: Sequence[str], languages: Sequence[str], rule_codes: Sequence[Iterable[str]] | None = None
    ) -> list[list[tuple[str, float]]]:
        """Codes at or above their threshold per answer, most probable first."""
        return [
            sorted(((c, p) for c, p in probabilities.items() if p >= self.thresholds[c]), key=lambda cp: -cp[1])
            for probabilities in self.predict(texts, languages, rule_codes)
        ]

    def save(self, directory: Path, metrics: CrossValidation) -> None:
        """The spaCy pipeline in ``pipeline/``, with ``meta.json`` and the cross-validation's ``metrics.json``."""
        directory.mkdir(parents=True, exist_ok=True)
        self.nlp.to_disk(directory / "pipeline")
        meta = {
            "format": FORMAT,
            "version": self.version,
            "created": self.created,
            "training_size": self.training_size,
            "codes": list(self.codes),
            "thresholds": self.thresholds,
            "rule_features": self.rule_features,
        }
        (directory / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
        (directory / "metrics.json").write_text(
            json.dumps(metrics.summary(), indent=2, ensure_ascii=False), encoding="utf-8"
        )


def load(directory: Path) -> Classifier:
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise ValueError(f"{directory} holds a model in format {meta.get('format')}, this code reads {FORMAT}")
    return Classifier(
        spacy.load(directory / "pipeline"),
        version=meta["version"],
        created=meta["created"],
        training_size=meta["training_size"],
        thresholds=meta["thresholds"],
        rule_features=meta["rule_features"],
    )


def latest(parent: Path) -> Path | None:
    """The directory of the most recently trained model saved under ``parent`` (one directory per version)."""
    created = {}
    for meta in parent.glob("*/meta.json"):
        created[meta.parent] = json.loads(meta.read_text(encoding="utf-8"))["created"]
    return max(created, key=lambda directory: (created[directory], directory.name), default=None)


def train(
    examples: Sequence[Example],
    codes: Sequence[str],
    *,
    epochs: int = EPOCHS,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Classifier:
    """A model for ``codes`` from accepted codings; the same examples, codes and seed give the same model."""
    docs = _example_docs(examples)
    nlp = _fit(docs, [e.codes for e in examples], codes, epochs, seed, _ticker(progress, epochs))
    return Classifier(
        nlp,
        version=_version(examples, codes, epochs, seed),
        created=datetime.now(UTC).isoformat(),
        training_size=len(examples),
        thresholds=dict.fromkeys(codes, THRESHOLD),
        rule_features=any(e.rule_codes for e in examples),
    )


@dataclass(frozen=True)
class CrossValidation:
    """Held-out probabilities for every example, and how the model alone scores at its thresholds."""

    codes: tuple[str, ...]
    folds: tuple[int, ...]
    """The fold each example was held out in."""
    probabilities: list[dict[str, float]]
    thresholds: dict[str, float]
    scores: list[Score]
    micro_f1: float

    def summary(self) -> dict:
        return {
            "folds": max(self.folds) + 1,
            "examples": len(self.folds),
            "micro_f1": round(self.micro_f1, 4),
            "thresholds": self.thresholds,
            "codes": {
                s.code: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "support": s.support,
                }
                for s in self.scores
            },
        }


def assign_folds(n: int, folds: int, seed: int = 0) -> list[int]:
    """The fold each of ``n`` examples is held out in: a seeded shuffle dealt round-robin (not stratified)."""
    if not 2 <= folds <= n:
        raise ValueError(f"{folds} folds need at least {folds} examples and at least 2 folds")
    order = list(range(n))
    random.Random(seed).shuffle(order)
    fold_of = [0] * n
    for position, i in enumerate(order):
        fold_of[i] = position % folds
    return fold_of


def cross_validate(
    examples: Sequence[Example],
    codes: Sequence[str],
    folds: int = 5,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    *,
    epochs: int = EPOCHS,
) -> CrossValidation:
    """Train on all folds but one and predict that one, for every fold (a seeded shuffle, not stratified)."""
    fold_of = assign_folds(len(examples), folds, seed)
    docs = _example_docs(examples)
    tick = _ticker(progress, folds * epochs)
    held_out_probabilities: dict[int, dict[str, float]] = {}
    for fold in range(folds):
        training = [i for i in range(len(examples)) if fold_of[i] != fold]
        held_out = [i for i in range(len(examples)) if fold_of[i] == fold]
        nlp = _fit([docs[i] for i in training], [examples[i].codes for i in training], codes, epochs, seed, tick)
        rows = nlp.get_pipe(COMPONENT).predict([docs[i] for i in held_out]).tolist()
        for i, row in zip(held_out, rows, strict=True):
            held_out_probabilities[i] = dict(zip(codes, row, strict=True))
    probabilities = [held_out_probabilities[i] for i in range(len(examples))]
    thresholds = dict.fromkeys(codes, THRESHOLD)
    predicted = [{c for c, p in row.items() if p >= thresholds[c]} for row in probabilities]
    scores = score([set(e.codes) & set(codes) for e in examples], predicted, codes)
    return CrossValidation(tuple(codes), tuple(fold_of), probabilities, thresholds, scores, micro_f1(scores))
