package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/outbox"
)

// OutboxResult is how fast a running Tongban delivered events to a webhook.
type OutboxResult struct {
	Rate      int           // events appended per second (target)
	Appended  int           // events committed
	Delivered int           // distinct events the sink received
	Repeats   int           // deliveries of an event already received
	Latency   *Histogram    // from each event's commit to its arrival at the sink
	Span      time.Duration // how long appending took
}

func (r OutboxResult) String() string {
	return fmt.Sprintf("%d events/s for %s: %d committed, %d delivered (%d repeats); commit→delivery p50 %s p99 %s max %s",
		r.Rate, r.Span.Round(time.Millisecond), r.Appended, r.Delivered, r.Repeats, r.Latency.Quantile(0.5),
		r.Latency.Quantile(0.99), r.Latency.Max())
}

// OutboxLatency measures outbox delivery on the Tongban at base (which
// must be publishing, as `tongban serve` does), committing through st, its
// own store: a webhook sink on loopback is registered (region-wide, by the
// demo system admin), events are committed into the outbox at rate per
// second for d, each in its own transaction as an action would, and the
// sink times each from its commit to its signed delivery. It waits up to
// 30 s after the last commit for stragglers.
//
// The store must be the server's own, not another process's connection to
// its database: on SQLite a server queues its own writers first come,
// first served (sqldb.DB), while another process's writers meet its
// publisher only in SQLite's busy handler, which polls with sleeps of up
// to 100 ms, a wait no server's own actions give it.
func OutboxLatency(ctx context.Context, base string, st tongban.Store, rate int, d time.Duration) (OutboxResult, error) {
	res := OutboxResult{Rate: rate, Latency: &Histogram{}}
	admin, err := TokenFor(ctx, base, "admin", DemoPassword)
	if err != nil {
		return res, err
	}
	var orgs []struct {
		ID         int64  `json:"id"`
		Code       string `json:"code"`
		RegionCode string `json:"region_code"`
	}
	if err := admin.Do(ctx, "GET", "/api/v1/orgs", nil, &orgs); err != nil {
		return res, err
	}
	var scope outbox.Scope
	for _, o := range orgs {
		if o.Code == "gas-zwfwj" { // 广安市政务服务管理局, the admin's own org
			scope = outbox.Scope{RegionCode: o.RegionCode, OrgID: o.ID}
		}
	}
	if scope.OrgID == 0 {
		return res, fmt.Errorf("bench: the demo city's 政务服务管理局 is missing")
	}
	sink, err := newSink()
	if err != nil {
		return res, err
	}
	defer sink.close()
	var hook struct {
		Secret string `json:"secret"`
	}
	if err := admin.Do(ctx, "POST", "/api/v1/webhooks", map[string]any{"name": "bench sink", "org_id": scope.OrgID,
		"url": sink.url, "region_wide": true, "event_types": []string{"bench.*"}}, &hook); err != nil {
		return res, err
	}
	sink.setSecret(hook.Secret)

	var mu sync.Mutex
	committed := map[int]time.Time{}
	// Each event has its time on a schedule from the start, so a late
	// wake-up is caught up rather than lost (a ticker drops the ticks a
	// busy machine makes it miss, and the rate falls below the one asked).
	start := time.Now()
	every := time.Second / time.Duration(rate)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	var firstErr error
	for n := 0; time.Duration(n)*every < d && ctx.Err() == nil; n++ {
		if wait := time.Until(start.Add(time.Duration(n) * every)); wait > 0 {
			time.Sleep(wait)
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			err := outbox.Append(ctx, st, "bench.load", fmt.Sprintf("bench:%d", n%64), scope, time.Now(), map[string]int{"n": n})
			at := time.Now()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			committed[n] = at
		})
	}
	wg.Wait()
	res.Span = time.Since(start)
	if firstErr != nil {
		return res, firstErr
	}
	res.Appended = len(committed)
	for deadline := time.Now().Add(30 * time.Second); sink.count() < res.Appended && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	arrived, repeats := sink.result()
	res.Repeats = repeats
	for n, at := range committed {
		if got, ok := arrived[n]; ok {
			res.Delivered++
			res.Latency.Record(max(got.Sub(at), 0)) // a delivery may be timed before its commit was noted
		}
	}
	return res, nil
}

// sink is a department system's webhook on loopback: it checks each
// delivery's signature and notes when each event first arrived.
type sink struct {
	url    string
	srv    *http.Server
	mu     sync.Mutex
	secret string
	first  map[int]time.Time
	repeat int
}

func newSink() (*sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &sink{url: "http://" + ln.Addr().String() + "/hook", first: map[int]time.Time{}}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return s, nil
}

func (s *sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	secret := s.secret
	s.mu.Unlock()
	if err := outbox.Verify(secret, r.Header.Get(outbox.HeaderTimestamp), r.Header.Get(outbox.HeaderSignature), body,
		now, 5*time.Minute); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var e tongban.OutboxEvent
	var p struct {
		N int `json:"n"`
	}
	if json.Unmarshal(body, &e) != nil || json.Unmarshal(e.Payload, &p) != nil {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	if _, ok := s.first[p.N]; ok {
		s.repeat++
	} else {
		s.first[p.N] = now
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (s *sink) setSecret(v string) { s.mu.Lock(); s.secret = v; s.mu.Unlock() }

func (s *sink) count() int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.first) }

func (s *sink) result() (map[int]time.Time, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[int]time.Time, len(s.first))
	for k, v := range s.first {
		out[k] = v
	}
	return out, s.repeat
}

func (s *sink) close() { s.srv.Close() }
