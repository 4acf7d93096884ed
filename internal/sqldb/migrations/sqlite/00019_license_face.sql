-- +goose Up
-- 电子证照 as people see them (docs/licenses.md): the links behind a
-- licence's QR code and its share links (加注件), each visit of them, and
-- the holder's consent to each use of a licence for a case (用证授权).

-- token: 128 random bits (base32); kind "face" (the QR on the licence,
-- one per licence) or "share" (a 加注件 for a stated purpose, expiring).
CREATE TABLE license_links (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    token       TEXT NOT NULL UNIQUE,
    license_id  BIGINT NOT NULL REFERENCES licenses(id),
    kind        TEXT NOT NULL,
    purpose     TEXT NOT NULL DEFAULT '',
    expires_at  TIMESTAMP,
    revoked_at  TIMESTAMP,
    created_by  BIGINT REFERENCES users(id),
    created_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX license_links_face ON license_links (license_id) WHERE kind = 'face';
CREATE INDEX license_links_license ON license_links (license_id, created_at);

-- Every visit of a link, with what the visitor was told.
CREATE TABLE license_visits (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    link_id     BIGINT NOT NULL REFERENCES license_links(id),
    license_id  BIGINT NOT NULL REFERENCES licenses(id),
    kind        TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX license_visits_license ON license_visits (license_id, at);

-- 用证授权: the holder authorised this licence (identifier, version) for
-- this case, for the stated 用证事由.
CREATE TABLE license_consents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    license_id  BIGINT NOT NULL REFERENCES licenses(id),
    identifier  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    holder_id   BIGINT NOT NULL REFERENCES users(id),
    case_number TEXT NOT NULL,
    reason      TEXT NOT NULL,
    given_by    BIGINT REFERENCES users(id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX license_consents_license ON license_consents (license_id, created_at);
CREATE INDEX license_consents_case ON license_consents (case_number);

-- +goose Down
DROP TABLE license_consents;
DROP TABLE license_visits;
DROP TABLE license_links;
