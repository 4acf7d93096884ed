// Package gctune gives the garbage collector a floor of headroom.
//
// Go's collector runs once the heap has grown by GOGC percent (100) of
// what was live after the last cycle. A Tongban server keeps little live
// heap between requests on a small city (tens of MiB), so at thousands of
// reads a second it collected several times a second: about 8% of a
// case-status read's CPU, and the requests that ran during a cycle made
// the 64-client tails. A large city's server (the search index of 100,000
// listings, the rollups of 1,000,000 cases) keeps hundreds of MiB live and
// collects rarely anyway.
//
// So after each cycle the tuner sets GOGC so the next one starts once the
// heap has grown by max(live, headroom): at least the default's 100%, and
// never less than the headroom. Memory grows by at most the headroom over
// the default's; it never collects more often than the default, so it
// cannot thrash as a memory limit near the live heap would. This is the
// GOGC tuner Uber described for its Go services ("How We Saved 70K Cores
// Across 30 Mission-Critical Services", 2021), without their memory limit.
package gctune

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// Percent is the GOGC that lets a heap with live bytes grow by
// max(live, headroom) before the next collection.
func Percent(live, headroom uint64) int {
	if live == 0 {
		live = 1
	}
	p := headroom * 100 / live
	if p < 100 {
		return 100
	}
	// A near-empty heap would ask for an absurd percentage; past this the
	// headroom is reached by the same token.
	if p > 1_000_000 {
		return 1_000_000
	}
	return int(p)
}

// Tuner re-sets GOGC after every collection.
type Tuner struct {
	headroom uint64
	applied  atomic.Int64 // the GOGC last set, for tests and the log

	mu      sync.Mutex // a tune never lands after Stop
	stopped bool
	sample  []metrics.Sample
}

// Start tunes the collector until Stop. headroom 0 returns nil: nothing to do.
func Start(headroom uint64) *Tuner {
	if headroom == 0 {
		return nil
	}
	t := &Tuner{headroom: headroom, sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	t.tune()
	t.arm()
	return t
}

// sentinel is garbage made for each cycle: its finalizer runs once the
// cycle that found it unreachable is over, which is when the live heap is
// known. It holds a pointer so the allocator never packs it with other
// tiny objects (whose finalizers may never run).
type sentinel struct {
	_ *int
	_ [16]byte
}

func (t *Tuner) arm() {
	s := &sentinel{}
	runtime.SetFinalizer(s, func(*sentinel) {
		if t.tune() {
			t.arm()
		}
	})
}

// tune sets GOGC for the live heap; false once stopped.
func (t *Tuner) tune() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return false
	}
	metrics.Read(t.sample)
	live := t.sample[0].Value.Uint64()
	p := Percent(live, t.headroom)
	// Re-set only on a real change: each call takes the heap lock.
	if old := t.applied.Load(); old != 0 && abs(int64(p)-old)*10 < old {
		return true
	}
	debug.SetGCPercent(p)
	t.applied.Store(int64(p))
	return true
}

// Applied is the GOGC the tuner last set.
func (t *Tuner) Applied() int { return int(t.applied.Load()) }

// Stop leaves GOGC at the default's 100 from the next cycle on.
func (t *Tuner) Stop() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.stopped {
		t.stopped = true
		debug.SetGCPercent(100)
	}
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
