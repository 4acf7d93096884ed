-- +goose Up
-- 好差评, published (docs/ratings.md): the rater's verdict on the
-- department's answer, and the rating events the rating measures are
-- folded from, like the case rollups.

-- The rater's verdict (满意 4, 基本满意 3, 不满意 2) on a closed ticket's
-- answer; one per ticket, never shown to the rated staff with its rater.
CREATE TABLE rating_verdicts (
    ticket_id  BIGINT PRIMARY KEY REFERENCES rating_tickets(id),
    level      INTEGER NOT NULL CHECK (level BETWEEN 2 AND 4),
    comment    TEXT NOT NULL DEFAULT '',
    rater_id   BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);

-- What happened to a rating, with what the measures need: the China day
-- it was first given (the period it counts in) and its dimensions.
CREATE TABLE rating_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TIMESTAMP NOT NULL,
    kind         TEXT NOT NULL,
    rating_id    BIGINT NOT NULL REFERENCES ratings(id),
    day          TEXT NOT NULL,
    region_code  TEXT NOT NULL,
    org_id       BIGINT NOT NULL,
    listing_id   BIGINT NOT NULL,
    channel      TEXT NOT NULL,
    prev_channel TEXT NOT NULL DEFAULT '',
    level        INTEGER NOT NULL,
    prev_level   INTEGER NOT NULL DEFAULT 0,
    on_time      BOOLEAN NOT NULL DEFAULT FALSE
);

-- Rating rollups per China day (of the rating) and dimension.
CREATE TABLE rating_rollups (
    day                TEXT NOT NULL,
    region_code        TEXT NOT NULL,
    org_id             BIGINT NOT NULL,
    listing_id         BIGINT NOT NULL,
    channel            TEXT NOT NULL,
    rated              BIGINT NOT NULL DEFAULT 0,
    good               BIGINT NOT NULL DEFAULT 0,
    bad                BIGINT NOT NULL DEFAULT 0,
    tickets            BIGINT NOT NULL DEFAULT 0,
    visited            BIGINT NOT NULL DEFAULT 0,
    closed             BIGINT NOT NULL DEFAULT 0,
    closed_on_time     BIGINT NOT NULL DEFAULT 0,
    verdicts           BIGINT NOT NULL DEFAULT 0,
    verdicts_satisfied BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, region_code, org_id, listing_id, channel)
);

-- The last rating event folded in; one row, locked by the aggregator.
CREATE TABLE rating_rollup_watermark (
    id            INTEGER PRIMARY KEY,
    last_event_id BIGINT NOT NULL
);
INSERT INTO rating_rollup_watermark (id, last_event_id) VALUES (1, 0);

-- +goose Down
DROP TABLE rating_rollup_watermark;
DROP TABLE rating_rollups;
DROP TABLE rating_events;
DROP TABLE rating_verdicts;
