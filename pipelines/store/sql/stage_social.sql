-- Social posts: one JSON object per row of `source_lines(line, raw)` into the view `staged`.
-- Understands a generic shape {id, created_at, author, text, in_reply_to, platform, lang},
-- X/Twitter API v2 tweet objects (optionally wrapped in {"data": ...}) and v1.1 statuses.
-- Each line is parsed once into a struct. Parameters: $company_handles (lower-case, no @) $company_ids
CREATE OR REPLACE TEMP TABLE social_posts AS
WITH checked_json AS (
    SELECT line, raw,
        CASE WHEN NOT json_valid(raw) THEN 'invalid JSON'
             WHEN json_type(raw) <> 'OBJECT' THEN 'not a JSON object' END AS parse_problem
    FROM source_lines
    WHERE json_valid(raw) OR trim(raw) <> ''
),
documents AS (
    SELECT line, raw, parse_problem,
        CASE WHEN parse_problem IS NOT NULL THEN NULL
             WHEN contains(raw, '"data"') AND json_type(raw, '$.data') = 'OBJECT'
                 THEN CAST(json_extract(raw, '$.data') AS VARCHAR)
             ELSE raw END AS doc
    FROM checked_json
)
SELECT line, raw, parse_problem, doc, from_json(doc, '{
    "id": "VARCHAR", "id_str": "VARCHAR", "tweet_id": "VARCHAR", "post_id": "VARCHAR",
    "text": "VARCHAR", "full_text": "VARCHAR", "message": "VARCHAR", "body": "VARCHAR", "note_tweet": "JSON",
    "created_at": "VARCHAR", "timestamp": "VARCHAR", "date": "VARCHAR",
    "author": "JSON", "user": "JSON", "username": "VARCHAR", "screen_name": "VARCHAR", "author_id": "VARCHAR",
    "platform": "VARCHAR", "lang": "VARCHAR", "is_retweet": "VARCHAR", "retweeted_status": "JSON",
    "in_reply_to": "VARCHAR", "in_reply_to_status_id_str": "VARCHAR", "in_reply_to_status_id": "VARCHAR",
    "referenced_tweets": [{"type": "VARCHAR", "id": "VARCHAR"}], "edit_history_tweet_ids": "JSON"}') AS p
FROM documents;
-- ;;
CREATE OR REPLACE TEMP TABLE stage_params AS
SELECT CAST($company_handles AS VARCHAR[]) AS company_handles, CAST($company_ids AS VARCHAR[]) AS company_ids;
-- ;;
CREATE OR REPLACE TEMP VIEW staged AS
WITH fields AS (
    SELECT line, raw, parse_problem, doc, p,
        coalesce(p.note_tweet ->> 'text', p.full_text, p.text, p.message, p.body) AS body,
        lower(ltrim(CASE
            WHEN json_type(p.author) = 'OBJECT' THEN p.author ->> 'username'
            WHEN json_type(p.user) = 'OBJECT' THEN coalesce(p.user ->> 'screen_name', p.user ->> 'username')
            ELSE coalesce(p.author ->> '$', p.user ->> '$', p.username, p.screen_name)
        END, '@')) AS handle,
        coalesce(p.author_id, p.user ->> 'id_str', p.author ->> 'id') AS author_id,
        list_transform(p.referenced_tweets, lambda r: r.type) AS ref_types,
        list_transform(p.referenced_tweets, lambda r: r.id) AS ref_ids
    FROM social_posts
)
SELECT
    line, raw, parse_problem,
    coalesce(p.platform,
             CASE WHEN p.author_id IS NOT NULL OR p.referenced_tweets IS NOT NULL
                       OR p.edit_history_tweet_ids IS NOT NULL OR p.id_str IS NOT NULL THEN 'x' END,
             'social') AS source,
    coalesce(p.id_str, p.id, p.tweet_id, p.post_id) AS source_id,
    coalesce(p.created_at, p.timestamp, p.date) AS received_raw,
    body AS text,
    coalesce(author_id, handle) AS customer_raw,
    CAST(NULL AS VARCHAR) AS score_raw,
    coalesce(p.in_reply_to, p.in_reply_to_status_id_str, p.in_reply_to_status_id,
             ref_ids[list_position(ref_types, 'replied_to')]) AS parent_id,
    CASE
        WHEN list_contains(ref_types, 'retweeted') OR p.retweeted_status IS NOT NULL
             OR lower(coalesce(p.is_retweet, '')) IN ('true', '1')
             OR starts_with(ltrim(body), 'RT @') THEN 'retweet'
        WHEN list_contains(sp.company_ids, author_id) OR list_contains(sp.company_handles, handle) THEN 'company'
        ELSE 'feedback'
    END AS kind,
    CASE lower(p.lang) WHEN 'iw' THEN 'he' WHEN 'und' THEN NULL WHEN 'zxx' THEN NULL ELSE lower(p.lang) END AS lang,
    -- Everything else the post carries is kept, minus what became a column and the
    -- author's identity; most generic posts carry nothing else, and get no extra at all.
    CASE WHEN doc IS NULL THEN NULL
         WHEN len(list_filter(json_keys(doc), lambda k: NOT list_contains([
        'id', 'id_str', 'tweet_id', 'post_id', 'text', 'full_text', 'note_tweet', 'message',
        'body', 'created_at', 'timestamp', 'date', 'author', 'author_id', 'user', 'username',
        'screen_name', 'platform', 'lang', 'in_reply_to', 'in_reply_to_status_id',
        'in_reply_to_status_id_str', 'includes', 'entities', 'in_reply_to_user_id',
        'in_reply_to_screen_name', 'in_reply_to_user_id_str'], k))) = 0 THEN NULL
         ELSE json_merge_patch(doc, '{
        "id": null, "id_str": null, "tweet_id": null, "post_id": null, "text": null,
        "full_text": null, "note_tweet": null, "message": null, "body": null, "created_at": null,
        "timestamp": null, "date": null, "author": null, "author_id": null, "user": null,
        "username": null, "screen_name": null, "platform": null, "lang": null, "in_reply_to": null,
        "in_reply_to_status_id": null, "in_reply_to_status_id_str": null, "includes": null,
        "entities": null, "in_reply_to_user_id": null, "in_reply_to_screen_name": null,
        "in_reply_to_user_id_str": null}') END AS extra,
    CAST(NULL AS VARCHAR) AS touch_problem
FROM fields, stage_params AS sp;
