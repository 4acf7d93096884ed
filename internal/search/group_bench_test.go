package search_test

import (
	"encoding/csv"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/search"
)

// The results page asks for more than the API's page: SearchItems ranks
// MaxLimit hits to fold them by item. BenchmarkSearchItems100k measures that
// path over the same scaled 100,000-listing catalog as BenchmarkSearch100k:
//
//	go test ./internal/search/ -run '^$' -bench SearchItems100k -benchtime 2000x

var (
	scaledOnce sync.Once
	scaledIx   *search.Index
)

// ScaledIndex is the 100,000-listing catalog seeded from 广安区's real item
// names (../shared/data), built once per test binary.
func scaledIndex(tb testing.TB) *search.Index {
	tb.Helper()
	f, err := os.Open("../../../shared/data/guangan-district-items.csv")
	if err != nil {
		tb.Skipf("shared data not available: %v", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	scaledOnce.Do(func() {
		var names []string
		for _, r := range recs[1:] {
			names = append(names, r[2])
		}
		scaledIx = search.New()
		scaledIx.Upsert(search.ScaledCatalog(100_000, names)...)
	})
	return scaledIx
}

// pageQueries are what citizens type into the results page, from a region.
var pageQueries = []string{"居民身份证", "社会保障卡补领", "户口迁移", "食品经营", "营业执照", "出生医学证明", "退休",
	"jumin shenfenzheng", "sbk", "spjy", "开饭店", "社保", "生孩子", "身份证丢了怎么办", "营业执招", "婚姻登计", "许可", "证"}

func BenchmarkSearchItems100k(b *testing.B) {
	ix := scaledIndex(b)
	lat := make([]time.Duration, 0, b.N)
	i := 0
	for b.Loop() {
		q := search.Query{Text: pageQueries[i%len(pageQueries)], UserRegion: "511602000000"}
		start := time.Now()
		if _, _, err := ix.SearchItemsUncached(q, "511602000000"); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		i++
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2])/1e6, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100])/1e6, "p99-ms")
}
