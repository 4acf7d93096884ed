-- +goose Up
-- Search synonyms that catalog admins maintain, in the synonyms.txt form.
-- Each save appends a row and the newest one is in force, so the table is
-- also the history of who changed what; app servers poll the newest id.
CREATE TABLE search_synonyms (
    id       INTEGER PRIMARY KEY,
    rules    TEXT NOT NULL,
    saved_by BIGINT REFERENCES users(id),
    saved_at TIMESTAMP NOT NULL
);

-- The search index follows the catalog by polling rows changed since its
-- last look; these keep that poll cheap on a large catalog.
CREATE INDEX listings_updated ON listings(updated_at);
CREATE INDEX items_updated ON items(updated_at);

-- +goose Down
DROP INDEX items_updated;
DROP INDEX listings_updated;
DROP TABLE search_synonyms;
