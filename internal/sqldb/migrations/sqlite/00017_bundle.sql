-- +goose Up
-- 一件事 (internal/bundle): bundle definitions and their versions, and bundle
-- applications — a parent with one sub-case per applicable component.

CREATE TABLE bundles (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    status       TEXT NOT NULL,
    version      INTEGER NOT NULL,
    lead_org_id  BIGINT NOT NULL REFERENCES orgs(id),
    body         TEXT NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    published_at TIMESTAMP
);

-- Every saved version, immutable: an application keeps the one it used.
CREATE TABLE bundle_versions (
    bundle_id BIGINT NOT NULL REFERENCES bundles(id),
    version   INTEGER NOT NULL,
    status    TEXT NOT NULL,
    body      TEXT NOT NULL,
    saved_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (bundle_id, version)
);

CREATE TABLE bundle_cases (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    number          TEXT NOT NULL UNIQUE,
    bundle_id       BIGINT NOT NULL REFERENCES bundles(id),
    bundle_version  INTEGER NOT NULL,
    bundle_name     TEXT NOT NULL,
    lead_org_id     BIGINT NOT NULL REFERENCES orgs(id),
    region_code     TEXT NOT NULL,
    applicant_id    BIGINT NOT NULL REFERENCES users(id),
    applicant_name  TEXT NOT NULL,
    channel         TEXT NOT NULL,
    answers         TEXT NOT NULL DEFAULT '{}',
    form            TEXT NOT NULL DEFAULT '{}',
    materials       TEXT NOT NULL DEFAULT '[]',
    delivery        TEXT NOT NULL,
    separate        BOOLEAN NOT NULL DEFAULT 0,
    idempotency_key TEXT,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL
);
CREATE UNIQUE INDEX bundle_cases_idempotency ON bundle_cases(applicant_id, idempotency_key);
CREATE INDEX bundle_cases_bundle ON bundle_cases(bundle_id, created_at);
CREATE INDEX bundle_cases_lead ON bundle_cases(lead_org_id, created_at);

-- One row per applicable component. The number is reserved with the parent;
-- case_id is set once the sub-case started.
CREATE TABLE bundle_subcases (
    bundle_case_id  BIGINT NOT NULL REFERENCES bundle_cases(id),
    component       TEXT NOT NULL,
    position        INTEGER NOT NULL,
    name            TEXT NOT NULL,
    listing_id      BIGINT NOT NULL REFERENCES listings(id),
    listing_version INTEGER NOT NULL,
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    org_name        TEXT NOT NULL,
    number          TEXT NOT NULL UNIQUE,
    case_id         BIGINT REFERENCES cases(id),
    status          TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    after           TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (bundle_case_id, component)
);
CREATE UNIQUE INDEX bundle_subcases_case ON bundle_subcases(case_id);

-- +goose Down
DROP TABLE bundle_subcases;
DROP TABLE bundle_cases;
DROP TABLE bundle_versions;
DROP TABLE bundles;
