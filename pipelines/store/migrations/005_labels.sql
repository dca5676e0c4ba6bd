-- Labels given to items by people: one row per item and annotator and labelling, never
-- overwritten, so several annotators on one item are all kept and their disagreements listed.
CREATE TABLE labels (
    item_id      VARCHAR NOT NULL,
    text         VARCHAR,                 -- the text labelled, where the item is not in the warehouse
    lang         VARCHAR,
    sentiment    VARCHAR CHECK (sentiment IN ('negative', 'neutral', 'positive')),
    pain_points  VARCHAR[],               -- NULL: not labelled for pain points
    annotator    VARCHAR NOT NULL,
    labelled_at  TIMESTAMPTZ NOT NULL,
    source       VARCHAR NOT NULL,        -- the imported file
    imported_at  TIMESTAMPTZ NOT NULL
);
