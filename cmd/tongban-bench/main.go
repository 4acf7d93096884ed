// Command tongban-bench measures Tongban against references on this
// machine and writes BENCHMARKS.md. Run it through scripts/bench, which
// builds both binaries first:
//
//	scripts/bench           # full run (minutes), writes BENCHMARKS.md
//	scripts/bench --quick   # a few seconds per run, prints the table only
//
// serve-hello is the reference server it starts itself (the hello-world
// JSON handler the search scenario compares with);
// trace-sql prints the SQL each case request issues (on a private
// PostgreSQL cluster), from which the pgbench references are written;
// profile writes a CPU profile of Tongban under one case workload;
// outbox measures outbox delivery latency to a webhook sink (tongban-bench
// outbox --rate 500 --duration 20s [--engine postgres]).
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tongban/tongban/internal/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "tongban-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "serve-hello":
			return serveHello(ctx, args[1:])
		case "trace-sql":
			return traceSQL(ctx, args[1:])
		case "profile":
			return profile(ctx, args[1:])
		case "outbox":
			return outboxLatency(ctx, args[1:])
		}
	}
	return runBench(ctx, args)
}

func serveHello(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve-hello", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback)")
	size := fs.Int("size", 1024, "JSON document size in bytes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /", bench.HelloHandler(*size))
	return bench.Serve(ctx, *addr, mux)
}

func traceSQL(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("trace-sql", flag.ContinueOnError)
	bin := fs.String("tongban", "", "the tongban binary")
	if err := fs.Parse(args); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "tongban-trace-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	ts, err := bench.TraceCases(ctx, *bin, work)
	if err != nil {
		return err
	}
	bench.PrintTraced(os.Stdout, ts)
	return nil
}

// outboxLatency runs Tongban in this process on a fresh database and
// measures its outbox delivery to a webhook sink on loopback
// (bench.OutboxLatency; scripts/bench --only outbox-latency runs the same
// at 500 events/s for 20 s on both engines).
func outboxLatency(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("outbox", flag.ContinueOnError)
	engine := fs.String("engine", "sqlite", "sqlite or postgres")
	pg := fs.String("pg", envOr("TONGBAN_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"), "PostgreSQL admin URL (for --engine postgres)")
	rate := fs.Int("rate", bench.OutboxLatencyRate, "events per second")
	d := fs.Duration("duration", 20*time.Second, "how long to append events")
	if err := fs.Parse(args); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "tongban-outbox-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	srv, err := bench.StartInProcess(ctx, *engine, work, *pg, bench.InProcessOptions{})
	if err != nil {
		return err
	}
	defer srv.Close()
	res, err := bench.OutboxLatency(ctx, srv.URL, srv.App.Store, *rate, *d)
	if err != nil {
		return err
	}
	fmt.Printf("outbox delivery (%s): %s\n", *engine, res)
	return nil
}
