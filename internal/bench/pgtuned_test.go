package bench

import (
	"context"
	"database/sql"
	"os"
	"testing"
)

// The tuned cluster runs with the settings the report names: a quarter of
// memory in shared buffers (within bounds) and autovacuum on, whatever the
// machine's own server is set to.
func TestTunedClusterRunsWithItsSettings(t *testing.T) {
	if got := TunedSettings(24105)[0]; got != "shared_buffers=6026MB" {
		t.Errorf("24 GiB machine: %s, want a quarter of memory", got)
	}
	if got := TunedSettings(100000)[0]; got != "shared_buffers=8192MB" {
		t.Errorf("large machine: %s, want the 8 GiB cap", got)
	}
	if got := TunedSettings(256)[0]; got != "shared_buffers=128MB" {
		t.Errorf("small machine: %s, want PostgreSQL's default as the floor", got)
	}
	c, url, err := StartTuned(512)
	if err != nil {
		if os.Getenv("CI") != "true" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	defer c.Remove()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, want := range map[string]string{"shared_buffers": "128MB", "autovacuum": "on", "max_wal_size": "4GB"} {
		var got string
		if err := db.QueryRowContext(context.Background(), "SHOW "+name).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
}
