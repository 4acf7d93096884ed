-- +goose Up
-- The horizon of an append-only table (outbox, case_events, rating and
-- complaint events): the highest id below which every id has committed.
-- IDs are handed out before commit, so the reader takes a SHARE lock,
-- which waits out the transactions inserting at that moment; while the
-- lock is held (and while it waits), new inserts wait behind it. Taken
-- from the client as BEGIN, SET LOCAL, LOCK, SELECT, COMMIT, the lock
-- was held across two round trips, each several milliseconds on a busy
-- machine, every publisher round (docs/benchmarks.md, "The outbox's
-- cost"). As one statement it is held for the MAX(id) read alone.
-- +goose StatementBegin
CREATE FUNCTION share_horizon(t regclass) RETURNS bigint AS $$
DECLARE
    h bigint;
BEGIN
    EXECUTE format('LOCK TABLE %s IN SHARE MODE', t);
    EXECUTE format('SELECT COALESCE(MAX(id), 0) FROM %s', t) INTO h;
    RETURN h;
END;
$$ LANGUAGE plpgsql SET lock_timeout = '200ms';
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION share_horizon(regclass);
