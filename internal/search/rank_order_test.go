package search

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFirstInOrder: the first n keys kept by insertion are those of a full
// sort, in the same order, with ties of class, tier and score.
func TestFirstInOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		keys := make([]rankOrder, rng.IntN(130))
		for i := range keys {
			keys[i] = rankOrder{rng.IntN(4)*4 + rng.IntN(4), i, float64(rng.IntN(5)) / 2, int64(rng.IntN(1000))*1000 + int64(i)}
		}
		want := slices.Clone(keys)
		slices.SortFunc(want, rankOrder.compare)
		for _, n := range []int{0, 1, 10, 30, len(keys), len(keys) + 5} {
			got := firstInOrder(slices.Clone(keys), n)
			if w := want[:min(n, len(want))]; !slices.Equal(got, w) {
				t.Fatalf("round %d, n %d of %d: got %v, want %v", round, n, len(keys), got, w)
			}
		}
	}
}
