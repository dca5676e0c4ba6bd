"""The default scorer: character and word n-gram TF-IDF shared by two linear models.

Character n-grams work across scripts (Hebrew prefixes glued to words, Russian endings,
French accents, typos); word n-grams add phrases. One multinomial logistic regression
scores sentiment, one binary logistic regression per pain point scores each pain point.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import normalize

from pipelines.classify.ngrams import CharNgramCounter, WordNgramCounter
from pipelines.classify.labels import SENTIMENTS


class NotFittedError(RuntimeError):
    """predict was called on a model that was never fitted."""


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _weighted(counts: sparse.csr_matrix, vectorizer: TfidfVectorizer) -> sparse.csr_matrix:
    """Counts to TF-IDF exactly as the fitted vectorizer does (sublinear tf, idf, norm)."""
    if vectorizer.sublinear_tf:
        np.log(counts.data, counts.data)
        counts.data += 1.0
    if vectorizer.use_idf:
        counts.data *= vectorizer.idf_[counts.indices].astype(counts.dtype)
    return normalize(counts, norm=vectorizer.norm, copy=False) if vectorizer.norm else counts


class TfidfLogReg:
    """Scores sentiment (3 classes) and pain points (one probability each) from raw texts."""

    name = "tfidf_logreg.v1"

    def __init__(self, *, labels: list[str], char_ngrams: tuple[int, int] = (2, 5),
                 word_ngrams: tuple[int, int] = (1, 2), min_df: int = 2, max_features: int = 300_000,
                 sentiment_c: float = 4.0, pain_c: float = 8.0, seed: int = 13) -> None:
        self.labels = list(labels)
        self.char_ngrams = tuple(char_ngrams)
        self.word_ngrams = tuple(word_ngrams)
        self.min_df = min_df
        self.max_features = max_features
        self.sentiment_c = sentiment_c
        self.pain_c = pain_c
        self.seed = seed

    def _features(self) -> FeatureUnion:
        return FeatureUnion([
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams, min_df=self.min_df,
                                      max_features=self.max_features, sublinear_tf=True, lowercase=True,
                                      dtype=np.float32)),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=self.word_ngrams, min_df=self.min_df,
                                      token_pattern=r"(?u)\b\w+\b", sublinear_tf=True, lowercase=True,
                                      dtype=np.float32)),
        ])

    def fit(self, texts: list[str], sentiments: list[str | None], pain_points: np.ndarray,
            weights: np.ndarray | None = None) -> "TfidfLogReg":
        """`pain_points`: (n, labels) of 1/0, or -1 where an item is not labelled for pain points.
        `weights`: one per item (None: all 1), e.g. to count real customers' words more than
        team-written ones, or noisy star-rating labels less."""
        weights = np.ones(len(texts)) if weights is None else np.asarray(weights, dtype=float)
        self.features_ = self._features().fit(texts)
        X = self.features_.transform(texts)
        known = [i for i, s in enumerate(sentiments) if s is not None]
        missing = set(SENTIMENTS) - {sentiments[i] for i in known}
        if missing:
            raise ValueError(f"sentiment needs examples of every class; none for {sorted(missing)}")
        sentiment_model = LogisticRegression(C=self.sentiment_c, class_weight="balanced", max_iter=2000,
                                             random_state=self.seed)
        sentiment_model.fit(X[known], [SENTIMENTS.index(sentiments[i]) for i in known], sample_weight=weights[known])
        self.sentiment_coef_ = sentiment_model.coef_.astype(np.float32)
        self.sentiment_intercept_ = sentiment_model.intercept_.astype(np.float32)
        coefs, intercepts = [], []
        self.untrained_labels_ = []
        for j, label in enumerate(self.labels):
            rows = np.flatnonzero(pain_points[:, j] >= 0)
            y = pain_points[rows, j]
            if len(set(y)) < 2:  # nothing to learn: always (or never) this label
                self.untrained_labels_.append(label)
                coefs.append(np.zeros(X.shape[1]))
                intercepts.append(10.0 if len(y) and y[0] == 1 else -10.0)
                continue
            model = LogisticRegression(C=self.pain_c, class_weight="balanced", solver="liblinear",
                                       max_iter=2000, random_state=self.seed)
            model.fit(X[rows], y, sample_weight=weights[rows])
            coefs.append(model.coef_[0])
            intercepts.append(model.intercept_[0])
        self.pain_coef_ = np.vstack(coefs).astype(np.float32)
        self.pain_intercept_ = np.asarray(intercepts, dtype=np.float32)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "features_"):
            raise NotFittedError(f"{self.name} is not fitted: call fit() or load a trained model")

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        """The fitted features, counted by the fast counters of pipelines.classify.ngrams (the
        same counts as scikit-learn's analyzers, several times faster) and weighted as
        TfidfVectorizer does; scikit-learn's own path for any part they cannot reproduce."""
        self._check_fitted()
        if self.features_.transformer_weights is not None:
            return self.features_.transform(texts)
        parts = []
        for name, vectorizer in self.features_.transformer_list:
            counter = self._counters().get(name)
            parts.append(_weighted(counter.counts(texts), vectorizer) if counter else vectorizer.transform(texts))
        return sparse.hstack(parts, format="csr")

    def _counters(self) -> dict[str, CharNgramCounter | WordNgramCounter]:
        """Built on first use (not saved with the model), for the parts whose settings they
        reproduce exactly: no preprocessor, tokenizer, stop words or accent stripping."""
        if "_counter_cache" not in self.__dict__:
            self._counter_cache = {}
            for name, vectorizer in self.features_.transformer_list:
                params = vectorizer.get_params()
                plain = (params.get("lowercase") and params.get("preprocessor") is None
                         and params.get("tokenizer") is None and params.get("stop_words") is None
                         and params.get("strip_accents") is None)
                if not plain:
                    continue
                if params["analyzer"] == "char_wb" and params["ngram_range"][0] >= 2:
                    try:
                        self._counter_cache[name] = CharNgramCounter(vectorizer.vocabulary_, params["ngram_range"])
                    except ValueError:  # an alphabet too large for exact 64-bit n-grams
                        pass
                elif params["analyzer"] == "word" and params["ngram_range"][0] >= 1:
                    self._counter_cache[name] = WordNgramCounter(vectorizer.vocabulary_, params["ngram_range"],
                                                                 params["token_pattern"])
        return self._counter_cache

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_counter_cache", None)
        return state

    def predict_proba_features(self, X: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """(sentiment probabilities (n, 3) in SENTIMENTS order, pain-point probabilities (n, labels))."""
        self._check_fitted()
        logits = np.asarray(X @ self.sentiment_coef_.T) + self.sentiment_intercept_
        logits -= logits.max(axis=1, keepdims=True)
        sentiment = np.exp(logits)
        sentiment /= sentiment.sum(axis=1, keepdims=True)
        pain = _sigmoid(np.asarray(X @ self.pain_coef_.T) + self.pain_intercept_)
        return sentiment, pain

    def predict_proba(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        return self.predict_proba_features(self.transform(texts))
