package identity

import (
	"context"
	"strings"

	"github.com/tongban/tongban"
)

// Login checks a password and opens a session; see LoginWithCode.
func (s *Service) Login(ctx context.Context, login, password string, r Request) (*tongban.User, string, error) {
	return s.LoginWithCode(ctx, login, password, "", r)
}

// LoginWithCode checks a password and opens a session. Failures are
// throttled (throttle.go) and audited; the answer never tells whether the
// account exists, in words or in time: an unknown account's password is
// checked against a dummy hash of the same cost. code is the answer to the
// extra verification step an account past AccountCeiling asks for.
func (s *Service) LoginWithCode(ctx context.Context, login, password, code string, r Request) (*tongban.User, string, error) {
	now := s.Clock.Now()
	if strings.TrimSpace(login) == "" {
		return nil, "", tongban.FieldError("login", "请输入账号")
	}
	if password == "" {
		return nil, "", tongban.FieldError("password", "请输入密码")
	}
	login = NormalLogin(login)
	u, err := s.Store.UserByLogin(ctx, login)
	if tongban.IsCode(err, tongban.ENotFound) {
		u, err = nil, nil
	}
	if err != nil {
		return nil, "", err
	}
	if err := s.tooSoon(ctx, u, r, now); err != nil {
		return nil, "", err
	}
	if !s.passwordMatches(u, password) {
		return nil, "", s.fail(ctx, u, r, login)
	}
	if past, err := s.pastCeiling(ctx, u, now); err != nil {
		return nil, "", err
	} else if past {
		if s.ExtraCheck == nil {
			return nil, "", errExtraCheckUnavailable()
		}
		if err := s.ExtraCheck(ctx, u, code, r); err != nil {
			return nil, "", err
		}
	}
	plain, hash := newToken()
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		for _, key := range []string{userObject(u.ID), pairKey(u.ID, r.IP)} {
			if err := tx.ClearFailures(ctx, key); err != nil {
				return err
			}
		}
		if err := tx.CreateSession(ctx, &tongban.Session{TokenHash: hash, UserID: u.ID, CreatedAt: now,
			ExpiresAt: now.Add(s.SessionTTL), IP: r.IP}); err != nil {
			return err
		}
		return s.audit(ctx, tx, Request{Actor: u, IP: r.IP}, tongban.AuditLogin, userObject(u.ID), "")
	})
	if err != nil {
		return nil, "", err
	}
	s.Log.Info("signed in", "user", u.ID, "kind", u.Kind, "ip", r.IP)
	return u, plain, nil
}

// NormalLogin writes a sign-in name the way registration stored it:
// full-width digits and letters made half-width, a mobile number without
// +86, spaces or hyphens, an ID number with an upper-case X.
func NormalLogin(login string) string {
	login = strings.TrimSpace(login)
	if p, err := tongban.ParsePhone(login); err == nil && p.IsMobile() {
		return p.Reveal()
	}
	if id, err := tongban.ParseIDNumber(login); err == nil {
		return id.Reveal()
	}
	if c, err := tongban.ParseCreditCode(login); err == nil {
		return string(c)
	}
	return login
}

// passwordMatches checks password against u's hash, or, for an unknown
// account, against a dummy hash of the same cost, so both take as long.
// A disabled account never matches.
func (s *Service) passwordMatches(u *tongban.User, password string) bool {
	check := s.PasswordCheck
	if check == nil {
		check = CheckPassword
	}
	if u == nil || u.PasswordHash == "" {
		check(s.dummyHash(), password)
		return false
	}
	return check(u.PasswordHash, password) && !u.Disabled
}

// dummyHash is a hash of a random password with the service's cost.
func (s *Service) dummyHash() string {
	s.dummy.Lock()
	defer s.dummy.Unlock()
	if s.dummy.hash == "" || s.dummy.params != s.Argon2 {
		plain, _ := newToken()
		h, err := HashPassword(plain, s.Argon2)
		if err != nil {
			panic("identity: hash a dummy password: " + err.Error())
		}
		s.dummy.hash, s.dummy.params = h, s.Argon2
	}
	return s.dummy.hash
}

