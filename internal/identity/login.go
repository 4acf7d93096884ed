package identity

import (
	"context"

	"github.com/tongban/tongban"
)

// Login checks a password and opens a session. Failures are throttled per
// account and per IP, and audited; the message never tells whether the
// account exists.
func (s *Service) Login(ctx context.Context, login, password string, r Request) (*tongban.User, string, error) {
	now := s.Clock.Now()
	since := now.Add(-FailureWindow)
	ipKey := "ip:" + r.IP
	if n, err := s.Store.Failures(ctx, ipKey, since); err != nil {
		return nil, "", err
	} else if n >= IPFailures {
		return nil, "", tongban.Errorf(tongban.ETooManyTries, "登录失败次数过多，请15分钟后再试")
	}
	if login == "" {
		return nil, "", tongban.FieldError("login", "请输入账号")
	}
	if password == "" {
		return nil, "", tongban.FieldError("password", "请输入密码")
	}
	u, err := s.Store.UserByLogin(ctx, login)
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, "", s.fail(ctx, nil, ipKey, r, tongban.MaskName(login))
	}
	if err != nil {
		return nil, "", err
	}
	acctKey := userObject(u.ID)
	if n, err := s.Store.Failures(ctx, acctKey, since); err != nil {
		return nil, "", err
	} else if n >= AccountFailures {
		return nil, "", tongban.Errorf(tongban.ETooManyTries, "该账号登录失败次数过多，已暂时锁定，请15分钟后再试")
	}
	if u.Disabled || !CheckPassword(u.PasswordHash, password) {
		return nil, "", s.fail(ctx, u, ipKey, r, "")
	}
	plain, hash := newToken()
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.ClearFailures(ctx, acctKey); err != nil {
			return err
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

func (s *Service) fail(ctx context.Context, u *tongban.User, ipKey string, r Request, login string) error {
	now := s.Clock.Now()
	object := "login:" + login
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.RecordFailure(ctx, ipKey, now); err != nil {
			return err
		}
		if u != nil {
			object = userObject(u.ID)
			if err := tx.RecordFailure(ctx, object, now); err != nil {
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

// ChangePassword checks the old password, sets the new one and ends every
// other session of the user.
func (s *Service) ChangePassword(ctx context.Context, u *tongban.User, oldPw, newPw, keepToken string, r Request) error {
	if !CheckPassword(u.PasswordHash, oldPw) {
		return &tongban.Error{Code: tongban.EInvalid, Field: "old_password", Message: "原密码不正确"}
	}
	if err := ValidatePassword("new_password", newPw); err != nil {
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
		u.PasswordHash = hash
		return s.audit(ctx, tx, r, tongban.AuditPasswordChange, userObject(u.ID), "")
	})
	s.auth.forgetUser(u.ID)
	return err
}
