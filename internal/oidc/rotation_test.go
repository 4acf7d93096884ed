package oidc

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// tokenInsertFails is a store whose transactions fail to insert a token,
// as a full disk or a lost connection would, after the rotation's update.
type tokenInsertFails struct{ tongban.Store }

func (s tokenInsertFails) CreateOIDCToken(context.Context, *tongban.OIDCToken) error {
	return errors.New("disk full")
}

func (s tokenInsertFails) Transact(ctx context.Context, fn func(tongban.Store) error) error {
	return s.Store.Transact(ctx, func(tx tongban.Store) error { return fn(tokenInsertFails{tx}) })
}

// A rotation spends the old refresh token and stores its successor in one
// transaction: when the successor cannot be stored, the old token is not
// spent, so the system may present it again instead of being signed out
// (or, presenting it, having its whole family revoked as stolen).
func TestRefreshRotationIsAtomic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		ctx, st := context.Background(), storetest.Open(t, d)
		id, err := tongban.ParseIDNumber("11010519491231002X")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
		u := &tongban.User{Kind: tongban.UserCitizen, Name: "张三", IDNumber: id, PasswordHash: "h", CreatedAt: now}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		const refresh = "the-current-refresh-token"
		old := &tongban.OIDCToken{ID: "t1", ClientID: "dept-system", UserID: u.ID, Scopes: []string{"openid", "offline_access"},
			AuthTime: now, Family: "f1", ExpiresAt: now.Add(AccessTokenTTL), CreatedAt: now,
			RefreshHash: hash(refresh), RefreshExpiry: now.Add(RefreshTokenTTL)}
		if err := st.CreateOIDCToken(ctx, old); err != nil {
			t.Fatal(err)
		}
		clock := tongban.NewManualClock(now.Add(time.Hour))
		failing := storage{&Provider{Store: tokenInsertFails{st}, Clock: clock}}
		req := &refreshRequest{t: old, scopes: old.Scopes}
		if _, _, _, err := failing.CreateAccessAndRefreshTokens(ctx, req, refresh); err == nil {
			t.Fatal("the rotation succeeded though its new token was not stored")
		}
		got, err := st.OIDCTokenByRefresh(ctx, hash(refresh))
		if err != nil {
			t.Fatal(err)
		}
		if !got.RotatedAt.IsZero() {
			t.Fatalf("the old refresh token was spent (at %v) without a successor", got.RotatedAt)
		}
		working := storage{&Provider{Store: st, Clock: clock}}
		_, next, _, err := working.CreateAccessAndRefreshTokens(ctx, req, refresh)
		if err != nil || next == "" || next == refresh {
			t.Fatalf("presenting it again: %v, new refresh token %q", err, next)
		}
		if got, err := st.OIDCTokenByRefresh(ctx, hash(refresh)); err != nil || got.RotatedAt.IsZero() {
			t.Fatalf("after a rotation that succeeded the old token is not spent: %v, %v", got, err)
		}
	})
}
