-- +goose Up
-- The audit chain is keyed (SM3-HMAC with a key derived from the platform
-- secret, which is never in the database) and anchored outside it by signed
-- checkpoints (internal/audit). keyed_at records when the chain was re-keyed
-- from its first entry; NULL means it still holds unkeyed SM3 links, which
-- the first start after this migration re-keys in one pass. genesis_seq and
-- genesis_hash are where the chain starts after a retention purge: the last
-- purged entry's number and hash (0 and '' before any purge).
ALTER TABLE audit_head ADD COLUMN keyed_at TIMESTAMP;
ALTER TABLE audit_head ADD COLUMN genesis_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_head ADD COLUMN genesis_hash TEXT NOT NULL DEFAULT '';
-- A chain with no entries yet is keyed from its first link.
UPDATE audit_head SET keyed_at = CURRENT_TIMESTAMP WHERE seq = 0;

-- Who uploaded which file when (internal/uploads): the per-account daily
-- quota sums it, and the janitor deletes a file no case, case event or
-- material-library entry references once every upload of it is older than
-- the grace period (swept marks records already looked at).
CREATE TABLE uploads (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  BIGINT NOT NULL REFERENCES users(id),
    hash        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    at          TIMESTAMP NOT NULL,
    swept       BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX uploads_account_at ON uploads(account_id, at);
CREATE INDEX uploads_hash ON uploads(hash);
CREATE INDEX uploads_unswept ON uploads(at) WHERE NOT swept;

-- +goose Down
DROP TABLE uploads;
ALTER TABLE audit_head DROP COLUMN genesis_hash;
ALTER TABLE audit_head DROP COLUMN genesis_seq;
ALTER TABLE audit_head DROP COLUMN keyed_at;
