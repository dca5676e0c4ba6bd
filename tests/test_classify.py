"""Overfit-and-reload tests on a handful of hand-written examples, metrics on hand-computed cases."""

import json
import sys

import numpy as np
import pytest

from pipelines.classify.bundle import Classifier
from pipelines.classify.evaluate import evaluate, pain_point_metrics, sentiment_metrics
from pipelines.classify.labels import LabelFileError, LabelledItem, read_labels
from pipelines.classify.taxonomy import load_taxonomy
from pipelines.classify.tfidf import NotFittedError, TfidfLogReg
from pipelines.classify.train import TrainConfig, best_threshold, folds_of, pain_matrix, train
from tests.conftest import ROOT

LABELS = ["long_wait", "not_valued"]
EXAMPLES = [
    ("on hold for an hour again", "negative", ["long_wait"]),
    ("waited two hours on the phone", "negative", ["long_wait"]),
    ("queue of forty minutes at the shop", "negative", ["long_wait"]),
    ("the agent was rude and hung up on me", "negative", ["not_valued"]),
    ("rude staff, they did not care", "negative", ["not_valued"]),
    ("rude agent after an hour on hold", "negative", ["long_wait", "not_valued"]),
    ("thank you, great service", "positive", []),
    ("lovely staff, quick fix, thanks", "positive", []),
    ("what are your opening hours", "neutral", []),
    ("how do I change my address", "neutral", []),
]


def _fit():
    texts = [t for t, _, _ in EXAMPLES]
    matrix = np.array([[label in p for label in LABELS] for _, _, p in EXAMPLES], dtype=np.int8)
    scorer = TfidfLogReg(labels=LABELS, min_df=1, sentiment_c=50, pain_c=50).fit(texts, [s for _, s, _ in EXAMPLES], matrix)
    return Classifier(scorer=scorer, thresholds={"long_wait": 0.5, "not_valued": 0.5}, uncertain_band=0.05,
                      version="tiny-1")


def test_overfit_then_save_and_reload(tmp_path):
    model = _fit()
    texts = [t for t, _, _ in EXAMPLES]
    before = model.predict(texts)
    assert [p.pain_points for p in before] == [p for _, _, p in EXAMPLES]
    assert [p.sentiment for p in before] == [s for _, s, _ in EXAMPLES]
    assert all(-1 <= p.sentiment_score <= 1 for p in before)
    model.save(tmp_path / "tiny-1", card="# tiny")
    again = Classifier.load(tmp_path / "tiny-1").predict(texts)
    assert [(p.sentiment, p.pain_points, p.scores) for p in again] == [(p.sentiment, p.pain_points, p.scores) for p in before]
    meta = json.loads((tmp_path / "tiny-1" / "model.json").read_text())
    assert meta["libraries"]["scikit-learn"] and meta["thresholds"] == {"long_wait": 0.5, "not_valued": 0.5}
    assert (tmp_path / "tiny-1" / "MODEL_CARD.md").is_file()


def test_spans_point_at_the_sentence_and_carry_its_sentiment():
    model = _fit()
    text = "Thank you, great service. But on hold for an hour again"
    (prediction,) = model.predict([text])
    assert "long_wait" in prediction.pain_points
    span = next(s for s in prediction.spans if s.pain_point == "long_wait")
    assert text[span.start:span.end] == "But on hold for an hour again"


def test_uncertain_when_a_probability_is_near_its_threshold():
    model = _fit()
    decisions, uncertain = model.decide(np.array([[0.52, 0.1], [0.9, 0.1], [0.1, 0.47]]))
    assert decisions.tolist() == [[True, False], [True, False], [False, False]]
    assert uncertain.tolist() == [True, False, True]


def test_empty_text_is_neutral_with_no_pain_point():
    (p,) = _fit().predict([""])
    assert (p.sentiment, p.pain_points, p.uncertain) == ("neutral", [], False)


