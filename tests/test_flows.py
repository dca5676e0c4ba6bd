"""Whole flows under prefect_test_harness on the sample inbox (task logic is tested apart)."""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
prefect_testing = pytest.importorskip("prefect.testing.utilities")

from pipelines.classify.gate import promotion_decision  # noqa: E402
from pipelines.store import Warehouse  # noqa: E402
from tests.conftest import ROOT, SAMPLES, use_site  # noqa: E402
from tests.test_classify_cli import write_tiny_training  # noqa: E402


@pytest.fixture(scope="module")
def harness():
    with prefect_testing.prefect_test_harness():
        yield


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory):
    """A small production model trained once for the module."""
    from voc.cli import main

    base = tmp_path_factory.mktemp("models")
    write_tiny_training(base)
    _write_config(base, base)
    old = os.environ.get("VOC_CONFIG")
    os.environ["VOC_CONFIG"] = str(base / "voc.toml")
    try:
        assert main(["train", "--config", str(base / "train.toml"), "--version", "tiny-1"]) == 0
    finally:
        os.environ.pop("VOC_CONFIG") if old is None else os.environ.__setitem__("VOC_CONFIG", old)
    return base


def _write_config(folder, models_base):
    (folder / "voc.toml").write_text(textwrap.dedent(f"""
        [warehouse]
        path = "{folder}/voc.duckdb"
        [ingest]
        mappings = "{ROOT}/data/mappings"
        [social]
        company_handles = ["OrbitaCare", "Orbita_FR", "OrbitaIL"]
        [models]
        dir = "{models_base}/models"
        [taxonomy]
        path = "{ROOT}/data/taxonomy.yaml"
        [runs]
        inbox = "{folder}/inbox"
        reports = "{folder}/reports"
        timezone = "Europe/London"
        [classify]
        workers = 1
        [evaluation]
        shared_data = "{folder}/none"
        """))


@pytest.fixture
def site(tmp_path, tiny_models, monkeypatch):
    _write_config(tmp_path, tiny_models)
    shutil.copytree(SAMPLES, tmp_path / "inbox")
    use_site(monkeypatch, tmp_path)
    return tmp_path


def _counts(db):
    with Warehouse(db, read_only=True) as wh:
        return wh.query("SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM quarantine), "
                        "(SELECT count(*) FROM prepared), (SELECT count(*) FROM predictions), "
                        "(SELECT count(*) FROM callbacks), (SELECT count(*) FROM ingest_ledger WHERE status = 'landed')")[0]


def test_nightly_lands_classifies_lists_and_files_away(harness, site):
    from flows.nightly import nightly

    result = nightly(today="2026-10-20")
    assert result["files"] == 14 and result["rejected"] == 0 and result["classified"] > 300
    assert not [p for c in ("complaint_book", "social", "survey") for p in (site / "inbox" / c).glob("*.*")]
    assert len(list((site / "inbox" / "archive" / "2026-10-20").rglob("*.*"))) == 14
    callbacks = (site / "reports" / "callbacks" / "2026-10-20.csv").read_text()
    assert callbacks.startswith("deadline_local,") and result["callbacks"]["listed_today"] == callbacks.count("\n") - 1
    assert (site / "reports" / "alerts" / "2026-10-19.md").read_text().startswith("# Spike alerts")
    before = _counts(site / "voc.duckdb")
    # the same exports arrive again: nothing doubles
    shutil.copytree(SAMPLES, site / "inbox", dirs_exist_ok=True)
    again = nightly(today="2026-10-20")
    assert again["landed"] == 0 and again["classified"] == 0 and again["callbacks"]["added"] == 0
    assert _counts(site / "voc.duckdb")[:5] == before[:5]


def test_a_bad_file_is_rejected_with_its_reason_and_the_rest_lands(harness, site):
    from flows.nightly import nightly

    (site / "inbox" / "survey" / "scan.csv").write_bytes(b"%PDF-1.7 scanned form")
    result = nightly(today="2026-10-20")
    assert result["rejected"] == 1 and result["landed"] > 300
    rejected = site / "inbox" / "rejected" / "survey"
    assert (rejected / "scan.csv").is_file()
    assert "PDF" in (rejected / "scan.csv.reason.txt").read_text()


