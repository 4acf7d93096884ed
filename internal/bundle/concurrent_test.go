package bundle_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// TestConcurrentApplicationsGetDistinctNumbers: many applications for the
// same bundle at once each get their own parent and sub-case numbers —
// none is refused for a number another took.
func TestConcurrentApplicationsGetDistinctNumbers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWalk(t, loadCity(t, d))
		ctx := context.Background()
		zhang := w.user(t, "511602199003071232")
		b := w.bundle(t, "YJS-XSECS")
		answers := map[string]string{"hukou": "here", "card": "yes"}
		mats := materialsOf(t, w, b, answers)
		const n = 24
		var wg sync.WaitGroup
		errs := make([]error, n)
		numbers := make([]*tongban.BundleCase, n)
		for i := range n {
			wg.Go(func() {
				app := bundle.Application{BundleID: b.ID, Answers: answers, Channel: tongban.ChannelOnline,
					Form: formOf(t, newbornForm), Materials: mats, IdempotencyKey: fmt.Sprintf("concurrent-%d", i)}
				numbers[i], _, errs[i] = w.svc.Apply(ctx, w.req(zhang), app)
			})
		}
		wg.Wait()
		seen := map[string]bool{}
		for i, err := range errs {
			if err != nil {
				t.Fatalf("application %d: %v", i, err)
			}
			for _, num := range append([]string{numbers[i].Number}, subNumbers(numbers[i])...) {
				if seen[num] {
					t.Fatalf("number %s handed out twice", num)
				}
				seen[num] = true
			}
		}
	})
}

func subNumbers(bc *tongban.BundleCase) []string {
	var out []string
	for _, s := range bc.Subs {
		out = append(out, s.Number)
	}
	return out
}

// lostAck commits a transaction but reports it failed once, as when the
// client's connection drops during COMMIT.
type lostAck struct {
	tongban.Store
	lose bool
}

func (s *lostAck) Transact(ctx context.Context, fn func(tx tongban.Store) error) error {
	err := s.Store.Transact(ctx, fn)
	if err == nil && s.lose {
		s.lose = false
		return errors.New("connection reset during commit")
	}
	return err
}

// TestNumbersOfAnUnknownCommitAreNotReused: an application whose commit
// may have succeeded keeps its numbers; the next application does not
// collide with what was stored.
func TestNumbersOfAnUnknownCommitAreNotReused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWalk(t, loadCity(t, d))
		ctx := context.Background()
		flaky := &lostAck{Store: w.st, lose: true}
		w.svc.Store = flaky
		zhang := w.user(t, "511602199003071232")
		b := w.bundle(t, "YJS-XSECS")
		answers := map[string]string{"hukou": "here", "card": "yes"}
		mats := materialsOf(t, w, b, answers)
		apply := func(key string) (*tongban.BundleCase, error) {
			bc, _, err := w.svc.Apply(ctx, w.req(zhang), bundle.Application{BundleID: b.ID, Answers: answers,
				Channel: tongban.ChannelOnline, Form: formOf(t, newbornForm), Materials: mats, IdempotencyKey: key})
			return bc, err
		}
		if _, err := apply(""); err == nil {
			t.Fatal("the lost acknowledgement was not reported")
		}
		if _, err := apply(""); err != nil {
			t.Fatalf("the next application: %v", err)
		}
	})
}
