"""A run that dies mid-file leaves the warehouse as it was; running again completes it."""

import os
import signal
import subprocess
import sys
import time

import pytest

from pipelines.store import Warehouse
from pipelines.store import landing
from tests.conftest import ROOT


def _survey(path, rows):
    with open(path, "w", encoding="utf-8") as out:
        out.write("response_id,submitted_at,nps,comment\n")
        for i in range(rows):
            out.write(f"S{i},2026-10-01 10:00:00,{i % 12},comment number {i}\n")


def test_failure_between_quarantine_and_items_rolls_back(ingest, wh, monkeypatch):
    content = "response_id,submitted_at,nps,comment\nS1,2026-10-01,9,ok\nS2,2026-10-01,11,bad\n"
    real = landing._write_ledger

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # like Ctrl-C after items and quarantine were written

    monkeypatch.setattr(landing, "_write_ledger", crash)
    with pytest.raises(KeyboardInterrupt):
        ingest("nps.csv", content, channel="survey")
    assert wh.query("SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM quarantine), "
                    "(SELECT count(*) FROM ingest_ledger)") == [(0, 0, 0)]
    monkeypatch.setattr(landing, "_write_ledger", real)
    report = ingest("nps.csv", content, channel="survey")
    assert (report.landed, report.quarantined) == (1, 1)


def test_killed_process_then_rerun_gives_the_same_warehouse(tmp_path):
    data = tmp_path / "survey" / "big.csv"
    data.parent.mkdir()
    _survey(data, 300_000)
    env = {**os.environ, "VOC_DB": str(tmp_path / "voc.duckdb"), "VOC_SALT": "s",
           "VOC_CONFIG": str(ROOT / "voc.toml")}
    command = [sys.executable, "-m", "voc.cli", "ingest", str(data)]
    victim = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    with Warehouse(tmp_path / "voc.duckdb") as wh:
        items, quarantined = wh.query("SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM quarantine)")[0]
    expected_bad = sum(1 for i in range(300_000) if i % 12 == 11)
    assert (items, quarantined) in {(0, 0), (300_000 - expected_bad, expected_bad)}
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    with Warehouse(tmp_path / "voc.duckdb") as wh:
        assert wh.query("SELECT count(*), count(DISTINCT id) FROM items") == [(300_000 - expected_bad,) * 2]
        assert wh.query("SELECT count(*) FROM quarantine") == [(expected_bad,)]
