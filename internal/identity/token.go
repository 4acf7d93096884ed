package identity

import (
	"context"
	"strings"
	"time"

	"github.com/tongban/tongban"
)

// CreateAPIToken issues a bearer token for a machine client acting as the
// actor (a department system's service account). The plain token is shown
// once; only its hash is stored.
func (s *Service) CreateAPIToken(ctx context.Context, name string, r Request) (string, *tongban.APIToken, error) {
	if r.Actor == nil {
		return "", nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 50 {
		return "", nil, tongban.FieldError("name", "令牌名称应为1至50个字")
	}
	plain, hash := newToken()
	t := &tongban.APIToken{UserID: r.Actor.ID, Name: name, Hash: hash, CreatedAt: s.Clock.Now()}
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.CreateAPIToken(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, tongban.AuditTokenCreate, "token:"+itoa64(t.ID), name)
	})
	if err != nil {
		return "", nil, err
	}
	return "tb_" + plain, t, nil
}

// AuthenticateToken returns the user behind a live bearer token.
func (s *Service) AuthenticateToken(ctx context.Context, bearer string) (*tongban.User, error) {
	plain, ok := strings.CutPrefix(bearer, "tb_")
	if !ok {
		return nil, tongban.Errorf(tongban.EUnauthorized, "API 令牌无效")
	}
	now, hash := s.Clock.Now(), HashToken(plain)
	key := tokenKey(hash)
	if u, ok := s.auth.get(key, now); ok {
		return u, nil
	}
	t, err := s.Store.APITokenByHash(ctx, hash)
	if tongban.IsCode(err, tongban.ENotFound) || (err == nil && t.RevokedAt != nil) {
		return nil, tongban.Errorf(tongban.EUnauthorized, "API 令牌无效或已吊销")
	}
	if err != nil {
		return nil, err
	}
	u, err := s.Store.User(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, tongban.Errorf(tongban.EUnauthorized, "账号已停用")
	}
	s.auth.put(key, u, now, time.Time{})
	return u, nil
}

// RevokeAPIToken revokes one of the actor's tokens.
func (s *Service) RevokeAPIToken(ctx context.Context, id int64, r Request) error {
	if r.Actor == nil {
		return tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.RevokeAPIToken(ctx, r.Actor.ID, id, s.Clock.Now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, tongban.AuditTokenRevoke, "token:"+itoa64(id), "")
	})
	s.auth.forgetUser(r.Actor.ID)
	return err
}
