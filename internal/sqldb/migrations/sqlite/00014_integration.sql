-- +goose Up
-- Publishing the outbox (internal/outbox). One server of a cluster holds the
-- publisher's lease at a time; each consumer of the outbox (webhook fan-out,
-- NATS, notifications) keeps how far it has read.
CREATE TABLE outbox_leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

CREATE TABLE outbox_cursors (
    name       TEXT PRIMARY KEY,
    last_id    BIGINT NOT NULL,
    updated_at TIMESTAMP
);

-- Department systems' endpoints (接入系统 webhooks) and every delivery to
-- them: the retry schedule and the console's delivery log.
CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    name        TEXT NOT NULL,
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,
    event_types TEXT NOT NULL DEFAULT '[]',
    region_wide BOOLEAN NOT NULL DEFAULT 0,
    active      BOOLEAN NOT NULL DEFAULT 1,
    created_by  BIGINT REFERENCES users(id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX webhooks_org ON webhooks(org_id);

CREATE TABLE webhook_deliveries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id   BIGINT NOT NULL REFERENCES webhooks(id),
    outbox_id    BIGINT NOT NULL REFERENCES outbox(id),
    subject      TEXT NOT NULL,
    status       TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      TIMESTAMP NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    retry_since  TIMESTAMP NOT NULL,
    last_at      TIMESTAMP,
    last_status  INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    delivered_at TIMESTAMP
);
-- Due deliveries, and "is an earlier one of this subject still pending?".
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(webhook_id, next_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subject ON webhook_deliveries(webhook_id, subject, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries(webhook_id, id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE outbox_cursors;
DROP TABLE outbox_leases;
