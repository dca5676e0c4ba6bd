"""report.html: one self-contained page (styles and charts inline, no script, prints on A4).

Every piece of customer text goes through `escape`; verbatims carry their language and
direction so Hebrew reads right-to-left beside left-to-right text.
"""

from __future__ import annotations

from html import escape
from typing import Any

from pipelines.report.charts import bars, interval_bar

RTL = {"he", "ar", "fa", "ur", "yi"}

_CSS = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: #1d2330; margin: 0 auto;
       max-width: 190mm; padding: 8mm 0; }
h1 { font-size: 18pt; margin: 0 0 2mm; } h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1px solid #ccd;
  padding-bottom: 1mm; page-break-after: avoid; } h3 { font-size: 11pt; margin: 4mm 0 1mm; page-break-after: avoid; }
.meta { color: #556; font-size: 9pt; }
.box { border: 1px solid #9ab; background: #f3f7fa; padding: 2mm 4mm; margin: 3mm 0; page-break-inside: avoid; }
.note { border-color: #d9a400; background: #fff8e0; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 2mm 0; table-layout: fixed; }
td, th { overflow-wrap: anywhere; }
th, td { border-bottom: 1px solid #dde; padding: 1.2mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; } tr { page-break-inside: avoid; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.rising { color: #b00020; font-weight: 600; } .falling { color: #1b7f3b; font-weight: 600; }
.uncertain { color: #8a6d00; } .small { font-size: 8pt; color: #556; }
.charts { display: flex; flex-wrap: wrap; gap: 4mm; } .chart { page-break-inside: avoid; }
svg .bar { fill: #9fb3c8; } svg .bar.now { fill: #2a4d74; } svg .axis { font-size: 8px; fill: #556; }
svg .base { stroke: #889; stroke-width: 0.5; } svg .ci { stroke: #2a4d74; stroke-width: 2; } svg .pt { fill: #b00020; }
blockquote { margin: 1mm 0 1.5mm 0; padding: 1mm 3mm; border-left: 3px solid #9fb3c8; background: #fafbfc;
  unicode-bidi: plaintext; white-space: pre-wrap; overflow-wrap: anywhere; page-break-inside: avoid; }
blockquote[dir="rtl"] { border-left: none; border-right: 3px solid #9fb3c8; }
.lang { display: inline-block; font-size: 7.5pt; color: #fff; background: #556; border-radius: 2px; padding: 0 1.2mm;
  margin-right: 1mm; direction: ltr; unicode-bidi: isolate; }
.cause { page-break-inside: avoid; }
@media print { .noprint { display: none; } a { color: inherit; text-decoration: none; } }
"""


def _num(value: Any, digits: int = 0, *, signed: bool = False) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and digits:
        return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    return f"{value:+,.0f}" if signed else f"{value:,.0f}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _ratio(change: dict | None) -> str:
    if not change or change.get("ratio") is None:
        return "–" if not change or not change.get("count") else "new"
    high = "∞" if change.get("high") is None else f"{change['high']:.2f}"
    return f"×{change['ratio']:.2f} [{change['low']:.2f}–{high}]"


def _mix(counts: dict[str, int]) -> str:
    total = sum(counts.values()) or 1
    return ", ".join(f"{escape(str(k))} {100 * v / total:.0f}%" for k, v in
                     sorted(counts.items(), key=lambda kv: -kv[1])[:4])


def verbatim(text: str, language: str) -> str:
    direction = "rtl" if language in RTL else "auto"
    return (f'<blockquote lang="{escape(language)}" dir="{direction}"><span class="lang">{escape(language)}</span>'
            f'{escape(text)}</blockquote>')


def render_html(report: dict[str, Any]) -> str:
    labels = report["labels"]
    label = lambda key: escape(labels.get(key, key))  # noqa: E731
    out = [f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">'
           f'<title>Complaint committee report {escape(report["month"])}</title><style>{_CSS}</style></head><body>',
           f'<h1>Complaint committee report — {escape(report["month"])}</h1>',
           f'<p class="meta">Model {escape(report["model"])} · time zone {escape(report["timezone"])} · '
           f'generated {escape(report["generated_at"])}</p>', _how_to_read(report)]
    if report["data_note"]:
        out.append(f'<div class="box note" id="data-note"><strong>Little data.</strong> {escape(report["data_note"])}</div>')
    out.append(_summary(report))
    if report["ranking"]:
        out.append(_ranking(report, label))
        if not report["data_note"]:
            out.append(_trends(report, label))
        out.append(_nps(report, label))
        out.append(_cooccurrence(report, label))
        out.append(_subcauses(report, label))
    out.append(_actions(report, label))
    out.append(_callbacks(report))
    out.append(_method(report))
    out.append("</body></html>")
    return "\n".join(out)


def _how_to_read(report: dict[str, Any]) -> str:
    return ('<div class="box" id="how-to-read"><strong>How to read this.</strong> Each row is a cause of complaints '
            'found by the classifier: a service pain point, or negative feedback with no pain point (product, '
            f'price). {escape(report["priority_rule"])} Counts are corrected for the classifier\'s known precision '
            'and recall, and shown with a 95% interval. <span class="rising">▲ rising</span> means the rise is '
            'unlikely to be chance (p below 0.05 after correcting for the number of causes tested); a rank marked '
            '<span class="uncertain">≈</span> could swap with its neighbour. Verbatims are real customer words, '
            'with personal data removed, in their original language.</div>')


def _summary(report: dict[str, Any]) -> str:
    t = report["totals"]
    nps = report.get("nps")
    nps_text = (f"NPS {nps['score']:+.0f} from {nps['n']:,} survey answers" if nps and nps.get("score") is not None
                else "no survey answers with a score")
    return (f'<h2>The month in numbers</h2><p id="summary">{t["items"]:,} feedback items classified; '
            f'{t["negative"]:,} negative ({_pct(t["negative"] / t["items"] if t["items"] else None)}), '
            f'{t.get("with_pain_point", 0):,} naming a service pain point, {t["uncertain"]:,} uncertain '
            f'(counted apart, first in line for labelling); {escape(nps_text)}.'
            f'{_other_language(t)}<br>'
            f'<span class="small">Channels: {_mix(t["by_channel"])}. Languages: {_mix(t["by_language"])}.</span></p>')


def _other_language(totals: dict[str, Any]) -> str:
    n = totals.get("not_scored_other_language", 0)
    return (f" {n:,} items in a language the models were not trained on are counted but not scored "
            "(language “other”)." if n else "")


def _trend_cell(row: dict[str, Any]) -> str:
    if row["rising"]:
        return '<span class="rising">▲ rising</span>'
    if row["falling"]:
        return '<span class="falling">▼ falling</span>'
    return "steady"


def _ranking(report: dict[str, Any], label) -> str:
    scale = max(r["corrected"]["high"] for r in report["ranking"]) or 1
    rows = []
    for r in report["ranking"]:
        c, p, nps = r["corrected"], r["priority"], r.get("nps") or {}
        rank = f'{r["rank"]}<span class="uncertain" title="interval overlaps a neighbour">≈</span>' \
            if r["rank_uncertain"] else str(r["rank"])
        lost = nps.get("points_lost")
        nps_cell = (f'{lost:+.0f}<br><span class=small>[{nps["low"]:+.0f}, {nps["high"]:+.0f}]</span>'
                    if lost is not None else '<span class=small>too few answers</span>')
        basis = r.get("correction_basis") or ""
        corrected_note = (f'<br><span class=small title="what precision and recall were measured on">'
                          f'{escape(basis)}</span>') if basis else ""
        rows.append(
            f'<tr class="cause-row" data-cause="{escape(r["cause"])}"><td class="num">{rank}</td>'
            f'<td><strong>{label(r["cause"])}</strong><br><span class="small">{_mix(r["channels"])}<br>'
            f'{_mix(r["languages"])}</span></td>'
            f'<td class="num">{p["score"]:,.0f}<br><span class="small">{p["corrected_items"]:,.0f} × '
            f'{p["negative_share"]:.2f} × {p["trend_weight"]:g} × {p["nps_weight"]:.2f}</span></td>'
            f'<td class="num">{r["items"]:,}<br><span class="small">{c["estimate"]:,.0f} '
            f'[{c["low"]:,.0f}–{c["high"]:,.0f}]{corrected_note}</span><br>'
            f'{interval_bar(c["low"], c["estimate"], c["high"], scale)}</td>'
            f'<td class="num">{_trend_cell(r)}<br><span class="small">last month {_ratio(r["vs_previous"])}<br>'
            f'3-month avg {_ratio(r["vs_average"])}</span></td>'
            f'<td class="num">{nps_cell}</td>'
            f'<td class="num">{_pct(r["share_of_negative"])}<br><span class="small">sentiment '
            f'{_num(r["mean_sentiment"], 2, signed=True)}<br>{r["uncertain"]:,} uncertain</span></td></tr>')
    return ('<h2>Ranked causes</h2><table id="ranking"><colgroup><col style="width:5%"><col style="width:25%">'
            '<col style="width:13%"><col style="width:16%"><col style="width:17%"><col style="width:11%">'
            '<col style="width:13%"></colgroup><thead><tr><th class="num">#</th><th>Cause<br>'
            '<span class=small>channels · languages</span></th>'
            '<th class="num">Priority<br><span class=small>items × neg × trend × NPS</span></th>'
            '<th class="num">Items<br><span class=small>corrected [95%]</span></th>'
            '<th class="num">Trend<br><span class=small>rate ratio [95%]</span></th>'
            '<th class="num">NPS points lost</th><th class="num">Share of negative</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")


def _trends(report: dict[str, Any], label) -> str:
    history = report["history"]
    with_data = sum(1 for t in history["totals"] if t > 0)
    if with_data < 3:
        return ('<h2>Trends</h2><p class="small">Fewer than 3 months with data: no trend charts yet, '
                'so a short history does not look like a trend.</p>')
    charts = []
    for r in report["ranking"][:5]:
        values = history["causes"].get(r["cause"], [])
        charts.append(f'<div class="chart"><h3>{label(r["cause"])}</h3>'
                      + bars(history["months"], values, highlight=report["month"],
                             title=f'{labels_plain(report, r["cause"])}: items per month') + "</div>")
    return (f'<h2>Trends, last {len(history["months"])} months</h2><p class="small">Items per month for the '
            'top causes; the report month is darker. Compare with all feedback: '
            + ", ".join(f"{m} {t:,}" for m, t in zip(history["months"][-4:], history["totals"][-4:]))
            + '.</p><div class="charts">' + "".join(charts) + "</div>")


def labels_plain(report: dict[str, Any], key: str) -> str:
    return report["labels"].get(key, key)


def _nps(report: dict[str, Any], label) -> str:
    rows, touch_rows = [], []
    for r in report["ranking"]:
        nps = r.get("nps")
        if not nps or not nps["citing"]["n"]:
            continue
        lost = nps.get("points_lost")
        interval = f'{lost:+.1f} [{nps["low"]:+.1f}, {nps["high"]:+.1f}]' if lost is not None else "too few answers"
        rows.append(f'<tr><td>{label(r["cause"])}</td><td class="num">{nps["citing"]["n"]:,}</td>'
                    f'<td class="num">{_num(nps["citing"]["score"], 1, signed=True)}</td>'
                    f'<td class="num">{_num(nps["others"]["score"], 1, signed=True)}</td>'
                    f'<td class="num">{interval}</td><td class="num">{_pct(nps["detractor_share"])}</td></tr>')
        for name, t in (r.get("touchpoints") or {}).items():
            touch_rows.append(f'<tr><td>{label(r["cause"])}</td><td>{escape(name)}</td>'
                              f'<td class="num">{t["citing"]:.1f} <span class=small>(n={t["n_citing"]})</span></td>'
                              f'<td class="num">{t["others"]:.1f} <span class=small>(n={t["n_others"]})</span></td></tr>')
    if not rows:
        return '<h2>NPS impact</h2><p class="small">No survey answers with a score this month.</p>'
    html = ('<h2>NPS impact</h2><p class="small">Survey answers citing a cause against those that do not; points '
            'lost = NPS of the others minus NPS of those citing it, with a 95% interval.</p>'
            '<table id="nps"><thead><tr><th>Cause</th><th class="num">Answers citing</th><th class="num">NPS citing</th>'
            '<th class="num">NPS others</th><th class="num">Points lost [95%]</th>'
            '<th class="num">Detractors among citing</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")
    if touch_rows:
        html += ('<h3>Touchpoint scores (0-10)</h3><table id="touchpoints"><thead><tr><th>Cause</th><th>Touchpoint</th>'
                 '<th class="num">Mean, citing</th><th class="num">Mean, others</th></tr></thead><tbody>'
                 + "".join(touch_rows) + "</tbody></table>")
    return html


def _cooccurrence(report: dict[str, Any], label) -> str:
    pairs = report["cooccurrence"]
    if not pairs:
        return '<h2>Causes found together</h2><p class="small">No two pain points share more than one item.</p>'
    rows = "".join(f'<tr><td>{label(p["a"])} + {label(p["b"])}</td><td class="num">{p["items"]:,}</td>'
                   f'<td class="num">{_pct(p["share_of_a"])} / {_pct(p["share_of_b"])}</td>'
                   f'<td class="num">{p["lift"]:.1f}</td></tr>' for p in pairs)
    return ('<h2>Causes found together</h2><p class="small">Pairs of pain points in the same items, most frequent '
            'first; lift above 1 means they meet more often than chance, so one fix may remove both.</p>'
            '<table id="cooccurrence"><thead><tr><th>Pair</th><th class="num">Items with both</th>'
            '<th class="num">Share of each</th><th class="num">Lift</th></tr></thead><tbody>' + rows + "</tbody></table>")


def _subcauses(report: dict[str, Any], label) -> str:
    out = ['<h2>Root causes below the pain points</h2><p class="small">Groups of similar items within each cause '
           'and language, named by their most distinctive phrases. Ids stay the same from month to month; '
           '"new" groups appeared this month.</p>']
    for r in report["ranking"]:
        groups = report["subcauses"].get(r["cause"], [])
        if not groups:
            continue
        out.append(f'<div class="cause" id="sub-{escape(r["cause"])}"><h3>{r["rank"]}. {label(r["cause"])}</h3>')
        for g in groups[:8]:
            change = g.get("change")
            trend = (f'{g["previous_items"]:,} last month, {_ratio(change)}' if g["previous_items"] else
                     "new this month" if g["status"] == "new" else "")
            out.append(f'<p><strong dir="auto">{escape(g["label"])}</strong> <span class="small">{escape(g["id"])} · '
                       f'{escape(g["language"])} · {g["items"]:,} items · {trend}</span></p>')
            out += [verbatim(v["text"], v["language"]) for v in g["verbatims"]]
        if len(groups) > 8:
            out.append(f'<p class="small">…and {len(groups) - 8} smaller groups (see causes.csv).</p>')
        out.append("</div>")
    if report["gone_subcauses"]:
        gone = ", ".join(f'{escape(g["label"])} ({escape(g["subcause_id"])}, {g["previous_items"]} items last month)'
                         for g in report["gone_subcauses"])
        out.append(f'<p id="gone"><strong>Gone this month:</strong> {gone}.</p>')
    return "\n".join(out)


def _actions(report: dict[str, Any], label) -> str:
    if not report["actions"]:
        return ('<h2>Actions</h2><p class="small">No open actions. Assign one with '
                '<code>voc actions add --month … --cause … --owner … --action …</code>.</p>')
    rows = []
    for a in report["actions"]:
        verdict = a["verdict"]
        cls = {"fell": "falling", "rose": "rising"}.get(verdict, "")
        since = (f'{a.get("items_then", 0):,} → {a.get("items_now", 0):,} ({_ratio(a.get("change"))})'
                 if a.get("change") else "")
        rows.append(f'<tr><td class="num">{a["action_id"]}</td><td>{label(a["cause"])}'
                    f'{"<br><span class=small>" + escape(a["subcause"]) + "</span>" if a.get("subcause") else ""}</td>'
                    f'<td>{escape(a["owner"])}</td><td>{escape(a["action"])}</td><td>{escape(a["month"])}</td>'
                    f'<td>{escape(str(a.get("due") or "–"))}</td><td>{escape(a["status"])}</td>'
                    f'<td class="{cls}">{escape(verdict)}<br><span class=small>{since}</span></td></tr>')
    return ('<h2>Actions</h2><table id="actions"><thead><tr><th class="num">#</th><th>Cause</th><th>Owner</th>'
            '<th>Action</th><th>Since</th><th>Due</th><th>Status</th><th>Has the cause fallen?</th></tr></thead>'
            '<tbody>' + "".join(rows) + '</tbody></table><p class="small">"fell" and "rose" use the same test as '
            'the ranking (one-sided, p below 0.05), comparing the cause\'s rate in the action\'s month with this '
            'month.</p>')


def _callbacks(report: dict[str, Any]) -> str:
    stats = report["callbacks"]
    if not stats:
        return '<h2>Callbacks</h2><p class="small">No callbacks listed for items received this month.</p>'
    total = sum(s["n"] for s in stats)
    rows = "".join(f'<tr><td>{escape(s["reason"])}</td><td>{escape(s["channel"])}</td><td class="num">{s["n"]:,}</td>'
                   f'<td class="num">{s["median_hours"]:.0f} h</td></tr>' for s in stats)
    return (f'<h2>Callbacks</h2><p>{total:,} customers put on the callback list this month.</p>'
            '<table id="callbacks"><thead><tr><th>Reason</th><th>Channel</th><th class="num">Customers</th>'
            '<th class="num">Median deadline</th></tr></thead><tbody>' + rows + "</tbody></table>")


def _method(report: dict[str, Any]) -> str:
    return ('<h2>Method</h2><ul class="small" id="method">'
            '<li>Changes are rate ratios (items of the cause per feedback item) against last month and against the '
            'three months before, tested with the conditional binomial test for two Poisson counts, one-sided, '
            'Bonferroni-corrected over causes and both comparisons; intervals are exact 95%.</li>'
            '<li>Corrected items = items found × precision ÷ recall of the classifier for that cause, measured on '
            'real customer text picked at random, never on text the team wrote: your own labels of a random sample '
            '(<code>voc labels export --strategy random</code>) once there are 30 of them, else the model\'s figures '
            'on reserved real corpora it never trained on (its model card). Each cause says which it used; a cause '
            'with neither is shown uncorrected. The interval carries the count\'s Poisson noise and the uncertainty '
            'of precision and recall (simulation, fixed seed). Rate ratios are not affected by a constant '
            'correction.</li>'
            '<li>NPS = % promoters (9-10) − % detractors (0-6). Points lost: normal-approximation 95% interval.</li>'
            '<li>Sub-causes: TF-IDF of the sentences carrying the cause, k-means per cause and language, matched to '
            'last month\'s groups by term-profile similarity.</li>'
            f'<li>Model {escape(report["model"])}; only redacted text is shown.</li></ul>')
