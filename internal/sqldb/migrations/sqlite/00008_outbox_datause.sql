-- +goose Up
-- Events other systems must hear about, written in the transaction of the
-- change they announce (internal/outbox). Publishing state lives with the
-- publisher, not here, so this table is only ever appended to by actions.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT NOT NULL UNIQUE,
    type        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    region_code TEXT NOT NULL DEFAULT '',
    org_id      BIGINT,
    at          TIMESTAMP NOT NULL,
    payload     TEXT NOT NULL
);
CREATE INDEX outbox_subject ON outbox(subject, id);

-- Every read of a person's data, listed to that person (我的数据使用记录).
CREATE TABLE data_uses (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_id  BIGINT NOT NULL REFERENCES users(id),
    at          TIMESTAMP NOT NULL,
    kind        TEXT NOT NULL,
    actor_id    BIGINT REFERENCES users(id),
    actor_name  TEXT NOT NULL,
    org_id      BIGINT REFERENCES orgs(id),
    org_name    TEXT NOT NULL DEFAULT '',
    resource    TEXT NOT NULL DEFAULT '',
    fields      TEXT NOT NULL DEFAULT '[]',
    case_number TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX data_uses_subject ON data_uses(subject_id, at);

-- +goose Down
DROP TABLE data_uses;
DROP TABLE outbox;
