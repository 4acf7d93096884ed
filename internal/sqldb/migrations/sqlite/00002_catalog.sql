-- +goose Up
-- The service catalog. Nested parts of items and listings (lists, steps,
-- materials, situations…) are JSON text: portable, and always read and
-- written whole. Columns that lists filter or sort on are real columns.
CREATE TABLE items (
    id                INTEGER PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    main_item         TEXT NOT NULL DEFAULT '',
    type              TEXT NOT NULL DEFAULT '',
    levels            TEXT NOT NULL DEFAULT '[]',
    legal_basis       TEXT NOT NULL DEFAULT '',
    statutory_days    INTEGER NOT NULL DEFAULT 0,
    sector            TEXT NOT NULL DEFAULT '',
    audience          TEXT NOT NULL DEFAULT '',
    person_themes     TEXT NOT NULL DEFAULT '[]',
    enterprise_themes TEXT NOT NULL DEFAULT '[]',
    aliases           TEXT NOT NULL DEFAULT '[]',
    updated_at        TIMESTAMP NOT NULL
);
CREATE INDEX items_type ON items(type);

CREATE TABLE listings (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    item_id         BIGINT NOT NULL REFERENCES items(id),
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    region_code     TEXT NOT NULL REFERENCES regions(code),
    version         INTEGER NOT NULL,
    status          TEXT NOT NULL,
    name            TEXT NOT NULL,
    promised_days   INTEGER NOT NULL DEFAULT 0,
    case_type       TEXT NOT NULL DEFAULT '',
    online_depth    TEXT NOT NULL DEFAULT '',
    trips           INTEGER NOT NULL DEFAULT 0,
    place           TEXT NOT NULL DEFAULT '',
    hours           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    complaint_phone TEXT NOT NULL DEFAULT '',
    conditions      TEXT NOT NULL DEFAULT '[]',
    steps           TEXT NOT NULL DEFAULT '[]',
    fees            TEXT NOT NULL DEFAULT '[]',
    materials       TEXT NOT NULL DEFAULT '[]',
    situations      TEXT NOT NULL DEFAULT '[]',
    faq             TEXT NOT NULL DEFAULT '[]',
    flags           TEXT NOT NULL DEFAULT '{}',
    result          TEXT NOT NULL DEFAULT '{}',
    updated_at      TIMESTAMP NOT NULL,
    published_at    TIMESTAMP
);
CREATE INDEX listings_region_status ON listings(region_code, status);
CREATE INDEX listings_org ON listings(org_id, status);
CREATE INDEX listings_item ON listings(item_id);

-- Every saved state of a listing, whole. A case keeps the version it was
-- applied under, so snapshots never change.
CREATE TABLE listing_versions (
    id         INTEGER PRIMARY KEY,
    listing_id BIGINT NOT NULL REFERENCES listings(id),
    version    INTEGER NOT NULL,
    snapshot   TEXT NOT NULL,
    changed_by BIGINT REFERENCES users(id),
    changed_at TIMESTAMP NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    UNIQUE (listing_id, version)
);

-- +goose StatementBegin
CREATE TRIGGER listing_versions_no_update BEFORE UPDATE ON listing_versions
BEGIN
    SELECT RAISE(ABORT, 'listing versions are immutable');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER listing_versions_no_delete BEFORE DELETE ON listing_versions
BEGIN
    SELECT RAISE(ABORT, 'listing versions are immutable');
END;
-- +goose StatementEnd

-- 事项认领: an org may write listings for the items it claimed.
CREATE TABLE claims (
    id          INTEGER PRIMARY KEY,
    item_id     BIGINT NOT NULL REFERENCES items(id),
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    region_code TEXT NOT NULL REFERENCES regions(code),
    claimed_by  BIGINT REFERENCES users(id),
    claimed_at  TIMESTAMP NOT NULL,
    UNIQUE (item_id, org_id)
);
CREATE INDEX claims_org ON claims(org_id);

-- +goose Down
DROP TABLE claims;
DROP TRIGGER listing_versions_no_delete;
DROP TRIGGER listing_versions_no_update;
DROP TABLE listing_versions;
DROP TABLE listings;
DROP TABLE items;
