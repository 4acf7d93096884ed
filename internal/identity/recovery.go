package identity

import (
	"context"
	"time"

	"github.com/tongban/tongban"
)

// Account recovery at the counter: a clerk who has checked the person's ID
// card issues a one-time link that sets a new password (or the first one,
// for a walk-in record). The link expires after ResetLinkTTL and works once;
// issuing and using it are audited. The other way back in, a one-time
// code texted to the account's proved phone (notify.Codes.ResetPassword),
// ends the same way through SetPasswordByCode.

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
	return s.issueReset(ctx, u.ID, "窗口核验身份证件后签发", r)
}

// issueReset stores a new one-time link for the account, revoking earlier
// ones, and audits who issued it and how (detail).
func (s *Service) issueReset(ctx context.Context, userID int64, detail string, r Request) (token string, expires time.Time, err error) {
	plain, hash := newToken()
	now := s.Clock.Now()
	expires = now.Add(ResetLinkTTL)
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.RevokePasswordResets(ctx, userID, now); err != nil {
			return err
		}
		if err := tx.CreatePasswordReset(ctx, &tongban.PasswordReset{TokenHash: hash, UserID: userID, IssuedBy: r.Actor.ID,
			IssuedAt: now, ExpiresAt: expires}); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, AuditResetIssued, userObject(userID), detail)
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
// is spent, every session and token of the account ends, and the change is
// audited.
func (s *Service) SetPasswordByReset(ctx context.Context, token, password, confirm string, r Request) (*tongban.User, error) {
	var p *tongban.PasswordReset
	return s.recoverPassword(ctx, password, confirm, "凭窗口签发的一次性链接", r, func(tx tongban.Store) (int64, error) {
		var err error
		if p, err = s.liveReset(ctx, tx, token); err != nil {
			return 0, err
		}
		return p.UserID, tx.UsePasswordReset(ctx, p.TokenHash, s.Clock.Now())
	})
}

// SetPasswordByCode sets the password of userID once spend (which uses up
// the one-time code texted to the account's proved phone) succeeds in the
// same transaction; the rest is as SetPasswordByReset.
func (s *Service) SetPasswordByCode(ctx context.Context, userID int64, password, confirm string, spend func(tx tongban.Store) error, r Request) (*tongban.User, error) {
	return s.recoverPassword(ctx, password, confirm, "凭发送到已验证手机号的短信验证码", r, func(tx tongban.Store) (int64, error) {
		return userID, spend(tx)
	})
}

// recoverPassword checks the new password, then in one transaction lets
// proof spend its proof and name the account, sets the password, ends every
// session, API token and OIDC token of the account, and audits how.
func (s *Service) recoverPassword(ctx context.Context, password, confirm, how string, r Request, proof func(tx tongban.Store) (int64, error)) (*tongban.User, error) {
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
	now := s.Clock.Now()
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		id, err := proof(tx)
		if err != nil {
			return err
		}
		if u, err = tx.User(ctx, id); err != nil {
			return err
		}
		if err := tx.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return err
		}
		revoked, err := tx.RevokeUserAPITokens(ctx, u.ID, now)
		if err != nil {
			return err
		}
		if _, err := tx.RevokeOIDCTokens(ctx, tongban.OIDCTokenFilter{UserID: u.ID}, now); err != nil {
			return err
		}
		if r.Actor == nil {
			r.Actor = u
		}
		u.PasswordHash = hash
		return s.audit(ctx, tx, r, AuditResetUsed, userObject(u.ID), how+"；会话已全部退出，吊销API令牌"+itoa(revoked)+"个")
	})
	if err != nil {
		return nil, err
	}
	s.auth.forgetUser(u.ID)
	return u, nil
}
