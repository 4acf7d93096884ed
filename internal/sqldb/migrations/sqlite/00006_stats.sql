-- +goose Up
-- Case rollups (统计汇总): counters per China day and dimension, folded in
-- from case events by internal/stats so the supervisor's measures are an
-- index range over days, not a scan of cases.
CREATE TABLE case_rollups (
    day                        TEXT NOT NULL,
    region_code                TEXT NOT NULL,
    org_id                     BIGINT NOT NULL,
    listing_id                 BIGINT NOT NULL,
    channel                    TEXT NOT NULL,
    submitted                  BIGINT NOT NULL DEFAULT 0,
    counter_submitted          BIGINT NOT NULL DEFAULT 0,
    counter_accepted_at_window BIGINT NOT NULL DEFAULT 0,
    accepted                   BIGINT NOT NULL DEFAULT 0,
    decided                    BIGINT NOT NULL DEFAULT 0,
    closed                     BIGINT NOT NULL DEFAULT 0,
    closed_on_time             BIGINT NOT NULL DEFAULT 0,
    visits                     BIGINT NOT NULL DEFAULT 0,
    one_trip_cases             BIGINT NOT NULL DEFAULT 0,
    materials_asked            BIGINT NOT NULL DEFAULT 0,
    materials_not_handed       BIGINT NOT NULL DEFAULT 0,
    denied                     BIGINT NOT NULL DEFAULT 0,
    rejected                   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, region_code, org_id, listing_id, channel)
);

-- The last case event folded in; one row, locked by the aggregator.
CREATE TABLE rollup_watermark (
    id            INTEGER PRIMARY KEY,
    last_event_id BIGINT NOT NULL
);
INSERT INTO rollup_watermark (id, last_event_id) VALUES (1, 0);

-- +goose Down
DROP TABLE rollup_watermark;
DROP TABLE case_rollups;
