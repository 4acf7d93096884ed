-- +goose Up
-- Audit entries are written, with the action they record, to this queue;
-- internal/audit's sealer moves them into the hash chain (audit_log) after
-- commit, in batches, under the lock on audit_head. So no action waits on
-- the chain head while its own transaction is open: the head is held only
-- by the sealer, for one batch. Rows wait here for well under a second
-- while a server runs; `tongban audit verify` seals what waits first.
CREATE TABLE audit_queue (
    id        BIGSERIAL PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL,
    actor_id  BIGINT,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT '',
    ip        TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE audit_queue;
