package api_test

import (
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/api"
	"github.com/tongban/tongban/internal/search"
)

// BenchmarkSearchAPI measures GET /api/v1/search through the API's mux and
// handler — parameter checks, the index, JSON — over the scaled
// 100,000-listing catalog (internal/search's ScaledCatalog, seeded from
// 广安区's real item names). Reproduce with:
//
//	go test ./internal/api/ -run '^$' -bench SearchAPI -benchtime 3000x
func BenchmarkSearchAPI(b *testing.B) {
	f, err := os.Open("../../../shared/data/guangan-district-items.csv")
	if err != nil {
		b.Skipf("shared data not available: %v", err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	var names []string
	for _, r := range recs[1:] {
		names = append(names, r[2])
	}
	ix := search.New()
	ix.Upsert(search.ScaledCatalog(100_000, names)...)
	mux := http.NewServeMux()
	api.New(api.Deps{Search: ix, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Register(mux)

	var urls []string
	for _, q := range []string{"q=居民身份证", "q=社会保障卡补领&near=511602000000", "q=食品经营&region=5116",
		"q=jumin+shenfenzheng", "q=sbk", "q=spjy&audience=法人", "q=开饭店", "q=身份证丢了怎么办", "q=营业执招",
		"q=许可&limit=20", "q=证", "theme=出生&region=5116"} {
		v, _ := url.ParseQuery(q)
		urls = append(urls, "/api/v1/search?"+v.Encode())
	}
	serve := func(u string) {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", u, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", u, rec.Code, rec.Body)
		}
	}
	b.Run("serial", func(b *testing.B) {
		lat := make([]time.Duration, 0, b.N)
		i := 0
		for b.Loop() {
			start := time.Now()
			serve(urls[i%len(urls)])
			lat = append(lat, time.Since(start))
			i++
		}
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2])/1e6, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100])/1e6, "p99-ms")
	})
	b.Run("parallel", func(b *testing.B) {
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				serve(urls[i%len(urls)])
				i++
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "queries/s")
	})
}