def test_a_run_killed_between_tasks_then_rerun_gives_the_same_counts(harness, site, tmp_path_factory, monkeypatch):
    import flows.nightly as nightly_module

    # reference: one uninterrupted run in another warehouse
    reference = tmp_path_factory.mktemp("reference")
    shutil.copy(site / "voc.toml", reference / "voc.toml")
    text = (reference / "voc.toml").read_text().replace(str(site), str(reference))
    (reference / "voc.toml").write_text(text)
    shutil.copytree(SAMPLES, reference / "inbox")
    monkeypatch.setenv("VOC_CONFIG", str(reference / "voc.toml"))
    nightly_module.nightly(today="2026-10-20")
    expected = _counts(reference / "voc.duckdb")

    monkeypatch.setenv("VOC_CONFIG", str(site / "voc.toml"))

    def crash(*args, **kwargs):
        raise RuntimeError("killed after classification, before the callback list")

    monkeypatch.setattr(nightly_module.build_callbacks, "fn", crash)
    with pytest.raises(RuntimeError, match="killed"):
        nightly_module.nightly(today="2026-10-20")
    monkeypatch.undo()
    monkeypatch.setenv("VOC_CONFIG", str(site / "voc.toml"))
    monkeypatch.setenv("VOC_SALT", "s")
    nightly_module.nightly(today="2026-10-20")
    got = _counts(site / "voc.duckdb")
    assert got[:5] == expected[:5]


