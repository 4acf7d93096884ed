package gctune

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		live, headroom uint64
		want           int
	}{
		{32 * mib, 256 * mib, 800},  // a small city: grow by the headroom
		{256 * mib, 256 * mib, 100}, // the headroom equals the live heap: the default
		{600 * mib, 256 * mib, 100}, // a large city: never below the default
		{0, 256 * mib, 1_000_000},   // nothing live yet: bounded
		{100 * mib, 0, 100},         // no headroom: the default
		{3 * mib, 256 * mib, 8533},  // rounds down
	} {
		if got := Percent(c.live, c.headroom); got != c.want {
			t.Errorf("Percent(%d MiB live, %d MiB headroom) = %d, want %d", c.live/mib, c.headroom/mib, got, c.want)
		}
	}
}

// The tuner follows the live heap: it raises GOGC for a small heap, and
// brings it back to the default once the live heap outgrows the headroom.
func TestTunerFollowsTheLiveHeap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	const headroom = 64 << 20
	tu := Start(headroom)
	defer tu.Stop()

	collect := func() {
		for i := 0; i < 3; i++ {
			runtime.GC()
			time.Sleep(10 * time.Millisecond) // the finalizer goroutine runs the tuner
		}
	}
	collect()
	if got := tu.Applied(); got <= 100 {
		t.Fatalf("with a small live heap the tuner set GOGC %d, want above 100", got)
	}
	if got := currentPercent(); got != tu.Applied() {
		t.Fatalf("runtime GOGC %d, tuner says %d", got, tu.Applied())
	}

	big := make([][]byte, 0, 160) // 160 MiB live, touched so it is really held
	for i := 0; i < cap(big); i++ {
		b := make([]byte, 1<<20)
		b[0], b[len(b)-1] = 1, 1
		big = append(big, b)
	}
	collect()
	if got := tu.Applied(); got != 100 {
		t.Fatalf("with 160 MiB live and 64 MiB headroom the tuner set GOGC %d, want the default 100", got)
	}
	runtime.KeepAlive(big)

	tu.Stop()
	if got := currentPercent(); got != 100 {
		t.Fatalf("after Stop GOGC is %d, want 100", got)
	}
}

func TestNoHeadroomNoTuner(t *testing.T) {
	if Start(0) != nil {
		t.Fatal("Start(0) made a tuner")
	}
	var tu *Tuner
	tu.Stop() // a nil tuner stops quietly
}

func currentPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}
