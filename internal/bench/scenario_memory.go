package bench

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban/internal/sqldb"
)

// MemoryCases is how many cases the memory scenario's server holds.
const MemoryCases = 1_000_000

// Memory measures the server's peak resident memory (VmHWM) holding the
// demo city, 100,000 published listings and 1,000,000 cases, from its start
// (search index built, rollups folded) through a mixed load at 32 clients:
// searches near a different town each, applicants reading their cases,
// the clerk's queue and overdue list, the supervisor's dashboard and the
// overdue supervision list. Goal: under 1 GiB, on each engine.
//
// The listings go in as the search scenario's do (the real import). The
// cases are real submissions through the API, one per applicant, cloned
// in the database (each clone under one of the 100,000 listings, its
// department and region, 60% waiting for acceptance and 40% closed), since
// a million submissions through HTTP would take hours on this machine;
// each clone has its submit event.
func (p *Plan) Memory(ctx context.Context) ([]Row, []Goal, error) {
	engines := memoryEngines(p.PGAdmin != "")
	var rows []Row
	var goals []Goal
	for _, engine := range engines {
		row, goal, err := p.memoryOn(ctx, engine)
		if err != nil {
			return rows, goals, fmt.Errorf("memory (%s): %w", engine, err)
		}
		rows, goals = append(rows, row), append(goals, goal)
	}
	return rows, goals, nil
}

// MemoryRequestTimeout bounds each request of the memory scenario's mixed
// load: a request that takes longer counts as failed (a timeout of its
// kind), so a slow endpoint shows in the report instead of holding the run.
const MemoryRequestTimeout = 30 * time.Second

