-- Prepared texts and predictions: each row names the version of the step that wrote it,
-- so a new preparation or model adds rows and never overwrites earlier ones.
CREATE TABLE prepared (
    item_id       VARCHAR NOT NULL,
    prep_version  VARCHAR NOT NULL,
    language      VARCHAR NOT NULL,
    text_clean    VARCHAR NOT NULL,
    prepared_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE predictions (
    item_id          VARCHAR NOT NULL,
    model_version    VARCHAR NOT NULL,
    sentiment        VARCHAR NOT NULL CHECK (sentiment IN ('negative', 'neutral', 'positive')),
    sentiment_score  DOUBLE NOT NULL,
    pain_points      VARCHAR[] NOT NULL,
    scores           JSON NOT NULL,
    uncertain        BOOLEAN NOT NULL,
    spans            JSON NOT NULL,
    predicted_at     TIMESTAMPTZ NOT NULL
);
