-- +goose Up
-- The start-up backfill (rating.BackfillEvents) looks for ratings without
-- an event; without this index SQLite would scan every event per rating.
CREATE INDEX rating_events_rating ON rating_events (rating_id);

-- +goose Down
DROP INDEX rating_events_rating;
