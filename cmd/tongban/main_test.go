package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
)

// cli runs the command in-process with a clean environment.
func cli(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw bytes.Buffer
	code = run(context.Background(), args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errw)
	return code, out.String(), errw.String()
}

// demoData creates a data directory holding the demo city, as `serve` would.
func demoData(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cfg := app.Config{DataDir: dir, Demo: true}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), tongban.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	return dir
}

func TestAuditVerifyNamesTheAlteredRow(t *testing.T) {
	dir := demoData(t)
	code, out, errOut := cli(t, "", "audit", "verify", "--data", dir)
	if code != 0 || !strings.Contains(out, "审计日志完整") {
		t.Fatalf("untouched log: exit %d, %q %q", code, out, errOut)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "tongban.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE audit_log SET actor = '篡改者' WHERE seq = 7`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errOut = cli(t, "", "audit", "verify", "--data", dir)
	if code != 1 || !strings.Contains(out, "第 7 条") || !strings.Contains(errOut, "entry 7") {
		t.Fatalf("altered row 7: exit %d, %q %q", code, out, errOut)
	}
}

// Cutting the log's tail and resetting the head leaves links that agree;
// the signed checkpoints in the data directory name the first missing entry.
func TestAuditVerifyNamesACutTail(t *testing.T) {
	dir := demoData(t) // closing the app wrote a checkpoint of the head
	db, err := sql.Open("sqlite", filepath.Join(dir, "tongban.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var last int64
	if err := db.QueryRow(`SELECT seq FROM audit_head`).Scan(&last); err != nil || last < 10 {
		t.Fatalf("head %d, %v", last, err)
	}
	cut := last - 3
	var hash string
	db.QueryRow(`SELECT hash FROM audit_log WHERE seq = ?`, cut).Scan(&hash)
	if _, err := db.Exec(`DELETE FROM audit_log WHERE seq > ?`, cut); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE audit_head SET seq = ?, hash = ?`, cut, hash); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cli(t, "", "audit", "verify", "--data", dir)
	want := fmt.Sprintf("entry %d", cut+1)
	if code != 1 || !strings.Contains(out, "末尾记录被删除") || !strings.Contains(errOut, want) {
		t.Fatalf("cut tail: exit %d, %q %q; want %s named", code, out, errOut, want)
	}
}

func TestUserCreate(t *testing.T) {
	dir := demoData(t)
	code, out, errOut := cli(t, "Clerk#2026\n", "user", "create", "--data", dir,
		"--username", "wangclerk", "--name", "王窗口", "--role", "clerk", "--org", "gaq-zwzx-w2")
	if code != 0 || !strings.Contains(out, "wangclerk") || !strings.Contains(out, "综合受理二号窗口") {
		t.Fatalf("user create: exit %d %q %q", code, out, errOut)
	}
	code, _, errOut = cli(t, "Clerk#2026\n", "user", "create", "--data", dir,
		"--username", "wangclerk", "--name", "王窗口", "--role", "clerk", "--org", "gaq-zwzx-w2")
	if code != 1 || !strings.Contains(errOut, "用户名已被使用") {
		t.Fatalf("duplicate user: exit %d %q", code, errOut)
	}
	code, _, errOut = cli(t, "Clerk#2026\n", "user", "create", "--data", dir,
		"--username", "lixiao", "--name", "李晓", "--role", "boss", "--org", "gaq-zwzx-w2")
	if code != 1 || !strings.Contains(errOut, "未知角色") {
		t.Fatalf("unknown role: exit %d %q", code, errOut)
	}
}

func TestBadConfigIsRefused(t *testing.T) {
	for _, args := range [][]string{
		{"migrate", "--addr", "nonsense"},
		{"migrate", "--log-format", "xml"},
		{"migrate", "--demo", "maybe"},
		{"migrate", "--trusted-proxies", "10.0.0.0/33"},
		{"migrate", "--trusted-proxies", "proxy.example"},
		{"migrate", "--trust-proxy", "true"}, // gone: it believed whatever the client wrote
		{"migrate", "--metrics-addr", "9090"},
		{"migrate", "--full-reads-per-hour", "0"},
		{"migrate", "--catalog-review", "maybe"},
		{"migrate", "--db-max-conns", "1"},
		{"migrate", "--db-max-conns", "many"},
		{"migrate", "--case-cache", "-1"},
		{"migrate", "--case-cache", "1000001"},
		{"migrate", "--case-cache", "lots"},
	} {
		code, _, errOut := cli(t, "", args...)
		if code != 1 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	if code, _, _ := cli(t, "", "frobnicate"); code != 2 {
		t.Errorf("unknown command exit %d, want 2", code)
	}
	if code, out, _ := cli(t, "", "version"); code != 0 || !strings.HasPrefix(out, "tongban ") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestEnvironmentConfiguresFlags(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TONGBAN_DATA": dir, "TONGBAN_LOG_LEVEL": "warn"}
	var out, errw bytes.Buffer
	code := run(context.Background(), []string{"migrate"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errw)
	if code != 0 || !strings.Contains(out.String(), filepath.Join(dir, "tongban.db")) {
		t.Fatalf("migrate with TONGBAN_DATA: exit %d %q %q", code, out.String(), errw.String())
	}
}

// The 成绩单's weighting is checked once at start: a bad one stops the
// binary with an error naming --score-weights and what is wrong.
func TestScoreWeightsAreChecked(t *testing.T) {
	for weights, says := range map[string]string{"ontime=30,good=30": "sum to 60", "speed=100": "ontime, good, rectify, window and online"} {
		code, _, errOut := cli(t, "", "migrate", "--data", t.TempDir(), "--score-weights", weights)
		if code != 1 || !strings.Contains(errOut, "--score-weights") || !strings.Contains(errOut, says) {
			t.Errorf("--score-weights %s: exit %d, stderr %q", weights, code, errOut)
		}
	}
	env := map[string]string{"TONGBAN_DATA": t.TempDir(), "TONGBAN_SCORE_WEIGHTS": "ontime=50,good=50"}
	var out, errw bytes.Buffer
	if code := run(context.Background(), []string{"migrate"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errw); code != 0 {
		t.Errorf("TONGBAN_SCORE_WEIGHTS=ontime=50,good=50: exit %d %q", code, errw.String())
	}
}
