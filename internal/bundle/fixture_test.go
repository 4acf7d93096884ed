package bundle_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/directory"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/store"
	"github.com/tongban/tongban/internal/storetest"
)

// city is the demo city loaded through the demo loader, as on a first start.
type city struct {
	st    *store.Store
	svc   *bundle.Service
	clock *tongban.ManualClock
	ids   *identity.Service
}

func loadCity(t *testing.T, d sqldb.Dialect) *city {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t, d)
	clock := tongban.NewManualClock(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ids := identity.New(st, clock, log)
	l := demo.Loader{Store: st, Directory: &directory.Service{Store: st, Clock: clock, Authz: ids.Authorizer},
		Identity: ids, Catalog: &catalog.Service{Store: st, Clock: clock}, Log: log}
	if err := l.Load(ctx); err != nil {
		t.Fatal(err)
	}
	return &city{st: st, svc: bundle.New(st, nil, clock), clock: clock, ids: ids}
}

func (c *city) bundle(t *testing.T, code string) *tongban.Bundle {
	t.Helper()
	b, err := c.st.BundleByCode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (c *city) user(t *testing.T, login string) *tongban.User {
	t.Helper()
	u, err := c.st.UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
