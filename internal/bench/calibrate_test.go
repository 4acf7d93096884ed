package bench

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// A busy or uncalibrated run shows its goals but judges none of them.
func TestGoalsJudgedOnlyOnAQuietMachine(t *testing.T) {
	goals := []Goal{{Name: "search p99 ≤ 20 ms", Got: "p99 8 ms", Met: true, Gap: "2.5 × under"}}
	cases := []struct {
		name   string
		cals   []Calibration
		judged bool
		cell   string
	}{
		{"uncalibrated", nil, false, "not judged (met, uncalibrated)"},
		{"quiet", []Calibration{{When: "before", Rate: 31000}, {When: "after", Rate: 29500}}, true, "| met |"},
		{"busy after", []Calibration{{When: "before", Rate: 31000}, {When: "after", Rate: 5800}}, false, "not judged (met on a busy machine)"},
		{"failed", []Calibration{{When: "before", Err: errors.New("no pgbench")}}, false, "not judged (met on a busy machine)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := &Report{Goals: goals, Calibrations: c.cals}
			if got := rep.Judged(); got != c.judged {
				t.Fatalf("Judged() = %v, want %v", got, c.judged)
			}
			var md, txt bytes.Buffer
			rep.WriteMarkdown(&md)
			rep.WriteText(&txt)
			if !strings.Contains(md.String(), c.cell) {
				t.Errorf("markdown lacks %q:\n%s", c.cell, md.String())
			}
			if !strings.Contains(md.String(), "Quiet-machine check:") || !strings.Contains(txt.String(), "machine: ") {
				t.Errorf("the calibration is not printed:\n%s\n%s", md.String(), txt.String())
			}
			for _, cal := range c.cals {
				if cal.Err == nil && !strings.Contains(md.String(), cal.String()) {
					t.Errorf("markdown lacks the rate %q", cal.String())
				}
			}
		})
	}
}

// A goal is judged by the checks either side of its own measurement: a busy
// spell in the middle of a run judges none of the goals next to it, and the
// others still count.
func TestGoalsJudgedByTheChecksAroundThem(t *testing.T) {
	quiet := func(when string) Calibration { return Calibration{When: when, Rate: 30000} }
	p := &Plan{Calibrating: true}
	p.Checks = append(p.Checks, quiet("before"))
	first := []Goal{{Name: "submissions ≥ 0.5", Met: true}}
	p.Stamp(first)
	p.Checks = append(p.Checks, quiet("after submissions"))
	second := []Goal{{Name: "status ≥ 0.25", Met: true}, {Name: "status tail", Met: false}}
	p.Stamp(second)
	p.Checks = append(p.Checks, Calibration{When: "after status", Rate: 4998})
	third := []Goal{{Name: "bundles ≥ 0.5", Met: true}}
	p.Stamp(third)
	p.Checks = append(p.Checks, quiet("after bundles"))
	last := []Goal{{Name: "memory < 1 GiB", Met: true}}
	p.Stamp(last) // the run stopped before the check after it

	if first[0].Since != 1 || second[0].Since != 2 || second[1].Since != 2 || third[0].Since != 3 || last[0].Since != 4 {
		t.Fatalf("stamps %d %d %d %d %d", first[0].Since, second[0].Since, second[1].Since, third[0].Since, last[0].Since)
	}
	again := first
	p.Stamp(again)
	if again[0].Since != 1 {
		t.Errorf("a goal stamped twice moved to %d", again[0].Since)
	}
	goals := append(append(append(append([]Goal{}, first...), second...), third...), last...)
	rep := &Report{Goals: goals, Calibrations: p.Checks}
	want := []bool{true, false, false, false, false}
	for i, g := range goals {
		if got := rep.judged(g); got != want[i] {
			t.Errorf("%s (since %d): judged %v, want %v", g.Name, g.Since, got, want[i])
		}
	}
	if rep.Judged() {
		t.Error("a run with a busy check says every goal is judged")
	}
	var md bytes.Buffer
	rep.WriteMarkdown(&md)
	for _, want := range []string{"| submissions ≥ 0.5 |  | met |", "| status ≥ 0.25 |  | not judged (met on a busy machine) |",
		"| status tail |  | not judged (MISSED on a busy machine) |", "BUSY at after status (below 20000/s)", "after bundles: 30000/s"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}

	off := &Plan{}
	off.Check(context.Background(), "before")
	unstamped := []Goal{{Name: "x"}}
	off.Stamp(unstamped)
	if len(off.Checks) != 0 || unstamped[0].Since != 0 {
		t.Errorf("a run that does not calibrate checked %d times, stamped %d", len(off.Checks), unstamped[0].Since)
	}
}

// TestCalibrateRuns measures the reference for three seconds on a scratch
// database (dropped afterwards) and gets a positive rate.
func TestCalibrateRuns(t *testing.T) {
	needPGBench(t)
	p := DefaultPlan(true)
	p.Duration, p.PGAdmin = 3*time.Second, pgAdmin()
	c := p.Calibrate(context.Background(), "before")
	if c.Err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(c.Err)
		}
		t.Skip(c.Err)
	}
	if c.Rate <= 0 {
		t.Errorf("rate %v", c.Rate)
	}
	if none := (&Plan{}).Calibrate(context.Background(), "before"); none.Err == nil || none.Quiet() {
		t.Errorf("calibrated without PostgreSQL: %+v", none)
	}
}
