-- +goose Up
-- Every case event's outbox row went into three b-trees (the table, its
-- event_id and its (subject, id) indexes), in the action's own
-- transaction. No statement reads the outbox by subject: the publisher
-- reads it by id, the delivery log joins it by id. The index only cost
-- every submission an insert (docs/benchmarks.md, "The outbox's cost").
DROP INDEX outbox_subject;

-- +goose Down
CREATE INDEX outbox_subject ON outbox(subject, id);
