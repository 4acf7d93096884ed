package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
)

// InProcess is Tongban run in this process (app.Open behind net/http on a
// loopback port) on a fresh database with the demo city, publishing its
// outbox as `tongban serve` does: for a profile, where the load generator's
// functions and the server's share one CPU profile, and where a measurement
// must commit through the server's own store (its queue of SQLite writers).
type InProcess struct {
	App *app.App
	URL string // http://127.0.0.1:port

	stop func()
}

// InProcessOptions are the settings a profile varies.
type InProcessOptions struct {
	OutboxOff bool // --outbox=false
	NoPublish bool // write events to the outbox but do not publish them
	PoolSize  int  // --db-max-conns (0 = the engine's default)
}

// StartInProcess opens Tongban on a fresh database of engine (its data
// under workDir; a scratch database of pgAdmin's server for postgres) and
// serves it until Close.
func StartInProcess(ctx context.Context, engine, workDir, pgAdmin string, o InProcessOptions) (*InProcess, error) {
	key := make([]byte, 32)
	rand.Read(key)
	cfg := app.Config{DataDir: workDir, Secret: hex.EncodeToString(key), Demo: true, DBMaxConns: o.PoolSize}
	cfg.Integration.OutboxOff = o.OutboxOff
	drop := func() {}
	switch engine {
	case "sqlite":
		cfg.DB = filepath.Join(workDir, "tongban.db")
	case "postgres":
		url, dropDB, err := ScratchDB(ctx, pgAdmin, "tongban_inprocess")
		if err != nil {
			return nil, err
		}
		cfg.DB, drop = url, dropDB
	default:
		return nil, fmt.Errorf("bench: unknown engine %q", engine)
	}
	if err := cfg.Validate(); err != nil {
		drop()
		return nil, err
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), tongban.SystemClock{})
	if err != nil {
		drop()
		return nil, err
	}
	if !o.NoPublish {
		a.StartPublisher() // as `tongban serve` does (nothing with the outbox off)
	}
	addr, err := FreeAddr()
	if err != nil {
		a.Close()
		drop()
		return nil, err
	}
	sctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() { defer close(served); Serve(sctx, addr, a.Handler) }()
	p := &InProcess{App: a, URL: "http://" + addr, stop: func() { cancel(); <-served; a.Close(); drop() }}
	for range 250 { // until it listens
		if resp, err := http.Get(p.URL + "/healthz"); err == nil {
			resp.Body.Close()
			return p, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.Close()
	return nil, fmt.Errorf("bench: the in-process server at %s did not answer /healthz", addr)
}

// Close stops serving, closes the app and drops a scratch database.
func (p *InProcess) Close() { p.stop() }
