import json

from tests.conftest import rows


def _jsonl(*objects):
    return "\n".join(json.dumps(o, ensure_ascii=False) for o in objects) + "\n"


def test_generic_posts_replies_company_and_retweets(ingest, wh):
    content = _jsonl(
        {"id": "p1", "created_at": "2026-10-01T08:00:00Z", "platform": "facebook", "author": "@dana",
         "text": "3rd time I give my account number &amp; still nothing"},
        {"id": "p2", "created_at": "2026-10-01T08:10:00Z", "platform": "facebook", "author": "@OrbitaCare",
         "text": "Sorry Dana, DM us", "in_reply_to": "p1"},
        {"id": "p3", "created_at": "2026-10-01T09:00:00+03:00", "platform": "x", "author": "@bob",
         "text": "RT @dana: 3rd time I give my account number"},
        {"id": "p4", "created_at": "2026-10-01T10:00:00Z", "author": "@dana", "text": "still waiting",
         "in_reply_to": "p2", "lang": "en"},
    )
    report = ingest("posts.jsonl", content)
    assert (report.channel, report.landed) == ("social", 4)
    got = rows(wh, "SELECT source_id, source, kind, parent_id, language FROM items ORDER BY source_id")
    assert got == [("p1", "facebook", "feedback", None, None), ("p2", "facebook", "company", "p1", None),
                   ("p3", "x", "retweet", None, None), ("p4", "social", "feedback", "p2", "en")]
    refs = rows(wh, "SELECT customer_ref FROM items WHERE source_id IN ('p1', 'p4')")
    assert refs[0] == refs[1]
    assert rows(wh, "SELECT count(*) FROM items WHERE extra::VARCHAR LIKE '%dana%'") == [(0,)]


def test_x_api_v2_tweet_objects(ingest, wh):
    content = _jsonl(
        {"data": {"id": "1846000000000000101", "text": "חיכיתי שעה על הקו", "author_id": "42",
                  "created_at": "2026-10-05T14:22:31.000Z", "lang": "iw", "conversation_id": "1846000000000000101",
                  "public_metrics": {"like_count": 3}}},
        {"id": "1846000000000000102", "text": "Sorry to hear that", "author_id": "1500000000000000001",
         "created_at": "2026-10-05T14:30:00.000Z", "lang": "en",
         "referenced_tweets": [{"type": "replied_to", "id": "1846000000000000101"}]},
        {"id": "1846000000000000103", "text": "RT @x: חיכיתי שעה", "author_id": "43",
         "created_at": "2026-10-05T15:00:00.000Z", "referenced_tweets": [{"type": "retweeted", "id": "1"}]},
        {"id": "1846000000000000104", "text": "Очень длинный твит...", "author_id": "44",
         "note_tweet": {"text": "Очень длинный твит, полный текст здесь"},
         "created_at": "2026-10-05T16:00:00.000Z", "lang": "ru"},
    )
    ingest("x.jsonl", content)
    got = rows(wh, "SELECT source, kind, parent_id, language, text, extra->>'$.public_metrics.like_count' "
                   "FROM items ORDER BY source_id")
    assert got == [
        ("x", "feedback", None, "he", "חיכיתי שעה על הקו", "3"),
        ("x", "company", "1846000000000000101", "en", "Sorry to hear that", None),
        ("x", "retweet", None, None, "RT @x: חיכיתי שעה", None),
        ("x", "feedback", None, "ru", "Очень длинный твит, полный текст здесь", None),
    ]


def test_bad_lines_are_quarantined_with_their_line_number(ingest, wh):
    content = _jsonl({"id": "a", "created_at": "2026-10-01T00:00:00Z", "text": "ok"})
    content += '{"id": "b", "text": "cut in the mid\n'
    content += "\n"  # blank lines are not records
    content += _jsonl({"id": "c", "created_at": "2026-10-01T00:00:00Z", "text": ""},
                      {"id": "d", "created_at": "yesterday", "text": "when?"},
                      {"created_at": "2026-10-01T00:00:00Z", "text": "no id"},
                      ["not", "an", "object"],
                      {"id": "e", "created_at": "2026-10-01T00:00:00Z", "text": "x" * 5_000_000},
                      {"id": "f", "created_at": "2026-10-01T00:00:00Z", "text": "\x00\x01\x02\x03 junk \x00\x00"})
    report = ingest("posts.jsonl", content)
    assert (report.rows_read, report.landed, report.quarantined) == (8, 1, 7)
    assert rows(wh, "SELECT line, reason FROM quarantine ORDER BY line") == [
        (2, "invalid JSON"), (4, "no text"), (5, "unparseable date"), (6, "no id"),
        (7, "not a JSON object"), (8, "text too long"), (9, "binary data in text")]


def test_a_json_array_file_is_read_element_by_element(ingest, wh):
    content = json.dumps([{"id": "a", "created_at": "2026-10-01T00:00:00Z", "text": "one"},
                          {"id": "b", "created_at": "2026-10-01T00:00:00Z", "text": "two"}])
    report = ingest("export.json", content)
    assert (report.landed, report.rows_read) == (2, 2)


def test_social_csv_export(ingest, wh):
    content = ("tweet_id,text,name,tweet_created\n"
               '1,"=@VirginAmerica what @dhepburn said.",cairdin,42059.4832407407\n'
               "2,RT @a: hello,bob,42059.5\n3,We are on it,OrbitaCare,42059.6\n")
    report = ingest("tweets.csv", content, channel="social")
    assert report.landed == 3
    assert rows(wh, "SELECT kind FROM items ORDER BY source_id") == [("feedback",), ("retweet",), ("company",)]
    assert rows(wh, "SELECT text FROM items WHERE source_id = '1'") == [("=@VirginAmerica what @dhepburn said.",)]


def test_a_csv_named_jsonl_is_rejected(ingest, wh):
    report = ingest("posts.jsonl", "id,text\n1,a\n2,b\n3,c\n")
    assert report.status == "rejected" and "JSON Lines" in report.reason
    assert rows(wh, "SELECT count(*) FROM quarantine") == [(0,)]


def test_twitter_dates_as_documented_land_in_every_shape(ingest, wh):
    """Twitter writes "Tue Feb 24 11:35:52 +0000 2015": the year comes after the offset."""
    generic = ingest("tw.jsonl", _jsonl({"id": "T2", "created_at": "Tue Feb 24 11:35:52 +0000 2015",
                                          "author": "@b", "text": "waiting forever"}), channel="social")
    status = ingest("v11.jsonl", _jsonl({"id_str": "T3", "created_at": "Wed Feb 25 09:00:01 +0100 2015",
                                         "full_text": "on hold again", "user": {"screen_name": "c", "id_str": "7"}}),
                    channel="social")
    csv = ingest("tweets.csv", "tweet_id,created_at,author_id,text\n"
                               "T4,Tue Oct 31 22:10:47 +0000 2017,d,\"nobody answers\"\n", channel="social")
    assert (generic.landed, status.landed, csv.landed) == (1, 1, 1)
    got = dict(rows(wh, "SELECT source_id, strftime(received_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') FROM items"))
    assert got == {"T2": "2015-02-24 11:35:52", "T3": "2015-02-25 08:00:01", "T4": "2017-10-31 22:10:47"}
