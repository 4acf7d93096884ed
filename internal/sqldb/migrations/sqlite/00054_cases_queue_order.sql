-- +goose Up
-- A staff queue is ordered by due date, undated last, then id (store
-- Cases). With a million cases a region's queue sorted every row of the
-- region to return twenty; this index holds that order, so a page walks
-- it and stops, and the overdue list ranges over dated cases only
-- (docs/benchmarks.md, the memory run).
CREATE INDEX cases_queue_order ON cases ((CASE WHEN due_date IS NULL THEN 1 ELSE 0 END), due_date, id);

-- +goose Down
DROP INDEX cases_queue_order;
