-- +goose Up
-- A case's events are read together with every view of the case (its
-- page, the API's answer, the clerk's and approver's desks), and they are
-- written days apart, so in a table ordered by id each lies on a page of
-- its own: one look-up in the (case_id, seq) index and one in the table per
-- event. Kept in the order of (case_id, seq), a case's events are read
-- from one page by one descent. id stays what cursors and the visit index
-- read, unique; the store hands out the next one in the insert, SQLite's
-- single writer making MAX(id) + 1 free (store.appendEventSQLite).
CREATE TABLE case_events_by_case (
    id         INTEGER NOT NULL,
    case_id    BIGINT NOT NULL REFERENCES cases(id),
    seq        INTEGER NOT NULL,
    at         TIMESTAMP NOT NULL,
    actor_id   BIGINT REFERENCES users(id),
    actor_name TEXT NOT NULL,
    role       TEXT NOT NULL,
    org_id     BIGINT REFERENCES orgs(id),
    action     TEXT NOT NULL,
    from_state TEXT NOT NULL DEFAULT '',
    to_state   TEXT NOT NULL,
    step       INTEGER NOT NULL DEFAULT 0,
    reason     TEXT NOT NULL DEFAULT '',
    materials  TEXT NOT NULL DEFAULT '[]',
    visit      BOOLEAN NOT NULL DEFAULT 0,
    facts      TEXT,
    PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;
INSERT INTO case_events_by_case (id, case_id, seq, at, actor_id, actor_name, role, org_id, action,
    from_state, to_state, step, reason, materials, visit, facts)
SELECT id, case_id, seq, at, actor_id, actor_name, role, org_id, action,
    from_state, to_state, step, reason, materials, visit, facts
FROM case_events ORDER BY case_id, seq;
DROP TABLE case_events;
ALTER TABLE case_events_by_case RENAME TO case_events;
CREATE UNIQUE INDEX case_events_id ON case_events(id);
CREATE INDEX case_events_action_at ON case_events(action, at);
CREATE INDEX case_events_org_visit ON case_events (org_id, id) WHERE visit;
-- Events are history: the database refuses to change or remove them.
-- +goose StatementBegin
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case events are immutable');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case events are immutable');
END;
-- +goose StatementEnd

-- +goose Down
CREATE TABLE case_events_by_id (
    id         INTEGER PRIMARY KEY,
    case_id    BIGINT NOT NULL REFERENCES cases(id),
    seq        INTEGER NOT NULL,
    at         TIMESTAMP NOT NULL,
    actor_id   BIGINT REFERENCES users(id),
    actor_name TEXT NOT NULL,
    role       TEXT NOT NULL,
    org_id     BIGINT REFERENCES orgs(id),
    action     TEXT NOT NULL,
    from_state TEXT NOT NULL DEFAULT '',
    to_state   TEXT NOT NULL,
    step       INTEGER NOT NULL DEFAULT 0,
    reason     TEXT NOT NULL DEFAULT '',
    materials  TEXT NOT NULL DEFAULT '[]',
    visit      BOOLEAN NOT NULL DEFAULT 0,
    facts      TEXT,
    UNIQUE (case_id, seq)
);
INSERT INTO case_events_by_id SELECT id, case_id, seq, at, actor_id, actor_name, role, org_id, action,
    from_state, to_state, step, reason, materials, visit, facts FROM case_events ORDER BY id;
DROP TABLE case_events;
ALTER TABLE case_events_by_id RENAME TO case_events;
CREATE INDEX case_events_action_at ON case_events(action, at);
CREATE INDEX case_events_org_visit ON case_events (org_id, id) WHERE visit;
-- +goose StatementBegin
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case events are immutable');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case events are immutable');
END;
-- +goose StatementEnd
