"""Assemble the committee report for a month from the warehouse: one plain dict that the
HTML, Markdown and CSV writers render (and that tests read)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from itertools import combinations
from typing import Any, Callable
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from pipelines.report.ranking import (NO_PAIN_POINT, PRIORITY_RULE, RankOptions, correct, error_rates, plain,
                                      rank_causes, trend)
from pipelines.report.stats import nps_impact, nps_of, rate_change
from pipelines.report.subcauses import SubCauseOptions, cause_texts, cluster, match
from pipelines.store import Warehouse
from pipelines.store import report as store

NO_PAIN_POINT_LABEL = "Negative, no service pain point (product, price, other)"


@dataclass(frozen=True)
class ReportOptions:
    history_months: int = 12
    min_items: int = 30             # fewer classified items in the month: say so, no charts or trends
    top_trends: int = 5             # trend charts for this many top causes
    cooccurrence_pairs: int = 8
    rank: RankOptions = field(default_factory=RankOptions)
    subcauses: SubCauseOptions = field(default_factory=SubCauseOptions)


def month_range(month: str, tz: str, back: int = 0) -> tuple[datetime, datetime]:
    """[start, end) in UTC of the `back`-th month before a YYYY-MM month, in a time zone."""
    year, number = (int(p) for p in month.split("-"))
    index = year * 12 + number - 1 - back
    zone = ZoneInfo(tz)
    start = datetime.combine(date(index // 12, index % 12 + 1, 1), time(0), zone)
    end = datetime.combine(date((index + 1) // 12, (index + 1) % 12 + 1, 1), time(0), zone)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def month_names(month: str, count: int) -> list[str]:
    """The `count` months ending with `month`, oldest first."""
    year, number = (int(p) for p in month.split("-"))
    index = year * 12 + number - 1
    return [f"{i // 12}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def _cause_sets(frame: pd.DataFrame) -> list[set[str]]:
    out = []
    for points, sentiment in zip(frame["pain_points"], frame["sentiment"]):
        found = set(points) if points is not None else set()
        if not found and sentiment == "negative":
            found = {NO_PAIN_POINT}
        out.append(found)
    return out


def build_report(wh: Warehouse, *, month: str, model_version: str, metrics: dict[str, Any], labels: dict[str, str],
                 tz: str, options: ReportOptions = ReportOptions(),
                 redact_display: Callable[[list[str], list[str]], list[str]] | None = None,
                 save_subcauses: bool = True) -> dict[str, Any]:
    """The month's report. `labels`: pain-point key -> readable label, in taxonomy order.
    `redact_display` removes what pattern redaction left (person names) from verbatims.
    Sub-causes are registered in the warehouse unless `save_subcauses` is False."""
    start, end = month_range(month, tz)
    months = month_names(month, options.history_months)
    history_start, _ = month_range(month, tz, options.history_months - 1)
    frame = store.month_items(wh, model_version, start, end)
    history = store.cause_history(wh, model_version, tz, history_start, end)
    keys = list(labels) + [NO_PAIN_POINT]
    names = {**labels, NO_PAIN_POINT: NO_PAIN_POINT_LABEL}
    n = len(frame)
    report: dict[str, Any] = {
        "month": month, "model": model_version, "timezone": tz,
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "labels": names, "priority_rule": PRIORITY_RULE,
        "totals": _totals(frame), "data_note": None, "ranking": [], "subcauses": {}, "gone_subcauses": [],
        "cooccurrence": [], "history": _history(history, months, keys),
        "nps": None, "actions": [], "callbacks": store.callback_stats(wh, start, end),
    }
    if n == 0:
        report["data_note"] = (f"No classified feedback for {month} (model {model_version}). "
                               "Nothing to rank: check that the nightly run ingested and classified this month.")
        report["actions"] = _actions(wh, history, months, month, tz, model_version, options)
        return report
    if n < options.min_items:
        report["data_note"] = (f"Only {n} classified items in {month}: too few for reliable rates. "
                               "Counts are shown; trends, significance and charts are left out.")
    causes = _cause_sets(frame)
    masks = {key: np.fromiter((key in c for c in causes), bool, n) for key in keys}
    surveys = frame["score"].notna().to_numpy()
    scores = frame["score"].to_numpy()
    report["nps"] = plain(nps_of(scores[surveys].astype(int))) if surveys.any() else None
    touch = _touchpoints(frame)
    rates = error_rates(metrics, store.random_label_predictions(wh, model_version), list(labels))
    rows = []
    for key in keys:
        has = masks[key]
        count = int(has.sum())
        if count == 0 and key == NO_PAIN_POINT:
            continue
        sub = frame[has]
        vs_prev, vs_avg = trend(history, months, key)
        citing, others = has & surveys, ~has & surveys
        impact = nps_impact(nps_of(scores[citing].astype(int)), nps_of(scores[others].astype(int)),
                            options.rank.min_answers) if surveys.any() else None
        rows.append({
            "cause": key, "label": names[key], "items": count,
            "negative": int((sub["sentiment"] == "negative").sum()),
            "uncertain": int(sub["uncertain"].sum()),
            "share_of_negative": round(int((sub["sentiment"] == "negative").sum()) /
                                       max(1, report["totals"]["negative"]), 4),
            "mean_sentiment": round(float(sub["sentiment_score"].mean()), 4) if count else None,
            "channels": sub["channel"].value_counts().to_dict(), "languages": sub["language"].value_counts().to_dict(),
            "corrected": correct(count, rates.get(key)),
            "correction_basis": rates[key].basis if key in rates else "not a classifier output: not corrected",
            "vs_previous": vs_prev, "vs_average": vs_avg, "nps": impact,
            "touchpoints": _touchpoint_means(touch, has) if touch is not None else {},
        })
    ranked = rank_causes(rows, options.rank)
    if n < options.min_items:
        for row in ranked:
            row["rising"] = row["falling"] = False
    report["ranking"] = plain(ranked)
    report["cooccurrence"] = _cooccurrence(causes, list(labels), options.cooccurrence_pairs)
    subs, gone = _subcauses(wh, frame, masks, month, model_version, redact_display, options, save_subcauses,
                            report["totals"]["items"], history, months)
    report["subcauses"], report["gone_subcauses"] = subs, gone
    report["actions"] = _actions(wh, history, months, month, tz, model_version, options)
    return report


def _totals(frame: pd.DataFrame) -> dict[str, Any]:
    return {"items": int(len(frame)), "negative": int((frame["sentiment"] == "negative").sum()),
            "not_scored_other_language": int(frame["sentiment"].isna().sum()) if len(frame) else 0,
            "uncertain": int(frame["uncertain"].sum()) if len(frame) else 0,
            "with_pain_point": int(sum(len(p) > 0 for p in frame["pain_points"])) if len(frame) else 0,
            "by_channel": frame["channel"].value_counts().to_dict(),
            "by_language": frame["language"].value_counts().to_dict(),
            "survey_answers": int(frame["score"].notna().sum())}


def _history(history: dict[str, dict[str, int]], months: list[str], keys: list[str]) -> dict[str, Any]:
    return {"months": months, "totals": [history.get(m, {}).get("*", 0) for m in months],
            "causes": {k: [history.get(m, {}).get(k, 0) for m in months] for k in keys}}


def _touchpoints(frame: pd.DataFrame) -> pd.DataFrame | None:
    parsed = [json.loads(t) if isinstance(t, str) and t else {} for t in frame["touchpoints"]]
    if not any(parsed):
        return None
    return pd.DataFrame(parsed, index=frame.index).apply(pd.to_numeric, errors="coerce")


def _touchpoint_means(touch: pd.DataFrame, has: np.ndarray, min_answers: int = 5) -> dict[str, dict[str, Any]]:
    out = {}
    for name in touch.columns:
        values = touch[name].to_numpy(dtype=float)
        citing, others = values[has & ~np.isnan(values)], values[~has & ~np.isnan(values)]
        if len(citing) >= min_answers and len(others) >= min_answers:
            out[name] = {"citing": round(float(citing.mean()), 2), "others": round(float(others.mean()), 2),
                         "n_citing": int(len(citing)), "n_others": int(len(others))}
    return out


def _cooccurrence(causes: list[set[str]], keys: list[str], top: int) -> list[dict[str, Any]]:
    n = len(causes)
    single = {k: sum(k in c for c in causes) for k in keys}
    pairs: dict[tuple[str, str], int] = {}
    for c in causes:
        found = sorted(k for k in c if k in single)
        for a, b in combinations(found, 2):
            pairs[(a, b)] = pairs.get((a, b), 0) + 1
    out = [{"a": a, "b": b, "items": k, "lift": round(k * n / (single[a] * single[b]), 2),
            "share_of_a": round(k / single[a], 3), "share_of_b": round(k / single[b], 3)}
           for (a, b), k in pairs.items() if k >= 2]
    out.sort(key=lambda r: (-r["items"], -r["lift"], r["a"], r["b"]))
    return out[:top]


def _subcauses(wh, frame, masks, month, model_version, redact_display, options, save, total, history, months):
    known = store.subcauses(wh)
    previous_month, previous = store.previous_subcause_month(wh, model_version, month)
    previous_total = history.get(previous_month, {}).get("*", 0) if previous_month else 0
    groups = []
    for key, has in masks.items():
        if not has.any():
            continue
        ids, languages, texts = cause_texts(frame[has], key)
        by_language: dict[str, list[int]] = {}
        for i, language in enumerate(languages):
            by_language.setdefault(language, []).append(i)
        for language, rows in sorted(by_language.items(), key=lambda kv: -len(kv[1])):
            groups += cluster(key, language, [ids[i] for i in rows], [texts[i] for i in rows], options.subcauses)
    gone = match(groups, known, previous, options.subcauses, rerun=store.same_month_subcauses(wh, model_version, month))
    if save:
        store.save_subcause_month(wh, month, model_version, [
            {"subcause_id": g.subcause_id, "cause": g.cause, "language": g.language, "label": g.label,
             "terms": g.terms, "items": g.items, "new": g.new} for g in groups])
    text_of = dict(zip(frame["id"], frame["text_clean"]))
    language_of = dict(zip(frame["id"], frame["language"]))
    wanted = [i for g in groups for i in g.verbatim_ids]
    shown = [text_of[i] if isinstance(text_of[i], str) else "" for i in wanted]
    if redact_display is not None and shown:
        shown = redact_display(shown, [language_of[i] for i in wanted])
    display = dict(zip(wanted, shown))
    out: dict[str, list[dict[str, Any]]] = {}
    for g in groups:
        change = rate_change(g.items, total, g.previous_items or 0, previous_total) if g.previous_items else None
        out.setdefault(g.cause, []).append({
            "id": g.subcause_id, "label": g.label, "language": g.language, "items": g.items,
            "previous_items": g.previous_items, "status": "new" if g.new else "continuing",
            "change": plain(change), "various": g.various,
            "verbatims": [{"id": i, "language": language_of[i], "text": display[i]} for i in g.verbatim_ids],
        })
    for rows in out.values():
        rows.sort(key=lambda r: (r["various"], -r["items"]))
    return out, gone


def _actions(wh, history, months, month, tz, model_version, options) -> list[dict[str, Any]]:
    """Open actions, and those closed this month, with whether their cause fell since."""
    now = history.get(month, {})
    out = []
    for a in store.actions(wh):
        closed_month = a["closed_at"].astimezone(ZoneInfo(tz)).strftime("%Y-%m") if a["closed_at"] else None
        if a["status"] == "closed" and closed_month != month:
            continue
        if a["month"] > month:
            continue
        base = history.get(a["month"])
        if base is None and a["month"] not in months:
            base_start, base_end = month_range(a["month"], tz)
            base = store.cause_history(wh, model_version, tz, base_start, base_end).get(a["month"], {})
        base = base or {}
        row = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in a.items()}
        then_count, now_count = base.get(a["cause"], 0), now.get(a["cause"], 0)
        if a["subcause"]:  # the sub-cause's own counts, where both months' reports have been built
            counts = store.subcause_items(wh, model_version, a["subcause"])
            if a["month"] in counts and month in counts:
                then_count, now_count = counts[a["month"]], counts[month]
                row["measured_on"] = "sub-cause"
            else:
                row["measured_on"] = "cause (no sub-cause counts for both months)"
        if a["month"] == month:
            row.update(verdict="started this month", change=None)
        else:
            change = rate_change(now_count, now.get("*", 0), then_count, base.get("*", 0))
            alpha = options.rank.alpha
            verdict = ("fell" if change.p_fall < alpha else "rose" if change.p_rise < alpha
                       else "no significant change")
            row.update(verdict=verdict, change=plain(change), items_then=then_count, items_now=now_count)
        out.append(row)
    return out
