-- +goose Up
-- A bundle's sub-case that waits for its prerequisites carries the
-- materials spared by references resolved when the bundle was applied for
-- (licence, library entry, shared record: JSON case materials with their
-- references), so it starts with them and asks nothing again.
ALTER TABLE bundle_subcases ADD COLUMN spared TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE bundle_subcases DROP COLUMN spared;
