package workflow

import (
	"context"

	"github.com/tongban/tongban"
)

// Follower hears each case event inside the transaction that writes it,
// after the case itself is written: a bundle starts the sub-cases waiting
// on a decided prerequisite, or stops them, in the same transaction. An
// error undoes the action.
type Follower interface {
	Follow(ctx context.Context, tx tongban.Store, c *tongban.Case, e *tongban.CaseEvent) error
}

// WithTx returns a view of the service whose actions run inside tx (the
// caller's transaction), so several cases change together or not at all.
// Everything it reads goes through tx: listing versions from s's cache or
// else tx, and items through tx when s reads them from a store. A read
// through the root store would wait for a second connection while tx holds
// one, and with as many such actions at once as the pool has connections,
// all of them would wait for ever.
func (s *Service) WithTx(tx tongban.Store) *Service {
	items := s.Items
	if _, fromStore := items.(tongban.Store); fromStore {
		items = tx
	}
	return &Service{Store: tx, Listings: txListings{s: s, tx: tx}, Items: items, Calendar: s.Calendar, Clock: s.Clock, Log: s.Log,
		Resolvers: s.Resolvers, Keeper: s.Keeper, Outbox: s.Outbox, Licenses: s.Licenses, Follower: s.Follower}
}

// txListings are listing versions from the service's cache, or else read
// through the transaction — and then not cached, since the transaction
// may yet roll back the version it read.
type txListings struct {
	s  *Service
	tx tongban.Store
}

func (l txListings) ListingVersion(ctx context.Context, id int64, version int) (*tongban.Listing, error) {
	if v, ok := l.s.listings.get(listingKey{id, version}); ok {
		return v, nil
	}
	return l.tx.ListingVersion(ctx, id, version)
}

// CanSee reports whether u may see the case (its applicant, or staff whose
// scope holds it); the error says why not.
func (s *Service) CanSee(ctx context.Context, u *tongban.User, c *tongban.Case) error {
	return s.canSee(ctx, u, c)
}
