package search

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestTopKKeepsTheBest: whatever order candidates come in, the top-k keeps
// the k best by key, then the smaller ListingID, and least is the k-th.
func TestTopKKeepsTheBest(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for round := range 300 {
		n, k := rng.IntN(400), 1+rng.IntN(130)
		cands := make([]candidate, n)
		for i := range cands {
			// Few distinct keys: ties, broken by ID, are most of a real walk.
			cands[i] = candidate{ord: int32(i), id: int64(rng.IntN(1 << 20)), key: float64(rng.IntN(6)) * 10}
		}
		if round%3 == 0 { // best first, as collectByGroup offers them
			slices.SortFunc(cands, func(a, b candidate) int { return cmp.Compare(b.key, a.key) })
		}
		var top topK
		top.reset(k)
		for _, c := range cands {
			if top.wants(c.key, c.id) {
				top.push(c)
			}
		}
		best := func(a, b candidate) int {
			if c := cmp.Compare(b.key, a.key); c != 0 {
				return c
			}
			return cmp.Compare(a.id, b.id)
		}
		want := slices.Clone(cands)
		slices.SortFunc(want, best)
		want = want[:min(k, n)]
		got := slices.Clone(top.cands)
		slices.SortFunc(got, best)
		if len(got) != len(want) {
			t.Fatalf("round %d (n %d, k %d): kept %d, want %d", round, n, k, len(got), len(want))
		}
		for i := range want {
			if got[i].ord != want[i].ord {
				t.Fatalf("round %d (n %d, k %d): place %d holds %+v, want %+v", round, n, k, i, got[i], want[i])
			}
		}
		if top.full() && top.least() != want[k-1].key {
			t.Fatalf("round %d: least %v, want %v", round, top.least(), want[k-1].key)
		}
	}
}
