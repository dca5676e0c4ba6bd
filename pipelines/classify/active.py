"""Which items to label next (active learning), from the current model's predictions.

- uncertain: the items whose closest pain-point decision is nearest its threshold;
- disagreement: items on which model versions disagree (sentiment or pain points);
- random: a reproducible random sample (for unbiased estimates);
- per-label: round robin over the pain points, rarest in the labels first, taking for each
  the unlabelled items the model scores highest for it (likely positives of rare labels).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pandas as pd

STRATEGIES = ("uncertain", "disagreement", "random", "per-label")


def _scores(value: Any) -> dict[str, float]:
    return json.loads(value) if isinstance(value, str) and value else {}


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{"id": i, "text": t, "lang": l, "sentiment": s, "pain_points": list(p) if p is not None else [],
             "scores": _scores(sc)} for i, t, l, s, p, sc in
            zip(frame["id"], frame["text"], frame["lang"], frame["sentiment"], frame["pain_points"], frame["scores"])]


def _margin(row: dict[str, Any], thresholds: dict[str, float]) -> tuple[float, str]:
    best, label = 1.0, ""
    for key, p in row["scores"].items():
        gap = abs(p - thresholds.get(key, 0.5))
        if gap < best:
            best, label = gap, key
    return best, label


def select(frame: pd.DataFrame, strategy: str, n: int, *, thresholds: dict[str, float],
           disagreeing: set[str] | None = None, label_counts: dict[str, int] | None = None,
           seed: int = 0) -> list[dict[str, Any]]:
    """Up to `n` items, each with `reason` and `confidence` (distance to the nearest threshold)."""
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy {strategy!r} is not one of {', '.join(STRATEGIES)}")
    rows = _rows(frame)
    for row in rows:
        margin, label = _margin(row, thresholds)
        row["confidence"] = round(margin, 4)
        row["_near"] = label
        row["_rank"] = hashlib.sha256(f"{seed}:{row['id']}".encode()).hexdigest()
    if strategy == "random":
        chosen = sorted(rows, key=lambda r: r["_rank"])[:n]
        for r in chosen:
            r["reason"] = "random sample"
    elif strategy in ("uncertain", "disagreement"):
        pool = rows if strategy == "uncertain" else [r for r in rows if r["id"] in (disagreeing or set())]
        chosen = sorted(pool, key=lambda r: (r["confidence"], r["_rank"]))[:n]
        for r in chosen:
            near = f"{r['_near']} p={r['scores'].get(r['_near'], 0):.2f} vs threshold {thresholds.get(r['_near'], 0.5):.2f}"
            r["reason"] = ("model versions disagree; " if strategy == "disagreement" else "") + f"nearest decision: {near}"
    else:
        chosen = _per_label(rows, n, thresholds, label_counts or {})
    for r in chosen:
        r.pop("_near", None)
        r.pop("_rank", None)
    return chosen


def _per_label(rows: list[dict[str, Any]], n: int, thresholds: dict[str, float],
               label_counts: dict[str, int]) -> list[dict[str, Any]]:
    keys = sorted(thresholds, key=lambda k: (label_counts.get(k, 0), k))
    queues = {k: sorted(rows, key=lambda r: (-r["scores"].get(k, 0.0), r["_rank"])) for k in keys}
    taken: set[str] = set()
    chosen: list[dict[str, Any]] = []
    position = {k: 0 for k in keys}
    while len(chosen) < n and any(position[k] < len(queues[k]) for k in keys):
        for k in keys:
            queue = queues[k]
            while position[k] < len(queue) and queue[position[k]]["id"] in taken:
                position[k] += 1
            if position[k] >= len(queue) or len(chosen) >= n:
                continue
            row = dict(queue[position[k]])
            row["reason"] = (f"rare label {k} ({label_counts.get(k, 0)} labelled): "
                             f"p={row['scores'].get(k, 0):.2f}")
            chosen.append(row)
            taken.add(row["id"])
    return chosen
