-- Land `checked` for one file. Runs inside the file's transaction; statements are
-- separated by a line holding only `-- ;;` and run in order.
-- Parameters: $ingest_id $path $channel $now (copies inside the file were removed by drop_copies.sql)
INSERT INTO quarantine BY NAME
SELECT $ingest_id AS ingest_id, $path AS path, line, $channel AS channel, reason, detail, raw,
       md5($channel || '|' || reason || '|' || coalesce(raw, '')) AS raw_hash,
       CAST($now AS TIMESTAMPTZ) AS quarantined_at
FROM checked c
WHERE reason IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM quarantine q  -- still waiting with the same verdict
                  WHERE q.raw_hash = md5($channel || '|' || c.reason || '|' || coalesce(c.raw, ''))
                    AND q.resolved_by IS NULL)
QUALIFY row_number() OVER (PARTITION BY md5($channel || '|' || reason || '|' || coalesce(raw, ''))
                           ORDER BY line) = 1;
-- ;;
INSERT INTO items
SELECT c.id, $channel, source, source_id, kind, received_at, text, customer_ref, score,
       language, parent_id, extra, $ingest_id, c.line, CAST($now AS TIMESTAMPTZ)
FROM checked c
WHERE c.reason IS NULL
  AND NOT EXISTS (SELECT 1 FROM items i WHERE i.id = c.id);
