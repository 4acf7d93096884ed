package ttlcache

import (
	"errors"
	"testing"
	"time"
)

// TestMapKeepsForItsTTL: a value serves Loads for ttl after it was read,
// per key; past ttl, after Forget, or with the clock set back it is read
// again; errors and values keep refuses are not kept; a read that began
// before a Forget is not kept.
func TestMapKeepsForItsTTL(t *testing.T) {
	var m Map[string, int]
	reads := 0
	read := func(v int) func() (int, error) { return func() (int, error) { reads++; return v, nil } }
	t0 := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	const ttl = time.Minute
	load := func(k string, at time.Time, v int) int {
		t.Helper()
		got, err := m.Load(k, at, ttl, read(v), nil)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if load("a", t0, 1) != 1 || load("a", t0.Add(ttl-time.Second), 2) != 1 || reads != 1 {
		t.Fatalf("within the TTL: %d reads, want 1", reads)
	}
	if load("b", t0, 3) != 3 || reads != 2 {
		t.Fatal("keys share an entry")
	}
	if load("a", t0.Add(ttl), 4) != 4 || reads != 3 {
		t.Fatal("kept past its TTL")
	}
	m.Forget("a")
	if load("a", t0.Add(ttl), 5) != 5 || reads != 4 {
		t.Fatal("kept after Forget")
	}
	if load("a", t0.Add(-time.Minute), 6) != 6 || reads != 5 {
		t.Fatal("served what was read in the clock's future")
	}

	boom := errors.New("boom")
	for range 2 {
		if _, err := m.Load("e", t0, ttl, func() (int, error) { reads++; return 0, boom }, nil); err != boom {
			t.Fatal(err)
		}
	}
	odd := func(v int) bool { return v%2 == 1 }
	for range 2 {
		if _, err := m.Load("k", t0, ttl, read(8), odd); err != nil {
			t.Fatal(err)
		}
	}
	if reads != 9 {
		t.Fatalf("%d reads: an error or a refused value was kept", reads)
	}

	// A Forget while a read is under way: that read is not kept.
	if _, err := m.Load("f", t0, ttl, func() (int, error) { reads++; m.Forget("f"); return 9, nil }, nil); err != nil {
		t.Fatal(err)
	}
	if load("f", t0, 10) != 10 {
		t.Fatal("a read begun before a Forget was kept")
	}
}
