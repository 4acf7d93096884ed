package store

import "testing"

// Any number of rows is written with the few texts of power-of-two sizes.
func TestBatchRowsArePowersOfTwo(t *testing.T) {
	sizes := map[int]bool{}
	for n := 1; n <= 300; n++ {
		var got []int
		for left := n; left > 0; {
			k := batchRows(left, 32)
			if k < 1 || k > left || k&(k-1) != 0 {
				t.Fatalf("batchRows(%d, 32) = %d", left, k)
			}
			got = append(got, k)
			sizes[k] = true
			left -= k
		}
		if n == 100 && len(got) != 4 {
			t.Errorf("100 rows in %v; want 32, 32, 32, 4", got)
		}
	}
	if len(sizes) != 6 {
		t.Errorf("texts of %d sizes; want 6 (1 to 32)", len(sizes))
	}
}
