package outbox

import (
	"encoding/hex"
	"testing"
	"time"
)

// An event ID is 32 hex digits, led by its millisecond, so IDs made later
// sort after earlier ones (the index's right edge), and unique within one
// millisecond by its 80 random bits.
func TestEventIDsOrderedByTimeAndUnique(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)
	seen := map[string]bool{}
	prev := ""
	for i := 0; i < 2000; i++ {
		at := t0.Add(time.Duration(i/100) * time.Millisecond) // 100 IDs a millisecond
		id := eventIDAt(at)
		if len(id) != 32 {
			t.Fatalf("event ID %q: %d characters, want 32", id, len(id))
		}
		b, err := hex.DecodeString(id)
		if err != nil {
			t.Fatalf("event ID %q not hex: %v", id, err)
		}
		var ms int64
		for _, c := range b[:6] {
			ms = ms<<8 | int64(c)
		}
		if ms != at.UnixMilli() {
			t.Fatalf("event ID %q leads with %d, want the millisecond %d", id, ms, at.UnixMilli())
		}
		if seen[id] {
			t.Fatalf("event ID %q made twice", id)
		}
		seen[id] = true
		if i%100 == 0 && id <= prev {
			t.Fatalf("event ID %q of a later millisecond sorts before %q", id, prev)
		}
		prev = id
	}
	if a, b := NewEventID(), NewEventID(); a == b || len(a) != 32 {
		t.Fatalf("NewEventID: %q, %q", a, b)
	}
}
