-- +goose Up
-- Under the publication review, a change to a published listing waits as a
-- proposal (docs/catalog.md): an edit keeps the listing as it would become
-- (content, JSON) while the public keeps seeing the published version; a
-- suspension or withdrawal waits with its reason. The action says which.
ALTER TABLE listing_proposals ADD COLUMN action TEXT NOT NULL DEFAULT 'publish';
ALTER TABLE listing_proposals ADD COLUMN content TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE listing_proposals DROP COLUMN content;
ALTER TABLE listing_proposals DROP COLUMN action;
