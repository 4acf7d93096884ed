package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/tongban/tongban/internal/bench"
)

// profile runs Tongban in this process (app.Open behind net/http on a
// loopback port) under one case workload and writes a CPU profile. The
// load generator runs in the same process, so its own functions show in
// the profile too (package internal/bench); look at the rest with
// `go tool pprof -top -focus 'tongban/internal/(api|workflow|store|httpx|identity)' …`.
func profile(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	engine := fs.String("engine", "postgres", "sqlite or postgres")
	workload := fs.String("workload", "submit", "submit, lifecycle, status, ratings-page, verify, issue, issue-plain, once-only or once-only-uploads")
	clients := fs.Int("clients", 32, "concurrent clients")
	dur := fs.Duration("duration", 10*time.Second, "profiled load")
	out := fs.String("out", "cpu.pprof", "CPU profile to write")
	allocs := fs.String("allocs", "", "also write the load's allocation profile here (and the allocations before it to FILE.base, for pprof -base)")
	outboxOn := fs.Bool("outbox", true, "write case events to the outbox and publish them, as `tongban serve` does")
	publish := fs.Bool("publish", true, "publish the outbox (false: events are written but not published, to tell the two costs apart)")
	pg := fs.String("pg", envOr("TONGBAN_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"), "PostgreSQL admin URL")
	poolSize := fs.Int("db-max-conns", 0, "the database pool's size (0 = the engine's default), as tongban serve --db-max-conns")
	if err := fs.Parse(args); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "tongban-profile-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	srv, err := bench.StartInProcess(ctx, *engine, work, *pg,
		bench.InProcessOptions{OutboxOff: !*outboxOn, NoPublish: !*publish, PoolSize: *poolSize})
	if err != nil {
		return err
	}
	defer srv.Close()
	base := srv.URL
	f, err := bench.NewCaseFixture(ctx, base, *clients)
	if err != nil {
		return err
	}
	l, err := bench.CaseWorkload(ctx, f, *workload, 5*time.Second)
	if err != nil {
		return err
	}
	l.Clients, l.Duration, l.Warmup = *clients, *dur, 20
	pf, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer pf.Close()
	if *allocs != "" {
		if err := writeAllocs(*allocs + ".base"); err != nil {
			return err
		}
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	commits0, actions0 := srv.App.DB.WriteBatches()
	cpu0 := processCPU()
	if err := pprof.StartCPUProfile(pf); err != nil {
		return err
	}
	r, err := l.Run(ctx)
	pprof.StopCPUProfile()
	if err != nil {
		return err
	}
	cpu1 := processCPU()
	runtime.ReadMemStats(&after)
	if *allocs != "" {
		if err := writeAllocs(*allocs); err != nil {
			return err
		}
	}
	if n := float64(r.Requests); n > 0 {
		// Per request of the whole process, load generator included (it
		// adds the same to old and new): steadier than rates on a shared machine.
		fmt.Printf("per request (process, load generator included): CPU %.0f µs, %.0f allocations, %.1f KiB allocated; GC cycles %d\n",
			float64((cpu1-cpu0).Microseconds())/n, float64(after.Mallocs-before.Mallocs)/n,
			float64(after.TotalAlloc-before.TotalAlloc)/n/1024, after.NumGC-before.NumGC)
	}
	if commits, actions := srv.App.DB.WriteBatches(); commits > commits0 {
		fmt.Printf("SQLite group commit: %d write actions in %d commits (%.2f per commit)\n",
			actions-actions0, commits-commits0, float64(actions-actions0)/float64(commits-commits0))
	}
	fmt.Printf("%s on %s, %d clients (in-process server): %.0f/s p50 %v p99 %v, %d errors (first: %v); profile in %s\n",
		*workload, *engine, *clients, r.RPS(), r.P(0.5), r.P(0.99), r.Errors, r.FirstErr, *out)
	return nil
}

// processCPU is the user and system CPU time of this process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// writeAllocs writes the allocation profile so far (sampled, cumulative
// since the process started: take two and diff with pprof -base).
func writeAllocs(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}
