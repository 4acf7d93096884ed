package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/tongban/tongban/internal/sqldb"
)

// Plan is how long and how often to measure, and with what.
type Plan struct {
	Quick    bool
	Duration time.Duration // one load run
	Pairs    int           // reference/subject pairs per comparison
	Warmup   int           // unrecorded requests per client before each run
	Tongban  string        // the tongban binary (servers under test)
	Self     string        // this harness's binary (reference servers)
	PGAdmin  string        // PostgreSQL URL that may create databases; "" = SQLite only
	Names    string        // the 广安区 catalog CSV the scaled catalog is built from
	WorkDir  string        // scratch files: data directories, logs
	Log      io.Writer     // progress

	// Calibrating takes a quiet-machine check between the run's steps;
	// Checks are those taken so far (see Check and Stamp).
	Calibrating bool
	Checks      []Calibration
}

// DefaultPlan is the full run, or the quick one (a few seconds per run).
func DefaultPlan(quick bool) Plan {
	if quick {
		return Plan{Quick: true, Duration: 2 * time.Second, Pairs: 2, Warmup: 20}
	}
	return Plan{Duration: 10 * time.Second, Pairs: 3, Warmup: 100}
}

func (p *Plan) logf(format string, args ...any) {
	if p.Log != nil {
		fmt.Fprintf(p.Log, format+"\n", args...)
	}
}

// run runs one load of l at clients for the plan's duration.
func (p *Plan) run(ctx context.Context, l Load, clients int) (Measurement, error) {
	l.Clients, l.Duration, l.Warmup = clients, p.Duration, p.Warmup
	r, err := l.Run(ctx)
	if err != nil {
		return Measurement{}, err
	}
	if r.Errors > 0 && r.ErrorRate() > 0.01 {
		return FromResult(r), fmt.Errorf("%d of %d requests failed, first: %v", r.Errors, r.Requests, r.FirstErr)
	}
	return FromResult(r), nil
}

// compare alternates ref and subject loads at clients.
func (p *Plan) compare(ctx context.Context, clients int, ref, subject Load) (*Comparison, error) {
	return Alternate(ctx, p.Pairs,
		func(ctx context.Context) (Measurement, error) { return p.run(ctx, ref, clients) },
		func(ctx context.Context) (Measurement, error) { return p.run(ctx, subject, clients) })
}

// startSelf runs this harness's binary as a child server (`tongban-bench
// <sub> --addr A …`).
func (p *Plan) startSelf(name, sub string, args ...string) (*Child, error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	args = append([]string{sub, "--addr", addr}, args...)
	return StartChild(p.Self, args, nil, addr, "/healthz", filepath.Join(p.WorkDir, name+".log"), 5*time.Minute)
}

// get is a GET request builder for url.
func get(url string) func(c, n int) (*http.Request, error) {
	return func(c, n int) (*http.Request, error) { return http.NewRequest("GET", url, nil) }
}

func (p *Plan) workDir(name string) (string, error) {
	d := filepath.Join(p.WorkDir, name)
	return d, os.MkdirAll(d, 0o755)
}

// pairsAt is the number of pairs at a client count: the plan's at the
// goals' 32 clients, one fewer (at least 2) elsewhere, to keep runs short.
func (p *Plan) pairsAt(clients int) int {
	if clients == 32 {
		return p.Pairs
	}
	return max(2, p.Pairs-1)
}

// runRef runs a reference script on t's database at clients: pgbench on
// PostgreSQL, the script interpreter (SQLBench) on SQLite.
func (p *Plan) runRef(ctx context.Context, t *Tongban, db *sqldb.DB, ref *Reference, clients int) (Measurement, error) {
	per := float64(max(ref.PerRun, 1))
	if t.Engine == "postgres" {
		r, err := PGBench{DB: t.DB, Script: ref.Script.Text, Clients: clients, Duration: p.Duration,
			Vars: ref.Defines, Prepared: true}.Run(ctx)
		if err != nil {
			return Measurement{}, err
		}
		if r.Failed > 0 {
			return Measurement{}, fmt.Errorf("pgbench: %d failed transactions\n%s", r.Failed, r.Output)
		}
		return Measurement{Throughput: r.TPS * per, Avg: time.Duration(float64(r.LatencyAvg) / per),
			Ops: r.Transactions * ref.PerRun}, nil
	}
	r, err := SQLBench{DB: db, Clients: clients, Duration: p.Duration,
		Script: func(ctx context.Context, db *sqldb.DB, c, n int) error {
			return ref.Script.RunOnce(ctx, db, c, ref.Defines)
		}}.Run(ctx)
	if err != nil {
		return Measurement{}, err
	}
	if r.Errors > 0 {
		return Measurement{}, fmt.Errorf("reference script: %d of %d runs failed, first: %v", r.Errors, r.Requests, r.FirstErr)
	}
	m := FromResult(r)
	m.Throughput *= per
	m.Ops *= ref.PerRun
	for _, d := range []*time.Duration{&m.P50, &m.P95, &m.P99, &m.Avg} {
		*d = time.Duration(float64(*d) / per)
	}
	return m, nil
}

// onEachEngine runs step on SQLite, then on PostgreSQL if the plan has one,
// and gathers their rows and goals; a failing engine's error is kept,
// named, and the other still runs.
func (p *Plan) onEachEngine(ctx context.Context, step func(ctx context.Context, engine string) ([]Row, []Goal, error)) ([]Row, []Goal, error) {
	var rows []Row
	var goals []Goal
	var errs []error
	for _, engine := range Engines {
		if engine == "postgres" && p.PGAdmin == "" {
			errs = append(errs, errors.New("postgres: skipped, no --pg"))
			continue
		}
		r, g, err := step(ctx, engine)
		rows, goals = append(rows, r...), append(goals, g...)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", engine, err))
		}
	}
	return rows, goals, errors.Join(errs...)
}
