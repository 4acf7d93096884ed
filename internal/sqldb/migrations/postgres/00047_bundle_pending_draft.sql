-- +goose Up
-- A draft of a published 一件事 waits beside the live version (docs/bundles.md):
-- body stays the published definition applicants read, pending holds the
-- draft being prepared ('' none) and pending_rev counts its saves, so an
-- editor that started from an older draft is refused, never merged.
ALTER TABLE bundles ADD COLUMN pending TEXT NOT NULL DEFAULT '';
ALTER TABLE bundles ADD COLUMN pending_rev INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE bundles DROP COLUMN pending_rev;
ALTER TABLE bundles DROP COLUMN pending;
