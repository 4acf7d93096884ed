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

-- +goose Down
DROP TABLE standard_materials;
