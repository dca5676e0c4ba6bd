from datetime import datetime, timezone

import pytest

from tests.conftest import rows

HEADER = "response_id,submitted_at,nps,comment,score_wait_time,score_staff\n"


def test_survey_rows_land_with_score_and_touchpoints(ingest, wh):
    report = ingest("nps.csv", HEADER
                    + "S1,2026-10-01 09:00:00,9,Great service,8,10\n"
                    + 'S2,2026-10-02T10:15:00+02:00,3,"On hold for an hour, then cut off",2,\n',
                    channel="survey")
    assert (report.status, report.rows_read, report.landed, report.quarantined) == ("landed", 2, 2, 0)
    got = rows(wh, "SELECT source_id, score, received_at, extra->>'$.touchpoints.wait_time', "
                   "extra->'$.touchpoints.staff' FROM items ORDER BY source_id")
    assert got[0][:4] == ("S1", 9, datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc), "8")
    assert got[1][2] == datetime(2026, 10, 2, 8, 15, tzinfo=timezone.utc)
    assert got[1][4] == "null"


def test_bad_nps_and_dates_go_to_quarantine_with_line_and_reason(ingest, wh):
    report = ingest("nps.csv", HEADER
                    + "S1,2026-10-01 09:00,11,too high,,\n"
                    + "S2,2026-10-01 09:00,ten,spelled out,,\n"
                    + "S3,31/02/2026,5,impossible date,,\n"
                    + "S4,2026-10-01 09:00,7.5,half point,,\n"
                    + "S5,2026-10-01 09:00,7,fine,11,\n"
                    + "S6,2026-10-01 09:00,8,kept,,\n", channel="survey")
    assert (report.landed, report.quarantined) == (1, 5)
    got = rows(wh, "SELECT line, reason, detail FROM quarantine ORDER BY line")
    assert got == [
        (2, "NPS not a whole number 0-10", "got 11"),
        (3, "NPS not a whole number 0-10", "got ten"),
        (4, "unparseable date", "got 31/02/2026"),
        (5, "NPS not a whole number 0-10", "got 7.5"),
        (6, "touchpoint score not a whole number 0-10", "got wait_time=11"),
    ]
    raw = rows(wh, "SELECT raw FROM quarantine WHERE line = 2")[0][0]
    assert '"nps":"11"' in raw and '"comment":"too high"' in raw


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_line_numbers_count_blank_lines_and_line_breaks_in_values(ingest, wh, newline):
    """Blank lines (skipped by the reader), a quoted value holding a blank line, broken records:
    every quarantined row and every item names the line an editor shows."""
    lines = [
        HEADER.rstrip("\n"),                             # 1
        "S1,2026-10-01 09:00,9,good,,",                  # 2
        "",                                              # 3
        "S2,2026-10-01 09:00,11,nps too high,,",         # 4
        'S3,2026-10-01 09:00,5,"two paragraphs',         # 5
        "",                                              # 6 (inside the quoted value)
        'second one",,',                                 # 7
        "",                                              # 8
        "",                                              # 9
        "S4,2026-10-01 09:00,5,one,too,many,columns",    # 10
        "S5,2026-10-01 09:00,7,fine,,",                  # 11
    ]
    report = ingest("blank.csv", newline.join(lines) + newline, channel="survey")
    assert (report.landed, report.quarantined) == (3, 2)
    assert rows(wh, "SELECT line, reason FROM quarantine ORDER BY line") == [
        (4, "NPS not a whole number 0-10"), (10, "malformed CSV record (TOO MANY COLUMNS)")]
    assert rows(wh, "SELECT line, source_id FROM items ORDER BY line") == [(2, "S1"), (5, "S3"), (11, "S5")]
    assert rows(wh, "SELECT raw FROM quarantine WHERE line = 10")[0][0].startswith("S4,")


def test_score_without_comment_lands_but_empty_row_is_quarantined(ingest, wh):
    report = ingest("nps.csv", HEADER + "S1,2026-10-01 09:00,10,,,\nS2,2026-10-01 09:00,,,,\n", channel="survey")
    assert (report.landed, report.quarantined) == (1, 1)
    assert rows(wh, "SELECT source_id, text, score FROM items") == [("S1", "", 10)]
    assert rows(wh, "SELECT reason FROM quarantine") == [("no text",)]


def test_utf16_dayfirst_export_overlapping_another_lands_nothing_twice(ingest, wh):
    first = ingest("a.csv", HEADER + "S1,2015-02-24 11:35:00,4,Attente interminable,,\n"
                   "S2,2015-02-24 12:00:00,9,Très bien,,\n", channel="survey")
    second = ingest("b.csv", HEADER + "S2,24-02-2015 12.00,9,Très bien,,\nS3,24-02-2015 11.35,6,Ок,,\n",
                    encoding="utf-16", channel="survey")
    assert (first.landed, second.landed, second.duplicate) == (2, 1, 1)
    assert second.encoding == "utf-16"
    assert rows(wh, "SELECT received_at FROM items WHERE source_id = 'S3'") == [
        (datetime(2015, 2, 24, 11, 35, tzinfo=timezone.utc),)]


