-- Foundation schema: ingest ledger, items (append-only) and quarantine.
CREATE SEQUENCE ingest_id_seq START 1;

CREATE TABLE ingest_ledger (
    ingest_id    BIGINT PRIMARY KEY,
    path         VARCHAR NOT NULL,
    sha256       VARCHAR,
    channel      VARCHAR,
    source       VARCHAR,
    format       VARCHAR,
    encoding     VARCHAR,
    rows_read    BIGINT NOT NULL DEFAULT 0,
    landed       BIGINT NOT NULL DEFAULT 0,
    duplicate    BIGINT NOT NULL DEFAULT 0,
    quarantined  BIGINT NOT NULL DEFAULT 0,
    status       VARCHAR NOT NULL CHECK (status IN ('landed', 'rejected')),
    reason       VARCHAR,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ NOT NULL
);

-- One row per feedback item. Rows are never updated: later steps write their own tables.
CREATE TABLE items (
    id            VARCHAR NOT NULL,
    channel       VARCHAR NOT NULL CHECK (channel IN ('complaint_book', 'social', 'survey')),
    source        VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('feedback', 'retweet', 'company')),
    received_at   TIMESTAMPTZ NOT NULL,
    text          VARCHAR NOT NULL,
    customer_ref  VARCHAR,
    score         TINYINT CHECK (score BETWEEN 0 AND 10),
    language      VARCHAR,
    parent_id     VARCHAR,
    extra         JSON,
    ingest_id     BIGINT NOT NULL,
    line          BIGINT,
    ingested_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE quarantine (
    ingest_id      BIGINT NOT NULL,
    path           VARCHAR NOT NULL,
    line           BIGINT,
    channel        VARCHAR,
    reason         VARCHAR NOT NULL,
    detail         VARCHAR,
    raw            VARCHAR,
    raw_hash       VARCHAR NOT NULL,
    quarantined_at TIMESTAMPTZ NOT NULL
);
