"""From hand-coded answers to training examples and a model, and cross-validation that never peeks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from analysis import classifier, coding
from analysis.classifier import Example
from analysis.codebook import Codebook, load_codebook
from analysis.coding import ADD, DOUBT, RULE_CONFIDENCE, Coder
from analysis.csvfiles import TableError
from analysis.training import MIN_EXAMPLES, CodedText, evaluate, examples, learnable_codes, read_coded

DATA = Path(__file__).resolve().parent.parent / "data"
EXPERIENCE = "discrimination_experience"
HOUSING_DE = "Der Vermieter hat mich wegen meines Namens abgelehnt."
RUSSIAN = "На работе начальник кричал на меня из-за акцента."
CHINESE = "我们在找房子的时候房东拒绝了我们因为我们是外国人，这很不公平。"


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook()


def write(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "coded.csv"
    path.write_text(content, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------- read_coded


def test_read_coded_optional_columns_are_none(tmp_path: Path) -> None:
    path = write(tmp_path, 'text,codes\n"Der Vermieter sagte nein.",domain.housing\n')
    assert read_coded(path) == [CodedText("Der Vermieter sagte nein.", None, None, frozenset({"domain.housing"}))]


def test_read_coded_splits_and_strips_codes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id,language,question,text,codes\n"
        '1,de,discrimination_experience,Der Vermieter sagte nein.," domain.housing ; ground.name ;"\n'
        "2,,,Nichts passiert.,\n"
        "3,en,city_wishes,More flats please.,wish.housing\n",
    )
    first, empty, wish = read_coded(path)
    assert first == CodedText(
        "Der Vermieter sagte nein.", "de", EXPERIENCE, frozenset({"domain.housing", "ground.name"})
    )
    assert empty == CodedText("Nichts passiert.", None, None, frozenset())
    assert (wish.language, wish.question, wish.codes) == ("en", "city_wishes", frozenset({"wish.housing"}))


def test_read_coded_needs_a_codes_column(tmp_path: Path) -> None:
    path = write(tmp_path, "text,code\nDer Vermieter sagte nein.,domain.housing\n")
    with pytest.raises(TableError, match=r"has no column 'codes'; its columns are: 'text', 'code'"):
        read_coded(path)


def test_read_coded_reads_the_shipped_gold_files() -> None:
    gold = read_coded(DATA / "coding-gold.csv")
    assert len(gold) == 315
    assert gold[0].language == "de"
    assert gold[0].question == EXPERIENCE
    assert gold[0].codes == {"domain.housing", "form.refused", "ground.religion"}
    assert all(code == code.strip() and code for answer in gold for code in answer.codes)


# ------------------------------------------------------------------------------------------------ examples


def test_examples_carry_the_scoped_rule_hits(codebook: Codebook) -> None:
    experience, wish = examples(
        [
            CodedText(HOUSING_DE, "de", EXPERIENCE, frozenset({"domain.housing"})),
            CodedText(HOUSING_DE, "de", "city_wishes", frozenset()),
        ],
        codebook,
    )
    assert experience == Example(HOUSING_DE, "de", frozenset({"domain.housing"}), experience.rule_codes)
    assert {"domain.housing", "ground.name"} <= experience.rule_codes
    assert wish.text == HOUSING_DE
    assert wish.codes == frozenset()
    assert "domain.housing" not in wish.rule_codes
    assert not any(code.startswith(("domain.", "ground.")) for code in wish.rule_codes)


def test_examples_use_the_detected_language_and_drop_unsupported_ones(codebook: Codebook) -> None:
    answers = [
        CodedText(RUSSIAN, "de", EXPERIENCE, frozenset({"domain.work"})),
        CodedText(CHINESE, "zh", EXPERIENCE, frozenset({"domain.housing"})),  # long, but no reader for it
        CodedText("Non, jamais.", "fr", EXPERIENCE, frozenset({"experience.none"})),  # too short to detect
        CodedText(HOUSING_DE, None, None, frozenset({"domain.housing"})),
    ]
    russian, german = examples(answers, codebook)
    assert (russian.text, russian.language) == (RUSSIAN, "ru")
    assert "domain.work" in russian.rule_codes
    assert (german.text, german.language) == (HOUSING_DE, "de")


def test_learnable_codes_need_min_examples(codebook: Codebook) -> None:
    def some(code: str, n: int) -> list[Example]:
        return [Example(f"Antwort {code} {i}", "de", frozenset({code})) for i in range(n)]

    training = [
        *some("domain.housing", MIN_EXAMPLES),
        *some("domain.work", MIN_EXAMPLES - 1),
        *some("no.such_code", MIN_EXAMPLES + 2),  # not in the codebook
        Example("Beides", "de", frozenset({"ground.name", "ground.origin"})),
    ]
    training += [Example(f"Name {i}", "de", frozenset({"ground.name"}), frozenset({"ground.name"})) for i in range(2)]
    assert learnable_codes(codebook, training) == ["domain.housing", "ground.name"]
    assert learnable_codes(codebook, []) == []


# ---------------------------------------------------------------------------------------- Coder with model

QUARBEL = [  # a made-up housing company no rule knows: only a model can learn it means housing
    "Beim Quarbel in der Südstadt wurden wir wieder abgewiesen.",
    "Das Quarbel hat uns nicht genommen, weil wir Ausländer sind.",
    "Im Quarbel sagte man uns, es sei schon alles vergeben.",
    "Wir waren dreimal beim Quarbel, jedes Mal hieß es nein.",
    "Der Mann vom Quarbel hat nicht einmal zurückgerufen.",
    "Beim Quarbel wurden nur wir nach unserem Einkommen gefragt.",
]
WAY_TO_WORK = [  # the rules read "Arbeit" as the work domain; coders code the street, never work
    "Auf dem Weg zur Arbeit hat mich im Bus ein Mann angeschrien.",
    "Auf dem Weg zur Arbeit hat mich jemand in der Straßenbahn beleidigt.",
    "Auf dem Weg zur Arbeit wurde ich am Bahnhof angespuckt.",
    "Auf dem Weg zur Arbeit hat mir eine Frau im Park das Kopftuch heruntergerissen.",
    "Auf dem Weg zur Arbeit hat mich ein Radfahrer auf der Straße als Ausländer beschimpft.",
    "Auf dem Weg zur Arbeit haben mich Jugendliche an der Haltestelle ausgelacht.",
]
MODEL_CODES = ["domain.housing", "domain.public_space", "domain.work"]
NEW_QUARBEL = "Beim Quarbel am Markt hat man uns einfach weggeschickt."
NEW_WAY_TO_WORK = "Auf dem Weg zur Arbeit hat mich ein Mann an der Ampel beschimpft."


@pytest.fixture(scope="module")
def model(codebook: Codebook) -> classifier.Classifier:
    answers = [CodedText(text, "de", EXPERIENCE, frozenset({"domain.housing"})) for text in QUARBEL] + [
        CodedText(text, "de", EXPERIENCE, frozenset({"domain.public_space"})) for text in WAY_TO_WORK
    ]
    training = examples(answers, codebook)
    assert all("domain.work" in e.rule_codes for e in training[len(QUARBEL) :])  # the rule fires …
    assert not any("domain.work" in e.codes for e in training)  # … and the coders never agree
    return classifier.train(training, MODEL_CODES, seed=0)


def _code(coder: Coder, text: str, question: str | None = EXPERIENCE) -> dict[str, coding.Suggestion]:
    [answer] = coder.code([text], ["de"], [question])
    assert answer.language == "de"
    return {s.code: s for s in answer.suggestions}


def test_source_names_the_model_version(codebook: Codebook, model: classifier.Classifier) -> None:
    assert Coder(codebook).source == "rules"
    assert Coder(codebook, model).source == f"rules + model@{model.version}"


def test_model_adds_a_code_no_rule_found(codebook: Codebook, model: classifier.Classifier) -> None:
    assert "domain.housing" not in _code(Coder(codebook), NEW_QUARBEL)  # the rules know no Quarbel
    added = _code(Coder(codebook, model), NEW_QUARBEL)["domain.housing"]
    print(f"p(domain.housing | {NEW_QUARBEL!r}) = {added.confidence:.3f}")
    assert added.confidence >= ADD
    assert added.source == f"model@{model.version}"
    assert added.evidence is None
    assert "domain.housing" in _code(Coder(codebook, model), NEW_QUARBEL, question=None)  # unscoped: allowed


def test_model_only_codes_respect_the_question_scope(codebook: Codebook, model: classifier.Classifier) -> None:
    [probabilities] = model.predict([NEW_QUARBEL], ["de"], [[]])
    assert probabilities["domain.housing"] >= ADD  # the model would suggest it …
    assert not codebook.applies("domain.housing", "city_wishes")
    assert "domain.housing" not in _code(Coder(codebook, model), NEW_QUARBEL, question="city_wishes")  # … not here


def test_rule_hits_the_model_doubts_are_dropped(codebook: Codebook, model: classifier.Classifier) -> None:
    rules = _code(Coder(codebook), NEW_WAY_TO_WORK)
    assert {"domain.work", "form.insult"} <= rules.keys()
    assert {s.confidence for s in rules.values()} == {RULE_CONFIDENCE}
    [probabilities] = model.predict([NEW_WAY_TO_WORK], ["de"], [list(rules)])
    print(f"p(domain.work | {NEW_WAY_TO_WORK!r}) = {probabilities['domain.work']:.3f}")
    assert probabilities["domain.work"] < DOUBT

    combined = _code(Coder(codebook, model), NEW_WAY_TO_WORK)
    assert "domain.work" not in combined
    insult = combined["form.insult"]  # a code the model does not know keeps the rule's confidence
    assert (insult.source, insult.confidence) == ("rules", RULE_CONFIDENCE)
    assert insult.evidence is not None


def test_rule_hits_the_model_trusts_keep_evidence_with_its_confidence(
    codebook: Codebook, model: classifier.Classifier
) -> None:
    text = "Auf dem Weg zur Arbeit hat mich am Bahnhof ein Mann beleidigt."
    assert "domain.public_space" in _code(Coder(codebook), text)
    [probabilities] = model.predict([text], ["de"], [list(_code(Coder(codebook), text))])
    kept = _code(Coder(codebook, model), text)["domain.public_space"]
    assert kept.source == "rules"
    assert kept.evidence is not None
    assert kept.confidence == pytest.approx(probabilities["domain.public_space"])
    assert kept.confidence >= DOUBT
    assert kept.confidence != RULE_CONFIDENCE


# ------------------------------------------------------------------------------------------------ evaluate


@pytest.fixture(scope="module")
def gold() -> list[CodedText]:
    return read_coded(DATA / "coding-gold.csv")[:40]


def test_evaluate_without_model_is_the_rule_coder(codebook: Codebook, gold: list[CodedText]) -> None:
    evaluation = evaluate(gold, codebook, with_model=False)
    coded = Coder(codebook).code([a.text for a in gold], [a.language for a in gold], [a.question for a in gold])
    assert evaluation.source == "rules"
    assert evaluation.predicted == [{s.code for s in answer.suggestions} for answer in coded]
    assert evaluation.gold == [set(a.codes) for a in gold]


def test_evaluate_never_trains_on_the_held_out_fold(
    codebook: Codebook, gold: list[CodedText], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_train = classifier.train
    trained_on: list[set[str]] = []

    def recording_train(training: Sequence[Example], codes: Sequence[str], **kwargs) -> classifier.Classifier:
        trained_on.append({e.text for e in training})
        return real_train(training, codes, **{**kwargs, "epochs": 5})  # few epochs: only the data matters here

    monkeypatch.setattr(classifier, "train", recording_train)
    folds = 4
    progress: list[tuple[int, int]] = []
    evaluation = evaluate(gold, codebook, folds, progress=lambda done, total: progress.append((done, total)))

    assert len({a.text for a in gold}) == len(gold)
    fold_of = classifier.assign_folds(len(gold), folds)
    assert len(trained_on) == folds
    for fold, texts in enumerate(trained_on):
        held_out = {a.text for a, f in zip(gold, fold_of, strict=True) if f == fold}
        others = {a.text for a, f in zip(gold, fold_of, strict=True) if f != fold}
        assert held_out
        assert not texts & held_out
        assert texts <= others
    assert progress == [(n, folds) for n in range(1, folds + 1)]
    assert evaluation.source == f"rules + model ({folds}-fold cross-validation)"
    assert len(evaluation.predicted) == len(gold)
