-- Callback list and spike alerts written by the nightly flow. Both are keyed so that a
-- re-run adds nothing: one callback per item, one alert per day and pain point.
CREATE TABLE callbacks (
    item_id       VARCHAR NOT NULL,
    channel       VARCHAR NOT NULL,
    customer_ref  VARCHAR,
    received_at   TIMESTAMPTZ NOT NULL,
    deadline      TIMESTAMPTZ NOT NULL,
    reason        VARCHAR NOT NULL,
    model_version VARCHAR,
    listed_on     DATE NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE alerts (
    day            DATE NOT NULL,
    pain_point     VARCHAR NOT NULL,
    count          INTEGER NOT NULL,
    baseline_mean  DOUBLE NOT NULL,
    baseline_days  INTEGER NOT NULL,
    p_value        DOUBLE NOT NULL,
    model_version  VARCHAR NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
