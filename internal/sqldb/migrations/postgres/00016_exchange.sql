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
    reusable     BOOLEAN NOT NULL DEFAULT FALSE,
    valid_months INTEGER NOT NULL DEFAULT 0,
    license_type TEXT NOT NULL DEFAULT '',
    retired      BOOLEAN NOT NULL DEFAULT FALSE,
    note         TEXT NOT NULL DEFAULT '',
    updated_by   BIGINT REFERENCES users(id),
    updated_at   TIMESTAMPTZ NOT NULL
);

-- The material library (材料库): files staff confirmed in a case, reusable
-- by their applicant for any listing asking the same standard material.
CREATE TABLE library_entries (
    id            BIGSERIAL PRIMARY KEY,
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
    confirmed_at  TIMESTAMPTZ NOT NULL,
    deleted_at    TIMESTAMPTZ
);
CREATE INDEX library_entries_owner ON library_entries(owner_id, standard_code, valid_until);

-- +goose Down
DROP TABLE library_entries;
DROP TABLE standard_materials;
