-- name: customer_ref
SELECT voc_customer_ref(voc_customer_key($value), $salt) AS ref;
-- name: items
SELECT id FROM items WHERE customer_ref = $ref;
-- name: delete_predictions
DELETE FROM predictions WHERE item_id IN (SELECT unnest($ids));
-- name: delete_prepared
DELETE FROM prepared WHERE item_id IN (SELECT unnest($ids));
-- name: delete_labels
DELETE FROM labels WHERE item_id IN (SELECT unnest($ids));
-- name: delete_callbacks
DELETE FROM callbacks WHERE item_id IN (SELECT unnest($ids)) OR customer_ref = $ref;
-- name: delete_quarantine
-- Quarantined raw rows hold the handle or address as written: matched on it, when it was given.
DELETE FROM quarantine WHERE $needle IS NOT NULL AND contains(lower(raw), lower($needle));
-- name: delete_items
DELETE FROM items WHERE id IN (SELECT unnest($ids));
-- name: log
INSERT INTO forget_log VALUES (now(), $items, $predictions, $prepared, $labels, $callbacks, $quarantined);
