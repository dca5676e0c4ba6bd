-- Committee report: actions the committee assigns, and sub-causes with stable ids.
CREATE SEQUENCE action_id_seq START 1;

CREATE TABLE actions (
    action_id    BIGINT PRIMARY KEY,
    month        VARCHAR NOT NULL,          -- the committee month the action was decided in
    cause        VARCHAR NOT NULL,          -- a pain point key or negative_no_pain_point
    subcause     VARCHAR,                   -- a sub-cause id, optional
    owner        VARCHAR NOT NULL,
    action       VARCHAR NOT NULL,
    due          DATE,
    status       VARCHAR NOT NULL CHECK (status IN ('open', 'closed')),
    opened_at    TIMESTAMPTZ NOT NULL,
    closed_at    TIMESTAMPTZ,
    close_note   VARCHAR,
    source       VARCHAR NOT NULL           -- 'cli' or the CSV file it was imported from
);

-- A sub-cause keeps its id and label from month to month; its terms follow the latest month.
CREATE TABLE subcauses (
    subcause_id  VARCHAR PRIMARY KEY,       -- <cause>.<language>.<n>
    cause        VARCHAR NOT NULL,
    language     VARCHAR NOT NULL,
    label        VARCHAR NOT NULL,
    terms        JSON NOT NULL,             -- {term: weight} of its latest centroid
    first_month  VARCHAR NOT NULL
);

CREATE TABLE subcause_months (
    month          VARCHAR NOT NULL,
    model_version  VARCHAR NOT NULL,
    subcause_id    VARCHAR NOT NULL,
    items          INTEGER NOT NULL,
    terms          JSON NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
