-- +goose Up
-- What the measures need of a case event, recorded with it (JSON of
-- tongban.EventFacts), so the rollups can be rebuilt from the events alone.
-- Events stored before this migration have none; the aggregator reads their
-- case as it is now, as it always did.
ALTER TABLE case_events ADD COLUMN facts TEXT;

-- +goose Down
ALTER TABLE case_events DROP COLUMN facts;
