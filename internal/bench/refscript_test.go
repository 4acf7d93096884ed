package bench

import (
	"context"
	"testing"

	"github.com/tongban/tongban/internal/sqldb/sqldbtest"
)

func TestScriptOnSQLite(t *testing.T) {
	ctx := context.Background()
	db := sqldbtest.SQLite(t)
	if _, err := db.ExecContext(ctx, `CREATE TABLE head (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
		INSERT INTO head VALUES (1, 0);
		CREATE TABLE log (seq INTEGER PRIMARY KEY, who INTEGER, note TEXT)`); err != nil {
		t.Fatal(err)
	}
	s, err := ParseScript(`-- a chained log, like the audit head
\set k random(:lo, :hi)
SELECT :k AS picked;
BEGIN;
SELECT seq FROM head WHERE id = 1 FOR UPDATE \gset
INSERT INTO log (seq, who, note)
  VALUES (:seq + 1, CAST(:client_id AS INTEGER), 'case:x-' || CAST(:k AS TEXT));
UPDATE head SET seq = :seq + 1 WHERE id = 1;
COMMIT;
`)
	if err != nil {
		t.Fatal(err)
	}
	for c := range 3 {
		for range 4 {
			if err := s.RunOnce(ctx, db, c, map[string]string{"lo": "5", "hi": "9"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var n, maxSeq int
	var note string
	db.QueryRowContext(ctx, `SELECT COUNT(*), MAX(seq), MIN(note) FROM log`).Scan(&n, &maxSeq, &note)
	if n != 12 || maxSeq != 12 || len(note) != len("case:x-5") {
		t.Errorf("rows %d, max seq %d, note %q", n, maxSeq, note)
	}
	if _, err := ParseScript("\\sleep 1\n"); err == nil {
		t.Error("accepted an unsupported meta-command")
	}
	if _, err := ParseScript("SELECT 1\n"); err == nil {
		t.Error("accepted an unterminated statement")
	}
}
