package bench

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// Parallel runs do(0) … do(n-1) on workers goroutines (fixture work
// outside any measured window); a worker stops at its first error, and
// the errors are joined.
func Parallel(ctx context.Context, n, workers int, do func(i int) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := do(i); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
