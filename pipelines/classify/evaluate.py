"""Honest metrics: per-label precision/recall/F1, macro-F1, sentiment accuracy and macro-F1,
overall, per language and per corpus, with counts and bootstrap 95% intervals."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from pipelines.classify.labels import SENTIMENTS, LabelledItem

MIN_SUPPORT = 10      # macro_f1_min10 averages the pain points with at least this many gold items
BOOTSTRAP_DRAWS = 1000
TEAM = "team"         # the corpus name of team-written items


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
    frequent = [m for m in per_label.values() if m["support"] >= MIN_SUPPORT]
    macro_min = round(sum(m["f1"] for m in frequent) / len(frequent), 4) if frequent else None
    return {"n": len(gold), "macro_f1": round(macro, 4), "micro_f1": micro["f1"],
            "macro_f1_min10": macro_min, "labels_min10": [k for k, m in per_label.items() if m["support"] >= MIN_SUPPORT],
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


def _f1(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
    denominator = 2 * tp + fp + fn
    return np.divide(2 * tp, denominator, out=np.zeros_like(tp, dtype=float), where=denominator > 0)


def _interval(values: np.ndarray) -> list[float]:
    low, high = np.quantile(values, [0.025, 0.975])
    return [round(float(low), 4), round(float(high), 4)]


def bootstrap_intervals(gold_points: Sequence[Sequence[str]], predicted_points: Sequence[Sequence[str]],
                        gold_sentiments: Sequence[str], predicted_sentiments: Sequence[str], labels: list[str],
                        *, draws: int = BOOTSTRAP_DRAWS, seed: int = 7) -> dict[str, Any]:
    """95% percentile intervals of the headline figures by resampling items with replacement.

    Each replicate weights the items by a multinomial draw (the same as resampling them), so
    every figure is recomputed from weighted counts. Pain points and sentiment are resampled
    apart (they may cover different items). The labels a macro-F1 averages are those of the
    observed sample, so an interval describes the same figure as its point estimate.
    """
    rng = np.random.default_rng(seed)
    out: dict[str, Any] = {"draws": draws}
    n = len(gold_points)
    if n:
        weights = rng.multinomial(n, np.full(n, 1 / n), size=draws).astype(float)
        f1s, supports, predicted = [], [], []
        for label in labels:
            g = np.fromiter((label in x for x in gold_points), bool, n)
            p = np.fromiter((label in x for x in predicted_points), bool, n)
            f1s.append(_f1(weights @ (g & p), weights @ (~g & p), weights @ (g & ~p)))
            supports.append(int(g.sum()))
            predicted.append(int(p.sum()))
        f1 = np.vstack(f1s)  # (labels, draws)
        counted = [j for j in range(len(labels)) if supports[j] or predicted[j]]
        frequent = [j for j in range(len(labels)) if supports[j] >= MIN_SUPPORT]
        if counted:
            out["pain_macro_f1"] = _interval(f1[counted].mean(axis=0))
        if frequent:
            out["pain_macro_f1_min10"] = _interval(f1[frequent].mean(axis=0))
        out["pain_f1"] = {labels[j]: _interval(f1[j]) for j in range(len(labels)) if supports[j]}
    m = len(gold_sentiments)
    if m:
        weights = rng.multinomial(m, np.full(m, 1 / m), size=draws).astype(float)
        g = np.array(gold_sentiments)
        p = np.array(predicted_sentiments)
        out["sentiment_accuracy"] = _interval(weights @ (g == p) / m)
        per_class = [_f1(weights @ ((g == c) & (p == c)), weights @ ((g != c) & (p == c)),
                         weights @ ((g == c) & (p != c))) for c in SENTIMENTS if ((g == c) | (p == c)).any()]
        out["sentiment_macro_f1"] = _interval(np.mean(per_class, axis=0))
        if (g == "negative").any():
            out["sentiment_negative_f1"] = _interval(_f1(weights @ ((g == "negative") & (p == "negative")),
                                                         weights @ ((g != "negative") & (p == "negative")),
                                                         weights @ ((g == "negative") & (p != "negative"))))
    return out


def evaluate(items: Sequence[LabelledItem], sentiments: Sequence[str | None],
             pain_points: Sequence[Sequence[str] | None], labels: list[str], *,
             intervals: bool = False) -> dict[str, Any]:
    """Compare predictions (same order as `items`) with the gold labels they carry.

    A prediction of None (a baseline that does not cover that language) is left out of that
    metric, and the count of what was left out is reported. Figures come overall, per language
    and, when items come from real corpora, per corpus (team-written items are corpus "team")
    and per corpus and language; `intervals` adds bootstrap 95% intervals to every block.
    """
    def block(idx: list[int]) -> dict[str, Any]:
        pain_idx = [i for i in idx if items[i].pain_points is not None and pain_points[i] is not None]
        sent_idx = [i for i in idx if items[i].sentiment is not None and sentiments[i] is not None]
        gold_points, predicted_points = [items[i].pain_points for i in pain_idx], [pain_points[i] for i in pain_idx]
        gold_sent, predicted_sent = [items[i].sentiment for i in sent_idx], [sentiments[i] for i in sent_idx]
        out = {
            "n": len(idx),
            "pain_points": pain_point_metrics(gold_points, predicted_points, labels),
            "sentiment": sentiment_metrics(gold_sent, predicted_sent),
        }
        if intervals:
            out["intervals"] = bootstrap_intervals(gold_points, predicted_points, gold_sent, predicted_sent, labels)
        return out

    def by_language(idx: list[int]) -> dict[str, Any]:
        return {lang: block([i for i in idx if items[i].lang == lang])
                for lang in sorted({items[i].lang for i in idx})}

    everything = list(range(len(items)))
    report = block(everything)
    report["by_language"] = by_language(everything)
    corpora = sorted({item.corpus or TEAM for item in items})
    if corpora != [TEAM]:
        report["by_corpus"] = {}
        for corpus in corpora:
            idx = [i for i in everything if (items[i].corpus or TEAM) == corpus]
            report["by_corpus"][corpus] = {**block(idx), "by_language": by_language(idx),
                                           "sampling": _sampling_counts([items[i] for i in idx])}
    return report


def _sampling_counts(items: list[LabelledItem]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        how = item.sampling
        key = ("random" if how.startswith("random") else "all" if how == "all"
               else "targeted" if how.startswith("targeted") else "unrecorded")
        counts[key] = counts.get(key, 0) + 1
    return counts
