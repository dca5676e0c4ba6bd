-- A quarantined row that a later ingest of the same file (same bytes) judges otherwise, after
-- its mapping or options were fixed, is marked with that ingest's id instead of staying
-- counted as quarantined (it landed, or its new problem has its own quarantine row).
ALTER TABLE quarantine ADD COLUMN resolved_by BIGINT;
