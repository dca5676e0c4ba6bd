"""voc report and voc actions end to end on the samples, classified by the shipped model."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

import pytest

from pipelines.report import causes_csv, render_html, render_markdown
from pipelines.store import Warehouse
from tests.conftest import ROOT, SAMPLES, use_site
from voc.cli import main

HOSTILE = [
    '<script>document.title="PWNED"</script> on hold for two hours, nobody answers',
    '<img src=x onerror="document.body.setAttribute(\'data-pwned\',1)"> your app crashes at payment every time',
    "=HYPERLINK(\"http://evil.example\",\"click\") hold music for an hour AGAIN",
    "Call me on +44 7700 900123 or mail jane.doe@example.com, 3rd time I explain the same story",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Samples plus a few hostile posts, ingested and classified with the shipped model."""
    base = tmp_path_factory.mktemp("report")
    (base / "voc.toml").write_text(
        f'[warehouse]\npath = "{base}/voc.duckdb"\n[ingest]\nmappings = "{ROOT}/data/mappings"\n'
        f'[social]\ncompany_handles = ["OrbitaCare"]\n[models]\ndir = "{ROOT}/models"\n'
        f'[taxonomy]\npath = "{ROOT}/data/taxonomy.yaml"\n[classify]\nworkers = 1\n'
        f'[runs]\nreports = "{base}/reports"\ntimezone = "Europe/London"\n')
    inbox = base / "inbox"
    shutil.copytree(SAMPLES, inbox)
    with open(inbox / "social" / "hostile.jsonl", "w", encoding="utf-8") as out:
        for n, text in enumerate(HOSTILE):
            out.write(json.dumps({"id": f"hostile-{n}", "created_at": f"2026-10-2{n}T10:00:00Z", "text": text,
                                  "author": f"user{n}"}) + "\n")
    with pytest.MonkeyPatch.context() as mp:
        use_site(mp, base)
        assert main(["ingest", str(inbox)]) in (0, 1)  # the samples hold rejected files on purpose
        assert main(["classify"]) == 0
    return base


@pytest.fixture
def env(site, monkeypatch):
    use_site(monkeypatch, site)
    return site


def _report(env, month, capsys=None):
    assert main(["report", "--month", month]) == 0
    folder = env / "reports" / month
    return json.loads((folder / "report.json").read_text()), folder


def test_report_files_and_ranking(env, capsys):
    assert main(["report", "--month", "2026-09"]) == 0
    report, folder = _report(env, "2026-10")
    out = capsys.readouterr().out
    assert "report for 2026-10" in out and "report.html" in out
    for name in ("report.html", "report.md", "causes.csv", "report.json"):
        assert (folder / name).stat().st_size > 500
    ranking = report["ranking"]
    assert [r["rank"] for r in ranking] == list(range(1, len(ranking) + 1))
    scores = [r["priority"]["score"] for r in ranking]
    assert scores == sorted(scores, reverse=True)
    with Warehouse(env / "voc.duckdb", read_only=True) as wh:
        (october,) = wh.con.execute(
            "SELECT count(*) FROM items i JOIN predictions p ON p.item_id = i.id WHERE i.kind = 'feedback' "
            "AND timezone('Europe/London', i.received_at) >= TIMESTAMP '2026-10-01' "
            "AND timezone('Europe/London', i.received_at) < TIMESTAMP '2026-11-01'").fetchone()
    assert report["totals"]["items"] == october
    for r in ranking:
        assert r["corrected"]["low"] <= r["corrected"]["estimate"] <= r["corrected"]["high"]
        assert r["vs_previous"]["count"] == r["items"]
        parts = r["priority"]
        assert parts["score"] == pytest.approx(parts["corrected_items"] * parts["negative_share"] * parts["trend_weight"]
                                               * parts["nps_weight"], rel=0.01)
    assert any(r["cause"] == "negative_no_pain_point" for r in ranking)
    assert report["nps"]["n"] > 10
    assert any(r["nps"] and r["nps"]["points_lost"] is not None for r in ranking)
    assert report["subcauses"] and report["history"]["months"][-1] == "2026-10"
    html = (folder / "report.html").read_text()
    for section in ("ranking", "how-to-read", "nps", "method"):
        assert f'id="{section}"' in html
    assert html.count('class="cause-row"') == len(ranking)


