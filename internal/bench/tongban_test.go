package bench

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestNewTongbanStartsFresh: a server prepared under a name an earlier
// scenario used in the same work directory (the memory scenario's catalog
// server is the search scenario's) does not open that one's database, which
// is sealed with another secret.
func TestNewTongbanStartsFresh(t *testing.T) {
	work := t.TempDir()
	old := filepath.Join(work, "tongban-search-sqlite", "tongban.db")
	if err := os.MkdirAll(filepath.Dir(old), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(old, []byte("an earlier scenario's database"), 0o600); err != nil {
		t.Fatal(err)
	}
	tb, err := NewTongban(context.Background(), "/bin/true", "sqlite", work, "", "tongban-search-sqlite")
	if err != nil {
		t.Fatal(err)
	}
	if tb.DB != old {
		t.Fatalf("database at %s, want %s", tb.DB, old)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Fatalf("the earlier database is still there: %v", err)
	}
}
