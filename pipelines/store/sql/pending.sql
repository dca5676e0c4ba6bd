-- name: to_prepare
SELECT i.id, i.text
FROM items i
WHERE i.kind = 'feedback'
  AND NOT EXISTS (SELECT 1 FROM prepared p WHERE p.item_id = i.id AND p.prep_version = $prep_version)
  AND ($since IS NULL OR i.received_at >= $since)
ORDER BY i.received_at, i.id;
-- name: to_classify
SELECT p.item_id, p.text_clean, p.language
FROM prepared p
WHERE p.prep_version = $prep_version
  AND NOT EXISTS (SELECT 1 FROM predictions r WHERE r.item_id = p.item_id AND r.model_version = $model_version)
  AND ($since IS NULL OR p.item_id IN (SELECT id FROM items WHERE received_at >= $since))
ORDER BY p.item_id;
-- name: count_to_prepare
SELECT count(*) FROM items i
WHERE i.kind = 'feedback'
  AND NOT EXISTS (SELECT 1 FROM prepared p WHERE p.item_id = i.id AND p.prep_version = $prep_version)
  AND ($since IS NULL OR i.received_at >= $since);
-- name: count_to_classify
SELECT count(*) FROM prepared p
WHERE p.prep_version = $prep_version
  AND NOT EXISTS (SELECT 1 FROM predictions r WHERE r.item_id = p.item_id AND r.model_version = $model_version)
  AND ($since IS NULL OR p.item_id IN (SELECT id FROM items WHERE received_at >= $since));