def test_verbatims_are_redacted_and_tagged_with_their_language(env):
    report, folder = _report(env, "2026-10")
    verbatims = [v for groups in report["subcauses"].values() for g in groups for v in g["verbatims"]]
    assert verbatims and {v["language"] for v in verbatims} >= {"en", "fr"}
    everything = "".join((folder / n).read_text() for n in ("report.html", "report.md", "causes.csv", "report.json"))
    assert "jane.doe@example.com" not in everything and "7700 900123" not in everything
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", everything.replace("noreply", ""))
    html = (folder / "report.html").read_text()
    assert '<blockquote lang="he" dir="rtl">' in html or "he" not in {v["language"] for v in verbatims}


def test_customer_text_never_becomes_markup():
    report = _synthetic_report()
    html = render_html(report)
    assert "<script" not in html.lower() and 'onerror="' not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=" in html
    md = render_markdown(report)
    assert "<script>" not in md and "<img" not in md
    rows = list(csv.reader(io.StringIO(causes_csv(report))))
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row
               if not re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", cell))
    assert any(cell.startswith("'=") for row in rows for cell in row)


def test_a_month_without_data_says_so(env):
    report, folder = _report(env, "2025-01")
    assert report["ranking"] == [] and "No classified feedback" in report["data_note"]
    html = (folder / "report.html").read_text()
    assert 'id="data-note"' in html and "<svg" not in html


def test_subcause_ids_are_stable_across_months_and_reruns(env):
    first, _ = _report(env, "2026-10")
    again, _ = _report(env, "2026-10")
    ids = lambda r: sorted(g["id"] for groups in r["subcauses"].values() for g in groups)  # noqa: E731
    assert ids(first) == ids(again)
    september, _ = _report(env, "2026-09")
    october, _ = _report(env, "2026-10")
    continuing = [g for groups in october["subcauses"].values() for g in groups if g["status"] == "continuing"]
    known = set(ids(september))
    assert continuing and all(g["id"] in known and g["previous_items"] for g in continuing if not g["various"])


