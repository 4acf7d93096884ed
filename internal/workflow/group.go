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
// caller's transaction), so several cases change together or not at all;
// listing versions still come from s's cache.
func (s *Service) WithTx(tx tongban.Store) *Service {
	return &Service{Store: tx, Listings: s, Items: s.Items, Calendar: s.Calendar, Clock: s.Clock, Log: s.Log,
		Resolvers: s.Resolvers, Keeper: s.Keeper, Outbox: s.Outbox, Licenses: s.Licenses, Follower: s.Follower}
}

// CanSee reports whether u may see the case (its applicant, or staff whose
// scope holds it); the error says why not.
func (s *Service) CanSee(ctx context.Context, u *tongban.User, c *tongban.Case) error {
	return s.canSee(ctx, u, c)
}
