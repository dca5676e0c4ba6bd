-- name: month_items
-- The month's feedback with its prediction by one model and its latest prepared text.
WITH m AS (
    SELECT i.id, i.channel, i.received_at, i.score, p.sentiment, p.sentiment_score, p.pain_points, p.uncertain,
           CAST(p.spans AS VARCHAR) AS spans, CAST(i.extra -> '$.touchpoints' AS VARCHAR) AS touchpoints
    FROM items i
    JOIN predictions p ON p.item_id = i.id AND p.model_version = $model_version
    WHERE i.kind = 'feedback' AND i.received_at >= $start AND i.received_at < $end
), x AS (
    SELECT x.item_id, arg_max(x.text_clean, x.prepared_at) AS text_clean, arg_max(x.language, x.prepared_at) AS language
    FROM prepared x SEMI JOIN m ON x.item_id = m.id
    GROUP BY x.item_id
)
SELECT m.id, m.channel, coalesce(x.language, 'other') AS language, m.received_at, m.score, m.sentiment,
       m.sentiment_score, m.pain_points, m.uncertain, m.spans, x.text_clean, m.touchpoints
FROM m LEFT JOIN x ON x.item_id = m.id;
-- name: cause_history
-- Items per month (in the report time zone) and cause, and each month's totals (cause '*').
WITH scored AS (
    SELECT strftime(timezone($timezone, i.received_at), '%Y-%m') AS month, p.sentiment, p.uncertain,
           CASE WHEN len(p.pain_points) = 0 AND p.sentiment = 'negative' THEN ['negative_no_pain_point']
                ELSE p.pain_points END AS causes
    FROM items i JOIN predictions p ON p.item_id = i.id AND p.model_version = $model_version
    WHERE i.kind = 'feedback' AND i.received_at >= $start AND i.received_at < $end
)
SELECT month, cause, count(*) AS n FROM (SELECT month, unnest(causes) AS cause FROM scored) GROUP BY ALL
UNION ALL
SELECT month, '*' AS cause, count(*) AS n FROM scored WHERE sentiment IS NOT NULL GROUP BY ALL;  -- "other": not scored
-- name: callback_stats
SELECT reason, channel, count(*) AS n,
       median(epoch(deadline - received_at) / 3600.0) AS median_hours
FROM callbacks
WHERE received_at >= $start AND received_at < $end
GROUP BY ALL ORDER BY n DESC;
-- name: actions
SELECT * FROM actions ORDER BY action_id;
-- name: subcauses
SELECT s.subcause_id, s.cause, s.language, s.label, CAST(s.terms AS VARCHAR) AS terms, s.first_month
FROM subcauses s ORDER BY s.subcause_id;
-- name: subcause_month
-- The sub-causes of the latest month before $month that has any, for one model.
SELECT m.month, m.subcause_id, m.items, CAST(m.terms AS VARCHAR) AS terms
FROM subcause_months m
WHERE m.model_version = $model_version AND m.month = (
    SELECT max(month) FROM subcause_months WHERE model_version = $model_version AND month < $month);
-- name: subcause_same_month
-- Sub-causes already recorded for this month and model (a re-run keeps their ids).
SELECT m.month, m.subcause_id, m.items, CAST(m.terms AS VARCHAR) AS terms
FROM subcause_months m WHERE m.model_version = $model_version AND m.month = $month;
-- name: subcause_items
SELECT month, items FROM subcause_months WHERE model_version = $model_version AND subcause_id = $subcause_id;
-- name: random_labels
-- Pain points people gave to randomly sampled items (latest label per item) beside one model's.
WITH latest AS (
    SELECT item_id, arg_max(pain_points, labelled_at) AS gold
    FROM labels WHERE sampling = 'random' AND pain_points IS NOT NULL GROUP BY item_id
)
SELECT l.item_id, l.gold, p.pain_points AS predicted
FROM latest l JOIN predictions p ON p.item_id = l.item_id AND p.model_version = $model_version
WHERE p.sentiment IS NOT NULL
ORDER BY l.item_id;