def test_actions_add_list_close_import_and_show_in_the_report(env, capsys, tmp_path):
    assert main(["actions", "add", "--month", "2026-09", "--cause", "long_wait", "--owner", "Contact centre",
                 "--action", "Evening shift on the billing line", "--due", "2026-12-15"]) == 0
    assert main(["actions", "add", "--month", "2026-10", "--cause", "bogus", "--owner", "x", "--action", "y"]) == 2
    assert "unknown cause 'bogus'" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("month,cause,owner,action,due\n2026-10,self_service,IT,Fix login loop,\n"
                   "2026-13,long_wait,Ops,Hire,\n2026-10,menu_navigation,,Shorter menu,2026-11-31\n", "utf-8")
    assert main(["actions", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "line 3" in err and "line 4" in err and "nothing was imported" in err
    good = tmp_path / "good.csv"
    good.write_text("month,cause,owner,action,due\n2026-10,self_service,IT,\"=Fix login loop\",2026-11-30\n", "utf-8")
    assert main(["actions", "import", str(good)]) == 0
    september, _ = _report(env, "2026-09")
    sub = next(g for groups in september["subcauses"].values() for g in groups)
    cause = sub["id"].split(".")[0]
    assert main(["actions", "add", "--month", "2026-09", "--cause", f"{cause}/{sub['id']}", "--owner", "Ops",
                 "--action", "Fix the sub-cause"]) == 0
    assert main(["actions", "add", "--month", "2026-09", "--cause", f"long_wait/self_service.en.1", "--owner", "Ops",
                 "--action", "mismatch"]) == 2
    capsys.readouterr()
    assert main(["actions", "list"]) == 0
    listed = capsys.readouterr().out
    assert "Evening shift" in listed and "Fix login loop" in listed and "Shorter menu" not in listed
    report, folder = _report(env, "2026-10")
    verdicts = {a["action"]: a for a in report["actions"]}
    assert verdicts["Evening shift on the billing line"]["verdict"] in ("fell", "rose", "no significant change")
    assert verdicts["=Fix login loop"]["verdict"] == "started this month"
    assert verdicts["Fix the sub-cause"]["measured_on"].startswith(("sub-cause", "cause"))
    assert "Evening shift on the billing line" in (folder / "report.html").read_text()
    first_id = verdicts["Evening shift on the billing line"]["action_id"]
    assert main(["actions", "close", str(first_id), "--note", "done"]) == 0
    assert main(["actions", "close", str(first_id), "--note", "again"]) == 2
    assert main(["actions", "close", "999", "--note", "x"]) == 2


def test_report_needs_a_valid_month(env, capsys):
    with pytest.raises(SystemExit):
        main(["report"])
    assert main(["report", "--month", "October"]) == 2
    assert "YYYY-MM" in capsys.readouterr().err


def _synthetic_report() -> dict:
    hostile = HOSTILE[0] + " " + HOSTILE[1]
    change = {"count": 5, "exposure": 10, "ref_count": 2, "ref_exposure": 10, "ratio": 2.5, "low": 0.5, "high": 12.0,
              "p_rise": 0.2, "p_fall": 0.9}
    row = {"cause": "long_wait", "label": "<b>Long</b>", "rank": 1, "items": 5, "negative": 5, "uncertain": 1,
           "share_of_negative": 0.5, "mean_sentiment": -0.7, "channels": {"social<script>": 5}, "languages": {"en": 5},
           "corrected": {"observed": 5, "estimate": 6.0, "low": 2.0, "high": 12.0, "corrected": True},
           "vs_previous": change, "vs_average": change, "rising": False, "falling": False, "rank_uncertain": False,
           "nps": None, "touchpoints": {},
           "priority": {"score": 6.0, "low": 2.0, "high": 12.0, "corrected_items": 6.0, "negative_share": 1.0,
                        "trend_weight": 1.0, "nps_weight": 1.0}}
    return {"month": "2026-10", "model": "m", "timezone": "Europe/London", "generated_at": "now",
            "labels": {"long_wait": "Long <i>waits</i>"}, "priority_rule": "rule",
            "totals": {"items": 10, "negative": 10, "uncertain": 1, "with_pain_point": 5, "by_channel": {"social": 10},
                       "by_language": {"en": 10}, "survey_answers": 0},
            "data_note": None, "ranking": [row],
            "subcauses": {"long_wait": [{"id": "long_wait.en.1", "label": "=cmd|' /C calc'!A0", "language": "en",
                                         "items": 5, "previous_items": None, "status": "new", "change": None,
                                         "various": False,
                                         "verbatims": [{"id": "x", "language": "en", "text": hostile},
                                                       {"id": "y", "language": "he", "text": "חיכיתי <b>שעה</b> on hold"}]}]},
            "gone_subcauses": [{"subcause_id": "long_wait.en.9", "label": "<script>x</script>", "previous_items": 3}],
            "cooccurrence": [], "history": {"months": ["2026-10"], "totals": [10], "causes": {"long_wait": [5]}},
            "nps": None, "callbacks": [],
            "actions": [{"action_id": 1, "cause": "long_wait", "subcause": None, "owner": "<script>o</script>",
                         "action": "<img src=x onerror=alert(1)>", "month": "2026-09", "due": None, "status": "open",
                         "verdict": "no significant change", "change": change, "items_then": 2, "items_now": 5}]}


def test_correction_says_what_it_rests_on_and_prefers_the_companys_random_labels(env, capsys, tmp_path):
    report, _ = _report(env, "2026-10")
    bases = {r["cause"]: r["correction_basis"] for r in report["ranking"]}
    assert bases["negative_no_pain_point"].startswith("not a classifier output")
    assert all("test split" not in b and "team" not in b for b in bases.values())
    assert all(b.startswith(("reserved real corpora", "no measure on real random items")) for c, b in bases.items()
               if c != "negative_no_pain_point")
    shipped = json.loads((ROOT / "models" / report["model"] / "metrics.json").read_text())
    if "reserved" in shipped:  # the shipped model's card measures the reserved corpora: they correct the counts
        assert any(b.startswith("reserved real corpora") for b in bases.values())
    # 30 random items labelled by the company's own people take over the correction.
    out = tmp_path / "random.jsonl"
    assert main(["labels", "export", "--strategy", "random", "--n", "40", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) >= 30 and all(r["sampling"] == "random" for r in rows)
    for r in rows:
        r["annotator"] = "qa-team"  # accepts the pre-annotation as it stands
    done = tmp_path / "random-done.jsonl"
    done.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    assert main(["labels", "import", str(done)]) == 0
    capsys.readouterr()
    report, folder = _report(env, "2026-10")
    found = {r["cause"]: r for r in report["ranking"]}
    own = [r for r in found.values() if r["correction_basis"].startswith("your labels")]
    assert own, "a pain point present among the random labels is corrected with them"
    assert all(f"{len(rows)} random items" in r["correction_basis"] for r in own)
    assert all(r["corrected"]["corrected"] == (not r["correction_basis"].endswith("not corrected")) for r in own)
    assert "your labels" in (folder / "report.html").read_text() and "your labels" in (folder / "report.md").read_text()
