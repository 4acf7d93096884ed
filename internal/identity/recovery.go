package identity

import (
	"context"
	"time"

	"github.com/tongban/tongban"
)

// Account recovery at the counter: a clerk who has checked the person's ID
// card issues a one-time link that sets a new password (or the first one,
// for a walk-in record). The link expires after ResetLinkTTL and works once;
// issuing and using it are audited. The SMS one-time code path of
// 忘记密码 belongs to the notifications; it would end in SetPasswordByReset
// the same way.

// ResetLinkTTL is how long a counter-issued link stays valid.
const ResetLinkTTL = 24 * time.Hour

// Audit actions of account recovery.
const (
	AuditResetIssued = "password_reset_issued"
	AuditResetUsed   = "password_reset"
)

// IssueResetLink makes a one-time link token for the applicant, for a
// window clerk who checked their ID card. Earlier unused links of the
// applicant stop working.
func (s *Service) IssueResetLink(ctx context.Context, applicantID int64, r Request) (token string, expires time.Time, err error) {
	if err := s.Require(r.Actor, PermCaseAccept); err != nil {
		return "", time.Time{}, tongban.Errorf(tongban.EForbidden, "只有综合窗口人员可以在核验身份证件后签发重置链接")
	}
	u, err := s.Store.User(ctx, applicantID)
	if err != nil {
		return "", time.Time{}, err
	}
	if u.Kind == tongban.UserStaff {
		return "", time.Time{}, tongban.Errorf(tongban.EForbidden, "工作人员的密码由管理员重置")
	}
	plain, hash := newToken()
	now := s.Clock.Now()
	expires = now.Add(ResetLinkTTL)
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.RevokePasswordResets(ctx, u.ID, now); err != nil {
			return err
		}
		if err := tx.CreatePasswordReset(ctx, &tongban.PasswordReset{TokenHash: hash, UserID: u.ID, IssuedBy: r.Actor.ID,
			IssuedAt: now, ExpiresAt: expires}); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, AuditResetIssued, userObject(u.ID), "窗口核验身份证件后签发")
	})
	if err != nil {
		return "", time.Time{}, err
	}
	return plain, expires, nil
}

// ResetLinkValid reports whether the token is a live link, for the page
// that asks for the new password.
func (s *Service) ResetLinkValid(ctx context.Context, token string) error {
	_, err := s.liveReset(ctx, s.Store, token)
	return err
}

func (s *Service) liveReset(ctx context.Context, st tongban.Store, token string) (*tongban.PasswordReset, error) {
	invalid := tongban.Errorf(tongban.ENotFound, "重置链接无效或已过期，请携带身份证到政务服务大厅窗口重新申请")
	if token == "" {
		return nil, invalid
	}
	p, err := st.PasswordReset(ctx, HashToken(token))
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, invalid
	} else if err != nil {
		return nil, err
	}
	if !p.UsedAt.IsZero() || !s.Clock.Now().Before(p.ExpiresAt) {
		return nil, invalid
	}
	return p, nil
}

// SetPasswordByReset sets the password through a live link, once: the link
// is spent, every session of the account ends, and the change is audited.
func (s *Service) SetPasswordByReset(ctx context.Context, token, password, confirm string, r Request) (*tongban.User, error) {
	if err := ValidatePassword("password", password); err != nil {
		return nil, err
	}
	if password != confirm {
		return nil, tongban.FieldError("password_confirm", "两次输入的密码不一致")
	}
	hash, err := HashPassword(password, s.Argon2)
	if err != nil {
		return nil, err
	}
	var u *tongban.User
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		p, err := s.liveReset(ctx, tx, token)
		if err != nil {
			return err
		}
		if u, err = tx.User(ctx, p.UserID); err != nil {
			return err
		}
		if err := tx.UsePasswordReset(ctx, p.TokenHash, s.Clock.Now()); err != nil {
			return err
		}
		if err := tx.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return err
		}
		if r.Actor == nil {
			r.Actor = u
		}
		return s.audit(ctx, tx, r, AuditResetUsed, userObject(u.ID), "凭窗口签发的一次性链接")
	})
	if err != nil {
		return nil, err
	}
	s.auth.forgetUser(u.ID)
	return u, nil
}
