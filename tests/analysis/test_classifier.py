"""The code classifier: learning from codings, held-out predictions, saving, versions, honest cross-validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis import classifier
from analysis.classifier import Example, cross_validate, latest, load, train
from analysis.text import pipeline

HOUSING, WORK = "domain.housing", "domain.work"
CODES = [HOUSING, WORK]
ANSWERS = {
    ("de", HOUSING): [
        "Der Vermieter hat uns die Wohnung nicht gegeben.",
        "Bei der Wohnungssuche sagte der Makler, die Wohnung sei schon weg.",
        "Unsere Vermieterin repariert die Heizung in der Wohnung nicht.",
        "Die Hausverwaltung hat unseren Mietvertrag nicht verlängert.",
        "Wir suchen seit einem Jahr eine Wohnung, keiner ruft zurück.",
        "Der Vermieter wollte keine Mieter mit Kindern.",
        "Die Miete für die Wohnung wurde nur für uns erhöht.",
        "Der Makler hat bei der Besichtigung nur uns nach dem Einkommen gefragt.",
        "Im Haus hat der Vermieter unsere Mängel nie repariert.",
        "Die Wohnungsgenossenschaft hat uns abgelehnt.",
    ],
    ("de", WORK): [
        "Mein Chef gibt mir bei der Arbeit nur die schlechten Schichten.",
        "Im Vorstellungsgespräch wurde ich nach der Arbeit meines Mannes gefragt.",
        "Die Kollegen reden bei der Arbeit nicht mit mir.",
        "Ich habe die Stelle nicht bekommen, obwohl ich die Erfahrung habe.",
        "Mein Chef hat meinen Vertrag in der Firma nicht verlängert.",
        "Bei der Arbeit bekomme ich weniger Lohn als die Kollegen.",
        "Die Bewerbung wurde abgelehnt, die Firma wollte niemanden mit Kopftuch.",
        "Meine Kollegin im Betrieb macht Witze über mich.",
        "Die Firma hat mich nach der Probezeit entlassen.",
        "Der Chef sagt, die Kunden wollen mich nicht sehen.",
    ],
    ("en", HOUSING): [
        "The landlord would not rent the flat to us.",
        "The letting agent said the apartment was already taken.",
        "Our landlady never repairs anything in our flat.",
        "The housing company did not renew our tenancy.",
        "We have looked for a flat for a year and nobody calls back.",
        "The landlord did not want tenants with children.",
        "Only our rent for the apartment went up.",
        "At the viewing the agent asked only us about our income.",
        "The landlord never fixed the heating in the flat.",
        "The housing cooperative turned us down.",
    ],
    ("en", WORK): [
        "My boss only gives me the worst shifts at work.",
        "In the job interview they asked about my husband's job.",
        "My colleagues at work do not talk to me.",
        "I did not get the job although I have the experience.",
        "My boss did not renew my contract at the company.",
        "At work I am paid less than my colleagues.",
        "The company rejected my application because of my headscarf.",
        "A colleague at the company makes jokes about me.",
        "The company fired me after the probation period.",
        "The boss says customers do not want to see me.",
    ],
}
EXAMPLES = [Example(text, language, frozenset({code})) for (language, code), texts in ANSWERS.items() for text in texts]
HELD_OUT = [
    ("de", "Der Vermieter hat uns die Wohnung am Telefon sofort abgesagt.", HOUSING),
    ("de", "Mein Chef hat mich vor den Kollegen bei der Arbeit angeschrien.", WORK),
    ("en", "The landlord told us the flat was gone after he heard our names.", HOUSING),
    ("en", "My boss gave the job to a colleague with less experience.", WORK),
]


@pytest.fixture(scope="module")
def model() -> classifier.Classifier:
    return train(EXAMPLES, CODES)


def test_learns_codes_it_never_saw_these_answers_for(model: classifier.Classifier) -> None:
    languages, texts, expected = zip(*HELD_OUT, strict=True)
    suggestions = model.suggest(texts, languages)
    assert [[code for code, _ in answer] for answer in suggestions] == [[code] for code in expected]
    assert model.codes == (HOUSING, WORK)
    assert model.training_size == len(EXAMPLES)
    read = [pipeline(language)(text) for language, text in zip(languages, texts, strict=True)]
    assert model.predict_docs(read) == model.predict(texts, languages)


def test_rule_hits_are_inputs_the_model_learns_to_trust() -> None:
    rule_hits = {HOUSING: frozenset({"domain.housing"}), WORK: frozenset({"domain.work"})}
    examples = [Example(e.text, e.language, e.codes, rule_hits[next(iter(e.codes))]) for e in EXAMPLES]
    stacked = train(examples, CODES)
    unknown_words = ["Qwertz uiop asdf.", "Qwertz uiop asdf."]
    [housing, work] = stacked.predict(unknown_words, ["de", "de"], [{"domain.housing"}, {"domain.work"}])
    assert housing[HOUSING] > 0.5 > housing[WORK]
    assert work[WORK] > 0.5 > work[HOUSING]
    with pytest.raises(ValueError, match="rule_codes"):
        stacked.predict(unknown_words, ["de", "de"])


def test_unknown_language_and_unclear_codes_are_refused(model: classifier.Classifier) -> None:
    with pytest.raises(ValueError, match="unsupported text language 'xx'"):
        model.predict(["The landlord said no."], ["xx"])
    with pytest.raises(ValueError, match="unsupported text language 'fr'"):
        train([*EXAMPLES, Example("Le propriétaire a dit non.", "fr", frozenset({HOUSING}))], CODES)
    with pytest.raises(ValueError, match="each once"):
        train(EXAMPLES, [HOUSING, WORK, HOUSING])


def test_same_seed_same_model_other_seed_other_model(model: classifier.Classifier) -> None:
    texts, languages = [t for _, t, _ in HELD_OUT], [lang for lang, _, _ in HELD_OUT]
    again = train(EXAMPLES, CODES)
    assert again.version == model.version
    assert again.predict(texts, languages) == model.predict(texts, languages)
    other = train(EXAMPLES, CODES, seed=1)
    assert other.version != model.version
    assert other.predict(texts, languages) != model.predict(texts, languages)


def test_progress_counts_epochs() -> None:
    calls: list[tuple[int, int]] = []
    train(EXAMPLES[:8], CODES, epochs=3, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    calls.clear()
    cross_validate(EXAMPLES[:8], CODES, folds=2, epochs=3, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(n, 6) for n in range(1, 7)]


def test_save_and_load_round_trip(model: classifier.Classifier, tmp_path: Path) -> None:
    validation = cross_validate(EXAMPLES, CODES)
    directory = tmp_path / model.version
    model.save(directory, validation)
    loaded = load(directory)
    texts, languages = [t for _, t, _ in HELD_OUT], [lang for lang, _, _ in HELD_OUT]
    assert loaded.predict(texts, languages) == model.predict(texts, languages)
    assert (loaded.version, loaded.codes, loaded.thresholds) == (model.version, model.codes, model.thresholds)
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    assert meta["training_size"] == len(EXAMPLES)
    assert meta["codes"] == CODES
    metrics = json.loads((directory / "metrics.json").read_text(encoding="utf-8"))
    assert set(metrics["codes"]) == set(CODES)
    assert metrics["codes"][HOUSING]["support"] == 20
    assert set(metrics["codes"][WORK]) == {"precision", "recall", "f1", "support"}
    assert metrics["micro_f1"] == pytest.approx(validation.micro_f1, abs=1e-4)
    assert metrics["micro_f1"] >= 0.8


def test_cross_validation_holds_each_answer_out_of_its_own_training() -> None:
    # Each answer is one made-up word and the only answer with its code: only a model that saw the
    # answer itself can give the code.
    words = [f"zorbel{chr(ord('a') + i)}" for i in range(10)]
    codes = [f"code.c{i}" for i in range(10)]
    examples = [Example(w, "de", frozenset({c})) for w, c in zip(words, codes, strict=True)]
    seen = train(examples, codes).predict(words, ["de"] * 10)
    assert all(probabilities[c] > 0.5 for probabilities, c in zip(seen, codes, strict=True))
    validation = cross_validate(examples, codes, folds=5)
    assert all(p[c] < 0.2 for p, c in zip(validation.probabilities, codes, strict=True))
    assert sorted(validation.folds) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert validation.folds == cross_validate(examples, codes, folds=5).folds
    assert validation.micro_f1 == 0.0


def test_latest_is_the_most_recently_trained(model: classifier.Classifier, tmp_path: Path) -> None:
    assert latest(tmp_path / "missing") is None
    validation = cross_validate(EXAMPLES[:10], CODES, epochs=2)
    newer = train(EXAMPLES[:20], CODES, epochs=2)
    newer.save(tmp_path / "a-newer", validation)
    model.save(tmp_path / "z-older", validation)
    (tmp_path / "not-a-model").mkdir()
    assert latest(tmp_path) == tmp_path / "a-newer"
