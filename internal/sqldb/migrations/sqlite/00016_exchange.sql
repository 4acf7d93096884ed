-- +goose Up
-- 只提交一次材料 (internal/exchange): the standard materials catalog admins
-- maintain, the applicants' material libraries, the shared-data resource
-- catalog with the records providers push or Tongban pulls, and consents.

-- Standard materials (标准材料): one code for the same document across listings.
CREATE TABLE standard_materials (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    category     TEXT NOT NULL DEFAULT '',
    issuer       TEXT NOT NULL DEFAULT '',
    aliases      TEXT NOT NULL DEFAULT '[]',
    reusable     BOOLEAN NOT NULL DEFAULT 0,
    valid_months INTEGER NOT NULL DEFAULT 0,
    license_type TEXT NOT NULL DEFAULT '',
    retired      BOOLEAN NOT NULL DEFAULT 0,
    note         TEXT NOT NULL DEFAULT '',
    updated_by   BIGINT REFERENCES users(id),
    updated_at   TIMESTAMP NOT NULL
);

-- The material library (材料库): files staff confirmed in a case, reusable
-- by their applicant for any listing asking the same standard material.
CREATE TABLE library_entries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id      BIGINT NOT NULL REFERENCES users(id),
    standard_code TEXT NOT NULL REFERENCES standard_materials(code),
    name          TEXT NOT NULL,
    blob_hash     TEXT NOT NULL,
    valid_until   TEXT NOT NULL,
    case_id       BIGINT NOT NULL REFERENCES cases(id),
    case_number   TEXT NOT NULL,
    material_key  TEXT NOT NULL,
    confirmed_by  BIGINT REFERENCES users(id),
    confirmed_org TEXT NOT NULL DEFAULT '',
    confirmed_at  TIMESTAMP NOT NULL,
    deleted_at    TIMESTAMP
);
CREATE INDEX library_entries_owner ON library_entries(owner_id, standard_code, valid_until);

-- The 政务信息资源目录: departments' data other departments may use
-- instead of asking the applicant.
CREATE TABLE data_resources (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    subject_kind    TEXT NOT NULL,
    fields          TEXT NOT NULL DEFAULT '[]',
    share_condition TEXT NOT NULL,
    update_cycle    TEXT NOT NULL DEFAULT '',
    legal_basis     TEXT NOT NULL DEFAULT '',
    standards       TEXT NOT NULL DEFAULT '[]',
    pull_url        TEXT NOT NULL DEFAULT '',
    pull_timeout_ms INTEGER NOT NULL DEFAULT 0,
    updated_by      BIGINT REFERENCES users(id),
    updated_at      TIMESTAMP NOT NULL
);

-- One subject's record of a resource. The subject (ID number or credit
-- code) and the data are sealed like personal data in users; records are
-- found by the subject's blind index.
CREATE TABLE data_records (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_id    BIGINT NOT NULL REFERENCES data_resources(id),
    subject_index  TEXT NOT NULL,
    subject_sealed TEXT NOT NULL,
    subject_masked TEXT NOT NULL,
    data_sealed    TEXT NOT NULL,
    source         TEXT NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    UNIQUE (resource_id, subject_index)
);

-- A person's consent to use a 有条件共享 resource for one application.
CREATE TABLE data_consents (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_id    BIGINT NOT NULL REFERENCES users(id),
    resource_code TEXT NOT NULL,
    listing_id    BIGINT NOT NULL REFERENCES listings(id),
    purpose       TEXT NOT NULL,
    granted_at    TIMESTAMP NOT NULL,
    granted_by    BIGINT REFERENCES users(id),
    expires_at    TIMESTAMP NOT NULL,
    case_number   TEXT NOT NULL DEFAULT '',
    used_at       TIMESTAMP,
    revoked_at    TIMESTAMP
);
CREATE INDEX data_consents_subject ON data_consents(subject_id, resource_code, listing_id);

-- 免提交率: materials spared by a resolved reference, by kind, per rollup cell.
ALTER TABLE case_rollups ADD COLUMN materials_by_license BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_rollups ADD COLUMN materials_by_library BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_rollups ADD COLUMN materials_by_shared BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE case_rollups DROP COLUMN materials_by_shared;
ALTER TABLE case_rollups DROP COLUMN materials_by_library;
ALTER TABLE case_rollups DROP COLUMN materials_by_license;
DROP TABLE data_consents;
DROP TABLE data_records;
DROP TABLE data_resources;
DROP TABLE library_entries;
DROP TABLE standard_materials;
