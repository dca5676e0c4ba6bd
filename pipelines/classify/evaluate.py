"""Honest metrics: per-label precision/recall/F1, macro-F1, sentiment accuracy and macro-F1,
overall and per language, with counts."""

from __future__ import annotations

from typing import Any, Sequence

from pipelines.classify.labels import SENTIMENTS, LabelledItem


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "support": tp + fn, "predicted": tp + fp}


def pain_point_metrics(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]],
                       labels: list[str]) -> dict[str, Any]:
    """Macro-F1 averages the labels that occur in the gold set or the predictions."""
    per_label = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted) if label in g and label in p)
        fp = sum(1 for g, p in zip(gold, predicted) if label not in g and label in p)
        fn = sum(1 for g, p in zip(gold, predicted) if label in g and label not in p)
        per_label[label] = _prf(tp, fp, fn)
    counted = [m for m in per_label.values() if m["support"] or m["predicted"]]
    macro = sum(m["f1"] for m in counted) / len(counted) if counted else 0.0
    tp = sum(1 for g, p in zip(gold, predicted) for lab in p if lab in g)
    fp = sum(1 for g, p in zip(gold, predicted) for lab in p if lab not in g)
    fn = sum(1 for g, p in zip(gold, predicted) for lab in g if lab not in p)
    micro = _prf(tp, fp, fn)
    exact = sum(1 for g, p in zip(gold, predicted) if set(g) == set(p))
    return {"n": len(gold), "macro_f1": round(macro, 4), "micro_f1": micro["f1"],
            "exact_match": round(exact / len(gold), 4) if gold else 0.0, "per_label": per_label}


def sentiment_metrics(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    per_class = {}
    for label in SENTIMENTS:
        tp = sum(1 for g, p in zip(gold, predicted) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted) if g == label and p != label)
        per_class[label] = _prf(tp, fp, fn)
    counted = [m for m in per_class.values() if m["support"] or m["predicted"]]
    correct = sum(1 for g, p in zip(gold, predicted) if g == p)
    confusion = {g: {p: sum(1 for a, b in zip(gold, predicted) if a == g and b == p) for p in SENTIMENTS}
                 for g in SENTIMENTS}
    return {"n": len(gold), "accuracy": round(correct / len(gold), 4) if gold else 0.0,
            "macro_f1": round(sum(m["f1"] for m in counted) / len(counted), 4) if counted else 0.0,
            "per_class": per_class, "confusion": confusion}


def evaluate(items: Sequence[LabelledItem], sentiments: Sequence[str | None],
             pain_points: Sequence[Sequence[str] | None], labels: list[str]) -> dict[str, Any]:
    """Compare predictions (same order as `items`) with the gold labels they carry.

    A prediction of None (a baseline that does not cover that language) is left out of that
    metric, and the count of what was left out is reported.
    """
    def block(idx: list[int]) -> dict[str, Any]:
        pain_idx = [i for i in idx if items[i].pain_points is not None and pain_points[i] is not None]
        sent_idx = [i for i in idx if items[i].sentiment is not None and sentiments[i] is not None]
        return {
            "n": len(idx),
            "pain_points": pain_point_metrics([items[i].pain_points for i in pain_idx],
                                              [pain_points[i] for i in pain_idx], labels),
            "sentiment": sentiment_metrics([items[i].sentiment for i in sent_idx], [sentiments[i] for i in sent_idx]),
        }

    everything = list(range(len(items)))
    report = block(everything)
    report["by_language"] = {
        lang: block([i for i in everything if items[i].lang == lang])
        for lang in sorted({item.lang for item in items})
    }
    return report
