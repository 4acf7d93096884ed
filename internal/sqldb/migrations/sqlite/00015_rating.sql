-- +goose Up
-- 好差评 (docs/ratings.md): ratings of encounters and the rectification
-- tickets (差评整改) every bad rating opens.

-- One rating per (case, encounter): "case" for 一事一评, a visit's event id
-- for 一次一评. The channel, the indicator version and the answers are kept
-- as given; rater_id is the applicant and is never shown to rated staff.
CREATE TABLE ratings (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id           BIGINT NOT NULL REFERENCES cases(id),
    case_number       TEXT NOT NULL,
    encounter         TEXT NOT NULL,
    channel           TEXT NOT NULL,
    level             INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    indicator_version INTEGER NOT NULL,
    indicators        TEXT NOT NULL DEFAULT '{}',
    reasons           TEXT NOT NULL DEFAULT '[]',
    comment           TEXT NOT NULL DEFAULT '',
    rater_id          BIGINT NOT NULL REFERENCES users(id),
    org_id            BIGINT NOT NULL REFERENCES orgs(id),
    region_code       TEXT NOT NULL,
    listing_id        BIGINT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    UNIQUE (case_id, encounter)
);
CREATE INDEX ratings_org ON ratings(org_id, created_at);

-- 整改: one ticket per bad rating, on the department that handled it.
-- Deadlines are China dates (YYYY-MM-DD) counted in working days.
CREATE TABLE rating_tickets (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    rating_id   BIGINT NOT NULL UNIQUE REFERENCES ratings(id),
    case_id     BIGINT NOT NULL REFERENCES cases(id),
    case_number TEXT NOT NULL,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    region_code TEXT NOT NULL,
    state       TEXT NOT NULL,
    verify_due  TEXT NOT NULL,
    rectify_due TEXT NOT NULL,
    finding     TEXT NOT NULL DEFAULT '',
    answer      TEXT NOT NULL DEFAULT '',
    handler_id  BIGINT REFERENCES users(id),
    verified_at TIMESTAMP,
    closed_at   TIMESTAMP,
    created_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX rating_tickets_org ON rating_tickets(org_id, state, verify_due);

-- +goose Down
DROP TABLE rating_tickets;
DROP TABLE ratings;