def test_same_file_twice_adds_nothing(ingest, wh):
    content = HEADER + "S1,2026-10-01 09:00,9,ok,,\nS2,2026-10-01 09:00,eleven,bad,,\n"
    ingest("a.csv", content, channel="survey")
    again = ingest("a.csv", content, channel="survey")
    assert (again.landed, again.duplicate, again.quarantined) == (0, 1, 1)
    assert rows(wh, "SELECT count(*) FROM items") == [(1,)]
    assert rows(wh, "SELECT count(*) FROM quarantine") == [(1,)]
    assert rows(wh, "SELECT count(*), sum(landed) FROM ingest_ledger") == [(2, 1)]


def test_naive_times_use_the_configured_time_zone(ingest, wh):
    ingest("nps.csv", HEADER + "S1,2026-07-01 12:00:00,9,ok,,\n", channel="survey", timezone="Asia/Jerusalem")
    assert rows(wh, "SELECT received_at FROM items") == [(datetime(2026, 7, 1, 9, 0, tzinfo=timezone.utc),)]


def test_channel_is_guessed_from_an_nps_column(ingest):
    report = ingest("whatever.csv", HEADER + "S1,2026-10-01 09:00,9,ok,,\n")
    assert report.channel == "survey"


def test_unix_epoch_seconds_are_utc_whatever_the_time_zone(ingest, wh):
    ingest("nps.csv", HEADER + "S1,1435636925,9,ok,,\n", channel="survey", timezone="Europe/Moscow")
    assert rows(wh, "SELECT received_at FROM items") == [(datetime(2015, 6, 30, 4, 2, 5, tzinfo=timezone.utc),)]


def test_rows_landed_after_a_mapping_fix_leave_quarantine(ingest, wh):
    """The same export ingested again with the right date order: its quarantined rows land
    and no longer count as waiting in quarantine; a row still bad for another reason keeps only
    its new reason."""
    from pipelines.store.status import warehouse_status

    content = (HEADER + "S1,31/10/2026 09:00,9,day first,,\n" + "S2,30/10/2026 10:00,3,also day first,,\n"
               + "S3,30/10/2026 10:00,12,bad NPS whatever the dates,,\n")
    first = ingest("nps.csv", content, channel="survey", dayfirst=False)
    assert (first.landed, first.quarantined) == (0, 3)
    again = ingest("nps.csv", content, channel="survey", dayfirst=True)
    assert (again.landed, again.quarantined) == (2, 1)
    assert rows(wh, "SELECT line, reason, resolved_by IS NOT NULL FROM quarantine ORDER BY line, reason") == [
        (2, "unparseable date", True), (3, "unparseable date", True),
        (4, "NPS not a whole number 0-10", False), (4, "unparseable date", True)]
    status = warehouse_status(wh)
    assert (status["quarantined_total"], status["quarantine_resolved"]) == (1, 3)
    assert status["quarantine_reasons"] == {"NPS not a whole number 0-10": 1}


def test_a_record_failing_again_keeps_a_waiting_quarantine_row(ingest, wh):
    """Options changed and changed back, and a verdict recorded at another line (line numbers
    of files with blank lines changed once): a record that still fails stays counted."""
    from pipelines.store.status import warehouse_status

    content = HEADER + "S1,2026-10-01 09:00,9,fine,,\n" + "S2,13/01/2026 10:00,5,a rather long comment,,\n"
    assert ingest("nps.csv", content, channel="survey", max_text_chars=15).quarantined == 1   # text too long
    assert ingest("nps.csv", content, channel="survey", dayfirst=False).quarantined == 1      # unparseable date
    assert ingest("nps.csv", content, channel="survey", max_text_chars=15).quarantined == 1   # too long again
    assert rows(wh, "SELECT count(*) FROM items WHERE source_id = 'S2'") == [(0,)]
    assert rows(wh, "SELECT reason FROM quarantine WHERE resolved_by IS NULL") == [("text too long",)]
    wh.con.execute("UPDATE quarantine SET line = 2 WHERE resolved_by IS NULL")  # recorded at another line
    ingest("nps.csv", content, channel="survey", max_text_chars=15)
    assert warehouse_status(wh)["quarantined_total"] == 1


def test_old_mac_line_endings_land_and_a_lone_cr_is_refused_cleanly(ingest, wh):
    report = ingest("mac.csv", HEADER.replace("\n", "\r") + "S1,2026-10-01 09:00,9,fine,,\r"
                    + "S2,2026-10-01 09:00,3,slow,,\r", channel="survey")
    assert (report.status, report.landed) == ("landed", 2)
    odd = ingest("odd.csv", b"\r!", channel="complaint_book")
    assert odd.status in {"landed", "rejected"} and (odd.status == "landed" or odd.reason)
