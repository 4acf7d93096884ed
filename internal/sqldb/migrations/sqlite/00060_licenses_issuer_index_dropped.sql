-- +goose Up
-- Every issued licence went into five b-trees (the table, its identifier,
-- holder, issuer and type-number indexes): on SQLite each is one more page
-- in the issue's commit. The issuer index served only the console's list of
-- an issuer's latest 100 licences, which now walks the primary key from the
-- newest row (store LicensesOfIssuer; docs/licenses.md, "Storage").
DROP INDEX licenses_issuer;

-- +goose Down
CREATE INDEX licenses_issuer ON licenses (issuer_id, created_at);
