// Package ttlcache keeps values read from the database in memory for a
// stated time, by the caller's clock: the staleness each user of it
// documents.
package ttlcache

import (
	"sync"
	"time"
)

// Map keeps values by key. The zero Map is ready to use and safe for
// concurrent use; what it returns is shared and must not be changed.
type Map[K comparable, V any] struct {
	mu    sync.Mutex
	byKey map[K]entry[V]
	// forgets counts Forget calls: a read that began before one is not
	// kept, as it may have seen the row before the change.
	forgets uint64
}

type entry[V any] struct {
	v    V
	read time.Time
}

// Load returns the value kept for k when it was read less than ttl before
// now (and not in now's future); otherwise it calls read, and keeps what
// read returns when keep allows it (nil keeps every value) and no Forget
// came while it read. An error is returned and not kept.
func (m *Map[K, V]) Load(k K, now time.Time, ttl time.Duration, read func() (V, error), keep func(V) bool) (V, error) {
	m.mu.Lock()
	e, ok := m.byKey[k]
	forgets := m.forgets
	m.mu.Unlock()
	if ok && now.Sub(e.read) < ttl && !now.Before(e.read) {
		return e.v, nil
	}
	v, err := read()
	if err != nil || (keep != nil && !keep(v)) {
		return v, err
	}
	m.mu.Lock()
	if m.byKey == nil {
		m.byKey = map[K]entry[V]{}
	}
	if m.forgets == forgets {
		m.byKey[k] = entry[V]{v: v, read: now}
	}
	m.mu.Unlock()
	return v, nil
}

// Forget drops k: the next Load reads.
func (m *Map[K, V]) Forget(k K) {
	m.mu.Lock()
	delete(m.byKey, k)
	m.forgets++
	m.mu.Unlock()
}
