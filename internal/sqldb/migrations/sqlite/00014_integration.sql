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

-- Notifications (internal/notify): each person's inbox, one entry per
-- (person, subject) kept up to date; SMS and email, one per event, person
-- and channel; what each person wants; one-time codes, of which only a
-- keyed hash is kept.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    subject    TEXT NOT NULL,
    category   TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    event_id   TEXT NOT NULL DEFAULT '',
    read_at    TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, subject)
);
CREATE INDEX notifications_inbox ON notifications(user_id, updated_at);

CREATE TABLE notify_messages (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id         TEXT NOT NULL DEFAULT '',
    user_id          BIGINT REFERENCES users(id),
    channel          TEXT NOT NULL,
    template         TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    recipient_masked TEXT NOT NULL,
    subject          TEXT NOT NULL DEFAULT '',
    body             TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_at          TIMESTAMP NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    sent_at          TIMESTAMP,
    last_error       TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX notify_messages_once ON notify_messages(event_id, user_id, channel, template) WHERE event_id <> '';
CREATE INDEX notify_messages_due ON notify_messages(next_at) WHERE status = 'queued';
CREATE INDEX notify_messages_user ON notify_messages(user_id, id);

CREATE TABLE notify_prefs (
    user_id    BIGINT PRIMARY KEY REFERENCES users(id),
    email      TEXT NOT NULL DEFAULT '',
    off        TEXT NOT NULL DEFAULT '[]',
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE one_time_codes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    purpose     TEXT NOT NULL,
    phone_index TEXT NOT NULL,
    user_id     BIGINT REFERENCES users(id),
    mac         TEXT NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    used_at     TIMESTAMP
);
CREATE INDEX one_time_codes_phone ON one_time_codes(phone_index, created_at);
CREATE INDEX one_time_codes_ip ON one_time_codes(ip, created_at);

-- The OIDC provider for department systems (internal/oidc): registered
-- clients, authorization requests with their single-use codes (hashed),
-- tokens with rotating refresh tokens (hashed), consents per person and
-- client, and the signing keys, sealed with the platform secret.
CREATE TABLE oidc_clients (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id        TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    org_id           BIGINT NOT NULL REFERENCES orgs(id),
    redirect_uris    TEXT NOT NULL,
    post_logout_uris TEXT NOT NULL DEFAULT '[]',
    public           BOOLEAN NOT NULL,
    secret_hash      TEXT NOT NULL DEFAULT '',
    id_number        BOOLEAN NOT NULL DEFAULT 0,
    id_token_alg     TEXT NOT NULL DEFAULT 'RS256',
    disabled         BOOLEAN NOT NULL DEFAULT 0,
    created_by       BIGINT REFERENCES users(id),
    created_at       TIMESTAMP NOT NULL
);
CREATE INDEX oidc_clients_org ON oidc_clients(org_id);

CREATE TABLE oidc_auth_requests (
    id         TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL,
    request    TEXT NOT NULL,
    user_id    BIGINT REFERENCES users(id),
    auth_time  TIMESTAMP,
    done       BOOLEAN NOT NULL DEFAULT 0,
    code_hash  TEXT UNIQUE,
    code_used  BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX oidc_auth_requests_expiry ON oidc_auth_requests(expires_at);

CREATE TABLE oidc_tokens (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL,
    user_id         BIGINT NOT NULL REFERENCES users(id),
    scopes          TEXT NOT NULL,
    auth_time       TIMESTAMP NOT NULL,
    amr             TEXT NOT NULL DEFAULT '[]',
    auth_request_id TEXT NOT NULL DEFAULT '',
    refresh_hash    TEXT UNIQUE,
    family          TEXT NOT NULL,
    expires_at      TIMESTAMP NOT NULL,
    refresh_expiry  TIMESTAMP,
    rotated_at      TIMESTAMP,
    revoked_at      TIMESTAMP,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX oidc_tokens_user ON oidc_tokens(user_id, client_id);
CREATE INDEX oidc_tokens_family ON oidc_tokens(family);
CREATE INDEX oidc_tokens_request ON oidc_tokens(auth_request_id);

CREATE TABLE oidc_consents (
    user_id    BIGINT NOT NULL REFERENCES users(id),
    client_id  TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    granted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, client_id)
);

CREATE TABLE oidc_keys (
    kid         TEXT PRIMARY KEY,
    alg         TEXT NOT NULL UNIQUE,
    private_key TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE oidc_keys;
DROP TABLE oidc_consents;
DROP TABLE oidc_tokens;
DROP TABLE oidc_auth_requests;
DROP TABLE oidc_clients;
DROP TABLE one_time_codes;
DROP TABLE notify_prefs;
DROP TABLE notify_messages;
DROP TABLE notifications;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE outbox_cursors;
DROP TABLE outbox_leases;
