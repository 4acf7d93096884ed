package bench

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
)

func TestClusterStatements(t *testing.T) {
	c, err := NewCluster(TraceSettings...)
	if err != nil {
		if os.Getenv("CI") != "true" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	defer c.Remove()
	ctx := context.Background()
	if err := Exec(ctx, c.URL("postgres"), "CREATE DATABASE traced"); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", c.URL("traced"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE t (id int PRIMARY KEY, v text)"); err != nil {
		t.Fatal(err)
	}
	mark := c.LogSize()
	if _, err := db.Exec("INSERT INTO t (id, v)\n\tVALUES ($1, $2)", 1, "x"); err != nil {
		t.Fatal(err)
	}
	var v string
	if err := db.QueryRow("SELECT v FROM t WHERE id = $1", 1).Scan(&v); err != nil {
		t.Fatal(err)
	}
	Exec(ctx, c.URL("postgres"), "SELECT 1") // another database: not traced
	got, err := c.Statements("traced", mark)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"INSERT INTO t (id, v) VALUES ($1, $2)", "SELECT v FROM t WHERE id = $1"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("statements:\n%s\nwant:\n%s\n--- log ---\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), c.Log())
	}
}
