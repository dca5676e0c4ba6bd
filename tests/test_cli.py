"""The `voc` command on the bundled samples: what `make demo` runs."""

import json
import re
import shutil

import pytest

from tests.conftest import ROOT, SAMPLES
from voc.cli import main

HEBREW, CYRILLIC, FRENCH = re.compile("[\u05d0-\u05ea]"), re.compile("[\u0400-\u04ff]"), re.compile("[éèàçêù]")


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("VOC_CONFIG", str(ROOT / "voc.toml"))
    monkeypatch.setenv("VOC_DB", str(tmp_path / "voc.duckdb"))
    monkeypatch.delenv("VOC_SALT", raising=False)
    return tmp_path


def _status(capsys):
    capsys.readouterr()
    assert main(["status", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_samples_land_in_every_channel_and_language(env, capsys):
    assert main(["ingest", str(SAMPLES)]) == 0
    out = capsys.readouterr().out
    assert "REJECTED" not in out
    status = _status(capsys)
    assert set(status["items_by_channel"]) == {"complaint_book", "social", "survey"}
    assert status["items_total"] == sum(status["items_by_channel"].values())
    assert status["latest_month"] == "2026-10"
    assert len(status["feedback_by_month"]) >= 4
    assert status["quarantined_total"] > 0 and "no text" in status["quarantine_reasons"]
    assert status["items_by_kind"]["company"] > 0 and status["items_by_kind"]["retweet"] > 0
    assert (env / "voc.duckdb.salt").is_file()


def test_samples_hold_all_four_languages_per_channel(env, capsys):
    from pipelines.store import Warehouse

    main(["ingest", str(SAMPLES)])
    with Warehouse(env / "voc.duckdb", read_only=True) as wh:
        for channel in ("complaint_book", "social", "survey"):
            texts = [r[0] for r in wh.query("SELECT text FROM items WHERE channel = ?", [channel])]
            assert any(HEBREW.search(t) for t in texts), channel
            assert any(CYRILLIC.search(t) for t in texts), channel
            assert any(FRENCH.search(t) for t in texts), channel
            assert sum(1 for t in texts if t.isascii() and len(t) > 20) > 10, channel
        assert wh.query("SELECT count(*) FROM items WHERE customer_ref LIKE '%@%'") == [(0,)]


def test_second_demo_run_adds_nothing(env, capsys):
    main(["ingest", str(SAMPLES)])
    first = _status(capsys)
    assert main(["ingest", str(SAMPLES)]) == 0
    second = _status(capsys)
    assert (second["items_total"], second["quarantined_total"]) == (first["items_total"], first["quarantined_total"])


def test_a_rejected_file_gives_a_nonzero_exit_and_the_rest_lands(env, capsys):
    inbox = env / "inbox"
    shutil.copytree(SAMPLES / "survey", inbox / "survey")
    (inbox / "survey" / "scan.csv").write_bytes(b"%PDF-1.4 not a csv")
    assert main(["ingest", str(inbox)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"REJECTED .*scan\.csv: file is a PDF document", out)
    assert _status(capsys)["items_by_channel"]["survey"] > 100


def test_status_of_an_empty_warehouse(env, capsys):
    status = _status(capsys)
    assert status == {"items_total": 0, "items_by_channel": {}, "quarantined_total": 0, "latest_month": None}


@pytest.mark.parametrize("command", [[], ["ingest"], ["status"]])
def test_every_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(command + ["--help"])
    assert exit_.value.code == 0
    assert "example" in capsys.readouterr().out


def test_a_bad_config_names_the_file(tmp_path, monkeypatch, capsys):
    bad = tmp_path / "voc.toml"
    bad.write_text('[ingest]\ntimezone = "Mars/Olympus"\n')
    monkeypatch.setenv("VOC_CONFIG", str(bad))
    monkeypatch.setenv("VOC_DB", str(tmp_path / "x.duckdb"))
    assert main(["status"]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "Mars/Olympus" in err


def test_hostile_file_names_are_printed_escaped(env, capsys):
    """Issue 12: a name with terminal escapes, a newline or a right-to-left override was printed raw."""
    folder = env / "in"
    folder.mkdir()
    name = "a\x1b[2Jb\nFAKE landed\u202eXSL.csv"
    (folder / name).write_text("id,date,complaint\n1,2026-10-01,on hold for an hour\n", "utf-8")
    assert main(["ingest", str(folder / name), "--channel", "complaint_book"]) == 0
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "\nFAKE landed" not in out
    assert "\\x1b[2Jb\\nFAKE landed\\u202eXSL.csv" in out


def test_a_missing_file_is_said_and_recorded_nowhere(env, capsys):
    assert main(["ingest", str(env / "nonexistent.csv")]) == 1
    out = capsys.readouterr().out
    assert "REJECTED" in out and "nonexistent.csv: no such file" in out
    assert _status(capsys)["files_rejected"] == 0


def test_empty_status_and_a_bad_month_say_what_they_are(env, capsys):
    assert main(["status"]) == 0
    assert "None" not in capsys.readouterr().out
    assert main(["report", "--month", "2026-13"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("voc report: month '2026-13' is not YYYY-MM") and "configuration" not in err


def test_voc_serve_starts_its_server_with_the_ui_it_points_to_and_bound_to_its_life(monkeypatch, tmp_path):
    """Issue 12: `voc serve` printed a UI address that answered 404 (UI disabled for its server)."""
    import voc.cmd_serve as serve

    seen = {}

    class FakePopen:
        def __init__(self, args, **kwargs):
            kwargs["stdout"].close()  # the server's log file: no process writes to it here
            seen.update(kwargs, args=args)

    monkeypatch.setattr(serve.subprocess, "Popen", FakePopen)
    monkeypatch.setattr(serve, "_wait_healthy", lambda url, server: None)
    serve.start_local_server(4321, tmp_path / "server.log")
    assert seen["env"]["PREFECT_UI_ENABLED"] == "true" and "127.0.0.1" in seen["args"]
    assert seen["preexec_fn"] is not None


def test_every_subcommand_help_has_a_description():
    import argparse

    from voc.cli import build_parser

    def walk(parser, name):
        yield name, parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child_name, child in action.choices.items():
                    yield from walk(child, f"{name} {child_name}")

    missing = [name for name, parser in walk(build_parser(), "voc") if not parser.description]
    assert not missing, f"no description in --help of: {missing}"
