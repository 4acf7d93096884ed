package bench

import (
	"bufio"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers "sqlite"
)

// Machine describes where the figures were taken.
type Machine struct {
	CPUs      int
	CPUModel  string
	MemoryMiB int64
	GoVersion string
	Postgres  string // server version, "" if unreachable
	// PostgresServer says which server and settings the PostgreSQL half ran on.
	PostgresServer string
	Kernel         string
	SQLite         string // embedded library version
}

// Describe reads the machine's description; pgURL may be "".
func Describe(ctx context.Context, pgURL string) Machine {
	m := Machine{CPUs: runtime.NumCPU(), GoVersion: runtime.Version()}
	m.CPUModel = procField("/proc/cpuinfo", "model name")
	if kb := procField("/proc/meminfo", "MemTotal"); kb != "" {
		n, _ := strconv.ParseInt(strings.TrimSuffix(kb, " kB"), 10, 64)
		m.MemoryMiB = n >> 10
	}
	if out, err := exec.CommandContext(ctx, "uname", "-sr").Output(); err == nil {
		m.Kernel = strings.TrimSpace(string(out))
	}
	if db, err := sql.Open("sqlite", ":memory:"); err == nil {
		db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&m.SQLite)
		db.Close()
	}
	if pgURL != "" {
		if db, err := sql.Open("pgx", pgURL); err == nil {
			ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			db.QueryRowContext(ctx, "SHOW server_version").Scan(&m.Postgres)
			cancel()
			db.Close()
		}
	}
	return m
}

// procField returns the value of the first "key: value" line of a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
