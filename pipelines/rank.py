"""Monthly ranking data per pain point (and 'negative, no pain point'): volume, share of
negative items, mean sentiment, channel and language mix, change against the previous month.
The committee report builds on these figures."""

from __future__ import annotations

import csv
import io
from typing import Any

NO_PAIN_POINT = "negative_no_pain_point"


def ranking(rows: list[dict[str, Any]], previous: dict[str, int], totals: dict[str, int]) -> list[dict[str, Any]]:
    """`rows`: one per (cause, channel, language) with n, negative, sentiment_sum; ranked by volume."""
    causes: dict[str, dict[str, Any]] = {}
    for r in rows:
        c = causes.setdefault(r["cause"], {"cause": r["cause"], "items": 0, "negative": 0, "sentiment_sum": 0.0,
                                           "channels": {}, "languages": {}})
        c["items"] += r["n"]
        c["negative"] += r["negative"]
        c["sentiment_sum"] += r["sentiment_sum"]
        c["channels"][r["channel"]] = c["channels"].get(r["channel"], 0) + r["n"]
        c["languages"][r["language"]] = c["languages"].get(r["language"], 0) + r["n"]
    out = []
    for c in causes.values():
        before = previous.get(c["cause"], 0)
        out.append({
            "cause": c["cause"], "items": c["items"],
            "share_of_negative": round(c["negative"] / totals["negative"], 4) if totals.get("negative") else 0.0,
            "mean_sentiment": round(c["sentiment_sum"] / c["items"], 4) if c["items"] else 0.0,
            "previous_month": before, "change": c["items"] - before,
            "channels": c["channels"], "languages": c["languages"],
        })
    return sorted(out, key=lambda r: (-r["items"], r["cause"]))


def ranking_csv(ranked: list[dict[str, Any]]) -> str:
    from pipelines.callbacks import safe_cell

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["rank", "cause", "items", "share_of_negative", "mean_sentiment", "previous_month", "change"])
    for n, r in enumerate(ranked, start=1):
        writer.writerow([n, *(safe_cell(r[k]) for k in ("cause", "items", "share_of_negative", "mean_sentiment",
                                                         "previous_month", "change"))])
    return out.getvalue()
