-- +goose Up
-- PostgreSQL's share_horizon function (its 00062). On SQLite one writer at
-- a time means every stored id has committed: MAX(id) is the horizon, and
-- nothing is needed here.
SELECT 1;

-- +goose Down
SELECT 1;
