"""Real exports from ../shared/data (third-party; read at run time, never copied)."""

from datetime import datetime, timezone

import pytest

from pipelines.ingest import IngestOptions, ingest_file
from tests.conftest import SHARED_DATA

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"real corpora not found at {SHARED_DATA}"),
]


def _ingest(wh, relative, channel, **extra):
    return ingest_file(wh, SHARED_DATA / relative, IngestOptions(salt="s", channel=channel, **extra))


def test_messy_airline_export_lands_whole(wh):
    report = _ingest(wh, "airline_tweets/Tweets.raw.csv", "social")
    # 14,640 rows; 155 tweet ids appear twice; nothing is malformed.
    assert (report.rows_read, report.landed, report.duplicate, report.quarantined) == (14640, 14485, 155, 0)
    first, last = wh.query("SELECT min(received_at), max(received_at) FROM items")[0]
    assert datetime(2015, 2, 16, tzinfo=timezone.utc) <= first and last < datetime(2015, 2, 25, tzinfo=timezone.utc)
    (text,), = wh.query("SELECT text FROM items WHERE source_id = '570306133677760000'")
    assert text == "=@VirginAmerica What @dhepburn said."  # kept as written; outputs neutralise formulas
    (broken,), = wh.query("SELECT text FROM items WHERE source_id = '568967907042037000'")
    assert broken.startswith("=@jetblue \ufffd I used points")  # a cut emoji, not mojibake
    multi = wh.query("SELECT count(*) FROM items WHERE contains(text, chr(10))")[0][0]
    assert multi > 0


def test_clean_copy_of_the_same_tweets_is_all_duplicates(wh):
    _ingest(wh, "airline_tweets/Tweets.raw.csv", "social")
    report = _ingest(wh, "airline_tweets/tweets.jsonl", None)
    assert (report.channel, report.landed, report.quarantined) == ("social", 0, 0)
    assert report.duplicate == report.rows_read == 14640


@pytest.mark.parametrize("relative, landed_at_least", [
    ("russian_feedback/gazprombank_sravni_reviews_2024.csv", 367),
    ("bank_reviews_fr/west_africa_bank_reviews.csv", 7000),
    ("trustpilot_reviews/trustpilot_rings_en.csv", 4600),
    ("trustpilot_reviews/keytrade_reviews.csv", 1000),
])
def test_review_exports_land_as_complaint_books(wh, relative, landed_at_least):
    report = _ingest(wh, relative, "complaint_book")
    assert report.status == "landed" and report.landed >= landed_at_least
    assert report.landed + report.duplicate + report.quarantined == report.rows_read


def test_russian_tweets_with_epoch_dates(wh):
    report = _ingest(wh, "russian_feedback/banks_test_etalon.csv", "social")
    assert report.landed > 3000
    assert wh.query("SELECT min(year(received_at)) FROM items") == [(2015,)]


def test_complaints_without_dates_are_quarantined_not_lost(wh):
    report = _ingest(wh, "cfpb_complaints/cfpb_narratives_4k.csv", "complaint_book")
    assert report.landed >= 200 and report.quarantined > 3000
    assert wh.query("SELECT DISTINCT reason FROM quarantine") == [("no date",)]
    assert wh.query("SELECT count(*) FROM quarantine WHERE raw LIKE '%narrative%'") == [(report.quarantined,)]


def test_twcs_export_with_twitter_dates_lands(wh):
    report = _ingest(wh, "twcs_support_tweets/twcs_first5000_all_companies.csv", "social")
    # 5,001 records; tweet 3398 is an empty record (no text, no date): the only one quarantined
    assert (report.rows_read, report.landed, report.quarantined) == (5001, 5000, 1)
    assert wh.query("SELECT reason FROM quarantine") == [("no text",)]
    first, last = wh.query("SELECT min(received_at), max(received_at) FROM items")[0]
    assert first.year >= 2008 and last < datetime(2018, 1, 1, tzinfo=timezone.utc)
