package bench

import (
	"context"
	"slices"
	"time"
)

// Measurement is one run's figures. pgbench reports a mean latency only
// (Avg); the load generator fills the quantiles too.
type Measurement struct {
	Throughput    float64 // successful operations per second
	P50, P95, P99 time.Duration
	Avg           time.Duration
	Errors        int
	Ops           int
}

// FromResult turns a load result into a Measurement.
func FromResult(r *Result) Measurement {
	return Measurement{Throughput: r.RPS(), P50: r.P(0.50), P95: r.P(0.95), P99: r.P(0.99), Avg: r.Hist.Mean(),
		Errors: r.Errors, Ops: r.Requests - r.Errors}
}

// Comparison is a subject measured alternately with its reference.
type Comparison struct {
	Ref, Subject []Measurement
}

// Ratios are subject ÷ reference throughput, one per pair.
func (c *Comparison) Ratios() []float64 {
	var out []float64
	for i := range min(len(c.Ref), len(c.Subject)) {
		if c.Ref[i].Throughput > 0 {
			out = append(out, c.Subject[i].Throughput/c.Ref[i].Throughput)
		}
	}
	return out
}

// Ratio is the median of Ratios: the figure the goals are judged on.
func (c *Comparison) Ratio() float64 { return Median(c.Ratios()) }

// MedianRef and MedianSubject are the per-figure medians of each side.
func (c *Comparison) MedianRef() Measurement     { return medianOf(c.Ref) }
func (c *Comparison) MedianSubject() Measurement { return medianOf(c.Subject) }

// Alternate runs reference, subject, reference, subject… for pairs pairs
// back to back, so that the machine's drift hits both alike.
func Alternate(ctx context.Context, pairs int, ref, subject func(context.Context) (Measurement, error)) (*Comparison, error) {
	ms, err := AlternateN(ctx, pairs, ref, subject)
	return &Comparison{Ref: ms[0], Subject: ms[1]}, err
}

// AlternateN runs each side in turn, rounds times: several references and
// the subject (last) measured back to back. It returns each side's runs.
func AlternateN(ctx context.Context, rounds int, sides ...func(context.Context) (Measurement, error)) ([][]Measurement, error) {
	out := make([][]Measurement, len(sides))
	for range max(rounds, 1) {
		for i, side := range sides {
			m, err := side(ctx)
			if err != nil {
				return out, err
			}
			out[i] = append(out[i], m)
		}
	}
	return out, nil
}

// Median of xs (0 if empty).
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianDur(ds []time.Duration) time.Duration {
	xs := make([]float64, len(ds))
	for i, d := range ds {
		xs[i] = float64(d)
	}
	return time.Duration(Median(xs))
}

func medianOf(ms []Measurement) Measurement {
	if len(ms) == 0 {
		return Measurement{}
	}
	var tp []float64
	var p50, p95, p99, avg []time.Duration
	out := Measurement{}
	for _, m := range ms {
		tp = append(tp, m.Throughput)
		p50, p95, p99, avg = append(p50, m.P50), append(p95, m.P95), append(p99, m.P99), append(avg, m.Avg)
		out.Errors += m.Errors
		out.Ops += m.Ops
	}
	out.Throughput = Median(tp)
	out.P50, out.P95, out.P99, out.Avg = medianDur(p50), medianDur(p95), medianDur(p99), medianDur(avg)
	return out
}
