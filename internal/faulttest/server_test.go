package faulttest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/bench"
)

var binDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// tongbanBinary builds cmd/tongban once for the tests that run it as a
// child process (the only way to kill -9 it).
var tongbanBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "tongban-faulttest-bin-")
	if err != nil {
		return "", err
	}
	binDir = dir
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(dir, "tongban")
	out, err := exec.Command(goBin, "build", "-o", bin, "github.com/tongban/tongban/cmd/tongban").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build ./cmd/tongban: %v\n%s", err, out)
	}
	return bin, nil
})

// tbServer is `tongban serve` as a child process on one data directory and
// database, started again after each crash.
type tbServer struct {
	t      *testing.T
	bin    string
	data   string
	db     string
	addr   string // kept across restarts, so clients find the server again
	child  *bench.Child
	starts int
}

func newServer(t *testing.T, db string) *tbServer {
	t.Helper()
	bin, err := tongbanBinary()
	if err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	if db == "" {
		db = filepath.Join(data, "tongban.db")
	}
	s := &tbServer{t: t, bin: bin, data: data, db: db}
	t.Cleanup(func() {
		if s.child != nil {
			s.child.Kill()
		}
	})
	return s
}

func (s *tbServer) env() []string { return []string{"TONGBAN_SECRET=" + testSecret} }

// start runs the server (the demo city loads on the first start) and waits
// until /healthz answers 200.
func (s *tbServer) start() {
	s.t.Helper()
	if s.addr == "" {
		addr, err := bench.FreeAddr()
		if err != nil {
			s.t.Fatal(err)
		}
		s.addr = addr
	}
	addr := s.addr
	s.starts++
	log := filepath.Join(s.data, fmt.Sprintf("serve-%d.log", s.starts))
	c, err := bench.StartChild(s.bin, []string{"serve", "--addr", addr, "--data", s.data, "--db", s.db, "--log-level", "warn"},
		s.env(), addr, "/healthz", log, 2*time.Minute)
	if err != nil {
		s.t.Fatal(err)
	}
	s.child = c
}

// kill is the crash: SIGKILL, no shutdown of any kind.
func (s *tbServer) kill() { s.child.Kill() }

// stop is a graceful shutdown (SIGTERM).
func (s *tbServer) stop() { s.child.Stop(30 * time.Second) }

func (s *tbServer) url(path string) string { return s.child.URL(path) }

// cli runs a tongban command on the same data and database.
func (s *tbServer) cli(args ...string) (string, error) {
	args = append(args, "--data", s.data, "--db", s.db)
	cmd := exec.Command(s.bin, args...)
	cmd.Env = append(os.Environ(), s.env()...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// open opens the server's database in-process (with the server stopped or
// not) to check what it stored.
func (s *tbServer) open() *app.App {
	s.t.Helper()
	cfg := app.Config{DataDir: s.data, DB: s.db, Secret: testSecret}
	if err := cfg.Validate(); err != nil {
		s.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), tongban.SystemClock{})
	if err != nil {
		s.t.Fatal(err)
	}
	return a
}
