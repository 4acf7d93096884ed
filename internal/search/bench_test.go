package search

import (
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkSearch100k measures a realistic query mix over a 100,000-doc
// catalog scaled from 广安区's real item names over 6 cities, 58 counties and
// their towns. Reproduce with:
//
//	go test ./internal/search/ -run '^$' -bench Search100k -benchtime 3000x
//
// Metrics: ns/op and p50-ms/p99-ms/max-ms of wall time per query, and
// cpu-mean-ms/cpu-p50-ms/cpu-p99-ms of the searching thread's CPU time
// (serial);
// queries/s (parallel); build-s and heap-MiB for the index once built.
// serial and parallel search afresh every time (the index's own work);
// cached is the same mix answered from the remembered answers.

var (
	benchOnce  sync.Once
	benchIx    *Index
	benchBuild time.Duration
	benchHeap  uint64
)

func benchIndex(b testing.TB) *Index {
	b.Helper()
	names := guanganNames(b)
	benchOnce.Do(func() {
		docs := ScaledCatalog(100_000, names)
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		ix := New()
		ix.Upsert(docs...)
		ix.Regroup() // as Syncer.Rebuild does
		benchBuild = time.Since(start)
		docs = nil
		runtime.GC()
		runtime.ReadMemStats(&after)
		benchHeap = after.HeapAlloc - min(before.HeapAlloc, after.HeapAlloc)
		benchIx = ix
	})
	return benchIx
}

// benchQueries is the mix: names, parts of names, pinyin, initials,
// colloquial phrases, typos, filters, a citizen's region, very common
// characters and a browse page.
var benchQueries = []Query{
	{Text: "居民身份证"},
	{Text: "社会保障卡补领"},
	{Text: "户口迁移", UserRegion: "511602000000"},
	{Text: "食品经营"},
	{Text: "建筑工程施工许可证核发"},
	{Text: "婚姻登记", UserRegion: "510107000000"},
	{Text: "出生医学证明"},
	{Text: "退休", UserRegion: "511302000000"},
	{Text: "残疾人证"},
	{Text: "教师资格认定", Region: "5101"},
	{Text: "jumin shenfenzheng"},
	{Text: "shehuibaozhangka"},
	{Text: "hunyindengji"},
	{Text: "sbk"},
	{Text: "jmsfz"},
	{Text: "spjy"},
	{Text: "开饭店"},
	{Text: "社保"},
	{Text: "生孩子"},
	{Text: "身份证丢了怎么办"},
	{Text: "营业执招"},
	{Text: "食品经荣"},
	{Text: "婚姻登计"},
	{Text: "居民身份证证补领"},
	{Text: "营页执照"}, // a wrong middle character: the typo reading
	{Text: "林木采伐", Region: "5101"},
	{Text: "失业保险金", Audience: AudiencePerson},
	{Text: "发票", UserRegion: "510107000000"},
	{Text: "许可"},
	{Text: "证"},
	{Text: "网约车"},
	{Region: "5116", UserRegion: "511602000000"}, // browse page
}

func BenchmarkSearch100k(b *testing.B) {
	ix := benchIndex(b)
	b.Run("serial", func(b *testing.B) {
		// Thread CPU time is reported next to wall time: on a shared
		// machine the wall time also counts waiting for a core.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		lat := make([]time.Duration, 0, b.N)
		cpu := make([]time.Duration, 0, b.N)
		i := 0
		for b.Loop() {
			start, startCPU := time.Now(), threadCPU()
			if _, err := ix.search(benchQueries[i%len(benchQueries)]); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
			cpu = append(cpu, threadCPU()-startCPU)
			i++
		}
		var sum time.Duration
		for _, c := range cpu {
			sum += c
		}
		slices.Sort(lat)
		slices.Sort(cpu)
		b.ReportMetric(ms(sum)/float64(len(cpu)), "cpu-mean-ms")
		b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
		b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
		b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
		b.ReportMetric(ms(cpu[len(cpu)/2]), "cpu-p50-ms")
		b.ReportMetric(ms(cpu[len(cpu)*99/100]), "cpu-p99-ms")
		b.ReportMetric(benchBuild.Seconds(), "build-s")
		b.ReportMetric(float64(benchHeap)/(1<<20), "heap-MiB")
	})
	b.Run("parallel", func(b *testing.B) {
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := ix.search(benchQueries[i%len(benchQueries)]); err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "queries/s")
	})
	b.Run("cached", func(b *testing.B) {
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := ix.Search(benchQueries[i%len(benchQueries)]); err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "queries/s")
	})
}

// BenchmarkQuery100k shows each query of the mix on its own, to find the
// expensive ones; cpu-us is the searching thread's CPU time per query, as
// in BenchmarkNoRepeat100k.
func BenchmarkQuery100k(b *testing.B) { eachQuery(b, false) }

// eachQuery runs each query of the mix as a sub-benchmark, near a
// different town each time when near is set (as the load test's "no query
// repeated" sends it), and reports the searching thread's CPU time per
// query.
func eachQuery(b *testing.B, near bool) {
	ix := benchIndex(b)
	for _, q := range benchQueries {
		name := q.Text
		if name == "" {
			name = "browse"
		}
		b.Run(name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			n := 0
			start := threadCPU()
			for b.Loop() {
				if near {
					q.UserRegion = nearTown(1, n)
				}
				if _, err := ix.search(q); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(threadCPU()-start)/float64(time.Microsecond)/float64(n), "cpu-us")
		})
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