def test_text_in_a_language_the_model_never_learned_is_not_scored():
    model = _fit()
    texts = ["on hold for an hour again", "Zeer slechte service, de wachttijden zijn erg lang", "rude staff"]
    scored, dutch, rude = model.predict(texts, ["en", "other", "en"])
    assert (dutch.sentiment, dutch.sentiment_score, dutch.pain_points, dutch.scores) == (None, None, [], {})
    assert scored == model.predict(texts[:1], ["en"])[0] and rude == model.predict(texts[2:], ["en"])[0]
    assert model.predict(texts[1:2])[0].sentiment is not None  # no languages given: scored as before
    # too short to have a language ("other" too): scored as before, empty text neutral
    empty, ok, emoji = model.predict(["", "ok", "🙄🙄🙄 [URL]"], ["other", "other", "other"])
    assert (empty.sentiment, ok.sentiment is not None, emoji.sentiment is not None) == ("neutral", True, True)


def test_unfitted_model_refuses_to_predict():
    with pytest.raises(NotFittedError):
        TfidfLogReg(labels=LABELS).predict_proba(["x"])


def test_loading_a_model_saved_with_another_sklearn_is_refused(tmp_path):
    _fit().save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    meta["libraries"]["scikit-learn"] = "0.1.0"
    (tmp_path / "m" / "model.json").write_text(json.dumps(meta))
    with pytest.raises(RuntimeError, match="retrain"):
        Classifier.load(tmp_path / "m")


def test_pain_point_metrics_by_hand():
    gold = [["long_wait"], ["long_wait", "not_valued"], [], ["not_valued"]]
    pred = [["long_wait"], ["long_wait"], ["not_valued"], []]
    m = pain_point_metrics(gold, pred, LABELS)
    assert m["per_label"]["long_wait"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2, "predicted": 2}
    assert m["per_label"]["not_valued"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 2, "predicted": 1}
    assert m["macro_f1"] == 0.5 and m["micro_f1"] == round(2 * 2 / (2 * 2 + 1 + 2), 4)
    assert m["exact_match"] == 0.25


def test_sentiment_metrics_by_hand():
    m = sentiment_metrics(["negative", "negative", "positive", "neutral"], ["negative", "positive", "positive", "neutral"])
    assert m["accuracy"] == 0.75
    assert m["per_class"]["negative"]["f1"] == round(2 / 3, 4)
    assert m["per_class"]["positive"]["f1"] == round(2 / 3, 4)
    assert m["macro_f1"] == round((2 / 3 + 2 / 3 + 1) / 3, 4)
    assert m["confusion"]["negative"]["positive"] == 1


def test_evaluate_reports_per_language_and_skips_uncovered_predictions():
    items = [LabelledItem("1", "a", "en", "negative", ("long_wait",)), LabelledItem("2", "b", "he", "positive", ())]
    report = evaluate(items, ["negative", None], [["long_wait"], None], LABELS)
    assert report["sentiment"]["n"] == 1 and report["pain_points"]["n"] == 1
    assert report["by_language"]["he"]["sentiment"]["n"] == 0
    assert report["by_language"]["en"]["pain_points"]["macro_f1"] == 1.0


def test_label_files_report_every_bad_line(tmp_path):
    path = tmp_path / "labels.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "a", "text": "x", "lang": "en", "sentiment": "negative", "pain_points": ["long_wait"]}),
        "{not json",
        json.dumps({"id": "b", "text": "x", "sentiment": "angry", "pain_points": []}),
        json.dumps({"id": "c", "text": "x", "sentiment": "negative", "pain_points": ["slow_wifi"]}),
        json.dumps({"id": "a", "text": "y", "sentiment": "neutral", "pain_points": []}),
        json.dumps({"id": "d", "text": "", "sentiment": "neutral"}),
    ]) + "\n")
    with pytest.raises(LabelFileError) as error:
        read_labels([path], LABELS)
    message = str(error.value)
    for line, words in [(2, "not valid JSON"), (3, "sentiment 'angry'"), (4, "unknown pain points"),
                        (5, "id 'a' already used"), (6, "no text")]:
        assert f"labels.jsonl:{line}: {words}" in message
    assert [i.id for i in read_labels([path], LABELS, strict=False)] == ["a"]