func (s *Service) fail(ctx context.Context, u *tongban.User, r Request, login string) error {
	now := s.Clock.Now()
	object := "login:" + tongban.MaskName(login)
	keys := []string{ipKey(r.IP)}
	if u != nil {
		object = userObject(u.ID)
		keys = append(keys, object, pairKey(u.ID, r.IP))
	}
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		for _, key := range keys {
			if err := tx.RecordFailure(ctx, key, now); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, Request{IP: r.IP}, tongban.AuditLoginFailed, object, "")
	})
	if err != nil {
		return err
	}
	s.Log.Warn("failed sign-in", "object", object, "ip", r.IP)
	return &tongban.Error{Code: tongban.EUnauthorized, Field: "password", Message: "账号或密码错误"}
}

// Authenticate returns the user of a session token.
func (s *Service) Authenticate(ctx context.Context, token string) (*tongban.User, error) {
	if token == "" {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	now, hash := s.Clock.Now(), HashToken(token)
	key := sessionKey(hash)
	if u, ok := s.auth.get(key, now); ok {
		return u, nil
	}
	sess, err := s.Store.SessionByTokenHash(ctx, hash, now)
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, tongban.Errorf(tongban.EUnauthorized, "登录已过期，请重新登录")
	}
	if err != nil {
		return nil, err
	}
	u, err := s.Store.User(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, tongban.Errorf(tongban.EUnauthorized, "账号已停用")
	}
	s.auth.put(key, u, now, sess.ExpiresAt)
	return u, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, token string, r Request) error {
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.DeleteSession(ctx, HashToken(token)); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, tongban.AuditLogout, userObject(r.actorID()), "")
	})
	s.auth.forget(sessionKey(HashToken(token)))
	return err
}

// Password changes: PasswordFailures wrong old passwords within
// FailureWindow make the account wait for the window (a stolen session
// must not become a password-guessing oracle).
const PasswordFailures = 5

// AuditPasswordChangeFailed records a wrong old password.
const AuditPasswordChangeFailed = "password_change_failed"

// ChangePassword checks the old password, sets the new one, ends every
// other session of the user and revokes the user's API tokens: whoever
// knew the old password may have made either. Wrong old passwords are
// throttled and audited.
func (s *Service) ChangePassword(ctx context.Context, u *tongban.User, oldPw, newPw, keepToken string, r Request) error {
	now := s.Clock.Now()
	key := "pw:" + itoa64(u.ID)
	if n, err := s.Store.Failures(ctx, key, now.Add(-FailureWindow)); err != nil {
		return err
	} else if n >= PasswordFailures {
		return s.wait(ctx, key, now, FailureWindow, "原密码错误次数过多")
	}
	if !s.passwordMatches(u, oldPw) {
		err := s.Store.Transact(ctx, func(tx tongban.Store) error {
			if err := tx.RecordFailure(ctx, key, now); err != nil {
				return err
			}
			return s.audit(ctx, tx, r, AuditPasswordChangeFailed, userObject(u.ID), "")
		})
		if err != nil {
			return err
		}
		return &tongban.Error{Code: tongban.EInvalid, Field: "old_password", Message: "原密码不正确"}
	}
	if err := ValidatePassword("new_password", newPw, u.IDNumber.Reveal(), u.Phone.Reveal(), u.LegalRepID.Reveal()); err != nil {
		return err
	}
	if oldPw == newPw {
		return tongban.FieldError("new_password", "新密码不能与原密码相同")
	}
	hash, err := HashPassword(newPw, s.Argon2)
	if err != nil {
		return err
	}
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, HashToken(keepToken)); err != nil {
			return err
		}
		revoked, err := tx.RevokeUserAPITokens(ctx, u.ID, now)
		if err != nil {
			return err
		}
		if err := tx.ClearFailures(ctx, key); err != nil {
			return err
		}
		u.PasswordHash = hash
		return s.audit(ctx, tx, r, tongban.AuditPasswordChange, userObject(u.ID), "其他会话已退出，吊销API令牌"+itoa(revoked)+"个")
	})
	s.auth.forgetUser(u.ID)
	return err
}
