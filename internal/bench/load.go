package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Load is a closed-loop load: Clients goroutines, each sending its next
// request as soon as the previous answer is read, over keep-alive
// connections, until Duration passes or MaxRequests have been sent.
type Load struct {
	Clients     int
	Duration    time.Duration // stop after this long (required)
	MaxRequests int           // stop after this many in total; 0 = 10 million
	// Warmup requests per client are sent first and not recorded.
	Warmup int
	// Request builds client c's n-th request; n counts from 0 per client,
	// warmup included, so (c, n) is unique within a run.
	Request func(c, n int) (*http.Request, error)
	// Check judges an answer; nil accepts any 2xx. A non-nil error counts
	// the request as failed (the first is kept).
	Check func(c, n int, resp *http.Response, body []byte) error
	// Observe, if set, sees every whole answer, warmup included, before
	// Check: a stateful load (a chain of rotating tokens) keeps its state
	// there.
	Observe func(c, n int, resp *http.Response, body []byte)
	// Before, if set, runs before the warmup, outside the measured window:
	// a stateful load repairs there what a request cut off by the last
	// run's deadline left behind.
	Before func(ctx context.Context) error
	// Client is the HTTP client; nil = NewClient(Clients).
	Client *http.Client
	// Kind, if set, names the kind of client c's n-th request (its
	// endpoint); the result then keeps a histogram per kind, so a report
	// can say which kind was slow.
	Kind func(c, n int) string
	// Timeout, if set, bounds each request, warmup included: a request
	// still unanswered after it fails (an error of its kind), so one slow
	// endpoint cannot hold the run past its end.
	Timeout time.Duration
}

// Result is what a load run measured. Latencies are of successful requests.
type Result struct {
	Requests int // answered, successful or not
	Errors   int
	FirstErr error
	Elapsed  time.Duration
	Bytes    int64 // response body bytes read
	Hist     Histogram
	// Kinds holds per-kind results when the load names kinds (Load.Kind).
	Kinds map[string]*KindResult
}

// KindResult is one kind's share of a run: its answered requests, its
// failures (timeouts included) and the latencies of its successes.
type KindResult struct {
	Requests, Errors, Timeouts int
	// Unfinished requests were still unanswered when the run ended (not
	// counted in Requests): a kind slower than the run shows here.
	Unfinished int
	Hist       Histogram
}

// kind is the result of the named kind, made on first use.
func (r *Result) kind(name string) *KindResult {
	if r.Kinds == nil {
		r.Kinds = map[string]*KindResult{}
	}
	k := r.Kinds[name]
	if k == nil {
		k = &KindResult{}
		r.Kinds[name] = k
	}
	return k
}

// Timeouts is how many requests failed by Load.Timeout.
func (r *Result) Timeouts() int {
	n := 0
	for _, k := range r.Kinds {
		n += k.Timeouts
	}
	return n
}

// RPS is successful requests per second.
func (r *Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests-r.Errors) / r.Elapsed.Seconds()
}

// P returns the q-quantile latency (q in [0, 1]).
func (r *Result) P(q float64) time.Duration { return r.Hist.Quantile(q) }

// ErrorRate is the failed fraction of answered requests.
func (r *Result) ErrorRate() float64 {
	if r.Requests == 0 {
		return 0
	}
	return float64(r.Errors) / float64(r.Requests)
}

const defaultMaxRequests = 10_000_000

