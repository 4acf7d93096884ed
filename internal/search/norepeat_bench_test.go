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

// BenchmarkNoRepeatOnOff100k is BenchmarkNoRepeat100k with the closing
// list's check (precheck.go) and the unread count (visitRange) on and off
// in turns, a pass of the mix each: on a busy shared host two binaries run
// one after the other see different loads, and turns within one process
// see the same. Reproduce with:
//
//	go test ./internal/search/ -run '^$' -bench NoRepeatOnOff100k -benchtime 20000x
//
// cpu-us-on and cpu-us-off are the searching thread's CPU time per query
// with the paths on and off; on/off is their ratio.
func BenchmarkNoRepeatOnOff100k(b *testing.B) {
	ix := benchIndex(b)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer func() { noPrecheck, noUnreadCount = false, false }()
	var cpu [2]time.Duration // off, on
	var count [2]int
	n := 0
	for b.Loop() {
		pass := n / len(benchQueries)
		on := pass%2 == 0
		noPrecheck, noUnreadCount = !on, !on
		q := benchQueries[n%len(benchQueries)]
		q.UserRegion = nearTown(1, n)
		start := threadCPU()
		if _, err := ix.search(q); err != nil {
			b.Fatal(err)
		}
		st := 0
		if on {
			st = 1
		}
		cpu[st] += threadCPU() - start
		count[st]++
		n++
	}
	us := func(st int) float64 {
		return float64(cpu[st]) / float64(time.Microsecond) / float64(max(count[st], 1))
	}
	b.ReportMetric(us(1), "cpu-us-on")
	b.ReportMetric(us(0), "cpu-us-off")
	b.ReportMetric(us(1)/us(0), "on/off")
}

// BenchmarkNoRepeatEachQuery100k is BenchmarkNoRepeat100k one query of the
// mix at a time, each near a different town: which of them the index's time
// goes to. Reproduce with:
//
//	go test ./internal/search/ -run '^$' -bench NoRepeatEachQuery100k -benchtime 2000x
func BenchmarkNoRepeatEachQuery100k(b *testing.B) { eachQuery(b, true) }
