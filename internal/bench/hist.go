package bench

import (
	"math/bits"
	"time"
)

// subBits sub-buckets per power of two: values are kept within 1/128 (< 0.8%)
// of their true size, in fixed memory, whatever the run length.
const subBits = 7

const nBuckets = (64 - subBits + 1) << subBits

// Histogram counts durations in log-linear buckets (HDR-like).
type Histogram struct {
	counts [nBuckets]uint64
	n      uint64
	sum    time.Duration
	max    time.Duration
}

func bucketOf(v uint64) int {
	if v < 1<<subBits {
		return int(v)
	}
	k := bits.Len64(v) - 1  // v in [2^k, 2^(k+1))
	m := v >> (k - subBits) // top subBits+1 bits, in [2^subBits, 2^(subBits+1))
	return (k-subBits+1)<<subBits + int(m-(1<<subBits))
}

// upperOf is the largest value that falls in bucket i.
func upperOf(i int) uint64 {
	if i < 1<<subBits {
		return uint64(i)
	}
	k := i>>subBits + subBits - 1
	m := uint64(i&(1<<subBits-1)) + 1<<subBits
	return (m+1)<<(k-subBits) - 1
}

// Record adds one duration.
func (h *Histogram) Record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucketOf(uint64(d))]++
	h.n++
	h.sum += d
	h.max = max(h.max, d)
}

// Merge adds o's counts to h.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.sum += o.sum
	h.max = max(h.max, o.max)
}

// Count is the number of recorded durations.
func (h *Histogram) Count() uint64 { return h.n }

// Mean is the average recorded duration.
func (h *Histogram) Mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return h.sum / time.Duration(h.n)
}

// Max is the largest recorded duration.
func (h *Histogram) Max() time.Duration { return h.max }

// Quantile returns the duration at or below which a fraction q of the
// recorded durations fall (upper bound of its bucket, capped at Max).
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.999999)
	rank = min(max(rank, 1), h.n)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return min(time.Duration(upperOf(i)), h.max)
		}
	}
	return h.max
}
