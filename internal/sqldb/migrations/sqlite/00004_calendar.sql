-- +goose Up
-- The working-day calendar: entries of the State Council's holiday notices
-- (weekday holidays and weekend make-up workdays) and the years whose notice
-- is loaded in full. Dates are China civil dates as YYYY-MM-DD text, which
-- sorts and range-compares correctly. The built-in 2024–2026 seed is
-- inserted by the application from internal/calendar/holidays.csv, so that
-- data lives in one place.
CREATE TABLE calendar_days (
    date TEXT PRIMARY KEY CHECK (length(date) = 10),
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL
);

CREATE TABLE calendar_years (
    year      INTEGER PRIMARY KEY,
    loaded_at TIMESTAMP NOT NULL,
    source    TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE calendar_years;
DROP TABLE calendar_days;
