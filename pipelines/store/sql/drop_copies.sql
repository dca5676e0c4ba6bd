-- A file that holds the same item twice keeps its first copy (run only when there are copies).
DELETE FROM checked c
WHERE c.reason IS NULL
  AND c.line > (SELECT min(f.line) FROM checked f WHERE f.id = c.id AND f.reason IS NULL);
