-- +goose Up
-- 窗口评价器 (docs/ratings.md): the rating tablet of a window proves
-- itself with a token issued in the console; only its hash is kept, and a
-- revoked device is refused.
CREATE TABLE window_devices (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    window_id  BIGINT NOT NULL REFERENCES orgs(id),
    label      TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    issued_by  BIGINT NOT NULL REFERENCES users(id),
    issued_at  TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX window_devices_window ON window_devices (window_id);
-- The last visit at a window: the encounter its device shows.
CREATE INDEX case_events_org_visit ON case_events (org_id, id) WHERE visit;

-- +goose Down
DROP INDEX case_events_org_visit;
DROP TABLE window_devices;
