//go:build blevecmp

package search

// BenchmarkBleve100k is the measurement behind the engine choice (see
// doc.go): bleve v2.6.1 with its CJK analyzer over the same 100,000 docs,
// answering the Chinese queries of the mix (it has no pinyin, synonyms or
// typo tolerance, so those are left out in its favour). Run with:
//
//	go test ./internal/search/ -tags blevecmp -run '^$' -bench Bleve100k -benchtime 1000x

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

func BenchmarkBleve100k(b *testing.B) {
	names := guanganNames(b)
	docs := ScaledCatalog(100_000, names)

	text := bleve.NewTextFieldMapping()
	text.Analyzer = cjk.AnalyzerName
	text.Store = false
	kw := bleve.NewKeywordFieldMapping()
	kw.Store = false
	dm := bleve.NewDocumentMapping()
	for _, f := range []string{"ListingName", "ItemName", "Aliases", "Materials", "FAQ", "OrgName"} {
		dm.AddFieldMappingsAt(f, text)
	}
	dm.AddFieldMappingsAt("RegionCode", kw)
	im := mapping.NewIndexMapping()
	im.DefaultMapping = dm
	im.DefaultAnalyzer = cjk.AnalyzerName

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	idx, err := bleve.NewMemOnly(im)
	if err != nil {
		b.Fatal(err)
	}
	batch := idx.NewBatch()
	for i := range docs {
		d := &docs[i]
		if err := batch.Index(fmt.Sprint(d.ListingID), map[string]any{
			"ListingName": d.ListingName, "ItemName": d.ItemName, "Aliases": d.Aliases,
			"Materials": d.Materials, "FAQ": d.FAQ, "OrgName": d.OrgName, "RegionCode": d.RegionCode,
		}); err != nil {
			b.Fatal(err)
		}
		if batch.Size() == 1000 {
			if err := idx.Batch(batch); err != nil {
				b.Fatal(err)
			}
			batch = idx.NewBatch()
		}
	}
	if err := idx.Batch(batch); err != nil {
		b.Fatal(err)
	}
	build := time.Since(start)
	docs = nil
	runtime.GC()
	runtime.ReadMemStats(&after)

	var texts []string
	for _, q := range benchQueries {
		if q.Text != "" && isHan([]rune(q.Text)[0]) {
			texts = append(texts, q.Text)
		}
	}
	// Names weigh most, then aliases, then materials and FAQ, as in ours.
	newQuery := func(text string) query.Query {
		var qs []query.Query
		for f, boost := range map[string]float64{"ListingName": 4, "ItemName": 4, "Aliases": 3, "Materials": 1, "FAQ": 1, "OrgName": 1} {
			m := bleve.NewMatchQuery(text)
			m.SetField(f)
			m.SetBoost(boost)
			qs = append(qs, m)
		}
		return bleve.NewDisjunctionQuery(qs...)
	}
	b.ResetTimer()
	lat := make([]time.Duration, 0, b.N)
	i := 0
	for b.Loop() {
		req := bleve.NewSearchRequestOptions(newQuery(texts[i%len(texts)]), 10, 0, false)
		t0 := time.Now()
		if _, err := idx.Search(req); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		i++
	}
	slices.Sort(lat)
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
	b.ReportMetric(build.Seconds(), "build-s")
	b.ReportMetric(float64(after.HeapAlloc-min(before.HeapAlloc, after.HeapAlloc))/(1<<20), "heap-MiB")
}
