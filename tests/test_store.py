import subprocess
import sys
import textwrap

import pytest

from pipelines.store import Warehouse, WarehouseBusy, WarehouseError


def test_migrations_are_applied_once_and_recorded(tmp_path):
    db = tmp_path / "voc.duckdb"
    with Warehouse(db) as wh:
        assert wh.schema_version >= 1
        tables = {r[0] for r in wh.query("SELECT table_name FROM information_schema.tables")}
        assert {"items", "quarantine", "ingest_ledger", "schema_migrations"} <= tables
    with Warehouse(db) as wh:
        assert wh.query("SELECT count(*) FROM schema_migrations") == [(wh.schema_version,)]


def test_reading_a_missing_warehouse_says_what_to_do(tmp_path):
    with pytest.raises(WarehouseError, match="voc ingest"):
        Warehouse(tmp_path / "absent.duckdb", read_only=True)


def test_a_second_writer_gets_a_clear_message(tmp_path):
    db = tmp_path / "voc.duckdb"
    Warehouse(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time, duckdb
            con = duckdb.connect({str(db)!r})
            print("locked", flush=True)
            time.sleep(30)
        """)],
        stdout=subprocess.PIPE, text=True,
    )
    with holder:
        try:
            assert holder.stdout.readline().strip() == "locked"
            with pytest.raises(WarehouseBusy, match="in use by another process"):
                Warehouse(db)
        finally:
            holder.kill()


def test_a_failed_transaction_leaves_nothing(wh):
    with pytest.raises(RuntimeError):
        with wh.transaction():
            wh.con.execute("INSERT INTO quarantine VALUES (1, 'f', 1, 'survey', 'r', NULL, NULL, 'h', now(), NULL)")
            raise RuntimeError("killed")
    assert wh.query("SELECT count(*) FROM quarantine") == [(0,)]
