package search

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// BenchmarkNoRepeat100k is the benchmark mix as the load test's "no query
// repeated" sends it: every request near a different town (internal/bench's
// nearTown), so each is the index's own work. Reproduce with:
//
//	go test ./internal/search/ -run '^$' -bench NoRepeat100k -benchmem
//
// cpu-us is the searching thread's CPU time per query: on a busy shared
// host it moves far less than ns/op, which also counts waiting for a core.
func BenchmarkNoRepeat100k(b *testing.B) {
	ix := benchIndex(b)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	n := 0
	start := threadCPU()
	for b.Loop() {
		q := benchQueries[n%len(benchQueries)]
		q.UserRegion = nearTown(1, n)
		if _, err := ix.search(q); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(threadCPU()-start)/float64(time.Microsecond)/float64(n), "cpu-us")
}

// nearTown is internal/bench's: a town code in Sichuan, 20 cities × 29
// counties × 999 towns.
func nearTown(c, n int) string {
	h := uint64(c)*0x9E3779B97F4A7C15 ^ uint64(n)*0xBF58476D1CE4E5B9
	h ^= h >> 31
	return fmt.Sprintf("51%02d%02d%03d000", 1+h%20, 2+(h/20)%29, 1+(h/580)%999)
}
