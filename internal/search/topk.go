package search

// topK keeps the k candidates with the largest keys. The heap orders small
// entries (key, listing ID, slot) and the candidates stay in their slots:
// a candidate is ~130 bytes, and moving them up and down the heap was a
// good part of offering one.
type topK struct {
	k     int
	heap  []topEntry  // a min-heap: the least key (largest ID on ties) first
	cands []candidate // the kept candidates, in no order
}

type topEntry struct {
	key  float64
	id   int64
	slot int32 // index in cands
}

func (t *topK) reset(k int) { t.k, t.heap, t.cands = k, t.heap[:0], t.cands[:0] }

// full reports whether a new candidate must displace one.
func (t *topK) full() bool { return len(t.heap) == t.k }

// least is the smallest key kept, once full: the key to beat.
func (t *topK) least() float64 { return t.heap[0].key }

// wants reports whether a candidate with this key would enter the heap, so
// that callers build the (large) candidate only when it will.
func (t *topK) wants(key float64, id int64) bool {
	if len(t.heap) < t.k {
		return true
	}
	return t.heap[0].below(key, id)
}

func (t *topK) push(c candidate) {
	if len(t.heap) < t.k {
		// Filled in no order, then made a heap once: the best come first
		// (collectByGroup), so each would otherwise climb to the root.
		t.cands = append(t.cands, c)
		t.heap = append(t.heap, topEntry{c.key, c.id, int32(len(t.cands) - 1)})
		if len(t.heap) == t.k {
			t.heapify()
		}
		return
	}
	if !t.heap[0].below(c.key, c.id) {
		return
	}
	slot := t.heap[0].slot
	t.cands[slot] = c
	t.heap[0] = topEntry{c.key, c.id, slot}
	t.down(0)
}

// below reports whether e ranks below a candidate with this key and ID; on
// equal keys the larger ListingID loses, as in the final order.
func (e *topEntry) below(key float64, id int64) bool {
	if e.key != key {
		return e.key < key
	}
	return e.id > id
}

// heapify orders the heap, bottom up (Floyd).
func (t *topK) heapify() {
	for i := len(t.heap)/2 - 1; i >= 0; i-- {
		t.down(i)
	}
}

func (t *topK) down(i int) {
	h := t.heap
	n := len(h)
	for {
		l, small := 2*i+1, i
		if l < n && h[l].below(h[small].key, h[small].id) {
			small = l
		}
		if r := l + 1; r < n && h[r].below(h[small].key, h[small].id) {
			small = r
		}
		if small == i {
			return
		}
		h[i], h[small] = h[small], h[i]
		i = small
	}
}
