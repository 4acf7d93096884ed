package bench

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"
)

// pgbench 15's report, as parsed.
const pgbenchOutput = `transaction type: /tmp/script.sql
scaling factor: 1
query mode: simple
number of clients: 8
number of threads: 8
maximum number of tries: 1
duration: 10 s
number of transactions actually processed: 20031
number of failed transactions: 0 (0.000%)
latency average = 3.992 ms
initial connection time = 12.345 ms
tps = 2003.143453 (without initial connection time)
`

func TestParsePGBench(t *testing.T) {
	r, err := ParsePGBench(pgbenchOutput)
	if err != nil {
		t.Fatal(err)
	}
	if r.TPS != 2003.143453 || r.Transactions != 20031 || r.Failed != 0 || r.LatencyAvg != 3992*time.Microsecond {
		t.Errorf("%+v", r)
	}
	if _, err := ParsePGBench("pgbench: error: connection refused"); err == nil {
		t.Error("parsed a failure")
	}
}

// needPGBench skips t without pgbench, and fails it in CI, where
// scripts/test-deps installs it.
func needPGBench(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pgbench"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pgbench is required in CI (scripts/test-deps installs it)")
		}
		t.Skip("pgbench not installed")
	}
}

func pgAdmin() string {
	if u := os.Getenv("TONGBAN_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// TestPGBenchRuns runs pgbench for one second on a scratch database, which
// is dropped afterwards.
func TestPGBenchRuns(t *testing.T) {
	needPGBench(t)
	ctx := context.Background()
	db, drop, err := ScratchDB(ctx, pgAdmin(), "tongban_bench_test")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	defer drop()
	if err := Exec(ctx, db, `CREATE TABLE t (id bigserial PRIMARY KEY, body text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	r, err := PGBench{DB: db, Clients: 2, Duration: time.Second,
		Script: "\\set n random(1, 1000)\nINSERT INTO t (body) VALUES (repeat('x', :n));\n"}.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.TPS <= 0 || r.Transactions <= 0 {
		t.Errorf("%+v", r)
	}
	if _, err := (PGBench{DB: "postgres://postgres@10.0.0.1/x", Clients: 1, Duration: time.Second, Script: "SELECT 1;"}).Run(ctx); err == nil {
		t.Error("ran pgbench against another machine")
	}
}
