"""Scorers by versioned name, chosen in a training config (no if-chains elsewhere)."""

from __future__ import annotations

from typing import Any, Callable


def _tfidf(labels: list[str], params: dict[str, Any], seed: int):
    from pipelines.classify.tfidf import TfidfLogReg

    return TfidfLogReg(labels=labels, seed=seed, **params)


def _transformer(labels: list[str], params: dict[str, Any], seed: int):
    from pipelines.classify.transformer import TransformerScorer

    return TransformerScorer(labels=labels, seed=seed, **params)


SCORERS: dict[str, Callable[..., Any]] = {
    "tfidf_logreg.v1": _tfidf,
    "transformer.v1": _transformer,
}


def build_scorer(name: str, labels: list[str], params: dict[str, Any], seed: int):
    try:
        factory = SCORERS[name]
    except KeyError:
        raise ValueError(f"unknown scorer {name!r}; choose one of {sorted(SCORERS)}") from None
    try:
        return factory(labels, params, seed)
    except TypeError as exc:
        raise ValueError(f"bad parameters for scorer {name!r}: {exc}") from exc
