"""Real labelled items: stored by dataset and id, texts joined from ../shared at training time,
reserved corpora kept out of training, per-corpus evaluation with intervals."""

import json
import re
import subprocess
from collections import Counter

import pytest

from pipelines.classify.agreement import agreement, cohen_kappa
from pipelines.classify.corpora import (CORPORA, RESERVED, CorpusMissing, ReservedForEvaluation, fingerprint,
                                        read_corpus, training_guard)
from pipelines.classify.evaluate import bootstrap_intervals, evaluate
from pipelines.classify.labels import LabelledItem, read_labels
from pipelines.classify.taxonomy import load_taxonomy
from tests.conftest import ROOT, SHARED_DATA

LABELS = ROOT / "data" / "labels"
KEYS = load_taxonomy(ROOT / "data" / "taxonomy.yaml").keys
needs_shared = [pytest.mark.shared_data,
                pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"real corpora not found at {SHARED_DATA}")]


def _rows(folder):
    return [json.loads(line) for path in sorted((LABELS / folder).glob("*.jsonl"))
            for line in path.read_text("utf-8").splitlines() if line.strip()]


# -- the label files themselves (no ../shared needed) ----------------------------------------------
def test_real_label_files_name_items_and_hold_no_text():
    for folder in ("real", "reserved", "agreement"):
        for row in _rows(folder):
            assert "text" not in row, f"{folder}: {row['id']} carries a text"
            corpus = row["source"].split(":", 1)[0]
            assert corpus in CORPORA and row["id"] == row["source"] and row["annotator"] and row["sampling"]


def test_real_labels_cover_the_promised_languages_and_sampling():
    rows = _rows("real")
    langs = Counter(r["lang"] for r in rows)
    assert len(rows) >= 4000 and langs["en"] >= 2000 and langs["fr"] >= 1000 and langs["ru"] >= 800
    assert sum(r["sampling"] == "random" for r in rows) >= len(rows) / 2
    assert all(r["sampling"] == "random" or r["sampling"].startswith("targeted: ") for r in rows)
    assert not {r["source"].split(":")[0] for r in rows} & RESERVED
    reserved = Counter(r["source"].split(":")[0] for r in _rows("reserved"))
    assert reserved["airline_tweets"] >= 400 and reserved["gazprombank"] >= 150 and reserved["hebrew_test"] == 1695
    assert reserved["morocco_banks"] >= 170  # every distinct text the corpus has (172 of 1,138 rows)
    assert all(r["sampling"] in ("random", "all") for r in _rows("reserved"))
    assert len(_rows("agreement")) >= 0.1 * (len(rows) + sum(reserved.values()) - reserved["hebrew_test"])


