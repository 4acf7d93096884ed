-- +goose Up
-- 电子证照 (internal/license): issuers' 统一社会信用代码, licence types,
-- licences with their GB/T 36903 metadata and signature, seal keys.
ALTER TABLE orgs ADD COLUMN credit_code TEXT;
CREATE UNIQUE INDEX orgs_credit_code ON orgs (credit_code);

CREATE TABLE license_types (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    issuer_kind TEXT NOT NULL DEFAULT '',
    holder_kind TEXT NOT NULL,
    valid_years INTEGER NOT NULL DEFAULT 0,
    fields      TEXT NOT NULL DEFAULT '[]'
);

-- seal keys: the private half sealed with the platform secret.
CREATE TABLE seal_keys (
    id          TEXT PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    algorithm   TEXT NOT NULL,
    public_pem  TEXT NOT NULL,
    private_sealed TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX seal_keys_org ON seal_keys (org_id, created_at);

CREATE TABLE license_serials (
    issuer_id BIGINT NOT NULL REFERENCES orgs(id),
    year      INTEGER NOT NULL,
    last      BIGINT NOT NULL,
    PRIMARY KEY (issuer_id, year)
);

CREATE TABLE licenses (
    id            BIGSERIAL PRIMARY KEY,
    identifier    TEXT NOT NULL UNIQUE,
    type_code     TEXT NOT NULL REFERENCES license_types(code),
    type_name     TEXT NOT NULL,
    number        TEXT NOT NULL,
    issuer_id     BIGINT NOT NULL REFERENCES orgs(id),
    issuer_name   TEXT NOT NULL,
    issuer_code   TEXT NOT NULL,
    issued_on     TIMESTAMPTZ NOT NULL,
    valid_from    TIMESTAMPTZ NOT NULL,
    valid_to      TIMESTAMPTZ,
    holder_id     BIGINT NOT NULL REFERENCES users(id),
    holder_name   TEXT NOT NULL,
    holder_kind   TEXT NOT NULL,
    holder_code_sealed TEXT NOT NULL,
    holder_code_masked TEXT NOT NULL,
    region_code   TEXT NOT NULL,
    status        TEXT NOT NULL,
    version       INTEGER NOT NULL,
    face          TEXT NOT NULL DEFAULT '{}',
    case_id       BIGINT REFERENCES cases(id),
    key_id        TEXT NOT NULL REFERENCES seal_keys(id),
    signature     BYTEA NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX licenses_holder ON licenses (holder_id);

-- +goose Down
DROP TABLE licenses;
DROP TABLE license_serials;
DROP TABLE seal_keys;
DROP TABLE license_types;
DROP INDEX orgs_credit_code;
ALTER TABLE orgs DROP COLUMN credit_code;
