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

-- +goose Down
ALTER TABLE audit_head DROP COLUMN genesis_hash;
ALTER TABLE audit_head DROP COLUMN genesis_seq;
ALTER TABLE audit_head DROP COLUMN keyed_at;
