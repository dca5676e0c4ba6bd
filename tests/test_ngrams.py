"""The fast n-gram counters give scikit-learn's counts exactly, so models trained with
scikit-learn's analyzers score the same through them."""

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from pipelines.classify.ngrams import CharNgramCounter, WordNgramCounter
from pipelines.classify.tfidf import TfidfLogReg
from tests.conftest import ROOT, SHARED_DATA

UGLY = [
    "", " ", "\n\n", "a", "I", "ok", "İstanbul ÇAĞRI", "ß STRASSE ﬁn", "שלום עולם!! תודה",
    "Привет,   мир!\tСпасибо", "emoji 😀😀 test 👍🏽", "\x00abc\x00 def", "tab\there\n\nnew line",
    "<p>Bonjour&nbsp;à tous</p>", "x" * 20_000, "mixed עברית and English и русский",
    "\u200fמספר 054-123-4567\u200e", "a b c d e f g", "   leading and trailing   ", "中文 日本語 한국어",
    "e\u0301te\u0301 (combining accents)", "\ufffd cut emoji \udcff",
]


def _labelled_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "data" / "labels").rglob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        texts += [row["text"] for row in rows if "text" in row]  # real-corpus labels carry no text
    return texts


def _reference(vocabulary: dict[str, int], ngram_range=(2, 5)) -> CountVectorizer:
    return CountVectorizer(analyzer="char_wb", ngram_range=ngram_range, lowercase=True, vocabulary=vocabulary,
                           dtype=np.float32)


@pytest.fixture(scope="module")
def fitted():
    texts = _labelled_texts()
    vectorizer = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, lowercase=True).fit(texts)
    return texts, vectorizer.vocabulary_


def _same(a, b) -> bool:
    return a.shape == b.shape and (abs(a - b)).max() == 0 if a.nnz or b.nnz else a.shape == b.shape


def test_counts_equal_scikit_learn_on_every_language(fitted):
    texts, vocabulary = fitted
    ours = CharNgramCounter(vocabulary, (2, 5)).counts(texts)
    assert ours.nnz > 100_000
    assert _same(ours, _reference(vocabulary).transform(texts))


def test_counts_equal_scikit_learn_on_ugly_text(fitted):
    _, vocabulary = fitted
    ours = CharNgramCounter(vocabulary, (2, 5)).counts(UGLY)
    assert _same(ours, _reference(vocabulary).transform(UGLY))
    assert ours[0].nnz == 0 and ours[1].nnz == 0  # empty and blank texts have no n-grams


def test_other_ranges_and_batches_spanning_chunks(fitted, monkeypatch):
    texts, _ = fitted
    vocabulary = CountVectorizer(analyzer="char_wb", ngram_range=(3, 4), lowercase=True).fit(texts[:500]).vocabulary_
    monkeypatch.setattr("pipelines.classify.ngrams._CHUNK_CHARS", 2_000)  # many chunks
    sample = texts[:700] + UGLY
    assert _same(CharNgramCounter(vocabulary, (3, 4)).counts(sample), _reference(vocabulary, (3, 4)).transform(sample))


WORDS = r"(?u)\b\w+\b"


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 3)])
def test_word_counts_equal_scikit_learn(ngram_range):
    texts = _labelled_texts()
    reference = CountVectorizer(analyzer="word", ngram_range=ngram_range, min_df=2, lowercase=True,
                                token_pattern=WORDS, dtype=np.float32).fit(texts)
    sample = texts + UGLY
    ours = WordNgramCounter(reference.vocabulary_, ngram_range, WORDS).counts(sample)
    assert ours.nnz > 50_000
    assert _same(ours, reference.transform(sample))


def test_a_nul_in_the_vocabulary_does_not_join_texts():
    texts = ["ok \x00ok", "fine\x00", "Hello World", "a\x00b c", "x"]
    vocabulary = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=True).fit(texts).vocabulary_
    assert any("\x00" in gram for gram in vocabulary)
    assert _same(CharNgramCounter(vocabulary, (2, 5)).counts(texts), _reference(vocabulary).transform(texts))


def test_unsupported_settings_say_why():
    for low in (1, 4):  # char_wb's padding and short-word rule are reproduced for n from 2 or 3
        with pytest.raises(ValueError, match="2 or 3"):
            CharNgramCounter({"ab": 0}, (low, 5))
    alphabet = {chr(0x4E00 + i) + chr(0x4E00 + i + 1): i for i in range(5000)}
    with pytest.raises(ValueError, match="too large"):
        CharNgramCounter(alphabet, (2, 5))


def test_model_features_and_scores_unchanged():
    """The production model through the fast path scores exactly as through scikit-learn."""
    production = (ROOT / "models" / "PRODUCTION").read_text().strip()
    from pipelines.classify.bundle import Classifier

    scorer = Classifier.load(ROOT / "models" / production).scorer
    assert isinstance(scorer, TfidfLogReg) and set(scorer._counters()) == {"chars", "words"}
    texts = _labelled_texts()[::7] + UGLY
    assert _same(scorer.transform(texts), scorer.features_.transform(texts))


@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"real corpora not found at {SHARED_DATA}")
def test_counts_equal_scikit_learn_on_real_exports(fitted):
    _, vocabulary = fitted
    texts = []
    for name in ["airline_tweets/Tweets.raw.csv", "hebrew_sentiment/dev.tsv",
                 "russian_feedback/banks_test_etalon.csv", "bank_reviews_fr/west_africa_bank_reviews.csv"]:
        with open(Path(SHARED_DATA, name), encoding="utf-8", errors="replace") as source:
            texts += [line for _, line in zip(range(3000), source)]
    assert _same(CharNgramCounter(vocabulary, (2, 5)).counts(texts), _reference(vocabulary).transform(texts))
