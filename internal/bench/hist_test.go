package bench

import (
	"math"
	"testing"
	"time"
)

func TestHistogramQuantiles(t *testing.T) {
	var h Histogram
	for i := 1; i <= 10000; i++ {
		h.Record(time.Duration(i) * time.Microsecond)
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 5 * time.Millisecond}, {0.95, 9500 * time.Microsecond}, {0.99, 9900 * time.Microsecond}, {1, 10 * time.Millisecond}} {
		got := h.Quantile(c.q)
		if err := math.Abs(float64(got-c.want)) / float64(c.want); err > 0.01 {
			t.Errorf("Quantile(%v) = %v, want %v ±1%%", c.q, got, c.want)
		}
	}
	if h.Count() != 10000 || h.Max() != 10*time.Millisecond {
		t.Errorf("Count %d Max %v", h.Count(), h.Max())
	}
}

func TestHistogramBucketsCoverEveryValue(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 129, 255, 256, 1000, 1 << 20, 1<<40 + 12345, math.MaxInt64, math.MaxUint64} {
		i := bucketOf(v)
		if i < 0 || i >= nBuckets {
			t.Fatalf("bucketOf(%d) = %d out of range", v, i)
		}
		if up := upperOf(i); up < v || (v >= 128 && float64(up-v) > float64(v)/100) {
			t.Errorf("value %d in bucket %d with upper bound %d", v, i, up)
		}
		if i > 0 && upperOf(i-1) >= v {
			t.Errorf("value %d also fits bucket %d", v, i-1)
		}
	}
}

func TestHistogramMergeAndEmpty(t *testing.T) {
	var a, b Histogram
	if a.Quantile(0.99) != 0 {
		t.Fatal("empty histogram has a quantile")
	}
	a.Record(time.Millisecond)
	b.Record(3 * time.Millisecond)
	b.Record(-time.Second) // clamped to 0
	a.Merge(&b)
	if a.Count() != 3 || a.Max() != 3*time.Millisecond || a.Quantile(0) != 0 {
		t.Errorf("merged: count %d max %v min %v", a.Count(), a.Max(), a.Quantile(0))
	}
}
