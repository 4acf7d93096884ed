package jsontext

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

// AppendFloat writes every float64 as encoding/json does: zeros, the
// edges of 'e' form on both sides, subnormals, the extremes, and random
// bit patterns and magnitudes; it refuses what encoding/json refuses.
func TestAppendFloatAsEncodingJSON(t *testing.T) {
	fs := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e-6, 9.999999e-7, 1e-7, 1.5e-9, 1e21, 9.99e20, 1e20, 123456789e13,
		math.SmallestNonzeroFloat64, math.MaxFloat64, -math.MaxFloat64, 5e-324, 1e-100, 3.14159, 2.5e-310}
	rnd := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		fs = append(fs, math.Float64frombits(rnd.Uint64()), (rnd.Float64()-0.5)*math.Pow(10, float64(rnd.IntN(60)-30)))
	}
	for _, f := range fs {
		want, err := json.Marshal(f)
		got, ok := AppendFloat([]byte("x"), f)
		if err != nil {
			if ok {
				t.Fatalf("%v: encoding/json refuses it (%v), AppendFloat wrote %s", f, err, got)
			}
			continue
		}
		if !ok || string(got) != "x"+string(want) {
			t.Fatalf("%v (bits %#x): got %s (%v), want x%s", f, math.Float64bits(f), got, ok, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if got, ok := AppendFloat(nil, f); ok {
			t.Errorf("%v written as %s: encoding/json refuses it", f, got)
		}
	}
}