// kindsText is each kind's p50 and p99 and its failures, in order.
func kindsText(r *Result, order []string) string {
	var parts []string
	for _, name := range order {
		k := r.Kinds[name]
		if k == nil {
			continue
		}
		s := fmt.Sprintf("%s %d req p50 %s p99 %s ms", name, k.Requests, ms(k.Hist.Quantile(0.5)), ms(k.Hist.Quantile(0.99)))
		if k.Errors > 0 {
			s += fmt.Sprintf(", %d failed (%d timed out)", k.Errors, k.Timeouts)
		}
		if k.Unfinished > 0 {
			s += fmt.Sprintf(", %d unanswered at the end", k.Unfinished)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// memoryEngines are the engines the memory scenario runs on: SQLite, and
// PostgreSQL when a server is given, or only those named in
// TONGBAN_BENCH_MEMORY_ENGINES (say "postgres"), since one engine's full
// run takes tens of minutes.
func memoryEngines(withPostgres bool) []string {
	return pickEngines("TONGBAN_BENCH_MEMORY_ENGINES", withPostgres)
}

// pickEngines are SQLite, and PostgreSQL when a server is given, or only
// those of them named in the environment variable env (say "postgres"),
// so that one engine's half can be rerun or watched on its own.
func pickEngines(env string, withPostgres bool) []string {
	engines := []string{"sqlite"}
	if withPostgres {
		engines = append(engines, "postgres")
	}
	only := os.Getenv(env)
	if only == "" {
		return engines
	}
	var picked []string
	for _, e := range engines {
		for _, name := range strings.Split(only, ",") {
			if strings.TrimSpace(name) == e {
				picked = append(picked, e)
			}
		}
	}
	return picked
}

// memoryScale shrinks the memory scenario for a smoke run
// (TONGBAN_BENCH_MEMORY_SCALE=0.01: 1,000 listings, 10,000 cases); a
// scaled run is marked as such and judges nothing.
func memoryScale() float64 {
	if f, err := strconv.ParseFloat(os.Getenv("TONGBAN_BENCH_MEMORY_SCALE"), 64); err == nil && f > 0 && f < 1 {
		return f
	}
	return 1
}

func (p *Plan) memoryOn(ctx context.Context, engine string) (Row, Goal, error) {
	scale := memoryScale()
	listings, cases := int(SearchListings*scale), int(MemoryCases*scale)
	t, setup, err := p.searchServer(ctx, engine, listings)
	if err != nil {
		return Row{}, Goal{}, err
	}
	defer t.Close()
	const applicants = 16
	f, err := NewCaseFixture(ctx, t.URL(""), applicants)
	if err != nil {
		return Row{}, Goal{}, err
	}
	templates := make([]string, applicants)
	for i := range templates {
		if templates[i], err = f.Submit(ctx, i, fmt.Sprintf("memory-%s-%d", engine, i)); err != nil {
			return Row{}, Goal{}, err
		}
	}
	t.Stop(30 * time.Second)

	p.logf("memory (%s): cloning %d submissions into %d cases", engine, applicants, cases)
	start := time.Now()
	if err := cloneCases(ctx, t.DB, templates, cases, listings); err != nil {
		return Row{}, Goal{}, err
	}
	cloned := time.Since(start)

	p.logf("memory (%s): starting tongban on %d cases", engine, cases)
	start = time.Now()
	if err := t.Start(); err != nil {
		return Row{}, Goal{}, err
	}
	started := time.Since(start)
	atStart, _ := PeakRSS(t.Pid())
	for _, a := range f.Applicants { // the restarted server listens elsewhere
		a.Base = t.URL("")
	}

	clerk, err := TokenFor(ctx, t.URL(""), "clerk", DemoPassword)
	if err != nil {
		return Row{}, Goal{}, err
	}
	sup, err := TokenFor(ctx, t.URL(""), "supervisor", DemoPassword)
	if err != nil {
		return Row{}, Goal{}, err
	}
	staff := []struct {
		by   *API
		path string
	}{
		{clerk, "/api/v1/cases?limit=20&offset=%d"},
		{clerk, "/api/v1/cases?overdue=1&limit=20&offset=%d"},
		{sup, DashboardPath},
		{sup, "/api/v1/supervision/overdue?limit=20&offset=%d"},
	}
	kinds := [...]string{"search", "case status", "clerk's queue", "clerk's overdue", "dashboard", "supervision overdue"}
	kind := func(c, n int) string {
		switch n % 8 {
		case 0, 1, 2:
			return kinds[0]
		case 3, 4, 5, 6:
			return kinds[1]
		}
		return kinds[2+(c+n/8)%len(staff)]
	}
	mixed := Load{Request: func(c, n int) (*http.Request, error) {
		k := c*7919 + n*31
		switch n % 8 {
		case 0, 1, 2: // a search near a different town each time
			v := cloneValues(SearchQueries[k%len(SearchQueries)])
			v.Set("near", nearTown(c, n))
			return http.NewRequest("GET", t.URL("/api/v1/search?"+v.Encode()), nil)
		case 3, 4, 5, 6: // an applicant reads one of their million cases
			clone := k % cases
			return f.StatusRequest(clone%applicants, cloneNumber(templates, clone))
		default: // staff lists and dashboards, paged
			s := staff[(c+n/8)%len(staff)] // each client starts on another, so a short run sees every kind
			path := s.path
			if strings.Contains(path, "%d") {
				path = fmt.Sprintf(path, (k%50)*20)
			}
			req, err := http.NewRequest("GET", s.by.Base+path, nil)
			if err == nil {
				s.by.Sign(req)
			}
			return req, err
		}
	}}
	dur := 3 * p.Duration
	p.logf("memory (%s): mixed load, 32 clients, %s", engine, dur)
	l := mixed
	l.Clients, l.Duration, l.Warmup = 32, dur, p.Warmup
	l.Kind, l.Timeout = kind, MemoryRequestTimeout
	res, err := l.Run(ctx)
	if err != nil {
		return Row{}, Goal{}, err
	}
	byKind := kindsText(res, kinds[:])
	p.logf("memory (%s): %s", engine, byKind)
	if timeouts := res.Timeouts(); res.Errors > timeouts {
		state := "running"
		if t.Exited() {
			state = fmt.Sprintf("exited (%v)", t.Wait(ctx))
		}
		return Row{}, Goal{}, fmt.Errorf("%d of %d requests failed (%d timed out), first: %v; by kind: %s; the server %s, its log ends:\n%s",
			res.Errors, res.Requests, timeouts, res.FirstErr, byKind, state, t.LogTail(30))
	}
	peak, err := PeakRSS(t.Pid())
	if err != nil {
		return Row{}, Goal{}, err
	}
	note := fmt.Sprintf("%s; %d cases cloned in the database from %d API submissions in %.0f s; the server restarted on them in %.1f s "+
		"(peak RSS %s MiB after start); mixed load: 3/8 searches near a different town, 4/8 applicants' case reads, "+
		"1/8 the clerk's queue and overdue list, the supervisor's dashboard and overdue list (by kind: %s; a request unanswered after %s fails); "+
		"RSS is the peak since the server started",
		setup, cases, applicants, cloned.Seconds(), started.Seconds(), mib(atStart), byKind, MemoryRequestTimeout)
	row := Row{Scenario: "memory: 100k listings, 1M cases, mixed requests", Engine: engine, Clients: 32, Unit: "req/s",
		Subject: FromResult(res), RSS: peak, Note: note}
	const limit = 1 << 30
	goal := Goal{Name: fmt.Sprintf("server peak RSS < 1 GiB holding 100,000 listings and 1,000,000 cases, under mixed load (%s)", engine),
		Got: mib(peak) + " MiB", Met: peak < limit && scale == 1 && res.Errors == 0, Gap: pct(float64(peak)/limit, "of the limit")}
	if res.Errors > 0 {
		goal.Got += fmt.Sprintf(" (%d requests timed out: not judged)", res.Errors)
	}
	if scale != 1 {
		goal.Got += fmt.Sprintf(" (scaled run ×%g: %d listings, %d cases; not judged)", scale, listings, cases)
	}
	return row, goal, nil
}

// cloneNumber is the case number of clone n (see cloneCases).
func cloneNumber(templates []string, n int) string {
	return fmt.Sprintf("%s-%07d", templates[n%len(templates)], n)
}

// cloneCases writes n cases into the database at dsn, clone i a copy of
// templates[i % len] (its applicant, form and materials) under listing
// (i % listings) of the newest listings, numbered cloneNumber, with its
// submit event; two clones in five are closed (approved). In batches, one
// transaction each.
func cloneCases(ctx context.Context, dsn string, templates []string, n, listings int) error {
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	var first, last, count int64
	if err := db.QueryRowContext(ctx, `SELECT MIN(id), MAX(id), COUNT(*) FROM listings
		WHERE id > (SELECT MAX(id) FROM listings) - $1`, listings).Scan(&first, &last, &count); err != nil {
		return err
	}
	if count != int64(listings) || last-first+1 != count {
		return fmt.Errorf("the newest %d listings are not numbered without gaps (%d–%d, %d rows)", listings, first, last, count)
	}
	const batch = 50_000
	for lo := 0; lo < n; lo += batch {
		hi := min(lo+batch, n) - 1
		err := db.Transact(ctx, func(tx *sql.Tx) error {
			var before int64
			if err := tx.QueryRowContext(ctx, `SELECT MAX(id) FROM cases`).Scan(&before); err != nil {
				return err
			}
			for k, tpl := range templates {
				// Clones of template k: lo ≤ g < hi+1 with g ≡ k (mod len).
				from := lo + (k-lo%len(templates)+len(templates))%len(templates)
				if from > hi {
					continue
				}
				if _, err := tx.ExecContext(ctx, cloneSQL, tpl, from, hi, len(templates), first, listings); err != nil {
					return err
				}
			}
			idColumn, idValue := eventIDsCopied(db, "c.id")
			_, err := tx.ExecContext(ctx, fmt.Sprintf(cloneEventsSQL, idColumn, idValue), before)
			return err
		})
		if err != nil {
			return fmt.Errorf("clone cases %d–%d: %w", lo, hi, err)
		}
	}
	if db.Dialect == sqldb.Postgres {
		// A city's database has statistics; a table that has just grown a
		// million rows has none until autovacuum comes by, and without
		// them the planner sorts a whole region instead of walking the
		// queue index. SQLite plans without statistics in production too.
		if _, err := db.ExecContext(ctx, `ANALYZE cases, case_events`); err != nil {
			return fmt.Errorf("analyze the cloned cases: %w", err)
		}
	}
	return nil
}

// cloneSQL inserts the clones $2, $2+$4, … ≤ $3 of case number $1, clone g
// under listing $5 + g mod $6.
const cloneSQL = `WITH RECURSIVE g(n) AS (SELECT CAST($2 AS BIGINT) UNION ALL SELECT n + CAST($4 AS BIGINT) FROM g WHERE n + CAST($4 AS BIGINT) <= CAST($3 AS BIGINT))
INSERT INTO cases (` + caseCopyColumns + `)
SELECT t.number || '-' || SUBSTR(CAST(10000000 + g.n AS TEXT), 2), l.id, l.version, l.name, l.name, l.org_id, l.region_code, NULL,
	t.applicant_id, t.applicant_name, t.channel,
	CASE WHEN g.n % 5 < 3 THEN 'submitted' ELSE 'closed' END, CASE WHEN g.n % 5 < 3 THEN '' ELSE 'approved' END, 0,
	t.form, t.materials, '[]', NULL, t.commitment, FALSE, FALSE, FALSE, FALSE, t.promised_days,
	NULL, NULL, FALSE, 0, NULL, CASE WHEN g.n % 5 < 3 THEN NULL ELSE t.created_at END, 0,
	t.delivery_method, '', NULL, '[]', '', NULL, t.created_at, t.created_at, 1
FROM g JOIN listings l ON l.id = CAST($5 AS BIGINT) + g.n % CAST($6 AS BIGINT) CROSS JOIN cases t
WHERE t.number = $1`

// cloneEventsSQL gives the clones just inserted (ids above $1) their
// submit event, the id column and value of eventIDsCopied put in.
const cloneEventsSQL = `INSERT INTO case_events (%scase_id, seq, at, actor_id, actor_name, role, org_id, action,
	from_state, to_state, step, reason, materials, visit)
SELECT %sc.id, 1, c.created_at, c.applicant_id, c.applicant_name, 'applicant', NULL, 'submit', '', 'submitted', 0, '', '[]', FALSE
FROM cases c WHERE c.id > $1`
