-- name: candidates
-- Items the production model has scored, not yet labelled by anyone, with their prediction.
SELECT i.id, x.text_clean AS text, coalesce(x.language, 'other') AS lang, i.channel, i.received_at,
       p.sentiment, p.sentiment_score, p.pain_points, CAST(p.scores AS VARCHAR) AS scores, p.uncertain
FROM items i
JOIN predictions p ON p.item_id = i.id AND p.model_version = $model_version
JOIN (SELECT item_id, arg_max(text_clean, prepared_at) AS text_clean, arg_max(language, prepared_at) AS language
      FROM prepared GROUP BY item_id) x ON x.item_id = i.id
WHERE i.kind = 'feedback' AND length(trim(x.text_clean)) > 0 AND p.sentiment IS NOT NULL
  AND ($lang IS NULL OR x.language = $lang)
  -- a random sample draws from every scored item (earlier targeted labels would bias it);
  -- it only skips items already in a random sample
  AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.item_id = i.id AND (NOT $random OR l.sampling = 'random'));
-- name: model_disagreements
-- Items whose predictions differ between model versions: {item_id, versions, sentiments, pain point sets}.
SELECT item_id, count(DISTINCT model_version) AS versions,
       count(DISTINCT sentiment) AS sentiments, count(DISTINCT list_sort(pain_points)) AS pain_sets
FROM predictions GROUP BY item_id
HAVING count(DISTINCT model_version) > 1 AND (count(DISTINCT sentiment) > 1 OR count(DISTINCT list_sort(pain_points)) > 1);
-- name: labels
SELECT l.item_id, coalesce(l.text, x.text_clean) AS text, coalesce(l.lang, x.language, 'other') AS lang,
       l.sentiment, l.pain_points, l.annotator, l.labelled_at, l.source, l.sampling
FROM labels l
LEFT JOIN (SELECT item_id, arg_max(text_clean, prepared_at) AS text_clean, arg_max(language, prepared_at) AS language
           FROM prepared GROUP BY item_id) x ON x.item_id = l.item_id
ORDER BY l.item_id, l.labelled_at, l.annotator;
-- name: known_items
SELECT id FROM items WHERE id IN (SELECT unnest($ids));
