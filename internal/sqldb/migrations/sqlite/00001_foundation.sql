-- +goose Up
CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       INTEGER NOT NULL,
    parent_code TEXT REFERENCES regions(code)
);
CREATE INDEX regions_parent ON regions(parent_code);

CREATE TABLE orgs (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    parent_id   BIGINT REFERENCES orgs(id),
    sector      TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX orgs_region ON orgs(region_code);
CREATE INDEX orgs_parent ON orgs(parent_id);

-- Personal fields are stored three ways: sealed (SM4-GCM), a keyed blind
-- index (HMAC-SM3) for lookups and uniqueness, and the masked form for lists.
CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL,
    name                TEXT NOT NULL,
    username            TEXT UNIQUE,
    id_number_sealed    TEXT NOT NULL DEFAULT '',
    id_number_index     TEXT UNIQUE,
    id_number_masked    TEXT NOT NULL DEFAULT '',
    phone_sealed        TEXT NOT NULL DEFAULT '',
    phone_index         TEXT,
    phone_masked        TEXT NOT NULL DEFAULT '',
    credit_code         TEXT UNIQUE,
    legal_rep_name      TEXT NOT NULL DEFAULT '',
    legal_rep_sealed    TEXT NOT NULL DEFAULT '',
    legal_rep_masked    TEXT NOT NULL DEFAULT '',
    password_hash       TEXT NOT NULL,
    disabled            BOOLEAN NOT NULL DEFAULT 0,
    created_at          TIMESTAMP NOT NULL
);
CREATE INDEX users_phone ON users(phone_index);

CREATE TABLE role_grants (
    user_id BIGINT NOT NULL REFERENCES users(id),
    role    TEXT NOT NULL,
    org_id  BIGINT NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (user_id, role, org_id)
);
CREATE INDEX role_grants_org ON role_grants(org_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ip         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE login_failures (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures(key, at);

-- The audit chain. seq is assigned by the appender (head + 1) under the lock
-- on audit_head, so gaps mean removed rows.
CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        TIMESTAMP NOT NULL,
    actor_id  BIGINT,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT '',
    ip        TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log(object);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE login_failures;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE role_grants;
DROP TABLE users;
DROP TABLE orgs;
DROP TABLE regions;
