package faulttest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bench"
)

func required() bool { return os.Getenv("CI") == "true" }

// privateCluster starts a private PostgreSQL cluster for the test, or skips
// where PostgreSQL is not installed (fails instead with CI=true).
func privateCluster(t *testing.T) *bench.Cluster {
	t.Helper()
	c, err := bench.NewCluster()
	if err != nil {
		if !required() && (errors.Is(err, bench.ErrNoPostgres) || os.Geteuid() == 0 && strings.Contains(err.Error(), "postgres OS user")) {
			t.Skipf("no private PostgreSQL cluster here (set CI=true to require it): %v", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(c.Remove)
	return c
}

// createDB creates database name on the cluster and returns its URL.
func createDB(t *testing.T, c *bench.Cluster, name string) string {
	t.Helper()
	db, err := sql.Open("pgx", c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	return c.URL(name)
}

// answer is one HTTP exchange, read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
	err    error
}

func do(client *http.Client, method, url string, body any, cookies ...*http.Cookie) answer {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return answer{err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := client.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: b, err: err}
}

// cleanUnavailable checks a 503 in the API's error shape with a Chinese
// message; it returns what is wrong, or "".
func cleanUnavailable(a answer) string {
	if a.err != nil {
		return "transport error: " + a.err.Error()
	}
	if a.status != http.StatusServiceUnavailable {
		return "status " + http.StatusText(a.status) + ": " + string(a.body)
	}
	var e struct {
		Error struct {
			Code    tongban.ErrorCode `json:"code"`
			Message string            `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(a.body, &e); err != nil {
		return "not the JSON error shape: " + string(a.body)
	}
	if e.Error.Code != tongban.EUnavailable || !hasHan(e.Error.Message) {
		return "code or message: " + string(a.body)
	}
	if !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
		return "content type " + a.header.Get("Content-Type")
	}
	return ""
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func jsonDecode(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }
