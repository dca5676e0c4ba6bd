-- Parameters: $ingest_id $sha256. Run by landing.py only when an earlier ingest of the same
-- bytes left rows waiting in quarantine.
-- Rows quarantined by an earlier ingest of the same bytes that this ingest judges otherwise
-- (they land now, or fail for another reason, recorded by land.sql): the mapping or the options were
-- fixed, so the old verdict no longer waits in quarantine.
UPDATE quarantine q SET resolved_by = $ingest_id
WHERE q.resolved_by IS NULL
  AND q.ingest_id IN (SELECT ingest_id FROM ingest_ledger WHERE sha256 = $sha256)
  AND EXISTS (SELECT 1 FROM checked c WHERE c.line = q.line AND c.reason IS DISTINCT FROM q.reason)
  -- ... unless this ingest reached the same verdict on the same record (at another line: the
  -- line numbering of files with blank lines changed once)
  AND NOT EXISTS (SELECT 1 FROM checked c
                  WHERE c.reason IS NOT NULL
                    AND md5(q.channel || '|' || c.reason || '|' || coalesce(c.raw, '')) = q.raw_hash);
