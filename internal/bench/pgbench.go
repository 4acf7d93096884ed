package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
)

// ScratchDB creates an empty PostgreSQL database next to adminURL's and
// returns its URL and a function that drops it (with its connections).
func ScratchDB(ctx context.Context, adminURL, prefix string) (dbURL string, drop func(), err error) {
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", nil, err
	}
	if err := checkHost(u.Host); err != nil {
		return "", nil, err
	}
	admin, err := sql.Open("pgx", adminURL)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 5)
	rand.Read(b)
	name := prefix + "_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	u.Path = "/" + name
	return u.String(), func() {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}, nil
}

// PGBench runs pgbench with a custom script: the raw database's answer to
// "how fast can these very statements go at this client count".
type PGBench struct {
	DB       string        // database URL (loopback only)
	Script   string        // pgbench script text (\set lines and SQL)
	Clients  int           //
	Duration time.Duration // rounded up to whole seconds
	Bin      string        // "" = pgbench on PATH
	// Vars are the script's variables (-D name=value).
	Vars map[string]string
	// Prepared uses prepared statements (-M prepared), as pgx does with its
	// statement cache.
	Prepared bool
	// Rate, when positive, is the transactions a second pgbench aims at
	// over all clients (-R): a background job's pace, not a load's.
	Rate float64
}

// PGBenchResult is what pgbench reported.
type PGBenchResult struct {
	TPS          float64       // without initial connection time
	LatencyAvg   time.Duration //
	Transactions int           // processed
	Failed       int           //
	Output       string        // pgbench's own report
}

// Run writes the script to a temporary file and runs
// `pgbench -n -c N -j N -T secs -f script DB`.
func (p PGBench) Run(ctx context.Context) (*PGBenchResult, error) {
	u, err := url.Parse(p.DB)
	if err != nil {
		return nil, err
	}
	if err := checkHost(u.Host); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "tongban-pgbench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "script.sql")
	if err := os.WriteFile(script, []byte(p.Script), 0o644); err != nil {
		return nil, err
	}
	bin := p.Bin
	if bin == "" {
		bin = "pgbench"
	}
	secs := max(1, int((p.Duration+time.Second-1)/time.Second))
	c := strconv.Itoa(max(1, p.Clients))
	args := []string{"-n", "-c", c, "-j", c, "-T", strconv.Itoa(secs), "-f", script}
	if p.Prepared {
		args = append(args, "-M", "prepared")
	}
	if p.Rate > 0 {
		args = append(args, "-R", strconv.FormatFloat(p.Rate, 'f', -1, 64))
	}
	for _, k := range slices.Sorted(maps.Keys(p.Vars)) {
		args = append(args, "-D", k+"="+p.Vars[k])
	}
	cmd := exec.CommandContext(ctx, bin, append(args, p.DB)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("pgbench: %v\n%s", err, out)
	}
	return ParsePGBench(string(out))
}

var (
	tpsRe    = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)
	latRe    = regexp.MustCompile(`latency average = ([0-9.]+) ms`)
	txRe     = regexp.MustCompile(`number of transactions actually processed: ([0-9]+)`)
	failedRe = regexp.MustCompile(`number of failed transactions: ([0-9]+)`)
)

// ParsePGBench reads pgbench's report.
func ParsePGBench(out string) (*PGBenchResult, error) {
	m := tpsRe.FindStringSubmatch(out)
	if m == nil {
		return nil, fmt.Errorf("pgbench: no tps in output:\n%s", out)
	}
	r := &PGBenchResult{Output: strings.TrimSpace(out)}
	r.TPS, _ = strconv.ParseFloat(m[1], 64)
	if m := latRe.FindStringSubmatch(out); m != nil {
		ms, _ := strconv.ParseFloat(m[1], 64)
		r.LatencyAvg = time.Duration(ms * float64(time.Millisecond))
	}
	if m := txRe.FindStringSubmatch(out); m != nil {
		r.Transactions, _ = strconv.Atoi(m[1])
	}
	if m := failedRe.FindStringSubmatch(out); m != nil {
		r.Failed, _ = strconv.Atoi(m[1])
	}
	return r, nil
}

// Exec runs SQL statements (setup of a scratch database).
func Exec(ctx context.Context, dbURL string, stmts ...string) error {
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", firstLine(s), err)
		}
	}
	return nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
