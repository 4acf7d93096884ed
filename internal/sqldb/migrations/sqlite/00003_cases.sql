-- +goose Up
-- Cases (办件). listing_id has no foreign key: the catalog's tables are
-- migrated separately and a case keeps the listing version it applied under.
-- Dates (due_date, owed_due) are China civil dates as YYYY-MM-DD text, which
-- sorts correctly; form, materials, corrections and reasons are JSON text.
CREATE TABLE cases (
    id                INTEGER PRIMARY KEY,
    number            TEXT NOT NULL UNIQUE,
    listing_id        BIGINT NOT NULL,
    listing_version   INTEGER NOT NULL,
    item_name         TEXT NOT NULL DEFAULT '',
    listing_name      TEXT NOT NULL DEFAULT '',
    org_id            BIGINT NOT NULL REFERENCES orgs(id),
    region_code       TEXT NOT NULL REFERENCES regions(code),
    board_id          BIGINT REFERENCES orgs(id),
    applicant_id      BIGINT NOT NULL REFERENCES users(id),
    applicant_name    TEXT NOT NULL,
    channel           TEXT NOT NULL,
    state             TEXT NOT NULL,
    outcome           TEXT NOT NULL DEFAULT '',
    step              INTEGER NOT NULL DEFAULT 0,
    form              TEXT NOT NULL DEFAULT '{}',
    materials         TEXT NOT NULL DEFAULT '[]',
    corrections       TEXT NOT NULL DEFAULT '[]',
    owed_due          TEXT,
    commitment        BOOLEAN NOT NULL DEFAULT 0,
    needs_post_check  BOOLEAN NOT NULL DEFAULT 0,
    post_checked      BOOLEAN NOT NULL DEFAULT 0,
    post_check_failed BOOLEAN NOT NULL DEFAULT 0,
    instant           BOOLEAN NOT NULL DEFAULT 0,
    promised_days     INTEGER NOT NULL DEFAULT 0,
    accepted_at       TIMESTAMP,
    due_date          TEXT,
    provisional       BOOLEAN NOT NULL DEFAULT 0,
    paused_days       INTEGER NOT NULL DEFAULT 0,
    paused_since      TIMESTAMP,
    decided_at        TIMESTAMP,
    visits            INTEGER NOT NULL DEFAULT 0,
    delivery_method   TEXT NOT NULL DEFAULT '',
    tracking_no       TEXT NOT NULL DEFAULT '',
    pickup_window_id  BIGINT REFERENCES orgs(id),
    reasons           TEXT NOT NULL DEFAULT '[]',
    result_no         TEXT NOT NULL DEFAULT '',
    idempotency_key   TEXT,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
-- Queues: a department's by time left, a board's, an applicant's own.
CREATE INDEX cases_org_queue ON cases(org_id, state, due_date);
CREATE INDEX cases_board_queue ON cases(board_id, state);
CREATE INDEX cases_applicant ON cases(applicant_id, created_at);
CREATE INDEX cases_region_state ON cases(region_code, state, due_date);
CREATE INDEX cases_region_outcome ON cases(region_code, outcome);
CREATE INDEX cases_post_check ON cases(region_code) WHERE needs_post_check AND NOT post_checked;
-- A retried submission finds the first case; NULL keys never collide.
CREATE UNIQUE INDEX cases_idempotency ON cases(applicant_id, idempotency_key);

CREATE TABLE case_events (
    id         INTEGER PRIMARY KEY,
    case_id    BIGINT NOT NULL REFERENCES cases(id),
    seq        INTEGER NOT NULL,
    at         TIMESTAMP NOT NULL,
    actor_id   BIGINT REFERENCES users(id),
    actor_name TEXT NOT NULL,
    role       TEXT NOT NULL,
    org_id     BIGINT REFERENCES orgs(id),
    action     TEXT NOT NULL,
    from_state TEXT NOT NULL DEFAULT '',
    to_state   TEXT NOT NULL,
    step       INTEGER NOT NULL DEFAULT 0,
    reason     TEXT NOT NULL DEFAULT '',
    materials  TEXT NOT NULL DEFAULT '[]',
    visit      BOOLEAN NOT NULL DEFAULT 0,
    UNIQUE (case_id, seq)
);
CREATE INDEX case_events_action_at ON case_events(action, at);

-- Events are history: the database refuses to change or remove them.
-- +goose StatementBegin
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case events are immutable');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case events are immutable');
END;
-- +goose StatementEnd

-- One counter per region and China day hands out case numbers.
CREATE TABLE case_sequences (
    region_code TEXT NOT NULL,
    day         TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (region_code, day)
);

-- +goose Down
DROP TABLE case_sequences;
DROP TRIGGER case_events_no_delete;
DROP TRIGGER case_events_no_update;
DROP TABLE case_events;
DROP TABLE cases;
