-- +goose Up
-- A licence's life (internal/license): where it came from (issued through a
-- case, or 历史导入 — loaded from before Tongban), why and when its status
-- last changed (注销 with its reason, 已变更 by a newer version), and the
-- version it replaced.
ALTER TABLE licenses ADD COLUMN source TEXT NOT NULL DEFAULT 'issued';
ALTER TABLE licenses ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE licenses ADD COLUMN status_at TIMESTAMPTZ;
ALTER TABLE licenses ADD COLUMN replaces TEXT NOT NULL DEFAULT '';
-- A rotated seal key is retired: kept to verify what it signed, never to sign.
ALTER TABLE seal_keys ADD COLUMN retired_at TIMESTAMPTZ;
CREATE INDEX licenses_issuer ON licenses (issuer_id, created_at);
CREATE INDEX licenses_type_number ON licenses (type_code, number);

-- +goose Down
DROP INDEX licenses_type_number;
DROP INDEX licenses_issuer;
ALTER TABLE seal_keys DROP COLUMN retired_at;
ALTER TABLE licenses DROP COLUMN replaces;
ALTER TABLE licenses DROP COLUMN status_at;
ALTER TABLE licenses DROP COLUMN status_reason;
ALTER TABLE licenses DROP COLUMN source;
