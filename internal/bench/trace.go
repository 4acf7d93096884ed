package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Traced is the SQL one request issued.
type Traced struct {
	Request    string
	Statements []string
}

// TraceCases runs Tongban (binary bin) on a private PostgreSQL cluster that
// logs every statement, and returns what one submission, each lifecycle
// step, the applicant's rating of the closed case and one case-status read issue, after a warm-up of each (caches
// filled, as under load), and the issue of a case whose result is not a
// licence (the issue scenario's plain side, accepted and approved
// untraced). The pgbench references are written from this.
func TraceCases(ctx context.Context, bin, workDir string) ([]Traced, error) {
	c, err := NewCluster(TraceSettings...)
	if err != nil {
		return nil, err
	}
	defer c.Remove()
	t, err := StartTongban(ctx, bin, "postgres", workDir, c.URL("postgres"))
	if err != nil {
		return nil, err
	}
	defer t.Close()
	db := strings.TrimPrefix(t.DB[strings.LastIndex(t.DB, "/"):], "/")
	db, _, _ = strings.Cut(db, "?")
	f, err := NewCaseFixture(ctx, t.URL(""), 1)
	if err != nil {
		return nil, err
	}
	if err := f.LearnFace(ctx); err != nil {
		return nil, err
	}
	bf, err := NewBundleFixture(ctx, t.URL(""))
	if err != nil {
		return nil, err
	}
	of, err := NewOnceOnlyFixture(ctx, t.URL(""), 1, 30_000)
	if err != nil {
		return nil, err
	}
	pf, err := NewPlainCaseFixture(ctx, t.URL(""), 1, 10_000)
	if err != nil {
		return nil, err
	}
	var out []Traced
	trace := func(name string, do func() error) error {
		mark := c.LogSize()
		if err := do(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		stmts, err := c.Statements(db, mark)
		out = append(out, Traced{Request: name, Statements: stmts})
		return err
	}
	for round := range 2 { // the first round warms caches; the second is kept
		var number string
		if err := trace("POST /api/v1/cases", func() (err error) {
			number, err = f.Submit(ctx, 0, fmt.Sprintf("trace-%d", round))
			return err
		}); err != nil {
			return nil, err
		}
		for _, s := range Lifecycle {
			if err := trace("POST /api/v1/cases/{number}/"+s.Action, func() error { return f.Step(ctx, s, number) }); err != nil {
				return nil, err
			}
		}
		if err := trace("POST /api/v1/cases/{number}/ratings", func() error {
			return f.Applicants[0].Do(ctx, "POST", "/api/v1/cases/"+number+"/ratings", json.RawMessage(RatingBody), nil)
		}); err != nil {
			return nil, err
		}
		if err := trace("GET /api/v1/cases/{number}", func() error {
			return f.Applicants[0].Do(ctx, "GET", "/api/v1/cases/"+number, nil, nil)
		}); err != nil {
			return nil, err
		}
		if err := trace("POST /api/v1/bundles/{id}/cases", func() error {
			_, err := bf.Submit(ctx, fmt.Sprintf("trace-bundle-%d", round))
			return err
		}); err != nil {
			return nil, err
		}
		for _, refs := range []bool{false, true} {
			name := "POST /api/v1/cases (once-only, 3 uploads)"
			if refs {
				name = "POST /api/v1/cases (once-only, 3 references)"
			}
			if err := trace(name, func() error { return of.submitOnce(ctx, refs, fmt.Sprintf("trace-once-%d-%v", round, refs)) }); err != nil {
				return nil, err
			}
		}
		plain, err := stageApproved(ctx, pf, 1, fmt.Sprintf("trace-plain-%d", round))
		if err != nil {
			return nil, err
		}
		if err := trace("POST /api/v1/cases/{number}/issue (plain result)", func() error { return pf.Step(ctx, Lifecycle[2], plain[0]) }); err != nil {
			return nil, err
		}
		if round == 0 {
			out = out[:0]
		}
	}
	return out, nil
}

// PrintTraced writes the traced statements, one request after another.
func PrintTraced(w io.Writer, ts []Traced) {
	for _, t := range ts {
		fmt.Fprintf(w, "## %s (%d statements)\n", t.Request, len(t.Statements))
		for _, s := range t.Statements {
			fmt.Fprintf(w, "  %s\n", s)
		}
		fmt.Fprintln(w)
	}
}
