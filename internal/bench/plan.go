package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// Plan is how long and how often to measure, and with what.
type Plan struct {
	Quick    bool
	Duration time.Duration // one load run
	Pairs    int           // reference/subject pairs per comparison
	Warmup   int           // unrecorded requests per client before each run
	Tongban  string        // the tongban binary (servers under test)
	Self     string        // this harness's binary (reference and interim servers)
	PGAdmin  string        // PostgreSQL URL that may create databases; "" = SQLite only
	Names    string        // the 广安区 catalog CSV the scaled catalog is built from
	WorkDir  string        // scratch files: data directories, logs
	Log      io.Writer     // progress
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
