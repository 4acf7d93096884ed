-- +goose Up
-- A phone signs in only once its owner proved possession (a one-time
-- code): until then it is stored, unverified, and never used to sign in.
-- At most one account holds a number verified; verifying it on one account
-- un-verifies it on any other (identity.Service.MarkPhoneVerified).
ALTER TABLE users ADD COLUMN phone_verified_at TIMESTAMP;
CREATE UNIQUE INDEX users_phone_verified ON users(phone_index) WHERE phone_verified_at IS NOT NULL;

-- Reads of personal data that look like harvesting (more full reads by one
-- staff member in an hour than configured), shown on /console/supervision.
CREATE TABLE staff_alerts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TIMESTAMP NOT NULL,
    kind        TEXT NOT NULL,
    actor_id    BIGINT NOT NULL REFERENCES users(id),
    actor_name  TEXT NOT NULL,
    org_id      BIGINT,
    region_code TEXT NOT NULL DEFAULT '',
    count       INTEGER NOT NULL,
    since       TIMESTAMP NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX staff_alerts_at ON staff_alerts(at);
CREATE INDEX staff_alerts_actor ON staff_alerts(actor_id, kind, at);
CREATE INDEX data_uses_actor ON data_uses(actor_id, kind, at);

-- +goose Down
DROP INDEX data_uses_actor;
DROP TABLE staff_alerts;
DROP INDEX users_phone_verified;
ALTER TABLE users DROP COLUMN phone_verified_at;
