package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	// Flags are further `tongban serve` flags (--outbox=false…).
	Flags   []string
	bin     string
	name    string // of the data directory and the log
	workDir string
	drop    func()
}

// StartTongban starts the binary at bin on a fresh database of engine,
// with the demo city loaded.
func StartTongban(ctx context.Context, bin, engine, workDir, pgAdmin string) (*Tongban, error) {
	t, err := NewTongban(ctx, bin, engine, workDir, pgAdmin, "tongban-"+engine)
	if err != nil {
		return nil, err
	}
	if err := t.Start(); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

// NewTongban prepares a fresh database of engine for the binary at bin,
// named name (its data directory and log in workDir), without starting
// the server: Command and Start use it.
func NewTongban(ctx context.Context, bin, engine, workDir, pgAdmin, name string) (*Tongban, error) {
	if bin == "" {
		return nil, fmt.Errorf("bench: no tongban binary (scripts/bench passes --tongban)")
	}
	b := make([]byte, 32)
	rand.Read(b)
	t := &Tongban{Engine: engine, Data: filepath.Join(workDir, name), Secret: hex.EncodeToString(b),
		bin: bin, name: name, workDir: workDir, drop: func() {}}
	// Fresh: a scenario run earlier in the same work directory under the
	// same name (the memory scenario's catalog server is the search
	// scenario's) left its data there, sealed with another secret.
	if err := os.RemoveAll(t.Data); err != nil {
		return nil, err
	}
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
	return t, nil
}

func (t *Tongban) env() []string { return []string{"TONGBAN_SECRET=" + t.Secret} }

// Start starts `tongban serve` on the database (again, after Stop) and
// waits until it answers /healthz.
func (t *Tongban) Start() error {
	addr, err := FreeAddr()
	if err != nil {
		return err
	}
	args := append([]string{"serve", "--addr", addr, "--data", t.Data, "--db", t.DB, "--log-level", "warn"}, t.Flags...)
	c, err := StartChild(t.bin, args, t.env(), addr, "/healthz", filepath.Join(t.workDir, t.name+".log"), 5*time.Minute)
	if err != nil {
		return err
	}
	t.Child = c
	return nil
}

// Stop shuts the server down (SIGTERM, then SIGKILL after grace); the
// database stays for Command and Start.
func (t *Tongban) Stop(grace time.Duration) error {
	if t.Child == nil {
		return nil
	}
	err := t.Child.Stop(grace)
	t.Child = nil
	return err
}

// Command runs `tongban args… --data D --db DB` on the database with the
// server's secret (the server must be stopped for SQLite writers) and
// returns its combined output.
func (t *Tongban) Command(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, t.bin, append(args, "--data", t.Data, "--db", t.DB, "--log-level", "warn")...)
	cmd.Env = append(cmd.Environ(), t.env()...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("tongban %s: %w\n%s", args[0], err, tail(out, 20))
	}
	return out, nil
}

// LogTail is the last n lines of the server's log.
func (t *Tongban) LogTail(n int) string {
	b, err := os.ReadFile(filepath.Join(t.workDir, t.name+".log"))
	if err != nil {
		return err.Error()
	}
	return tail(b, n)
}

// Close stops the server and drops its PostgreSQL database.
func (t *Tongban) Close() {
	t.Stop(30 * time.Second)
	t.drop()
}

// tail is the last n lines of out.
func tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
