-- +goose Up
-- A rating whose appeal was upheld (申诉成立) leaves 好评率 and 差评率 but is
-- counted apart, so a figure never drops it silently. The rollups are
-- emptied and their watermark reset: the aggregator folds every rating
-- event again, this time counting the upheld appeals already made.
ALTER TABLE rating_rollups ADD COLUMN excluded BIGINT NOT NULL DEFAULT 0;
DELETE FROM rating_rollups;
UPDATE rating_rollup_watermark SET last_event_id = 0;

-- +goose Down
ALTER TABLE rating_rollups DROP COLUMN excluded;
