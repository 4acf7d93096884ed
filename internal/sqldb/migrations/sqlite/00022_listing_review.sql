-- +goose Up
-- Publication review (两人发布, docs/catalog.md): with --catalog-review on,
-- one admin proposes a listing version and another publishes it. At most
-- one proposal per listing is open.
CREATE TABLE listing_proposals (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    listing_id  BIGINT NOT NULL REFERENCES listings(id),
    version     INTEGER NOT NULL,
    proposed_by BIGINT NOT NULL REFERENCES users(id),
    proposed_at TIMESTAMP NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'open',
    decided_by  BIGINT REFERENCES users(id),
    decided_at  TIMESTAMP,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX listing_proposals_open ON listing_proposals(listing_id) WHERE status = 'open';
CREATE INDEX listing_proposals_status ON listing_proposals(status, proposed_at);

-- +goose Down
DROP TABLE listing_proposals;
