package store

import (
	"context"
	"slices"
	"strings"
)

// rollupTable is a set of daily counters folded from an append-only event
// table (case_rollups, rating_rollups, complaint_rollups), with the
// one-row table holding the last event folded.
type rollupTable struct {
	name, watermark string
	keys            string // the key columns: the ON CONFLICT target
	counts          string // the counter columns, added to on conflict
}

// applyRollups adds counts to t's rows (inserting the missing ones) and
// moves its watermark, in chunks of one statement each. The keys are
// written in the order cmpKey gives: a stable order keeps concurrent
// writers (there should be none past the watermark lock) from deadlocking
// on each other's rows. row is a key's column values then its counts'.
func applyRollups[K comparable, C any](ctx context.Context, s *Store, t rollupTable, counts map[K]C,
	cmpKey func(a, b K) int, row func(K, C) []any, watermark int64) error {
	var set []string
	for _, c := range strings.Split(t.counts, ",") {
		c = strings.TrimSpace(c)
		set = append(set, c+" = "+t.name+"."+c+" + excluded."+c)
	}
	keys := make([]K, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmpKey)
	width := len(strings.Split(t.keys, ",")) + len(set)
	for len(keys) > 0 {
		n := batchRows(len(keys), s.rollupChunk())
		var vals []string
		var args []any
		for _, k := range keys[:n] {
			vals = append(vals, placeholders(len(args)+1, width))
			args = append(args, row(k, counts[k])...)
		}
		q := `INSERT INTO ` + t.name + ` (` + t.keys + `, ` + t.counts + `) VALUES ` + strings.Join(vals, ", ") +
			` ON CONFLICT (` + t.keys + `) DO UPDATE SET ` + strings.Join(set, ", ")
		if _, err := s.q.ExecContext(ctx, q, args...); err != nil {
			return classify(err)
		}
		keys = keys[n:]
	}
	_, err := s.q.ExecContext(ctx, `UPDATE `+t.watermark+` SET last_event_id = $1 WHERE id = 1`, watermark)
	return classify(err)
}

// resetRollups empties t so that every event is folded again.
func (s *Store) resetRollups(ctx context.Context, t rollupTable) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM `+t.name); err != nil {
		return classify(err)
	}
	_, err := s.q.ExecContext(ctx, `UPDATE `+t.watermark+` SET last_event_id = 0 WHERE id = 1`)
	return classify(err)
}
