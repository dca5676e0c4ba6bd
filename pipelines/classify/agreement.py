"""Agreement between two readers who labelled the same items without seeing each other's labels:
Cohen's kappa for sentiment and for each pain point (present or not), with raw agreement."""

from __future__ import annotations

from collections import Counter
from typing import Any, Sequence

from pipelines.classify.labels import LabelledItem


def cohen_kappa(first: Sequence[Any], second: Sequence[Any]) -> float | None:
    """(observed - chance agreement) / (1 - chance); None when chance agreement is 1 (one class only)."""
    n = len(first)
    if n == 0 or n != len(second):
        return None
    observed = sum(a == b for a, b in zip(first, second)) / n
    left, right = Counter(first), Counter(second)
    chance = sum(left[k] * right.get(k, 0) for k in left) / (n * n)
    return None if chance >= 1 else round((observed - chance) / (1 - chance), 4)


def agreement(first: list[LabelledItem], second: list[LabelledItem], labels: list[str]) -> dict[str, Any]:
    """Kappa and raw agreement on the items both lists label (matched by id), overall and per corpus."""
    by_id = {item.id: item for item in first}
    pairs = [(by_id[item.id], item) for item in second if item.id in by_id]

    def block(chosen: list[tuple[LabelledItem, LabelledItem]]) -> dict[str, Any]:
        sentiment = [(a.sentiment, b.sentiment) for a, b in chosen if a.sentiment and b.sentiment]
        out: dict[str, Any] = {"items": len(chosen), "sentiment": _pair_stats(sentiment), "pain_points": {}}
        points = [(a, b) for a, b in chosen if a.pain_points is not None and b.pain_points is not None]
        for label in labels:
            stats = _pair_stats([(label in a.pain_points, label in b.pain_points) for a, b in points])
            stats["first"] = sum(label in a.pain_points for a, _ in points)
            stats["second"] = sum(label in b.pain_points for _, b in points)
            out["pain_points"][label] = stats
        out["any_pain_point"] = _pair_stats([(bool(a.pain_points), bool(b.pain_points)) for a, b in points])
        out["same_pain_point_set"] = (round(sum(set(a.pain_points) == set(b.pain_points) for a, b in points)
                                            / len(points), 4) if points else None)
        return out

    report = block(pairs)
    report["by_corpus"] = {corpus: block([p for p in pairs if p[0].corpus == corpus])
                           for corpus in sorted({a.corpus or "team" for a, _ in pairs})}
    return report


def _pair_stats(pairs: list[tuple[Any, Any]]) -> dict[str, Any]:
    return {"n": len(pairs), "kappa": cohen_kappa([a for a, _ in pairs], [b for _, b in pairs]),
            "agreement": round(sum(a == b for a, b in pairs) / len(pairs), 4) if pairs else None}