@contextlib.contextmanager
def _nightly_lock_held_elsewhere(site):
    """Another process holds the site's nightly lock while the block runs."""
    lock = site / "voc.duckdb.nightly.lock"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import fcntl, time
        handle = open({str(lock)!r}, "a+")
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write("pid 4242 since test"); handle.flush()
        print("locked", flush=True)
        time.sleep(30)
    """)], stdout=subprocess.PIPE, text=True)
    with holder:
        try:
            assert holder.stdout.readline().strip() == "locked"
            yield
        finally:
            holder.kill()


def test_a_second_nightly_run_stops_with_a_clear_message(harness, site):
    from flows.nightly import nightly
    from flows.runlock import RunLocked

    with _nightly_lock_held_elsewhere(site):
        with pytest.raises(RunLocked, match="already working"):
            nightly(today="2026-10-20")
    assert not (site / "voc.duckdb").exists() or _counts(site / "voc.duckdb")[0] == 0


def test_monthly_report_for_a_month(harness, site):
    from flows.monthly import monthly, previous_month
    from flows.nightly import nightly

    nightly(today="2026-10-31")
    result = monthly(month="2026-10")
    assert result["items"] > 50 and len(result["top"]) == 3
    folder = site / "reports" / "2026-10"
    report = json.loads((folder / "report.json").read_text())
    scores = [r["priority"]["score"] for r in report["ranking"]]
    assert scores == sorted(scores, reverse=True)
    assert (folder / "causes.csv").read_text().startswith("level,rank,cause")
    assert "<h1>Complaint committee report" in (folder / "report.html").read_text()
    assert (folder / "report.md").read_text().startswith("# Complaint committee report")
    from datetime import date
    assert previous_month(date(2026, 1, 5)) == "2025-12"


def test_promotion_gate():
    def block(macro, **f1):
        return {"pain_points": {"macro_f1": macro, "per_label": {k: {"f1": v} for k, v in f1.items()}}}

    assert promotion_decision(block(0.8, a=0.8), None).promote
    better = promotion_decision(block(0.82, a=0.84, b=0.80), block(0.80, a=0.80, b=0.80))
    assert better.promote and better.deltas == {"a": 0.04, "b": 0.0}
    worse = promotion_decision(block(0.79, a=0.79), block(0.80, a=0.80))
    assert not worse.promote and "does not beat" in worse.reason
    one_label_falls = promotion_decision(block(0.85, a=0.99, b=0.71), block(0.80, a=0.80, b=0.80))
    assert not one_label_falls.promote and "b -0.090" in one_label_falls.reason


@pytest.mark.slow
def test_nightly_on_a_local_dask_cluster(harness, site):
    pytest.importorskip("prefect_dask")
    from prefect_dask import DaskTaskRunner

    from flows.nightly import nightly

    runner = DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True,
                                            "dashboard_address": None})
    result = nightly.with_options(task_runner=runner)(today="2026-10-20", distributed=True)
    assert result["classified"] > 300
    with Warehouse(site / "voc.duckdb", read_only=True) as wh:
        assert wh.query("SELECT count(*) = count(DISTINCT item_id) FROM predictions") == [(True,)]


def test_retrain_registers_a_candidate_and_applies_the_gate(harness, site, tiny_models):
    from flows.retrain import retrain
    from voc.models import production_version

    result = retrain(config=str(tiny_models / "train.toml"), version="tiny-candidate")
    assert (tiny_models / "models" / "tiny-candidate" / "MODEL_CARD.md").is_file()
    assert result["production"] == "tiny-1" and isinstance(result["promote"], bool) and result["reason"]
    # same data, same config: the candidate scores exactly like production, so it is not promoted
    assert result["promote"] is False and "does not beat" in result["reason"]
    assert production_version(tiny_models / "models") == "tiny-1"
    again = retrain(config=str(tiny_models / "train.toml"), version="tiny-candidate")
    assert again.get("existing") is True


def test_inbox_links_subfolders_and_devices_are_never_read_and_always_named(harness, site, tmp_path):
    """Issue 12: a link in the inbox to a secret was followed and its first line quoted."""
    import os

    from flows.nightly import nightly

    secret = tmp_path / "secret.csv"
    secret.write_text("VOC_SALT=TOPSECRET-do-not-leak\n", "utf-8")
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_text("id,date,complaint\n1,2026-10-01,on hold for an hour\n", "utf-8")
    book = site / "inbox" / "complaint_book"
    os.symlink(secret, book / "environ.csv")
    os.symlink(elsewhere, book / "outside.csv")
    os.symlink(tmp_path / "gone.csv", book / "dangling.csv")
    (book / "batch.csv").mkdir()
    (book / "batch.csv" / "inner.csv").write_text("id,date,complaint\n2,2026-10-01,rude\n", "utf-8")
    os.mkfifo(book / "pipe.csv")
    result = nightly(today="2026-10-20")
    skipped = {Path(s["path"]).name: s["why"] for s in result["skipped"]}
    assert set(skipped) == {"environ.csv", "outside.csv", "dangling.csv", "batch.csv", "pipe.csv"}
    assert skipped["environ.csv"].startswith("a link") and skipped["batch.csv"].startswith("a sub-folder")
    assert skipped["pipe.csv"].startswith("not a regular file")
    everything = "".join(p.read_text("utf-8", errors="replace") for p in (site / "inbox").rglob("*.txt"))
    assert "TOPSECRET" not in everything and "TOPSECRET" not in str(result)
    assert (book / "environ.csv").is_symlink() and (book / "batch.csv" / "inner.csv").is_file()  # left in place
    with Warehouse(site / "voc.duckdb", read_only=True) as wh:
        assert wh.query("SELECT count(*) FROM items WHERE text = 'on hold for an hour'") == [(0,)]
        assert wh.query("SELECT count(*) FROM ingest_ledger WHERE path LIKE '%environ%'") == [(0,)]


def test_a_rejection_never_quotes_what_is_not_a_header(wh, tmp_path):
    from pipelines.ingest import IngestOptions, ingest_file

    leaky = tmp_path / "keys.csv"
    leaky.write_text("PATH=/usr/bin:/bin VOC_SALT=TOPSECRET\nmore\n", "utf-8")
    report = ingest_file(wh, leaky, IngestOptions(salt="s", channel="complaint_book"))
    assert report.status == "rejected" and "TOPSECRET" not in report.reason and "not shown" in report.reason
    honest = tmp_path / "book.csv"
    honest.write_text("ref,when,note\n1,2026-10-01,x\n", "utf-8")
    report = ingest_file(wh, honest, IngestOptions(salt="s", channel="complaint_book"))
    assert "['ref', 'when', 'note']" in report.reason  # real column names still help the user
    rejected = wh.query("SELECT reason FROM ingest_ledger")
    assert all("TOPSECRET" not in r[0] for r in rejected)


def test_voc_run_nightly_refuses_at_once_when_another_run_holds_the_warehouse(site, capsys):
    """Issue 12: the refusal came after ~15 s (the temporary server's start), behind a traceback."""
    import time

    from voc.cli import main

    with _nightly_lock_held_elsewhere(site):
        started = time.monotonic()
        assert main(["run", "nightly", "--today", "2026-10-20"]) == 4
        assert time.monotonic() - started < 5  # no server was started (well under 1 s here)
        err = capsys.readouterr().err.strip()
        assert err.startswith("voc run: a nightly run is already working") and len(err.splitlines()) == 1
        assert "pid 4242" in err
