package bench

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
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

// TestCalibrateRuns measures the reference for three seconds on a scratch
// database (dropped afterwards) and gets a positive rate.
func TestCalibrateRuns(t *testing.T) {
	if _, err := exec.LookPath("pgbench"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pgbench is required in CI (scripts/test-deps installs it)")
		}
		t.Skip("pgbench not installed")
	}
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
