-- +goose Up
-- Every 用证 consent went into three b-trees (the table, its licence and its
-- case-number indexes) in the submission's own transaction: on SQLite each is
-- one more page in the commit of a submission by reference. No statement
-- reads consents by case number: the holder's licence page reads them by
-- licence (store LicenseConsents). The index only cost every consent an insert
-- (docs/benchmarks.md, "By reference: its own SQL").
DROP INDEX license_consents_case;

-- +goose Down
CREATE INDEX license_consents_case ON license_consents (case_number);
