package sqldb

import (
	"context"
	"errors"
	"strings"
)

// QueryPlan is SQLite's plan for q with args (EXPLAIN QUERY PLAN), its
// steps joined by "; ": what the tests that an index is used check.
// PostgreSQL's plans depend on its statistics and are not asked here.
func (db *DB) QueryPlan(ctx context.Context, q string, args ...any) (string, error) {
	if db.Dialect != SQLite {
		return "", errors.New("sqldb: QueryPlan reads SQLite's plans only")
	}
	rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", err
		}
		steps = append(steps, detail)
	}
	return strings.Join(steps, "; "), rows.Err()
}
