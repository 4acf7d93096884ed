package bench

import (
	"context"
	"fmt"
	"time"
)

// QuietPKSelect is the rate pgbench's primary-key select reaches at 32
// clients on this machine when nothing else runs (about 30,000/s on the
// 2026-11-22 run). Ratios compress toward 1 when CPU is short — both sides
// slow down, the reference more — so a run whose calibration falls below
// this judges no goal: it is to be repeated on a quiet machine.
const QuietPKSelect = 20000

// calibrationRows is the size of the calibration table: big enough that
// the index is a real B-tree, small enough to sit in shared buffers.
const calibrationRows = 100000

// Calibration is one measurement of the machine's own speed.
type Calibration struct {
	When string  // "before", "after"
	Rate float64 // pgbench primary-key selects per second at 32 clients
	Err  error   // the calibration could not run
}

// Quiet reports whether the machine ran at its quiet rate.
func (c Calibration) Quiet() bool { return c.Err == nil && c.Rate >= QuietPKSelect }

func (c Calibration) String() string {
	if c.Err != nil {
		return fmt.Sprintf("%s: not measured (%v)", c.When, c.Err)
	}
	return fmt.Sprintf("%s: %.0f/s", c.When, c.Rate)
}

// Check takes a quiet-machine check labelled when, if the run calibrates.
// A full run checks between its steps, not only at its two ends: a busy
// spell in the middle of a run once slowed every reference 3–5 × while the
// checks before and after both passed, and ratios compress toward 1 then.
func (p *Plan) Check(ctx context.Context, when string) {
	if !p.Calibrating || ctx.Err() != nil {
		return
	}
	p.Checks = append(p.Checks, p.Calibrate(ctx, when))
}

// Stamp marks the goals of a step just measured with the number of checks
// taken before it, so each goal is judged by the checks either side of its
// own measurement (the last one before, the next one after).
func (p *Plan) Stamp(goals []Goal) {
	for i := range goals {
		if goals[i].Since == 0 {
			goals[i].Since = len(p.Checks)
		}
	}
}

// Calibrate measures pgbench's primary-key select at 32 clients on a
// scratch table for the plan's duration (at least 5 s in a full run): the
// reference that tells a quiet machine from a busy one. It needs PostgreSQL.
func (p *Plan) Calibrate(ctx context.Context, when string) Calibration {
	c := Calibration{When: when}
	if p.PGAdmin == "" {
		c.Err = fmt.Errorf("no PostgreSQL (--pg)")
		return c
	}
	db, drop, err := ScratchDB(ctx, p.PGAdmin, "tongban_bench_calibrate")
	if err != nil {
		c.Err = err
		return c
	}
	defer drop()
	if err := Exec(ctx, db,
		`CREATE TABLE kv (id integer PRIMARY KEY, v integer NOT NULL)`,
		fmt.Sprintf(`INSERT INTO kv SELECT i, i %% 1000 FROM generate_series(1, %d) AS i`, calibrationRows),
		`ANALYZE kv`); err != nil {
		c.Err = err
		return c
	}
	d := p.Duration
	if !p.Quick {
		d = max(d, 5*time.Second)
	}
	r, err := PGBench{DB: db, Clients: 32, Duration: d, Prepared: true,
		Script: fmt.Sprintf("\\set id random(1, %d)\nSELECT v FROM kv WHERE id = :id;\n", calibrationRows)}.Run(ctx)
	if err != nil {
		c.Err = err
		return c
	}
	if r.Failed > 0 {
		c.Err = fmt.Errorf("pgbench: %d failed transactions", r.Failed)
		return c
	}
	c.Rate = r.TPS
	p.logf("calibration %s: pgbench primary-key select at 32 clients %.0f/s (quiet ≥ %d/s)", when, r.TPS, QuietPKSelect)
	return c
}
