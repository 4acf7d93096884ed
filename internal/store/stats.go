package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// EventHorizon: SQLite commits one writer at a time, so every stored ID is
// committed. PostgreSQL hands out IDs before commit, so a later ID may be
// visible before an earlier one; the horizon is then proven without a lock
// (horizon.go).
func (s *Store) EventHorizon(ctx context.Context) (int64, error) {
	return s.horizonOf(ctx, "case_events")
}

func (s *Store) RollupWatermark(ctx context.Context) (int64, error) {
	return s.watermarkOf(ctx, "rollup_watermark")
}

// watermarkOf reads (and in a transaction on PostgreSQL, locks) the last
// event a set of rollups has folded, from its one-row watermark table.
func (s *Store) watermarkOf(ctx context.Context, table string) (int64, error) {
	var w int64
	err := s.q.QueryRowContext(ctx, `SELECT last_event_id FROM `+table+` WHERE id = 1`+s.db.ForUpdate()).Scan(&w)
	return w, classify(err)
}

// RollupEvents reads only the events that move a counter (tongban.Measured);
// the watermark still passes the others (see internal/stats). An event
// carries its facts; one stored before migration 00012 has none and is
// read with its case as the case is now.
func (s *Store) RollupEvents(ctx context.Context, after, upTo int64, limit int) ([]tongban.RollupEvent, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT e.id, e.at, e.action, e.to_state, e.facts,
		CASE WHEN e.facts IS NULL THEN COALESCE(o.kind, '') = 'window' ELSE FALSE END,
		c.region_code, c.org_id, c.listing_id, c.channel, COALESCE(c.due_date, ''), c.decided_at, c.visits,
		CASE WHEN e.facts IS NULL AND e.action = 'submit' THEN c.materials ELSE '[]' END
		FROM case_events e JOIN cases c ON c.id = e.case_id LEFT JOIN orgs o ON o.id = e.org_id
		WHERE e.id > $1 AND e.id <= $2
		  AND (e.action IN ('submit', 'accept', 'approve', 'deny', 'reject') OR e.to_state = 'closed')
		ORDER BY e.id LIMIT $3`, after, upTo, limit)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []tongban.RollupEvent
	for rows.Next() {
		var e tongban.RollupEvent
		var decided sql.NullTime
		var materials string
		var factsJSON sql.NullString
		if err := rows.Scan(&e.ID, &e.At, &e.Action, &e.To, &factsJSON, &e.AtWindow, &e.RegionCode, &e.OrgID, &e.ListingID,
			&e.Channel, &e.DueDate, &decided, &e.CaseVisits, &materials); err != nil {
			return nil, classify(err)
		}
		facts, err := parseFacts(e.ID, factsJSON)
		if err != nil {
			return nil, err
		}
		if facts != nil {
			out = append(out, tongban.RollupEventOf(&tongban.CaseEvent{ID: e.ID, At: e.At, Action: e.Action, To: e.To, Facts: facts}))
			continue
		}
		e.DecidedAt = decided.Time
		if e.Action == tongban.ActionSubmit {
			var ms []tongban.CaseMaterial
			if err := json.Unmarshal([]byte(materials), &ms); err != nil {
				return nil, tongban.Wrap(tongban.EInternal, err, "办件事件 %d 的材料数据已损坏", e.ID)
			}
			e.Materials = len(ms)
			for _, m := range ms {
				if m.Spared() {
					e.NotHandedIn++
				}
			}
			e.ByLicense, e.ByLibrary, e.ByShared = tongban.SparedByRef(ms)
		}
		out = append(out, e)
	}
	return out, classify(rows.Err())
}

const rollupCols = `submitted, counter_submitted, counter_accepted_at_window, accepted, decided, closed, closed_on_time,
	visits, one_trip_cases, materials_asked, materials_not_handed, denied, rejected,
	materials_by_license, materials_by_library, materials_by_shared`

func countArgs(c tongban.RollupCounts) []any {
	return []any{c.Submitted, c.CounterSubmitted, c.CounterAcceptedAtWindow, c.Accepted, c.Decided, c.Closed,
		c.ClosedOnTime, c.Visits, c.OneTripCases, c.MaterialsAsked, c.MaterialsNotHanded, c.Denied, c.Rejected,
		c.MaterialsByLicense, c.MaterialsByLibrary, c.MaterialsByShared}
}

// rollupChunk rows go in one multi-row upsert, 21 parameters each. SQLite
// looks "$N" parameters up by name, linearly, so it gets smaller statements.
func (s *Store) rollupChunk() int {
	if s.db.Dialect == sqldb.Postgres {
		return 500
	}
	return 40
}

// caseRollups are the case measures' counters (rollupCols).
var caseRollups = rollupTable{name: "case_rollups", watermark: "rollup_watermark",
	keys: "day, region_code, org_id, listing_id, channel", counts: rollupCols}

func (s *Store) ApplyRollups(ctx context.Context, counts map[tongban.RollupKey]tongban.RollupCounts, watermark int64) error {
	return applyRollups(ctx, s, caseRollups, counts, func(a, b tongban.RollupKey) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.RegionCode, b.RegionCode), cmp.Compare(a.OrgID, b.OrgID),
			cmp.Compare(a.ListingID, b.ListingID), cmp.Compare(a.Channel, b.Channel))
	}, func(k tongban.RollupKey, c tongban.RollupCounts) []any {
		return append([]any{k.Day, k.RegionCode, k.OrgID, k.ListingID, string(k.Channel)}, countArgs(c)...)
	}, watermark)
}

func (s *Store) ResetRollups(ctx context.Context) error { return s.resetRollups(ctx, caseRollups) }

func rollupWhere(f tongban.RollupFilter) *where {
	w := &where{}
	if f.From != "" {
		w.add("day >= ?", f.From)
	}
	if f.To != "" {
		w.add("day <= ?", f.To)
	}
	if p := regionPrefix(f.Region); p != "" {
		w.add("region_code LIKE ?", p+"%")
	}
	if f.OrgID != 0 {
		w.add("org_id = ?", f.OrgID)
	}
	if f.ItemID != 0 {
		w.add("listing_id IN (SELECT id FROM listings WHERE item_id = ?)", f.ItemID)
	}
	if f.ListingID != 0 {
		w.add("listing_id = ?", f.ListingID)
	}
	if f.Channel != "" {
		w.add("channel = ?", string(f.Channel))
	}
	return w
}

// regionPrefix is "" for no region, so that no filter is added.
func regionPrefix(code string) string {
	if code == "" {
		return ""
	}
	return tongban.RegionPrefix(code)
}

func (s *Store) SumRollups(ctx context.Context, f tongban.RollupFilter) (map[int64]tongban.RollupCounts, error) {
	return s.sumRollups(ctx, f, "org_id")
}

func (s *Store) SumRollupsByListing(ctx context.Context, f tongban.RollupFilter) (map[int64]tongban.RollupCounts, error) {
	return s.sumRollups(ctx, f, "listing_id")
}

// sumRollups sums the rollups matching f grouped by one key column.
func (s *Store) sumRollups(ctx context.Context, f tongban.RollupFilter, by string) (map[int64]tongban.RollupCounts, error) {
	var sums []string
	for _, c := range strings.Split(rollupCols, ",") {
		sums = append(sums, "SUM("+strings.TrimSpace(c)+")")
	}
	w := rollupWhere(f)
	rows, err := s.q.QueryContext(ctx, `SELECT `+by+`, `+strings.Join(sums, ", ")+` FROM case_rollups`+
		w.String()+` GROUP BY `+by, w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	out := map[int64]tongban.RollupCounts{}
	for rows.Next() {
		var key int64
		var c tongban.RollupCounts
		if err := rows.Scan(&key, &c.Submitted, &c.CounterSubmitted, &c.CounterAcceptedAtWindow, &c.Accepted,
			&c.Decided, &c.Closed, &c.ClosedOnTime, &c.Visits, &c.OneTripCases, &c.MaterialsAsked,
			&c.MaterialsNotHanded, &c.Denied, &c.Rejected, &c.MaterialsByLicense, &c.MaterialsByLibrary, &c.MaterialsByShared); err != nil {
			return nil, classify(err)
		}
		out[key] = c
	}
	return out, classify(rows.Err())
}

func (s *Store) ListingFacts(ctx context.Context, f tongban.RollupFilter) ([]tongban.ListingFact, error) {
	w := &where{}
	w.add("l.status = ?", string(tongban.ListingPublished))
	if p := regionPrefix(f.Region); p != "" {
		w.add("l.region_code LIKE ?", p+"%")
	}
	if f.OrgID != 0 {
		w.add("l.org_id = ?", f.OrgID)
	}
	if f.ItemID != 0 {
		w.add("l.item_id = ?", f.ItemID)
	}
	if f.ListingID != 0 {
		w.add("l.id = ?", f.ListingID)
	}
	rows, err := s.q.QueryContext(ctx, `SELECT l.id, l.name, l.item_id, i.name, l.org_id, l.region_code, l.online_depth, l.case_type,
		l.promised_days, i.statutory_days FROM listings l JOIN items i ON i.id = l.item_id`+w.String()+` ORDER BY l.id`, w.args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []tongban.ListingFact
	for rows.Next() {
		var l tongban.ListingFact
		if err := rows.Scan(&l.ListingID, &l.ListingName, &l.ItemID, &l.ItemName, &l.OrgID, &l.RegionCode, &l.OnlineDepth,
			&l.CaseType, &l.PromisedDays, &l.StatutoryDays); err != nil {
			return nil, classify(err)
		}
		out = append(out, l)
	}
	return out, classify(rows.Err())
}
