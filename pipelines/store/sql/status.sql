-- name: totals
SELECT count(*) AS items_total,
       count(*) FILTER (WHERE kind = 'feedback') AS feedback_total,
       strftime(max(received_at), '%Y-%m') AS latest_month,
       strftime(min(received_at), '%Y-%m') AS earliest_month
FROM items;
-- name: by_channel
SELECT channel, count(*) AS n FROM items GROUP BY channel ORDER BY channel;
-- name: by_kind
SELECT kind, count(*) AS n FROM items GROUP BY kind ORDER BY kind;
-- name: by_channel_language
-- The detected language once items are prepared, else what the source declared.
SELECT i.channel, coalesce(p.language, i.language, 'unknown') AS language, count(*) AS n
FROM items i
LEFT JOIN (SELECT item_id, arg_max(language, prepared_at) AS language FROM prepared GROUP BY item_id) p
       ON p.item_id = i.id
WHERE i.kind = 'feedback' GROUP BY ALL ORDER BY i.channel, n DESC, language;
-- name: other_language
-- Feedback in a language none of the configured ones: counted, never scored (no sentiment).
SELECT count(DISTINCT p.item_id) AS other_language_not_scored
FROM predictions p JOIN items i ON i.id = p.item_id
WHERE i.kind = 'feedback' AND p.sentiment IS NULL;
-- name: predictions
SELECT model_version, count(*) AS items, count(*) FILTER (WHERE uncertain) AS uncertain,
       count(*) FILTER (WHERE len(pain_points) > 0) AS with_pain_points,
       strftime(max(predicted_at), '%Y-%m-%d %H:%M:%S') AS last_run
FROM predictions GROUP BY model_version ORDER BY last_run DESC;
-- name: by_month
SELECT strftime(received_at, '%Y-%m') AS month, channel, count(*) AS n
FROM items WHERE kind = 'feedback' GROUP BY ALL ORDER BY month, channel;
-- name: quarantine_total
SELECT count(*) FILTER (WHERE resolved_by IS NULL) AS quarantined_total,
       count(resolved_by) AS quarantine_resolved FROM quarantine;
-- name: quarantine_reasons
SELECT reason, count(*) AS n FROM quarantine WHERE resolved_by IS NULL GROUP BY reason ORDER BY n DESC, reason LIMIT 10;
-- name: files
SELECT count(*) FILTER (WHERE status = 'landed') AS files_landed,
       count(*) FILTER (WHERE status = 'rejected') AS files_rejected
FROM ingest_ledger;
-- name: last_ingests
SELECT ingest_id, path, status, channel, rows_read, landed, duplicate, quarantined, reason,
       strftime(finished_at, '%Y-%m-%d %H:%M:%S') AS finished_at
FROM ingest_ledger ORDER BY ingest_id DESC LIMIT 10;
