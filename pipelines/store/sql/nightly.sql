-- name: callback_candidates
-- Feedback received in [start, end) with its production prediction, not yet on a callback list.
SELECT i.id AS item_id, i.channel, i.customer_ref, i.received_at, i.score, p.sentiment_score,
       x.text_clean, x.language
FROM items i
JOIN predictions p ON p.item_id = i.id AND p.model_version = $model_version
JOIN (SELECT item_id, arg_max(text_clean, prepared_at) AS text_clean, arg_max(language, prepared_at) AS language
      FROM prepared GROUP BY item_id) x ON x.item_id = i.id
WHERE i.kind = 'feedback' AND i.received_at >= $start AND i.received_at < $end
  AND NOT EXISTS (SELECT 1 FROM callbacks c WHERE c.item_id = i.id)
ORDER BY i.received_at;
-- name: daily_counts
-- Items per day (in the report time zone) and pain point, over the alert window.
SELECT day, pain_point, count(*) AS n
FROM (SELECT CAST(timezone($timezone, i.received_at) AS DATE) AS day, unnest(p.pain_points) AS pain_point
      FROM items i JOIN predictions p ON p.item_id = i.id AND p.model_version = $model_version
      WHERE i.kind = 'feedback' AND i.received_at >= $start AND i.received_at < $end)
GROUP BY ALL;
-- name: alert_items
SELECT i.id, i.channel, i.received_at, x.text_clean, x.language
FROM items i
JOIN predictions p ON p.item_id = i.id AND p.model_version = $model_version
JOIN (SELECT item_id, arg_max(text_clean, prepared_at) AS text_clean, arg_max(language, prepared_at) AS language
      FROM prepared GROUP BY item_id) x ON x.item_id = i.id
WHERE i.kind = 'feedback' AND list_contains(p.pain_points, $pain_point)
  AND CAST(timezone($timezone, i.received_at) AS DATE) = $day
ORDER BY p.sentiment_score, i.received_at
LIMIT $limit;
-- name: callbacks_listed
SELECT c.*, x.text_clean, x.language
FROM callbacks c LEFT JOIN (SELECT item_id, arg_max(text_clean, prepared_at) AS text_clean,
                                   arg_max(language, prepared_at) AS language
                            FROM prepared GROUP BY item_id) x ON x.item_id = c.item_id
WHERE c.listed_on = $day
ORDER BY c.deadline;
