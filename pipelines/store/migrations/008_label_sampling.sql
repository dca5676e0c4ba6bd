-- How the labelled item was picked: 'random' (a random export: its labels estimate precision and
-- recall, and the committee report corrects counts with them) or 'targeted: <strategy>'.
ALTER TABLE labels ADD COLUMN sampling VARCHAR;
