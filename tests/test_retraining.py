"""The retraining loop: labels out and in (Label Studio too), disagreements, reproducible
training with warehouse labels, the model registry (compare, promote gate, force, rollback),
reclassify, and the notebook API."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipelines.store import Warehouse
from tests.conftest import SAMPLES, use_site
from tests.test_classify_cli import ITEMS, _write_labels, write_tiny_training
from voc.cli import main


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    """A tiny production model, the samples ingested and classified."""
    base = tmp_path_factory.mktemp("loop")
    write_tiny_training(base)
    (base / "voc.toml").write_text(
        f'[warehouse]\npath = "{base}/voc.duckdb"\n[ingest]\nmappings = "{SAMPLES.parent}/mappings"\n'
        f'[models]\ndir = "{base}/models"\n[taxonomy]\npath = "{SAMPLES.parent}/taxonomy.yaml"\n'
        f'[classify]\nworkers = 1\n[evaluation]\nshared_data = "{base}/none"\n')
    with pytest.MonkeyPatch.context() as mp:
        use_site(mp, base)
        assert main(["train", "--config", str(base / "train.toml"), "--version", "good-1"]) == 0
        assert main(["ingest", str(SAMPLES)]) in (0, 1)
        assert main(["classify"]) == 0
    return base


@pytest.fixture
def env(loop, monkeypatch):
    use_site(monkeypatch, loop)
    return loop


def _labels(env):
    with Warehouse(env / "voc.duckdb", read_only=True) as wh:
        return wh.query("SELECT item_id, annotator, sentiment, pain_points FROM labels ORDER BY item_id, annotator")


def test_export_then_import_jsonl_and_csv_round_trip(env, capsys, tmp_path):
    out = tmp_path / "batch.jsonl"
    assert main(["labels", "export", "--strategy", "uncertain", "--n", "12", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 12 and all(r["prediction"]["model"] == "good-1" for r in rows)
    confidences = [r["prediction"]["reason"] for r in rows]
    assert all("nearest decision" in c for c in confidences)
    for r in rows:  # the annotator accepts the pre-annotation, except one correction
        r["annotator"] = "dana"
    rows[0]["pain_points"] = ["long_wait"]
    done = tmp_path / "done.jsonl"
    done.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    assert main(["labels", "import", str(done)]) == 0
    assert "12 label(s) added" in capsys.readouterr().out
    assert main(["labels", "import", str(done)]) == 0  # the same file again adds nothing
    assert "0 label(s) added, 12 already there" in capsys.readouterr().out
    stored = {r[0]: r for r in _labels(env) if r[1] == "dana"}
    assert stored[rows[0]["id"]][3] == ["long_wait"]
    # the next export skips what is labelled now
    assert main(["labels", "export", "--strategy", "uncertain", "--n", "12", "--out", str(out)]) == 0
    assert not {json.loads(line)["id"] for line in out.read_text().splitlines()} & set(stored)
    csv_out = tmp_path / "batch.csv"
    assert main(["labels", "export", "--strategy", "per-label", "--n", "8", "--format", "csv", "--out",
                 str(csv_out)]) == 0
    assert csv_out.read_text().startswith("id,text,lang,sentiment,pain_points,annotator")
    assert main(["labels", "import", str(csv_out), "--annotator", "omer"]) == 0
    assert "8 label(s) added" in capsys.readouterr().out


def test_label_studio_round_trip(env, capsys, tmp_path):
    out = tmp_path / "ls.json"
    assert main(["labels", "export", "--strategy", "random", "--n", "5", "--format", "label-studio",
                 "--out", str(out)]) == 0
    assert "pain_points" in (tmp_path / "ls.json.label_config.xml").read_text()
    tasks = json.loads(out.read_text())
    assert len(tasks) == 5 and tasks[0]["predictions"][0]["model_version"] == "good-1"
    # What Label Studio exports after two people annotated: the predictions became annotations.
    for n, task in enumerate(tasks):
        task["id"] = 100 + n
        task["annotations"] = [
            {"completed_by": {"id": 1, "email": "ana@example.org"}, "created_at": "2026-11-20T10:00:00Z",
             "result": task["predictions"][0]["result"]},
            {"completed_by": {"id": 2, "email": "ben@example.org"}, "created_at": "2026-11-20T11:00:00Z",
             "result": [{"from_name": "sentiment", "to_name": "text", "type": "choices",
                         "value": {"choices": ["positive"]}}]}]
    done = tmp_path / "ls-export.json"
    done.write_text(json.dumps(tasks))
    assert main(["labels", "import", str(done)]) == 0
    assert "10 label(s) added" in capsys.readouterr().out
    ids = {t["data"]["item_id"] for t in tasks}
    # a random sample may draw items labelled earlier in a targeted round: keep this file's labels
    stored = [r for r in _labels(env) if r[0] in ids and r[1] in ("ana@example.org", "ben@example.org")]
    assert len(stored) == 10 and {r[1] for r in stored} == {"ana@example.org", "ben@example.org"}
    assert all(r[3] == [] for r in stored if r[1] == "ben@example.org")  # an empty multiple choice: no pain point
    assert main(["labels", "disagreements"]) == 0
    listed = capsys.readouterr().out
    disagreeing = [t["data"]["item_id"] for t in tasks
                   if t["predictions"][0]["result"][0]["value"]["choices"] != ["positive"]
                   or t["predictions"][0]["result"][1]["value"]["choices"]]
    assert all(item in listed for item in disagreeing)
    assert f"{len(disagreeing)} item(s) with disagreeing annotators" in listed


def test_malformed_label_files_report_lines_and_keep_the_rest(env, capsys, tmp_path):
    with Warehouse(env / "voc.duckdb", read_only=True) as wh:
        (known,) = wh.query("SELECT id FROM items WHERE kind = 'feedback' ORDER BY id LIMIT 1")[0]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([
        json.dumps({"id": known, "sentiment": "negative", "pain_points": ["long_wait"], "annotator": "eve"}),
        "{not json",
        json.dumps({"id": known, "sentiment": "furious", "annotator": "eve"}),
        json.dumps({"id": known, "pain_points": ["waiting_forever"], "annotator": "eve"}),
        json.dumps({"sentiment": "neutral", "annotator": "eve", "text": "no id"}),
        json.dumps({"id": "nowhere-1", "sentiment": "neutral", "annotator": "eve"}),
        json.dumps({"id": known, "sentiment": "neutral"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "new-1", "text": "Brand new text, on hold for ages", "lang": "en", "sentiment": "negative",
                    "pain_points": ["long_wait"], "annotator": "eve"}),
    ]) + "\n")
    assert main(["labels", "import", str(bad)]) == 1
    captured = capsys.readouterr()
    assert "2 label(s) added" in captured.out and "7 rejected" in captured.out
    for expected in ("line 2: not valid JSON", "line 3: sentiment 'furious'", "line 4: unknown pain point",
                     "line 5: no id", "id nowhere-1: item is not in the warehouse", "line 7: no annotator",
                     "line 8: not a JSON object"):
        assert expected in captured.err
    studio = tmp_path / "ls.json"
    studio.write_text(json.dumps([{"id": 1, "data": {"item_id": known, "text": "x"}, "annotations": []},
                                  {"id": 2, "no_data": True}]))
    assert main(["labels", "import", str(studio)]) == 1
    err = capsys.readouterr().err
    assert "task 1 (id 1): no annotation" in err and "task 2 (id 2): not a Label Studio task" in err
    no_id = tmp_path / "x.csv"
    no_id.write_text("text,sentiment\nhello,neutral\n")
    assert main(["labels", "import", str(no_id), "--annotator", "eve"]) == 1
    assert "line 1: the header must name an id column" in capsys.readouterr().err


def test_training_is_reproducible_and_uses_warehouse_labels(env, capsys):
    assert main(["train", "--config", str(env / "train.toml"), "--version", "repro-a"]) == 0
    first = capsys.readouterr()
    assert main(["train", "--config", str(env / "train.toml"), "--version", "repro-b"]) == 0
    capsys.readouterr()
    assert "from warehouse labels" in first.err and " 0 from warehouse labels" not in first.err
    a = json.loads((env / "models" / "repro-a" / "metrics.json").read_text())
    b = json.loads((env / "models" / "repro-b" / "metrics.json").read_text())
    assert a["test"] == b["test"] and a["thresholds"] == b["thresholds"] and a["data"] == b["data"]
    assert a["data"]["sources"]["warehouse_labels"] > 0
    card = (env / "models" / "repro-a" / "MODEL_CARD.md").read_text()
    assert "from labels given in the warehouse" in card and "team-written" in card
    for part in ("Training data", "Thresholds", "Sentiment confusion", "Libraries", "Training took"):
        assert part in card


def test_registry_compare_promote_gate_force_and_rollback(env, capsys, tmp_path):
    worse = tmp_path / "worse"
    flip = {"negative": "positive", "positive": "negative", "neutral": "neutral"}
    wrong = [(text, flip[s], ["paid_contact"] if points else ["long_wait"]) for text, s, points in ITEMS]
    _write_labels(worse / "train" / "a.jsonl", wrong * 3, "w")
    (worse / "train.toml").write_text((env / "train.toml").read_text().replace(
        f'train = ["{env}/labels/train"]', f'train = ["{worse}/train"]') + "\n[mix]\nwarehouse = false\n")
    assert main(["train", "--config", str(worse / "train.toml"), "--version", "worse-1"]) == 0
    capsys.readouterr()
    assert main(["models", "compare", "good-1", "worse-1", "--config", str(env / "train.toml")]) == 0
    header = capsys.readouterr().out.splitlines()[1]
    assert "good-1" in header and "worse-1" in header  # columns named by version, not A and B
    assert main(["models", "compare", "good-1", "worse-1", "--config", str(env / "train.toml"), "--json"]) == 0
    compared = json.loads(capsys.readouterr().out)
    assert compared["macro_f1"]["b"] < compared["macro_f1"]["a"] and set(compared["deltas"]) >= {"long_wait"}
    assert main(["models", "promote", "worse-1", "--config", str(env / "train.toml")]) == 1
    assert "not promoted" in capsys.readouterr().err
    assert (env / "models" / "PRODUCTION").read_text().strip() == "good-1"
    assert main(["models", "promote", "worse-1", "--force"]) == 2
    assert main(["models", "promote", "worse-1", "--force", "--reason", "trial on live data"]) == 0
    assert (env / "models" / "PRODUCTION").read_text().strip() == "worse-1"
    log = [json.loads(line) for line in (env / "models" / "PRODUCTION.log").read_text().splitlines()]
    assert log[-1] == {**log[-1], "version": "worse-1", "previous": "good-1", "forced": True,
                       "reason": "trial on live data"}
    assert main(["models", "list"]) == 0
    assert "* worse-1" in capsys.readouterr().out
    # reclassify with the forced model: earlier predictions stay
    assert main(["reclassify", "--since", "2026-10-01"]) == 0
    with Warehouse(env / "voc.duckdb", read_only=True) as wh:
        by_model = dict(wh.query("SELECT model_version, count(*) FROM predictions GROUP BY ALL"))
        october = wh.query("SELECT count(*) FROM items WHERE kind = 'feedback' "
                           "AND received_at >= TIMESTAMPTZ '2026-09-30 23:00:00+00'")[0][0]
    assert by_model["worse-1"] == october and by_model["good-1"] > october
    assert main(["models", "rollback"]) == 0
    assert (env / "models" / "PRODUCTION").read_text().strip() == "good-1"
    # new items are classified by the restored model
    new = tmp_path / "inbox" / "social" / "new.jsonl"
    new.parent.mkdir(parents=True)
    new.write_text(json.dumps({"id": "after-rollback-1", "created_at": "2026-11-02T10:00:00Z",
                               "text": "On hold for two hours again", "author": "zed"}) + "\n")
    assert main(["ingest", str(new), "--channel", "social"]) == 0
    assert main(["classify"]) == 0
    with Warehouse(env / "voc.duckdb", read_only=True) as wh:
        versions = wh.query("SELECT p.model_version FROM predictions p JOIN items i ON i.id = p.item_id "
                            "WHERE i.source_id = 'after-rollback-1'")
    assert versions == [("good-1",)]
    assert main(["report", "--month", "2026-10", "--model", "worse-1", "--out", str(tmp_path / "r")]) == 0
    assert json.loads((tmp_path / "r" / "report.json").read_text())["model"] == "worse-1"


def test_notebook_api(env):
    from voc.api import load_model, versions

    assert "good-1" in versions()
    model = load_model("good-1")
    out = model.classify(["On hold for an hour again, nobody picks up", "Спасибо, отличный сервис", ""])
    assert list(out["text"])[0].startswith("On hold") and len(out) == 3
    assert {"sentiment", "sentiment_score", "pain_points", "uncertain", "language", "p_long_wait"} <= set(out.columns)
    assert out.loc[1, "language"] == "ru" and (out["model_version"] == "good-1").all()
    frame = pd.DataFrame({"comment": ["L'appli plante au paiement", None]}, index=[10, 11])
    scored = model.classify(frame, text_column="comment")
    assert list(scored.index) == [10, 11] and scored.loc[10, "language"] == "fr"
    with pytest.raises(KeyError, match="no column 'text'"):
        model.classify(frame)


def test_random_sample_labels_measure_the_model_and_stay_out_of_training(env, capsys, tmp_path):
    from voc.config import load_settings
    from voc.training import load_training_data

    settings = load_settings()
    before = {i.id for i in load_training_data(settings, env / "train.toml").train}
    out = tmp_path / "random.jsonl"
    assert main(["labels", "export", "--strategy", "random", "--n", "6", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 6 and {r["sampling"] for r in rows} == {"random"}
    for r in rows:
        r["annotator"] = "sample-reader"
    done = tmp_path / "random-done.jsonl"
    done.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    assert main(["labels", "import", str(done)]) == 0
    with Warehouse(env / "voc.duckdb", read_only=True) as wh:
        stored = wh.query("SELECT DISTINCT sampling FROM labels WHERE annotator = 'sample-reader'")
    assert stored == [("random",)]
    after = {i.id for i in load_training_data(settings, env / "train.toml").train}
    assert not {r["id"] for r in rows} & (after - before)
    # the next random sample does not draw these again
    assert main(["labels", "export", "--strategy", "random", "--n", "500", "--out", str(out)]) == 0
    again = {json.loads(line)["id"] for line in out.read_text().splitlines()}
    assert again and not again & {r["id"] for r in rows}


def test_history_before_any_promotion_says_so(tmp_path, monkeypatch, capsys):
    (tmp_path / "voc.toml").write_text(f'[warehouse]\npath = "{tmp_path}/w.duckdb"\n[models]\ndir = "{tmp_path}/models"\n')
    (tmp_path / "models").mkdir()
    use_site(monkeypatch, tmp_path)
    assert main(["models", "history"]) == 0
    assert "no promotion or rollback recorded yet" in capsys.readouterr().out
