package bench

import (
	"strings"
	"testing"
)

// A 32-client goal is judged at 32 clients and reads out the same ratio
// at 8 clients and how the reference held from 8 to 32, not from another
// scenario's or another reference's row.
func TestGoalReadsItsEightClientRow(t *testing.T) {
	r := &caseRun{t: &Tongban{Engine: "postgres"}}
	row := func(scenario, ref string, clients int, subject, reference float64) Row {
		return Row{Scenario: scenario, Engine: "postgres", Clients: clients, RefName: ref,
			Subject: Measurement{Throughput: subject}, Ref: Measurement{Throughput: reference}, Ratios: []float64{subject / reference}}
	}
	rows := []Row{
		row("submissions", "least durable write (pgbench)", 8, 900, 1800),
		row("submissions", "endpoint SQL (pgbench)", 8, 900, 1000),
		row("bundles", "least durable write (pgbench)", 8, 100, 1000),
		row("submissions", "least durable write (pgbench)", 32, 1000, 900),
		row("submissions", "endpoint SQL (pgbench)", 32, 1000, 1000),
	}
	goals := r.goals(rows, "submissions", "least durable write (pgbench)", 0.5)
	if len(goals) != 1 {
		t.Fatalf("%d goals: %+v", len(goals), goals)
	}
	g := goals[0]
	if !g.Met || !strings.HasPrefix(g.Got, "1.11 × (1000 vs 900/s)") ||
		!strings.HasSuffix(g.Got, "; at 8 clients 0.50 ×, the reference at 32 clients running at 0.50 × its 8-client rate") {
		t.Errorf("goal %+v", g)
	}
	// Without an 8-client row, the 32-client reading alone.
	goals = r.goals(rows[3:], "submissions", "least durable write (pgbench)", 0.5)
	if len(goals) != 1 || goals[0].Got != "1.11 × (1000 vs 900/s)" {
		t.Errorf("goals without an 8-client row: %+v", goals)
	}
}
