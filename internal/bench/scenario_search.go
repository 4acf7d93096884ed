package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// SearchListings is the catalog size the search goals are set at.
const SearchListings = 100_000

// Search measures search queries/s and latency over 100,000 scaled
// listings against the hello-world handler returning a JSON document of
// the same mean size, alternately, at each client count.
//
// Tongban has no search endpoint yet, so the subject is the interim
// handler (SearchHandler: the index and JSON encoding in a child process,
// without Tongban's middleware), and the rows say so.
func (p *Plan) Search(ctx context.Context) ([]Row, []Goal, error) {
	p.logf("search: building the %d-listing index in a child process", SearchListings)
	start := time.Now()
	srv, err := p.startSelf("search", "serve-search", "--n", strconv.Itoa(SearchListings), "--names", p.Names)
	if err != nil {
		return nil, nil, err
	}
	defer srv.Stop(10 * time.Second)
	build := time.Since(start)
	buildRSS, _ := PeakRSS(srv.Pid())

	urls := make([]string, len(SearchQueries))
	for i, v := range SearchQueries {
		urls[i] = srv.URL("/search?" + v.Encode())
	}
	size, err := meanSize(ctx, urls)
	if err != nil {
		return nil, nil, err
	}
	hello, err := p.startSelf("hello", "serve-hello", "--size", strconv.Itoa(size))
	if err != nil {
		return nil, nil, err
	}
	defer hello.Stop(10 * time.Second)

	subject := Load{Request: func(c, n int) (*http.Request, error) {
		return http.NewRequest("GET", urls[(c*7+n)%len(urls)], nil)
	}}
	ref := Load{Request: get(hello.URL("/"))}
	clients := []int{1, 8, 32, 64} // 1 client: the query's own time, without queueing
	if p.Quick {
		clients = []int{32, 64}
	}
	note := fmt.Sprintf("interim subject: search.Index (%d listings scaled from 广安区's 1,135 real item names, built in %.1f s, peak RSS %s MiB while building) "+
		"behind a bare net/http JSON handler in a child process, because Tongban has no /api/v1/search yet; "+
		"%d-query mix (Chinese, pinyin, initials, typos, filters, a browse page); reference JSON document %d bytes = the mix's mean answer",
		SearchListings, build.Seconds(), mib(buildRSS), len(urls), size)
	var rows []Row
	for _, c := range clients {
		ResetPeakRSS(srv.Pid())
		p.logf("search: %d clients, %d pairs of %s", c, p.Pairs, p.Duration)
		cmp, err := p.compare(ctx, c, ref, subject)
		if err != nil {
			return rows, nil, fmt.Errorf("search at %d clients: %w", c, err)
		}
		rss, _ := PeakRSS(srv.Pid())
		rows = append(rows, Row{Scenario: "search 100k (interim handler)", Engine: "—", Clients: c, Unit: "q/s",
			Subject: cmp.MedianSubject(), RefName: "hello-world", Ref: cmp.MedianRef(), Ratios: cmp.Ratios(), RSS: rss, Note: note})
		note = ""
	}
	return rows, searchGoals(rows), nil
}

func searchGoals(rows []Row) []Goal {
	var goals []Goal
	for _, r := range rows {
		switch r.Clients {
		case 32:
			p99 := r.Subject.P99
			goals = append(goals,
				Goal{Name: "search p99 ≤ 20 ms at 100,000 listings (32 clients)", Got: "p99 " + ms(p99) + " ms",
					Met: p99 <= 20*time.Millisecond, Gap: pct(float64(p99)/float64(20*time.Millisecond), "of the limit")},
				Goal{Name: "search ≥ 0.3 × hello-world throughput (32 clients)", Got: fmt.Sprintf("%.2f ×", r.Ratio()),
					Met: r.Ratio() >= 0.3, Gap: pct(r.Ratio()/0.3, "of the goal")})
		case 64:
			goals = append(goals, tailGoal("search", r))
		}
	}
	return goals
}

// tailGoal judges p99 ≤ 4 × p50 at 64 connections.
func tailGoal(name string, r Row) Goal {
	tail := float64(r.Subject.P99) / float64(max(r.Subject.P50, 1))
	return Goal{Name: name + " p99 ≤ 4 × p50 at 64 connections", Got: fmt.Sprintf("p99/p50 = %.2f (%s / %s ms)", tail, ms(r.Subject.P99), ms(r.Subject.P50)),
		Met: tail <= 4, Gap: pct(tail/4, "of the limit")}
}

func pct(x float64, of string) string { return fmt.Sprintf("%.0f%% %s", 100*x, of) }

// meanSize fetches each URL once (checking it answers 200) and returns the
// mean body size.
func meanSize(ctx context.Context, urls []string) (int, error) {
	client := NewClient(1)
	defer client.CloseIdleConnections()
	total := 0
	for _, u := range urls {
		req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
		if err != nil {
			return 0, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return 0, err
		}
		if resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("GET %s: %d %s", u, resp.StatusCode, trim(b))
		}
		total += len(b)
	}
	return total / max(len(urls), 1), nil
}
