package demo

import (
	"context"
	"fmt"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// verifyPhones marks the demo applicants' mobile numbers verified, through
// the method a one-time code's success calls, so they sign in by phone as
// README says; a real account's phone waits for its owner's code.
func (l *Loader) verifyPhones(ctx context.Context, r identity.Request, users ...*tongban.User) error {
	for _, u := range users {
		if !u.Phone.IsMobile() {
			continue
		}
		if err := l.Identity.MarkPhoneVerified(ctx, u.ID, u.Phone, r); err != nil {
			return fmt.Errorf("demo phone of %s: %w", u.Name, err)
		}
	}
	return nil
}
