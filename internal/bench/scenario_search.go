package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// SearchListings is the catalog size the search goals are set at.
const SearchListings = 100_000

// Search measures GET /api/v1/search queries/s and latency on a `tongban
// serve` whose catalog holds 100,000 published listings scaled from
// 广安区's real item names, against the hello-world handler returning a
// JSON document of the same mean size, alternately, at each client count.
//
// The catalog goes in through the real code path: the regions through the
// API (as the system administrator), the listings as a catalog file through
// `tongban import --create-orgs --publish`; the server builds its search
// index from the database when it starts.
func (p *Plan) Search(ctx context.Context) ([]Row, []Goal, error) {
	t, setup, err := p.searchServer(ctx, "sqlite", SearchListings)
	if err != nil {
		return nil, nil, err
	}
	defer t.Close()

	urls := make([]string, len(SearchQueries))
	for i, v := range SearchQueries {
		urls[i] = t.URL("/api/v1/search?" + v.Encode())
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

	// The mix repeats, as citizens' searches do, so the server answers most
	// of it from its recent answers. The second load never repeats a query
	// (each asks for results near a different town), so every request is
	// the index's own work.
	repeated := Load{Request: func(c, n int) (*http.Request, error) {
		return http.NewRequest("GET", urls[(c*7+n)%len(urls)], nil)
	}}
	fresh := Load{Request: func(c, n int) (*http.Request, error) {
		v := cloneValues(SearchQueries[(c*7+n)%len(SearchQueries)])
		v.Set("near", nearTown(c, n))
		return http.NewRequest("GET", t.URL("/api/v1/search?"+v.Encode()), nil)
	}}
	ref := Load{Request: get(hello.URL("/"))}
	clients := []int{1, 8, 32, 64} // 1 client: the query's own time, without queueing
	if p.Quick {
		clients = []int{32, 64}
	}
	note := fmt.Sprintf("anonymous GET /api/v1/search on `tongban serve` (SQLite), %s; "+
		"%d-query mix (Chinese, pinyin, initials, typos, filters, near, a browse page); reference JSON document %d bytes = the mix's mean answer. "+
		"\"repeated mix\": the mix over and over, mostly answered from the index's recent answers; "+
		"\"no query repeated\": the same mix, each request near a different town, so none is answered from them",
		setup, len(urls), size)
	var rows []Row
	for _, load := range []struct {
		name string
		l    Load
	}{{"search 100k, repeated mix", repeated}, {"search 100k, no query repeated", fresh}} {
		for _, c := range clients {
			ResetPeakRSS(t.Pid())
			p.logf("%s: %d clients, %d pairs of %s", load.name, c, p.Pairs, p.Duration)
			cmp, err := p.compare(ctx, c, ref, load.l)
			if err != nil {
				return rows, nil, fmt.Errorf("%s at %d clients: %w", load.name, c, err)
			}
			rss, _ := PeakRSS(t.Pid())
			rows = append(rows, Row{Scenario: load.name, Engine: t.Engine, Clients: c, Unit: "q/s",
				Subject: cmp.MedianSubject(), RefName: "hello-world", Ref: cmp.MedianRef(), Ratios: cmp.Ratios(), RSS: rss, Note: note})
			note = ""
		}
	}
	return rows, searchGoals(rows), nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// nearTown is a town code in Sichuan that request n of client c is made
// near: 20 cities × 29 counties × 999 towns, so no two requests of a run
// share one in practice.
func nearTown(c, n int) string {
	h := uint64(c)*0x9E3779B97F4A7C15 ^ uint64(n)*0xBF58476D1CE4E5B9
	h ^= h >> 31
	return fmt.Sprintf("51%02d%02d%03d000", 1+h%20, 2+(h/20)%29, 1+(h/580)%999)
}

// searchServer starts Tongban on a fresh database of engine holding the
// demo city and the scaled listings, and describes how long that took.
func (p *Plan) searchServer(ctx context.Context, engine string, listings int) (*Tongban, string, error) {
	seed, err := ReadSeedItems(p.Names)
	if err != nil {
		return nil, "", err
	}
	t, err := NewTongban(ctx, p.Tongban, engine, p.WorkDir, p.PGAdmin, "tongban-search-"+engine)
	if err != nil {
		return nil, "", err
	}
	ok := false
	defer func() {
		if !ok {
			t.Close()
		}
	}()
	file := filepath.Join(p.WorkDir, fmt.Sprintf("catalog-%d.csv", listings))
	f, err := os.Create(file)
	if err != nil {
		return nil, "", err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	regions, err := WriteScaledCatalog(bw, listings, seed)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, "", err
	}
	st, _ := os.Stat(file)

	p.logf("search: starting tongban (demo city) to add %d regions as the system administrator", len(regions))
	if err := t.Start(); err != nil {
		return nil, "", err
	}
	created, err := createRegions(ctx, t.URL(""), regions)
	if err != nil {
		return nil, "", err
	}
	t.Stop(30 * time.Second)

	p.logf("search: tongban import %s (%d listings, %.0f MiB) --create-orgs --publish", filepath.Base(file), listings, float64(st.Size())/(1<<20))
	start := time.Now()
	out, err := t.Command(ctx, "import", file, "--create-orgs", "--publish")
	imported := time.Since(start)
	if err != nil {
		return nil, "", err
	}
	live, err := publishedCount(out)
	if err != nil {
		return nil, "", err
	}
	if live < listings {
		return nil, "", fmt.Errorf("import published %d of %d listings:\n%s", live, listings, tail(out, 20))
	}
	p.logf("search: imported in %.1f s; starting tongban (builds the search index)", imported.Seconds())

	start = time.Now()
	if err := t.Start(); err != nil {
		return nil, "", err
	}
	started := time.Since(start)
	rss, _ := PeakRSS(t.Pid())
	p.logf("search: ready in %.1f s, peak RSS %s MiB", started.Seconds(), mib(rss))
	ok = true
	return t, fmt.Sprintf("demo city plus %d published listings scaled from 广安区's %d real item names over %d regions (%d created through POST /api/v1/regions), "+
		"imported with `tongban import --create-orgs --publish` in %.1f s; the server started (search index built from the database) in %.1f s, peak RSS %s MiB after start",
		live, len(seed), len(regions), created, imported.Seconds(), started.Seconds(), mib(rss)), nil
}

// createRegions adds the regions Tongban lacks, through the API as the
// demo system administrator; it returns how many it created.
func createRegions(ctx context.Context, base string, regions []ScaledRegion) (int, error) {
	admin, err := TokenFor(ctx, base, "admin", DemoPassword)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range regions {
		err := admin.Do(ctx, "POST", "/api/v1/regions", r, nil)
		var e *APIError
		switch {
		case err == nil:
			n++
		case errors.As(err, &e) && e.Status == http.StatusConflict: // the demo city's
		default:
			return n, fmt.Errorf("region %s %s: %w", r.Code, r.Name, err)
		}
	}
	return n, nil
}

var publishedRE = regexp.MustCompile(`导入后已发布(\d+)`)

// publishedCount reads how many of the file's listings are published from
// `tongban import`'s summary line.
func publishedCount(out []byte) (int, error) {
	m := publishedRE.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("tongban import: no summary line:\n%s", tail(out, 20))
	}
	return strconv.Atoi(string(m[1]))
}

func searchGoals(rows []Row) []Goal {
	var goals []Goal
	for _, r := range rows {
		which := strings.TrimPrefix(r.Scenario, "search 100k, ")
		switch r.Clients {
		case 32:
			p99 := r.Subject.P99
			goals = append(goals,
				Goal{Name: "search p99 ≤ 20 ms at 100,000 listings (32 clients, " + which + ")", Got: "p99 " + ms(p99) + " ms",
					Met: p99 <= 20*time.Millisecond, Gap: pct(float64(p99)/float64(20*time.Millisecond), "of the limit")},
				Goal{Name: "search ≥ 0.3 × hello-world throughput (32 clients, " + which + ")", Got: fmt.Sprintf("%.2f ×", r.Ratio()),
					Met: r.Ratio() >= 0.3, Gap: pct(r.Ratio()/0.3, "of the goal")})
		case 64:
			goals = append(goals, tailGoal(r.Scenario, r))
		}
	}
	return goals
}

// tailGoal judges p99 ≤ 4 × p50 at 64 connections.
func tailGoal(name string, r Row) Goal {
	tail := float64(r.Subject.P99) / float64(max(r.Subject.P50, 1))
	got := fmt.Sprintf("p99/p50 = %.2f (%s / %s ms)", tail, ms(r.Subject.P99), ms(r.Subject.P50))
	if r.RefName != "" && r.Ref.P50 > 0 { // the machine's own tail, for the reader; not judged
		got += fmt.Sprintf("; %s: %.2f (%s / %s ms)", r.RefName, float64(r.Ref.P99)/float64(r.Ref.P50), ms(r.Ref.P99), ms(r.Ref.P50))
	}
	return Goal{Name: name + " p99 ≤ 4 × p50 at 64 connections", Got: got, Met: tail <= 4, Gap: pct(tail/4, "of the limit")}
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
