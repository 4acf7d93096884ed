package store

import "sync"

// keptMap is the bounded map behind the store's stamp-checked caches
// (caseCache, linkCache): entries are replaced whole, never changed, and
// when it is full an arbitrary one makes room for a new key.
type keptMap[V any] struct {
	mu    sync.RWMutex
	byKey map[string]*V
	size  int
}

func newKeptMap[V any](size int) *keptMap[V] {
	return &keptMap[V]{byKey: make(map[string]*V), size: size}
}

// get is the entry kept under k, current or not, or nil.
func (m *keptMap[V]) get(k string) *V {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.byKey[k]
}

// put keeps e under k unless stale says the entry already there is newer.
func (m *keptMap[V]) put(k string, e *V, stale func(old *V) bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	old := m.byKey[k]
	switch {
	case old == nil && len(m.byKey) >= m.size:
		for victim := range m.byKey { // map order is random: a random victim
			delete(m.byKey, victim)
			break
		}
	case old != nil && stale != nil && stale(old):
		return
	}
	m.byKey[k] = e
}
