package faulttest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/bench"
)

const crashApplicants = 4

// submissions is the workload of applicants submitting cases through the
// API, each with an Idempotency-Key, as the bench does.
type submissions struct {
	f *bench.CaseFixture

	mu      sync.Mutex
	keys    map[string]int    // idempotency key → applicant
	numbers map[string]string // acknowledged key → case number
	pending []string          // keys sent but not answered when the server died
}

func (w *submissions) prepare(t *testing.T, s *tbServer) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	f, err := bench.NewCaseFixture(ctx, s.url(""), crashApplicants)
	if err != nil {
		t.Fatal(err)
	}
	w.f, w.keys, w.numbers = f, map[string]int{}, map[string]string{}
}

func (w *submissions) write(ctx context.Context, client *http.Client, s *tbServer, n int) (string, bool) {
	applicant, key := n%crashApplicants, fmt.Sprintf("crash-%d", n)
	w.mu.Lock()
	w.keys[key] = applicant
	w.mu.Unlock()
	number, status, err := w.submit(ctx, client, applicant, key)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil || status/100 != 2 {
		w.pending = append(w.pending, key)
		return key, false
	}
	w.numbers[key] = number
	return key, true
}

func (w *submissions) submit(ctx context.Context, client *http.Client, applicant int, key string) (string, int, error) {
	req, err := w.f.SubmitRequest(applicant, key)
	if err != nil {
		return "", 0, err
	}
	resp, err := client.Do(req.WithContext(ctx))
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	var c struct {
		Number string `json:"number"`
	}
	if resp.StatusCode/100 == 2 {
		if err := jsonDecode(resp, &c); err != nil || c.Number == "" {
			return "", resp.StatusCode, errors.Join(err, errors.New("no case number"))
		}
	}
	return c.Number, resp.StatusCode, nil
}

// afterRestart retries every unanswered submission with its key, as a
// client whose connection dropped would: each must now yield its case.
func (w *submissions) afterRestart(t *testing.T, s *tbServer) {
	w.mu.Lock()
	pending := w.pending
	w.pending = nil
	w.mu.Unlock()
	client := &http.Client{Timeout: 30 * time.Second}
	for _, key := range pending {
		number, status, err := w.submit(context.Background(), client, w.keys[key], key)
		if err != nil || status/100 != 2 {
			t.Errorf("retry of %s after the crash: %d %v", key, status, err)
			continue
		}
		w.mu.Lock()
		if prev, ok := w.numbers[key]; ok && prev != number {
			t.Errorf("key %s: acknowledged as %s, retried as %s", key, prev, number)
		}
		w.numbers[key] = number
		w.mu.Unlock()
	}
	t.Logf("%d unanswered submissions retried after the restart", len(pending))
}

func (w *submissions) verify(t *testing.T, a *app.App, s *tbServer, acked []string) {
	ctx := context.Background()
	applicants := map[int]int64{}
	for key, number := range w.numbers {
		c, err := a.Store.CaseByNumber(ctx, number)
		if err != nil {
			t.Errorf("acknowledged case %s (key %s) lost: %v", number, key, err)
			continue
		}
		applicants[w.keys[key]] = c.ApplicantID
		byKey, err := a.Store.CaseByIdempotencyKey(ctx, c.ApplicantID, key)
		if err != nil || byKey.ID != c.ID {
			t.Errorf("key %s: case %s, but the key finds %v (%v)", key, number, byKey, err)
		}
	}
	// Every case stored, acknowledged or not, is whole and its key unique.
	var all []*tongban.Case
	for _, id := range applicants {
		cs, err := a.Store.Cases(ctx, tongban.CaseFilter{ApplicantID: id, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, cs...)
	}
	submitted := auditedSubmissions(t, a)
	seen := map[string]string{}
	for _, c := range all {
		if prev, dup := seen[c.IdempotencyKey]; dup {
			t.Errorf("key %s made two cases: %s and %s", c.IdempotencyKey, prev, c.Number)
		}
		seen[c.IdempotencyKey] = c.Number
		evs, err := a.Store.CaseEvents(ctx, c.ID)
		if err != nil || len(evs) != 1 || evs[0].Action != tongban.ActionSubmit || evs[0].To != tongban.CaseSubmitted {
			t.Errorf("case %s is half-written: events %v (%v)", c.Number, evs, err)
		}
		if c.State != tongban.CaseSubmitted || len(c.Materials) == 0 {
			t.Errorf("case %s: state %s, %d materials", c.Number, c.State, len(c.Materials))
		}
		for _, m := range c.Materials {
			if m.BlobHash != "" && !a.Blobs.Exists(m.BlobHash) {
				t.Errorf("case %s: material %s refers to a missing upload %s", c.Number, m.Key, m.BlobHash)
			}
		}
		if submitted[c.Number] != 1 {
			t.Errorf("case %s has %d audit entries for its submission", c.Number, submitted[c.Number])
		}
	}
	if len(all) < len(w.numbers) {
		t.Errorf("%d cases stored for %d acknowledged submissions", len(all), len(w.numbers))
	}
	t.Logf("%d acknowledged cases (%d acknowledged before a kill -9), %d stored, all whole", len(w.numbers), len(acked), len(all))
}

// auditedSubmissions counts the case_submit audit entries per case number.
func auditedSubmissions(t *testing.T, a *app.App) map[string]int {
	ctx := context.Background()
	out := map[string]int{}
	var after int64
	for range 10_000 {
		es, err := audit.Entries(ctx, a.Store, after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 0 {
			break
		}
		for _, e := range es {
			if e.Action == "case_"+string(tongban.ActionSubmit) {
				out[strings.TrimPrefix(e.Object, "case:")]++
			}
		}
		after = es[len(es)-1].Seq
	}
	if rep, err := audit.Verify(ctx, a.Store); err != nil || !rep.OK() {
		t.Errorf("audit chain: %v %v", rep, err)
	}
	return out
}
