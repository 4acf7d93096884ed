package identity

import (
	"context"

	"github.com/tongban/tongban"
)

// AuditPhoneVerified is written when an account's phone is proved.
const AuditPhoneVerified = "phone_verified"

// MarkPhoneVerified records that the owner of userID proved possession of
// phone (the integration engineer's one-time-code flow calls it after the
// code succeeds; the demo loader for its accounts). The number becomes the
// account's phone, usable to sign in, and stops being verified on any
// other account: whoever holds the SIM now is who the number signs in.
// Until this is called a phone is stored but never used to sign in nor
// disclosed (tongban.UserStore.UserByLogin).
func (s *Service) MarkPhoneVerified(ctx context.Context, userID int64, phone tongban.Phone, r Request) error {
	if !phone.IsMobile() {
		return tongban.FieldError("phone", "只能验证手机号码")
	}
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.MarkPhoneVerified(ctx, userID, phone, s.Clock.Now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, AuditPhoneVerified, userObject(userID), phone.Masked())
	})
	s.auth.forgetAll() // the number may have left another account too
	return err
}
