package sqldb

import "testing"

// The pool takes the size it is given (tongban serve --db-max-conns), but
// never fewer than two connections.
func TestSetPoolSize(t *testing.T) {
	db := openSQLite(t)
	if got := db.Stats().MaxOpenConnections; got != SQLitePoolSize {
		t.Fatalf("default pool %d, want %d", got, SQLitePoolSize)
	}
	for size, want := range map[int]int{3: 3, 24: 24, 1: 2} {
		db.SetPoolSize(size)
		if got := db.Stats().MaxOpenConnections; got != want {
			t.Errorf("SetPoolSize(%d): pool of %d, want %d", size, got, want)
		}
	}
}