def _tracked_data_files():
    try:
        names = subprocess.run(["git", "ls-files", "data", "tools", "models"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return [p for p in (ROOT / "data").rglob("*") if p.is_file() and "warehouse" not in p.parts
                and "inbox" not in p.parts]
    return [ROOT / n for n in names if (ROOT / n).is_file()]


PROBE = 60  # characters: long enough that a common phrase ("I wanted to thank you for the") is no match


def _probe(text):
    """PROBE characters starting at a word in the middle of a text (spaces normalised)."""
    flat = " ".join(text.split())
    start = flat.find(" ", len(flat) // 3) + 1
    return flat[start:start + PROBE] if start and len(flat) - start >= PROBE else None


@pytest.mark.parametrize("corpus", sorted(CORPORA))
@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"real corpora not found at {SHARED_DATA}")
def test_no_shared_text_lands_in_a_tracked_file(corpus, tracked_shingles):
    probes = {p for p in (_probe(i.text) for i in read_corpus(SHARED_DATA, corpus).values()) if p}
    leaked = sorted(probes & tracked_shingles)
    assert not leaked, f"{len(leaked)} text(s) of {corpus} found in tracked files, e.g. {leaked[0]!r}"


@pytest.fixture(scope="module")
def tracked_shingles():
    shingles = set()
    for path in _tracked_data_files():
        try:
            content = path.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if path.suffix in (".jsonl", ".json"):  # JSON escapes non-ASCII; compare decoded strings
            content = "\n".join(_strings(content))
        flat = " ".join(content.split())
        shingles.update(flat[m.start():m.start() + PROBE] for m in re.finditer(r"(?<=\s)\S|^\S", flat))
    return shingles


def _strings(content):
    for line in content.splitlines():
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            yield line
            continue
        stack = [value]
        while stack:
            v = stack.pop()
            if isinstance(v, str):
                yield v
            elif isinstance(v, dict):
                stack += list(v.values())
            elif isinstance(v, list):
                stack += v


# -- the loader ----------------------------------------------------------------------------------
def test_loader_fails_clearly_without_shared_data(tmp_path):
    with pytest.raises(CorpusMissing, match="VOC_SHARED_DATA"):
        read_labels([LABELS / "real"], KEYS, shared=tmp_path / "absent")


def test_an_item_of_an_unknown_corpus_or_id_is_a_numbered_problem(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": "a", "source": "nowhere:1", "sentiment": "neutral", "pain_points": []}\n', "utf-8")
    with pytest.raises(Exception, match=r"x.jsonl:1: source 'nowhere:1' names no known corpus"):
        read_labels([path], KEYS, shared=tmp_path)


@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"real corpora not found at {SHARED_DATA}")
def test_texts_are_joined_from_shared_data():
    items = read_labels([LABELS / "real"], KEYS, shared=SHARED_DATA)
    assert len(items) == len(_rows("real")) and all(i.text.strip() for i in items)
    cfpb = next(i for i in items if i.corpus == "cfpb")
    assert cfpb.text == read_corpus(SHARED_DATA, "cfpb")[cfpb.source].text


# -- reserved corpora ------------------------------------------------------------------------------
def test_reserved_corpora_are_the_four_named():
    assert RESERVED == {"airline_tweets", "morocco_banks", "gazprombank", "hebrew_test"}


@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"real corpora not found at {SHARED_DATA}")
def test_reserved_items_can_never_enter_training(tmp_path):
    from voc.config import load_settings
    from voc.training import load_training_data

    (tmp_path / "train").mkdir()
    (tmp_path / "train" / "a.jsonl").write_text(
        (LABELS / "reserved" / "airline_tweets.jsonl").read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    config = tmp_path / "c.toml"
    config.write_text(f'train = ["{tmp_path}/train"]\ntest = ["{LABELS}/test"]\n'
                      f'taxonomy = "{ROOT}/data/taxonomy.yaml"\n[mix]\nwarehouse = false\n', "utf-8")
    settings = load_settings()
    with pytest.raises(ReservedForEvaluation, match="airline_tweets"):
        load_training_data(settings, config)
    config.write_text(f'train = ["{LABELS}/train"]\ntest = ["{LABELS}/test"]\ntaxonomy = "{ROOT}/data/taxonomy.yaml"\n'
                      '[mix]\nwarehouse = false\n[corpora]\nsentiment = ["gazprombank"]\n', "utf-8")
    with pytest.raises(ReservedForEvaluation, match="gazprombank"):
        load_training_data(settings, config)


@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"real corpora not found at {SHARED_DATA}")
def test_copies_of_reserved_texts_in_other_corpora_are_dropped():
    moroccan = next(i for i in read_corpus(SHARED_DATA, "morocco_banks").values() if len(i.text) > 40)
    west = [i for i in read_corpus(SHARED_DATA, "west_africa_banks").values()]
    copies = [i for i in west if fingerprint(i.text) == fingerprint(moroccan.text)]
    keep = training_guard(SHARED_DATA, ["west_africa_banks:x", "west_africa_banks:y"],
                          [moroccan.text.rstrip("…") + " (copied)", "Un texte qui n'existe nulle part ailleurs."])
    assert keep == [False, True]
    assert all(not ok for ok in training_guard(SHARED_DATA, [i.source for i in copies], [i.text for i in copies]))


# -- measures ---------------------------------------------------------------------------------------
def test_bootstrap_interval_of_a_perfect_model_is_one():
    gold = [["long_wait"]] * 12 + [[]] * 8
    out = bootstrap_intervals(gold, gold, ["negative"] * 20, ["negative"] * 20, KEYS, draws=200)
    assert out["pain_macro_f1_min10"] == [1.0, 1.0] and out["sentiment_accuracy"] == [1.0, 1.0]


def test_bootstrap_intervals_hold_the_estimate_and_shrink_with_more_items():
    def run(k):
        gold = ([["long_wait"]] * 6 + [[]] * 4) * k
        predicted = ([["long_wait"]] * 4 + [[]] * 2 + [["long_wait"]] + [[]] * 3) * k
        return bootstrap_intervals(gold, predicted, [], [], KEYS, draws=500)["pain_f1"]["long_wait"]

    small, large = run(3), run(30)
    f1 = 2 * 4 / (2 * 4 + 1 + 2)  # by hand: tp 4, fp 1, fn 2 per block
    assert small[0] <= f1 <= small[1] and large[0] <= f1 <= large[1]
    assert large[1] - large[0] < (small[1] - small[0]) / 2


def test_evaluate_reports_each_corpus_apart():
    items = [LabelledItem(f"a:{n}", "t", "en", "negative", ("long_wait",), f"airline_tweets:{n}", sampling="random")
             for n in range(12)]
    items += [LabelledItem(f"g:{n}", "t", "ru", "negative", (), f"gazprombank:{n}", sampling="random") for n in range(5)]
    items += [LabelledItem("team-1", "t", "fr", "neutral", (), "team")]
    report = evaluate(items, ["negative"] * 17 + ["neutral"], [["long_wait"]] * 12 + [[]] * 6, KEYS, intervals=True)
    assert set(report["by_corpus"]) == {"airline_tweets", "gazprombank", "team"}
    airline = report["by_corpus"]["airline_tweets"]
    assert airline["pain_points"]["macro_f1_min10"] == 1.0 and airline["sampling"] == {"random": 12}
    assert airline["by_language"]["en"]["n"] == 12 and "intervals" in airline
    assert report["by_corpus"]["gazprombank"]["pain_points"]["macro_f1_min10"] is None  # no label with 10 items


def test_kappa_by_hand():
    # 10 items: both say yes on 3, both no on 5, disagree on 2. po = 0.8; pe = 0.4*0.4 + 0.6*0.6 = 0.52
    first = [True] * 3 + [False] * 5 + [True, False]
    second = [True] * 3 + [False] * 5 + [False, True]
    assert cohen_kappa(first, second) == pytest.approx((0.8 - 0.52) / (1 - 0.52), abs=1e-4)
    assert cohen_kappa([1, 1], [1, 1]) is None


def test_agreement_matches_items_by_id():
    a = [LabelledItem("x:1", "t", "en", "negative", ("long_wait",), "x:1"),
         LabelledItem("x:2", "t", "en", "positive", (), "x:2")]
    b = [LabelledItem("x:2", "t", "en", "positive", (), "x:2"), LabelledItem("x:1", "t", "en", "negative", (), "x:1")]
    report = agreement(a, b, KEYS)
    assert report["items"] == 2 and report["sentiment"]["kappa"] == 1.0
    assert report["pain_points"]["long_wait"]["first"] == 1 and report["pain_points"]["long_wait"]["second"] == 0


@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"real corpora not found at {SHARED_DATA}")
def test_voc_evaluate_reports_every_reserved_corpus_apart(capsys, monkeypatch):
    from voc.cli import main

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("VOC_SHARED_DATA", str(SHARED_DATA))
    assert main(["evaluate", "--gold", str(LABELS / "reserved"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["by_corpus"]) == RESERVED
    hebrew = report["by_corpus"]["hebrew_test"]
    assert hebrew["n"] == 1695 and hebrew["sentiment"]["n"] > 1600
    low, high = report["by_corpus"]["airline_tweets"]["intervals"]["sentiment_macro_f1"]
    assert low <= report["by_corpus"]["airline_tweets"]["sentiment"]["macro_f1"] <= high