// Run runs the load; it stops by itself (Duration, MaxRequests) or when ctx ends.
func (l Load) Run(ctx context.Context) (*Result, error) {
	if l.Clients <= 0 || l.Duration <= 0 || l.Request == nil {
		return nil, errors.New("bench: Load needs Clients, Duration and Request")
	}
	client := l.Client
	if client == nil {
		client = NewClient(l.Clients)
		defer client.CloseIdleConnections()
	}
	maxReq := int64(l.MaxRequests)
	if maxReq <= 0 {
		maxReq = defaultMaxRequests
	}
	if l.Before != nil {
		if err := l.Before(ctx); err != nil {
			return nil, err
		}
	}
	// Warm up connections and caches outside the measured window.
	if l.Warmup > 0 {
		var wg sync.WaitGroup
		for c := range l.Clients {
			wg.Go(func() {
				var buf bytes.Buffer
				for n := range l.Warmup {
					if ctx.Err() != nil {
						return
					}
					l.do(ctx, client, c, n, false, &buf)
				}
			})
		}
		wg.Wait()
	}
	ctx, cancel := context.WithTimeout(ctx, l.Duration)
	defer cancel()
	var sent atomic.Int64
	per := make([]*Result, l.Clients)
	start := time.Now()
	var wg sync.WaitGroup
	for c := range l.Clients {
		r := &Result{}
		per[c] = r
		wg.Go(func() {
			var buf bytes.Buffer
			for n := l.Warmup; ctx.Err() == nil && sent.Add(1) <= maxReq; n++ {
				t0 := time.Now()
				size, err := l.do(ctx, client, c, n, true, &buf)
				d := time.Since(t0)
				if err != nil && ctx.Err() != nil {
					// Cut off by the deadline: neither a success nor a
					// failure, but its kind says it was still waiting.
					if l.Kind != nil {
						r.kind(l.Kind(c, n)).Unfinished++
					}
					break
				}
				r.Requests++
				r.Bytes += size
				var k *KindResult
				if l.Kind != nil {
					k = r.kind(l.Kind(c, n))
					k.Requests++
				}
				if err != nil {
					r.Errors++
					if r.FirstErr == nil {
						r.FirstErr = err
					}
					if k != nil {
						k.Errors++
						if errors.Is(err, errRequestTimeout) {
							k.Timeouts++
						}
					}
					continue
				}
				r.Hist.Record(d)
				if k != nil {
					k.Hist.Record(d)
				}
			}
		})
	}
	wg.Wait()
	total := &Result{Elapsed: time.Since(start)}
	for _, r := range per {
		total.Requests += r.Requests
		total.Errors += r.Errors
		total.Bytes += r.Bytes
		total.Hist.Merge(&r.Hist)
		if total.FirstErr == nil {
			total.FirstErr = r.FirstErr
		}
		for name, k := range r.Kinds {
			t := total.kind(name)
			t.Unfinished += k.Unfinished
			t.Requests += k.Requests
			t.Errors += k.Errors
			t.Timeouts += k.Timeouts
			t.Hist.Merge(&k.Hist)
		}
	}
	return total, nil
}

// do sends one request and reads the whole answer; warmup answers
// (check false) are not judged.
func (l Load) do(ctx context.Context, client *http.Client, c, n int, check bool, buf *bytes.Buffer) (int64, error) {
	req, err := l.Request(c, n)
	if err != nil {
		return 0, err
	}
	if err := CheckLoopback(req.URL.String()); err != nil {
		return 0, err
	}
	rctx := ctx
	if l.Timeout > 0 {
		var cancel context.CancelFunc
		rctx, cancel = context.WithTimeoutCause(ctx, l.Timeout, errRequestTimeout)
		defer cancel()
	}
	resp, err := client.Do(req.WithContext(rctx))
	if err != nil {
		return 0, timedOut(rctx, ctx, req, err)
	}
	buf.Reset()
	size, err := io.Copy(buf, resp.Body)
	resp.Body.Close()
	if err != nil {
		return size, timedOut(rctx, ctx, req, err)
	}
	if l.Observe != nil {
		l.Observe(c, n, resp, buf.Bytes())
	}
	if !check {
		return size, nil
	}
	if l.Check != nil {
		return size, l.Check(c, n, resp, buf.Bytes())
	}
	if resp.StatusCode/100 != 2 {
		return size, fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, trim(buf.Bytes()))
	}
	return size, nil
}

// errRequestTimeout is the cause of a request cut off by Load.Timeout.
var errRequestTimeout = errors.New("no answer within the request timeout")

// timedOut names a request's own timeout (not the run's end) in its error.
func timedOut(rctx, ctx context.Context, req *http.Request, err error) error {
	if ctx.Err() == nil && errors.Is(context.Cause(rctx), errRequestTimeout) {
		return fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, errRequestTimeout)
	}
	return err
}

func trim(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
