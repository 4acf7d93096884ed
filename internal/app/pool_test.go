package app_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
)

// --db-max-conns reaches the pool; out of range it is refused by name.
func TestDBMaxConnsSizesThePool(t *testing.T) {
	cfg := app.Config{DataDir: t.TempDir(), Secret: strings.Repeat("5a", 32), DBMaxConns: 5}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), tongban.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if got := a.DB.Stats().MaxOpenConnections; got != 5 {
		t.Errorf("pool of %d connections, want 5", got)
	}
	for _, n := range []int{-1, 1_000_001} {
		bad := app.Config{DataDir: t.TempDir(), CaseCache: n}
		if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "--case-cache") {
			t.Errorf("CaseCache %d: %v", n, err)
		}
	}
	for _, n := range []int{-1, 1, 1001} {
		bad := app.Config{DataDir: t.TempDir(), DBMaxConns: n}
		if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "--db-max-conns") {
			t.Errorf("DBMaxConns %d: %v", n, err)
		}
	}
}
