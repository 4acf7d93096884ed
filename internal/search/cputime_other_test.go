//go:build !linux

package search

import "time"

// threadCPU is not measured outside Linux; the cpu-* metrics read 0 there.
func threadCPU() time.Duration { return 0 }
