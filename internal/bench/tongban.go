package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"time"
)

// Engines are the databases every Tongban scenario runs on.
var Engines = []string{"sqlite", "postgres"}

// Tongban is `tongban serve` running as a child process on a fresh
// database: a SQLite file in its data directory, or a scratch PostgreSQL
// database on the plan's server.
type Tongban struct {
	*Child
	Engine string
	Data   string
	DB     string // SQLite path or postgres:// URL
	Secret string
	drop   func()
}

// StartTongban starts the binary at bin on a fresh database of engine,
// with the demo city loaded.
func StartTongban(ctx context.Context, bin, engine, workDir, pgAdmin string) (*Tongban, error) {
	if bin == "" {
		return nil, fmt.Errorf("bench: no tongban binary (scripts/bench passes --tongban)")
	}
	b := make([]byte, 32)
	rand.Read(b)
	t := &Tongban{Engine: engine, Data: filepath.Join(workDir, "tongban-"+engine), Secret: hex.EncodeToString(b), drop: func() {}}
	switch engine {
	case "sqlite":
		t.DB = filepath.Join(t.Data, "tongban.db")
	case "postgres":
		if pgAdmin == "" {
			return nil, fmt.Errorf("bench: no PostgreSQL (--pg)")
		}
		url, drop, err := ScratchDB(ctx, pgAdmin, "tongban_bench")
		if err != nil {
			return nil, err
		}
		t.DB, t.drop = url, drop
	default:
		return nil, fmt.Errorf("bench: unknown engine %q", engine)
	}
	addr, err := FreeAddr()
	if err != nil {
		t.drop()
		return nil, err
	}
	c, err := StartChild(bin, []string{"serve", "--addr", addr, "--data", t.Data, "--db", t.DB, "--log-level", "warn"},
		[]string{"TONGBAN_SECRET=" + t.Secret}, addr, "/healthz", filepath.Join(workDir, "tongban-"+engine+".log"), 3*time.Minute)
	if err != nil {
		t.drop()
		return nil, err
	}
	t.Child = c
	return t, nil
}

// Close stops the server and drops its PostgreSQL database.
func (t *Tongban) Close() {
	t.Stop(30 * time.Second)
	t.drop()
}
