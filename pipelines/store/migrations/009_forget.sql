-- Erasure requests carried out (voc forget): when, and how many rows went, never whose.
CREATE TABLE forget_log (
    forgotten_at  TIMESTAMPTZ NOT NULL,
    items         INTEGER NOT NULL,
    predictions   INTEGER NOT NULL,
    prepared      INTEGER NOT NULL,
    labels        INTEGER NOT NULL,
    callbacks     INTEGER NOT NULL,
    quarantined   INTEGER NOT NULL
);
