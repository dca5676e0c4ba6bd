-- Social posts: one JSON object per row of `source_lines(line, raw)` into `staged`.
-- Understands a generic shape {id, created_at, author, text, in_reply_to, platform, lang},
-- X/Twitter API v2 tweet objects (optionally wrapped in {"data": ...}) and v1.1 statuses.
-- Parameters: $company_handles (lower-case, no @) $company_ids
CREATE OR REPLACE TEMP TABLE staged AS
WITH parsed AS (
    SELECT line, raw, CASE WHEN json_valid(raw) THEN CAST(raw AS JSON) END AS j
    FROM source_lines
    WHERE trim(raw) <> ''
),
tweets AS (
    SELECT line, raw, j,
        CASE WHEN json_type(j) <> 'OBJECT' THEN NULL
             WHEN json_type(j -> 'data') = 'OBJECT' THEN j -> 'data'
             ELSE j END AS t
    FROM parsed
),
fields AS (
    SELECT line, raw, j, t,
        coalesce(t ->> 'id_str', t ->> 'id', t ->> 'tweet_id', t ->> 'post_id') AS post_id,
        coalesce(t ->> '$.note_tweet.text', t ->> 'full_text', t ->> 'text', t ->> 'message', t ->> 'body') AS body,
        lower(ltrim(CASE
            WHEN json_type(t -> 'author') = 'OBJECT' THEN t ->> '$.author.username'
            WHEN json_type(t -> 'user') = 'OBJECT' THEN coalesce(t ->> '$.user.screen_name', t ->> '$.user.username')
            ELSE coalesce(t ->> 'author', t ->> 'user', t ->> 'username', t ->> 'screen_name')
        END, '@')) AS handle,
        coalesce(t ->> 'author_id', t ->> '$.user.id_str', t ->> '$.author.id') AS author_id,
        CAST(json_extract_string(t, '$.referenced_tweets[*].type') AS VARCHAR[]) AS ref_types,
        CAST(json_extract_string(t, '$.referenced_tweets[*].id') AS VARCHAR[]) AS ref_ids
    FROM tweets
)
SELECT
    line, raw,
    CASE WHEN j IS NULL THEN 'invalid JSON'
         WHEN t IS NULL THEN 'not a JSON object' END AS parse_problem,
    coalesce(t ->> 'platform',
             CASE WHEN (t -> 'author_id') IS NOT NULL OR (t -> 'referenced_tweets') IS NOT NULL
                       OR (t -> 'edit_history_tweet_ids') IS NOT NULL OR (t -> 'id_str') IS NOT NULL
                  THEN 'x' END,
             'social') AS source,
    post_id AS source_id,
    coalesce(t ->> 'created_at', t ->> 'timestamp', t ->> 'date') AS received_raw,
    body AS text,
    coalesce(author_id, handle) AS customer_raw,
    CAST(NULL AS VARCHAR) AS score_raw,
    coalesce(t ->> 'in_reply_to', t ->> 'in_reply_to_status_id_str', t ->> 'in_reply_to_status_id',
             ref_ids[list_position(ref_types, 'replied_to')]) AS parent_id,
    CASE
        WHEN list_contains(ref_types, 'retweeted') OR (t -> 'retweeted_status') IS NOT NULL
             OR coalesce(CAST(t ->> 'is_retweet' AS VARCHAR), '') IN ('true', '1')
             OR starts_with(ltrim(body), 'RT @') THEN 'retweet'
        WHEN list_contains($company_ids, author_id) OR list_contains($company_handles, handle) THEN 'company'
        ELSE 'feedback'
    END AS kind,
    CASE lower(t ->> 'lang') WHEN 'iw' THEN 'he' WHEN 'und' THEN NULL WHEN 'zxx' THEN NULL
         ELSE lower(t ->> 'lang') END AS lang,
    json_merge_patch(t, '{"id": null, "id_str": null, "text": null, "full_text": null, "note_tweet": null,
        "message": null, "body": null, "tweet_id": null, "post_id": null, "created_at": null, "author": null, "author_id": null, "user": null,
        "username": null, "screen_name": null, "includes": null, "entities": null,
        "in_reply_to_user_id": null, "in_reply_to_screen_name": null, "in_reply_to_user_id_str": null}') AS extra,
    CAST(NULL AS VARCHAR) AS touch_problem
FROM fields;
