package bench

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLoadStopsAtMaxRequests(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		HelloHandler(300).ServeHTTP(w, r)
	}))
	defer srv.Close()
	seen := map[[2]int]bool{}
	var mu sync.Mutex
	l := Load{Clients: 4, Duration: time.Minute, MaxRequests: 400, Warmup: 2,
		Request: func(c, n int) (*http.Request, error) {
			mu.Lock()
			defer mu.Unlock()
			if seen[[2]int{c, n}] {
				t.Errorf("request (%d, %d) built twice", c, n)
			}
			seen[[2]int{c, n}] = true
			return http.NewRequest("GET", srv.URL, nil)
		},
		Check: func(c, n int, resp *http.Response, body []byte) error {
			if !json.Valid(body) {
				t.Errorf("invalid JSON %q", body)
			}
			return nil
		}}
	r, err := l.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 400 || r.Errors != 0 || r.Hist.Count() != 400 {
		t.Fatalf("requests %d errors %d recorded %d (first error %v)", r.Requests, r.Errors, r.Hist.Count(), r.FirstErr)
	}
	if served.Load() != 408 { // 400 + 4 clients × 2 warmup
		t.Errorf("server saw %d requests, want 408", served.Load())
	}
	if r.RPS() <= 0 || r.P(0.5) <= 0 || r.P(0.99) < r.P(0.5) {
		t.Errorf("rps %v p50 %v p99 %v", r.RPS(), r.P(0.5), r.P(0.99))
	}
}

func TestLoadStopsAtDurationAndCountsFailures(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":{"code":"unavailable"}}`, http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	start := time.Now()
	r, err := Load{Clients: 2, Duration: 200 * time.Millisecond, Request: get(srv.URL)}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("load did not stop by itself")
	}
	if r.Requests == 0 || r.Errors != r.Requests || r.Hist.Count() != 0 || !strings.Contains(r.FirstErr.Error(), "503") {
		t.Errorf("requests %d errors %d recorded %d first %v", r.Requests, r.Errors, r.Hist.Count(), r.FirstErr)
	}
	if r.ErrorRate() != 1 {
		t.Errorf("error rate %v", r.ErrorRate())
	}
}

func TestLoadRefusesNonLoopbackTargets(t *testing.T) {
	for _, u := range []string{"http://10.1.2.3/", "http://example.com/", "http://192.168.0.1:8080/x", "http://localhost.example/"} {
		if CheckLoopback(u) == nil {
			t.Errorf("CheckLoopback(%q) accepted it", u)
		}
		r, err := Load{Clients: 1, Duration: time.Second, MaxRequests: 1, Request: get(u)}.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if r.Errors != 1 || !strings.Contains(r.FirstErr.Error(), "only loopback") {
			t.Errorf("%s: errors %d first %v", u, r.Errors, r.FirstErr)
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080/", "http://[::1]:1/", "http://127.0.0.2/"} {
		if err := CheckLoopback(u); err != nil {
			t.Errorf("CheckLoopback(%q): %v", u, err)
		}
	}
	// A redirect to elsewhere is refused at dial time too.
	srv := httptest.NewServer(http.RedirectHandler("http://10.9.9.9/", http.StatusFound))
	defer srv.Close()
	resp, err := NewClient(1).Get(srv.URL)
	if err == nil {
		resp.Body.Close()
		t.Fatal("followed a redirect off the machine")
	}
}

func TestHelloDocumentSize(t *testing.T) {
	for _, size := range []int{100, 1000, 2500, 8000} {
		rec := httptest.NewRecorder()
		HelloHandler(size).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		n := rec.Body.Len()
		if n < size-25 || n > size || !json.Valid(rec.Body.Bytes()) {
			t.Errorf("size %d: got %d bytes", size, n)
		}
	}
}

// A kind whose answers never come fails by the request timeout, warmup
// included, and the run ends; the per-kind results say which kind it was.
func TestLoadTimesOutASlowKindAndCountsItApart(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-r.Context().Done() // answers only when the client gives up
			return
		}
		HelloHandler(100).ServeHTTP(w, r)
	}))
	defer srv.Close()
	kind := func(c, n int) string {
		if n%4 == 3 {
			return "slow"
		}
		return "fast"
	}
	l := Load{Clients: 2, Duration: 500 * time.Millisecond, Warmup: 4, Timeout: 50 * time.Millisecond, Kind: kind,
		Request: func(c, n int) (*http.Request, error) { return http.NewRequest("GET", srv.URL+"/"+kind(c, n), nil) }}
	r, err := l.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	slow, fast := r.Kinds["slow"], r.Kinds["fast"]
	if slow == nil || fast == nil || len(r.Kinds) != 2 {
		t.Fatalf("kinds %v", r.Kinds)
	}
	if slow.Requests == 0 || slow.Errors != slow.Requests || slow.Timeouts != slow.Errors || slow.Hist.Count() != 0 {
		t.Errorf("slow: requests %d errors %d timeouts %d recorded %d", slow.Requests, slow.Errors, slow.Timeouts, slow.Hist.Count())
	}
	if fast.Requests == 0 || fast.Errors != 0 || fast.Hist.Count() != uint64(fast.Requests) {
		t.Errorf("fast: requests %d errors %d recorded %d", fast.Requests, fast.Errors, fast.Hist.Count())
	}
	if r.Requests != slow.Requests+fast.Requests || r.Errors != slow.Errors || r.Hist.Count() != fast.Hist.Count() {
		t.Errorf("total: requests %d errors %d recorded %d", r.Requests, r.Errors, r.Hist.Count())
	}
	if !errors.Is(r.FirstErr, errRequestTimeout) || !strings.Contains(r.FirstErr.Error(), "/slow") {
		t.Errorf("first error %v, want the slow path's timeout", r.FirstErr)
	}
}

// A request still waiting when the run ends is neither a success nor a
// failure, but its kind counts it as unanswered, so a kind slower than the
// whole run does not vanish from the report.
func TestLoadCountsUnansweredKindsAtTheEnd(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-r.Context().Done()
			return
		}
		HelloHandler(100).ServeHTTP(w, r)
	}))
	defer srv.Close()
	kind := func(c, n int) string { return map[bool]string{true: "slow", false: "fast"}[n == 1] }
	l := Load{Clients: 2, Duration: 300 * time.Millisecond, Kind: kind,
		Request: func(c, n int) (*http.Request, error) { return http.NewRequest("GET", srv.URL+"/"+kind(c, n), nil) }}
	r, err := l.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	slow, fast := r.Kinds["slow"], r.Kinds["fast"]
	if slow == nil || slow.Unfinished != 2 || slow.Requests != 0 || slow.Errors != 0 {
		t.Errorf("slow: %+v", slow)
	}
	if fast == nil || fast.Requests != 2 || fast.Unfinished != 0 || r.Requests != 2 || r.Errors != 0 {
		t.Errorf("fast: %+v, total requests %d errors %d", fast, r.Requests, r.Errors)
	}
}
