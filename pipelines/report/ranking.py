"""The ranked list of causes: volumes, trends, NPS impact, classifier correction, priority.

Pure functions on counts, so the maths can be checked by hand.

Priority (one number orders the list):
    priority = corrected items x share negative x trend weight x NPS weight
where the trend weight is 1.5 when the cause rises significantly (against the previous
month or the 3-month average) and 1 otherwise, and the NPS weight is 1 + the points of NPS
lost by survey answers citing the cause / 100 (1 when it cannot be measured or is not a loss).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipelines.report.stats import (Corrected, NpsImpact, RateChange, corrected_count, intervals_overlap,
                                    rate_change)

NO_PAIN_POINT = "negative_no_pain_point"
PRIORITY_RULE = ("Priority = items (corrected for classifier error) × share of them negative × 1.5 if rising "
                 "significantly × (1 + NPS points lost ÷ 100).")


@dataclass(frozen=True)
class RankOptions:
    alpha: float = 0.05          # family-wise, Bonferroni over causes and the two comparisons
    rising_weight: float = 1.5
    min_answers: int = 5         # survey answers needed on each side for an NPS impact


MIN_RANDOM_LABELS = 30  # the company's own random labels needed before they replace the model card's figures


@dataclass(frozen=True)
class ErrorRates:
    """What a cause's correction rests on: true positives, predicted and gold positives on real,
    randomly picked labelled items, and which items those were (`basis`, said in the report)."""
    true_pos: int | None
    predicted: int | None
    support: int | None
    basis: str


def _counts(gold: list[set[str]], predicted: list[set[str]], cause: str) -> tuple[int, int, int]:
    tp = sum(1 for g, p in zip(gold, predicted) if cause in g and cause in p)
    return tp, sum(1 for p in predicted if cause in p), sum(1 for g in gold if cause in g)


def error_rates(metrics: dict[str, Any], company_labels: list[tuple[list[str], list[str]]],
                causes: list[str], min_random: int = MIN_RANDOM_LABELS) -> dict[str, ErrorRates]:
    """Per cause, the precision and recall the report corrects counts with, never measured on
    team-written text: the company's own randomly sampled warehouse labels (gold, predicted
    pain points of this model) once there are at least `min_random` of them, whatever they
    show; else the model's figures on the reserved real corpora (model card, `reserved`).
    Where the chosen evidence cannot give a ratio (no gold item, none found, none right), the
    count is shown uncorrected and the basis says why."""
    gold = [set(g) for g, _ in company_labels]
    predicted = [set(p) for _, p in company_labels]
    reserved = ((metrics or {}).get("reserved") or {}).get("pain_points", {}).get("per_label", {})
    out = {}
    for cause in causes:
        if len(company_labels) >= min_random:
            tp, pred, support = _counts(gold, predicted, cause)
            basis = f"your labels: {len(company_labels)} random items, {support} with it, {pred} found, {tp} right"
        elif (reserved.get(cause) or {}).get("support"):
            row = reserved[cause]
            tp, pred, support = int(round(row["recall"] * row["support"])), int(row["predicted"]), int(row["support"])
            basis = f"reserved real corpora: {support} items with it, {pred} found, {tp} right"
        else:
            out[cause] = ErrorRates(None, None, None, "no measure on real random items: not corrected")
            continue
        if tp and pred and support:
            out[cause] = ErrorRates(tp, pred, support, basis)
        else:
            out[cause] = ErrorRates(None, None, None, f"{basis}: too little to measure, not corrected")
    return out


def trend(history: dict[str, dict[str, int]], months: list[str], cause: str) -> tuple[RateChange, RateChange]:
    """This month (the last of `months`) against the previous month and the 3 months before it."""
    month, before = months[-1], months[-4:-1]
    now = history.get(month, {})
    prev = history.get(months[-2], {}) if len(months) > 1 else {}
    vs_previous = rate_change(now.get(cause, 0), now.get("*", 0), prev.get(cause, 0), prev.get("*", 0))
    ref = sum(history.get(m, {}).get(cause, 0) for m in before)
    ref_total = sum(history.get(m, {}).get("*", 0) for m in before)
    vs_average = rate_change(now.get(cause, 0), now.get("*", 0), ref, ref_total)
    return vs_previous, vs_average


def priority(corrected: Corrected, negative_share: float, rising: bool, nps: NpsImpact | None,
             options: RankOptions = RankOptions()) -> dict[str, float]:
    trend_weight = options.rising_weight if rising else 1.0
    lost = nps.points_lost if nps is not None and nps.points_lost is not None else 0.0
    nps_weight = 1.0 + max(0.0, lost) / 100.0
    factor = negative_share * trend_weight * nps_weight
    return {"score": round(corrected.estimate * factor, 3), "low": round(corrected.low * factor, 3),
            "high": round(corrected.high * factor, 3), "corrected_items": round(corrected.estimate, 1),
            "negative_share": round(negative_share, 4), "trend_weight": trend_weight,
            "nps_weight": round(nps_weight, 4)}


def rank_causes(causes: list[dict[str, Any]], options: RankOptions = RankOptions()) -> list[dict[str, Any]]:
    """Order cause rows by priority and mark ranks whose interval overlaps the next one's.

    Each row needs `cause`, `items`, `negative`, `corrected` (Corrected), `vs_previous` and
    `vs_average` (RateChange) and `nps` (NpsImpact or None)."""
    tests = max(1, 2 * len(causes))
    rows = []
    for row in causes:
        vs_prev, vs_avg = row["vs_previous"], row["vs_average"]
        rising = min(vs_prev.p_rise, vs_avg.p_rise) < options.alpha / tests
        falling = not rising and min(vs_prev.p_fall, vs_avg.p_fall) < options.alpha / tests
        negative_share = row["negative"] / row["items"] if row["items"] else 0.0
        out = {**row, "rising": rising, "falling": falling,
               "priority": priority(row["corrected"], negative_share, rising, row["nps"], options)}
        rows.append(out)
    rows.sort(key=lambda r: (-r["priority"]["score"], -r["items"], r["cause"]))
    for i, row in enumerate(rows):
        row["rank"] = i + 1
        here = (row["priority"]["low"], row["priority"]["high"])
        neighbours = [rows[j] for j in (i - 1, i + 1) if 0 <= j < len(rows)]
        row["rank_uncertain"] = any(intervals_overlap(here, (n["priority"]["low"], n["priority"]["high"]))
                                    for n in neighbours)
    return rows


def correct(items: int, rates: ErrorRates | None) -> Corrected:
    if rates is None:
        return corrected_count(items, None, None, None)
    return corrected_count(items, rates.true_pos, rates.predicted, rates.support)


def plain(value: Any) -> Any:
    """Dataclasses (RateChange, Corrected, NpsImpact...) as dicts, for JSON and templates."""
    if hasattr(value, "__dataclass_fields__"):
        out = {name: plain(getattr(value, name)) for name in value.__dataclass_fields__}
        if isinstance(getattr(type(value), "score", None), property):
            out["score"] = value.score
        return out
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
