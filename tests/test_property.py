"""Arbitrary bytes and arbitrary rows never crash ingestion and never lose a row."""

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.ingest import IngestOptions, ingest_file
from pipelines.store import Warehouse

OPTIONS = IngestOptions(salt="p")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

cell = st.one_of(st.text(max_size=40), st.sampled_from(["", "11", "ten", "2026-10-01", "24-02-2015 11.35",
                                                        "42059.48", "=cmd|' /C calc'!A0", "\x00\x01", "7"]))


def _counts(wh):
    return wh.query("SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM quarantine)")[0]


def _check(report, wh, before):
    if report.status == "rejected":
        assert report.reason and "\n" not in report.reason
        assert _counts(wh) == before
        return
    assert report.landed + report.duplicate + report.quarantined == report.rows_read
    items, quarantined = _counts(wh)
    assert items - before[0] == report.landed
    assert quarantined - before[1] <= report.quarantined


@SETTINGS
@given(content=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".jsonl", ".xlsx", ".json"]),
       channel=st.sampled_from(["complaint_book", "social", "survey", None]))
def test_arbitrary_bytes_never_crash(tmp_path, content, suffix, channel):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(content)
    with Warehouse() as wh:
        report = ingest_file(wh, path, IngestOptions(salt="p", channel=channel))
        _check(report, wh, (0, 0))


@SETTINGS
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=6), max_size=25),
       encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]))
def test_arbitrary_survey_rows_are_all_accounted_for(tmp_path, rows, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["response_id", "submitted_at", "nps", "comment", "score_staff"])
    writer.writerows(rows)
    path = tmp_path / "survey.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    with Warehouse() as wh:
        report = ingest_file(wh, path, IngestOptions(salt="p", channel="survey"))
        _check(report, wh, (0, 0))
        if report.status == "landed":
            assert report.rows_read == sum(1 for r in rows if r)  # blank lines are not records
        again = ingest_file(wh, path, IngestOptions(salt="p", channel="survey"))
        if report.status == "landed":
            assert again.landed == 0


@SETTINGS
@given(posts=st.lists(st.dictionaries(st.sampled_from(["id", "text", "created_at", "author", "lang", "data"]),
                                      st.one_of(st.text(max_size=20), st.integers(), st.none(),
                                                st.just("2026-10-01T10:00:00Z")), max_size=6), max_size=20))
def test_arbitrary_posts_are_all_accounted_for(tmp_path, posts):
    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in posts), encoding="utf-8")
    with Warehouse() as wh:
        report = ingest_file(wh, path, OPTIONS)
        _check(report, wh, (0, 0))
        if report.status == "landed":
            assert report.rows_read == len(posts)
