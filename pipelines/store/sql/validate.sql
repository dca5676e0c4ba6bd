-- Validate the rows of `staged` (one per source row, all text) into `checked`:
-- each row gets either a quarantine reason or a clean record with its item id.
-- Parameters: $channel $timezone $dayfirst $salt $max_text_chars $now $text_optional_with_score
CREATE OR REPLACE TEMP TABLE checked AS
WITH cleaned AS (
    SELECT
        line, raw, parse_problem, touch_problem, kind, lang, parent_id, extra,
        coalesce(nullif(trim(source), ''), $channel) AS source,
        nullif(trim(source_id), '') AS given_id,
        nullif(trim(received_raw), '') AS received_clean,
        nullif(trim(text), '') AS text_clean,
        nullif(trim(score_raw), '') AS score_clean,
        voc_customer_key(customer_raw) AS customer_key
    FROM staged
),
parsed AS (
    SELECT *,
        voc_parse_time(received_clean, $timezone, $dayfirst) AS received_at,
        CASE WHEN regexp_full_match(score_clean, '\s*(10|[0-9])(\.0+)?\s*')
             THEN CAST(CAST(score_clean AS DOUBLE) AS TINYINT) END AS score,
        text_clean IS NOT NULL AND (
            contains(text_clean, chr(0))
            OR (regexp_matches(text_clean, '[\x01-\x08\x0B\x0C\x0E-\x1F\x{FFFD}]')
                AND length(regexp_replace(text_clean, '[\x01-\x08\x0B\x0C\x0E-\x1F\x{FFFD}]', '', 'g'))
                    < 0.9 * length(text_clean))
        ) AS looks_binary
    FROM cleaned
),
judged AS (
    SELECT *,
        CASE
            WHEN parse_problem IS NOT NULL THEN parse_problem
            WHEN text_clean IS NULL AND NOT ($text_optional_with_score AND score IS NOT NULL)
                THEN 'no text'
            WHEN length(text_clean) > $max_text_chars THEN 'text too long'
            WHEN looks_binary THEN 'binary data in text'
            WHEN received_clean IS NULL THEN 'no date'
            WHEN received_at IS NULL THEN 'unparseable date'
            WHEN received_at > CAST($now AS TIMESTAMPTZ) + INTERVAL 1 DAY THEN 'date in the future'
            WHEN score_clean IS NOT NULL AND score IS NULL THEN 'NPS not a whole number 0-10'
            WHEN touch_problem IS NOT NULL THEN 'touchpoint score not a whole number 0-10'
            WHEN $channel <> 'complaint_book' AND given_id IS NULL THEN 'no id'
        END AS reason
    FROM parsed
),
keyed AS (
    SELECT *,
        CASE
            WHEN reason IS NOT NULL THEN NULL
            WHEN $channel = 'complaint_book' AND given_id IS NULL
                THEN 'h:' || substr(md5(CAST(received_at AS VARCHAR) || '|' || text_clean || '|'
                                        || coalesce(customer_key, '')), 1, 16)
            ELSE given_id
        END AS source_id
    FROM judged
)
SELECT
    line, CASE WHEN reason IS NOT NULL THEN raw END AS raw, reason,
    CASE reason
        WHEN 'text too long' THEN 'text has ' || length(text_clean) || ' characters; the limit is ' || $max_text_chars
        WHEN 'unparseable date' THEN 'got ' || left(received_clean, 80)
        WHEN 'date in the future' THEN 'got ' || left(received_clean, 80)
        WHEN 'NPS not a whole number 0-10' THEN 'got ' || left(score_clean, 80)
        WHEN 'touchpoint score not a whole number 0-10' THEN 'got ' || left(touch_problem, 200)
    END AS detail,
    CASE WHEN reason IS NULL THEN
        substr(md5($channel || '|' || source || '|' || source_id
                   || CASE WHEN $channel = 'complaint_book' THEN '|' || md5(text_clean) ELSE '' END), 1, 20)
    END AS id,
    source, source_id, coalesce(kind, 'feedback') AS kind, received_at,
    coalesce(text_clean, '') AS text,
    voc_customer_ref(customer_key, $salt) AS customer_ref,
    score, nullif(trim(lang), '') AS language, nullif(trim(parent_id), '') AS parent_id, extra
FROM keyed;
