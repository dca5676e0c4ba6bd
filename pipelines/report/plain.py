"""report.md (for e-mail or a wiki) and causes.csv (cells a spreadsheet never runs)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from pipelines.callbacks import safe_cell


def _md(text: str) -> str:
    """Customer text made inert in Markdown: no HTML, no links, no table breaks."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]|#])", r"\\\1", text)
    return re.sub(r"\s+", " ", text).strip()


def _ratio(change: dict | None) -> str:
    if not change or change.get("ratio") is None:
        return "–"
    high = "inf" if change.get("high") is None else f"{change['high']:.2f}"
    return f"×{change['ratio']:.2f} [{change['low']:.2f}–{high}]"


def render_markdown(report: dict[str, Any]) -> str:
    labels = report["labels"]
    t = report["totals"]
    lines = [f"# Complaint committee report — {report['month']}", "",
             f"Model {report['model']} · time zone {report['timezone']} · generated {report['generated_at']}", "",
             f"> {report['priority_rule']} Counts are corrected for classifier error (95% intervals). "
             "“rising” = unlikely to be chance (p < 0.05, Bonferroni). “≈” = rank could swap with a neighbour.", ""]
    if report["data_note"]:
        lines += [f"**Little data.** {report['data_note']}", ""]
    other = (f" {t['not_scored_other_language']:,} in a language the models were not trained on: counted, not scored."
             if t.get("not_scored_other_language") else "")
    lines += [f"{t['items']:,} items classified, {t['negative']:,} negative, {t['uncertain']:,} uncertain.{other}", ""]
    if report["ranking"]:
        lines += ["## Ranked causes", "",
                  "| # | Cause | Priority | Items (corrected [95%]) | vs last month | vs 3-month avg | Trend | NPS points lost |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in report["ranking"]:
            c, nps = r["corrected"], r.get("nps") or {}
            trend = "rising" if r["rising"] else "falling" if r["falling"] else "steady"
            lost = (f"{nps['points_lost']:+.0f} [{nps['low']:+.0f}, {nps['high']:+.0f}]"
                    if nps.get("points_lost") is not None else "–")
            lines.append(f"| {r['rank']}{' ≈' if r['rank_uncertain'] else ''} | {_md(labels.get(r['cause'], r['cause']))} "
                         f"| {r['priority']['score']:,.0f} | {r['items']:,} ({c['estimate']:,.0f} "
                         f"[{c['low']:,.0f}–{c['high']:,.0f}]) | {_ratio(r['vs_previous'])} | "
                         f"{_ratio(r['vs_average'])} | {trend} | {lost} |")
        lines.append("")
        lines.append("Correction of each count (precision and recall measured on real, randomly picked items): " +
                     "; ".join(f"{_md(labels.get(r['cause'], r['cause']))}: {r.get('correction_basis', '–')}"
                               for r in report["ranking"]) + ".")
        lines.append("")
        lines += ["## Root causes and verbatims", ""]
        for r in report["ranking"][:5]:
            lines.append(f"### {r['rank']}. {_md(labels.get(r['cause'], r['cause']))}")
            for g in report["subcauses"].get(r["cause"], [])[:4]:
                lines.append(f"- **{_md(g['label'])}** ({g['id']}, {g['language']}, {g['items']:,} items, {g['status']})")
                for v in g["verbatims"][:2]:
                    lines.append(f"  - [{v['language']}] “{_md(v['text'])[:400]}”")
            lines.append("")
        if report["cooccurrence"]:
            lines += ["## Causes found together", ""]
            lines += [f"- {_md(labels.get(p['a'], p['a']))} + {_md(labels.get(p['b'], p['b']))}: {p['items']:,} items, "
                      f"lift {p['lift']:.1f}" for p in report["cooccurrence"]]
            lines.append("")
    if report["actions"]:
        lines += ["## Actions", "", "| # | Cause | Owner | Action | Since | Status | Has the cause fallen? |",
                  "|---|---|---|---|---|---|---|"]
        lines += [f"| {a['action_id']} | {_md(a['cause'])} | {_md(a['owner'])} | {_md(a['action'])} | {a['month']} "
                  f"| {a['status']} | {a['verdict']} |" for a in report["actions"]]
        lines.append("")
    return "\n".join(lines) + "\n"


def causes_csv(report: dict[str, Any]) -> str:
    """One row per cause, then one per sub-cause, with the figures behind the ranking."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["level", "rank", "cause", "subcause_id", "label", "language", "items", "corrected_items",
                     "corrected_low", "corrected_high", "priority", "share_of_negative", "mean_sentiment",
                     "ratio_vs_previous", "p_rise_vs_previous", "ratio_vs_3_month_avg", "p_rise_vs_3_month_avg",
                     "trend", "rank_uncertain", "nps_points_lost", "nps_low", "nps_high", "uncertain_items",
                     "previous_items", "status"])
    for r in report["ranking"]:
        c, nps = r["corrected"], r.get("nps") or {}
        trend = "rising" if r["rising"] else "falling" if r["falling"] else "steady"
        writer.writerow([safe_cell(v) for v in [
            "cause", r["rank"], r["cause"], "", report["labels"].get(r["cause"], r["cause"]), "", r["items"],
            round(c["estimate"], 1), round(c["low"], 1), round(c["high"], 1), r["priority"]["score"],
            r["share_of_negative"], r["mean_sentiment"], r["vs_previous"]["ratio"], round(r["vs_previous"]["p_rise"], 6),
            r["vs_average"]["ratio"], round(r["vs_average"]["p_rise"], 6), trend, r["rank_uncertain"],
            nps.get("points_lost"), nps.get("low"), nps.get("high"), r["uncertain"], "", ""]])
    for r in report["ranking"]:
        for g in report["subcauses"].get(r["cause"], []):
            writer.writerow([safe_cell(v) for v in [
                "subcause", r["rank"], r["cause"], g["id"], g["label"], g["language"], g["items"], "", "", "", "",
                "", "", (g.get("change") or {}).get("ratio"), (g.get("change") or {}).get("p_rise"), "", "", "",
                "", "", "", "", "", g["previous_items"], g["status"]]])
    return out.getvalue()
