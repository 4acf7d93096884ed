package bench

import (
	"testing"
)

// FuzzHistogramBucket: every value falls in a bucket whose upper bound is
// within 1/128 above it, and no lower bucket would hold it.
func FuzzHistogramBucket(f *testing.F) {
	for _, v := range []uint64{0, 1, 127, 128, 255, 256, 1e6, 1 << 62, 1<<64 - 1} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v uint64) {
		i := bucketOf(v)
		if i < 0 || i >= nBuckets {
			t.Fatalf("bucketOf(%d) = %d out of range", v, i)
		}
		up := upperOf(i)
		if up < v || (v >= 1<<subBits && float64(up-v) > float64(v)/(1<<subBits)) {
			t.Fatalf("value %d: bucket %d upper bound %d", v, i, up)
		}
		if i > 0 && upperOf(i-1) >= v {
			t.Fatalf("value %d also fits bucket %d", v, i-1)
		}
	})
}

// FuzzParseScript: the reference-script parser never panics, and what it
// accepts binds without panicking.
func FuzzParseScript(f *testing.F) {
	f.Add("\\set k random(1, 10)\nBEGIN;\nSELECT :k AS x \\gset\nUPDATE t SET v = :x + 1 WHERE id = :k;\nCOMMIT;\n")
	f.Add("-- c\nSELECT 'a:b', x::text FROM t WHERE y = :y;\n")
	f.Add("\\set a random(:lo, :hi)\n")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseScript(text)
		if err != nil {
			return
		}
		for _, c := range s.cmds {
			bind(c.sql, map[string]any{"k": int64(1), "x": "v"})
		}
	})
}
