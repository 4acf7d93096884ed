package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tongban/tongban/internal/bench"
)

// scenario is one named measurement of the plan.
type scenario struct {
	name string
	run  func(p *bench.Plan, ctx context.Context) ([]bench.Row, []bench.Goal, error)
}

func scenarios() []scenario {
	return []scenario{
		{"search", (*bench.Plan).Search},
		{"cases", (*bench.Plan).Cases},
		{"oidc", (*bench.Plan).OIDC},
		{"seals", (*bench.Plan).Seals},
		{"outbox-cost", (*bench.Plan).OutboxCost},
		{"outbox-latency", (*bench.Plan).OutboxDelivery},
		{"memory", (*bench.Plan).Memory},
	}
}

func runBench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("tongban-bench", flag.ContinueOnError)
	quick := fs.Bool("quick", false, "a few seconds per run, 2 pairs; prints the table without writing BENCHMARKS.md")
	out := fs.String("out", "", "markdown report to write (default BENCHMARKS.md for a full run; none with --quick or --only)")
	tongbanBin := fs.String("tongban", "", "the tongban binary under test (scripts/bench builds it)")
	pg := fs.String("pg", envOr("TONGBAN_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"),
		"PostgreSQL URL allowed to create scratch databases; empty = SQLite only (TONGBAN_BENCH_POSTGRES)")
	names := fs.String("names", "../shared/data/guangan-district-items.csv", "the 广安区 catalog CSV the search catalog is scaled from")
	only := fs.String("only", "", "comma-separated scenarios to run (default all): "+scenarioNames())
	dur := fs.Duration("duration", 0, "override the length of one load run")
	pairs := fs.Int("pairs", 0, "override the number of reference/subject pairs")
	tuned := fs.Bool("pg-tuned", true, "run the PostgreSQL half and the calibration on a private cluster the bench starts with a city server's settings (shared_buffers a quarter of memory, autovacuum on); false uses --pg as it is set")
	noCalibrate := fs.Bool("no-calibrate", false, "skip the quiet-machine checks before, between and after the scenarios (no goal is then judged)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Only a full run replaces BENCHMARKS.md: a run of some scenarios
	// writes a report only where --out names one.
	if !*quick && *only == "" && *out == "" {
		*out = "BENCHMARKS.md"
	}
	p := bench.DefaultPlan(*quick)
	if *dur > 0 {
		p.Duration = *dur
	}
	if *pairs > 0 {
		p.Pairs = *pairs
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "tongban-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	p.Self, p.Tongban, p.PGAdmin, p.Names, p.WorkDir, p.Log = self, *tongbanBin, *pg, *names, work, os.Stderr
	machine := bench.Describe(ctx, "")
	pgServer := "the server at --pg, as it is set"
	if *pg != "" && *tuned {
		c, url, err := bench.StartTuned(machine.MemoryMiB)
		if err != nil {
			return err
		}
		defer c.Remove()
		p.PGAdmin = url
		pgServer = "a private cluster started by the bench with " + bench.DescribeSettings(bench.TunedSettings(machine.MemoryMiB))
		fmt.Fprintf(os.Stderr, "PostgreSQL: %s (port %d)\n", pgServer, c.Port)
	}
	if p.PGAdmin != "" {
		machine = bench.Describe(ctx, p.PGAdmin)
		machine.PostgresServer = pgServer
	}

	mode := "full"
	if *quick {
		mode = "quick"
	}
	rep := &bench.Report{Machine: machine, Date: time.Now(), Mode: mode,
		Command: strings.TrimSpace("scripts/bench " + strings.Join(userArgs(args), " "))}
	want := map[string]bool{}
	for _, s := range strings.Split(*only, ",") {
		if s = strings.TrimSpace(s); s != "" {
			want[s] = true
		}
	}
	// The quiet-machine check runs before the first scenario and after each
	// step (a scenario's own steps, or the scenario as a whole): each goal
	// is judged by the checks either side of its measurement.
	p.Calibrating = !*quick && !*noCalibrate
	p.Check(ctx, "before")
	for _, s := range scenarios() {
		if len(want) > 0 && !want[s.name] {
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		checks := len(p.Checks)
		rows, goals, err := s.run(&p, ctx)
		p.Stamp(goals)
		rep.Rows = append(rep.Rows, rows...)
		rep.Goals = append(rep.Goals, goals...)
		if err != nil {
			rep.Notes = append(rep.Notes, fmt.Sprintf("scenario %s failed: %v", s.name, err))
			fmt.Fprintf(os.Stderr, "scenario %s failed: %v\n", s.name, err)
		}
		if len(p.Checks) == checks { // the scenario took no check of its own
			p.Check(ctx, "after "+s.name)
		}
	}
	rep.Calibrations = p.Checks
	fmt.Println()
	rep.WriteText(os.Stdout)
	if *out != "" {
		rep.BoundsDoc = linkFrom(*out, filepath.Join("docs", "benchmarks.md"))
		var b bytes.Buffer
		rep.WriteMarkdown(&b)
		if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, "wrote", *out)
	}
	return nil
}

func scenarioNames() string {
	var n []string
	for _, s := range scenarios() {
		n = append(n, s.name)
	}
	return strings.Join(n, ", ")
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// userArgs drops --tongban PATH, which scripts/bench adds itself, so the
// report names the command as it was typed.
func userArgs(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		switch {
		case args[i] == "--tongban" || args[i] == "-tongban":
			i++
		case strings.HasPrefix(args[i], "--tongban=") || strings.HasPrefix(args[i], "-tongban="):
		default:
			out = append(out, args[i])
		}
	}
	return out
}

// linkFrom is target (a path from the working directory, the repository's
// root under scripts/bench) as a relative link from the file at from.
func linkFrom(from, target string) string {
	dir, errDir := filepath.Abs(filepath.Dir(from))
	abs, errTarget := filepath.Abs(target)
	if rel, err := filepath.Rel(dir, abs); errDir == nil && errTarget == nil && err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(target)
}