def test_thresholds_folds_and_matrix():
    assert best_threshold(np.array([0, 0, 1, 1]), np.array([0.1, 0.3, 0.6, 0.9])) == pytest.approx(0.45, abs=0.16)
    items = [LabelledItem(str(i), "t", "en" if i % 2 else "fr", "neutral", ()) for i in range(20)]
    folds = folds_of(items, 5, seed=1)
    assert folds == folds_of(items, 5, seed=1) and sorted(set(folds)) == [0, 1, 2, 3, 4]
    matrix = pain_matrix([LabelledItem("x", "t", "en", "neutral", None), LabelledItem("y", "t", "en", None, ("not_valued",))], LABELS)
    assert matrix.tolist() == [[-1, -1], [0, 1]]


def test_training_is_reproducible():
    taxonomy = load_taxonomy(ROOT / "data" / "taxonomy.yaml")
    keys = taxonomy.keys
    items = [LabelledItem(f"i{n}", t, "en", s, tuple(p)) for n, (t, s, p) in enumerate(EXAMPLES * 3)]
    items = [LabelledItem(f"{i.id}-{k}", i.text + f" {k}", i.lang, i.sentiment, i.pain_points)
             for k in range(2) for i in items]
    pad = [LabelledItem(f"p{k}-{key}", f"example of {key} {k}", "en", "negative", (key,))
           for key in keys for k in range(3)]
    config = TrainConfig(threshold_folds=3, scorer_params={"min_df": 1})
    first = train(config, taxonomy, items + pad, items[:10], version="r1")
    second = train(config, taxonomy, items + pad, items[:10], version="r1")
    assert first.thresholds == second.thresholds
    assert first.metrics["test"] == second.metrics["test"]


def test_two_workers_give_the_same_results_in_order(tmp_path):
    """With 2 workers this process classifies beside one helper process; batches come back in
    their order and equal a one-process run, prepared and raw alike."""
    from pipelines.classify.parallel import Workers

    model = _fit()
    model.save(tmp_path / "tiny")
    model = Classifier.load(tmp_path / "tiny")
    texts = [t for t, _, _ in EXAMPLES] + ["Меня зовут Ольга Петровна, жду час", "המתנה של שעה", "", "<b>rude</b> 😀"]
    batches = [texts[i:] + texts[:i] for i in range(12)]
    with Workers(model, languages=("en", "fr", "he", "ru"), names=False, workers=1) as one:
        alone = list(one.map(batches, raw=True))
    with Workers(model, languages=("en", "fr", "he", "ru"), names=False, workers=2) as two:
        together = list(two.map(batches, raw=True))
        prepared = list(two.map([([p.text for p in b], [p.language for p in b]) for b, _ in alone], raw=False))
    assert together == alone
    assert [columns for _, columns in prepared] == [columns for _, columns in alone]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_classification_helpers_die_with_a_killed_parent(tmp_path):
    """Issue 12: after kill -9 of a run, its helper processes kept running under PID 1."""
    import signal
    import subprocess
    import textwrap
    import time

    model = _fit()
    folder = model.save(tmp_path / "m")
    script = textwrap.dedent(f"""
        import multiprocessing, time
        from pathlib import Path
        from pipelines.classify.bundle import Classifier
        from pipelines.classify.parallel import Workers
        model = Classifier.load(Path({str(folder)!r}))
        with Workers(model, languages=("en",), names=False, workers=3) as pool:
            list(pool.map([["on hold"] * 50] * 6, raw=True))
            print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
            time.sleep(60)
    """)
    with subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True) as parent:
        helpers = [int(p) for p in parent.stdout.readline().split()]
        assert helpers
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 20
    alive = helpers
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [pid for pid in helpers if _running(pid)]
    assert not alive, f"helpers {alive} outlived their killed parent"


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except FileNotFoundError:
        return False
