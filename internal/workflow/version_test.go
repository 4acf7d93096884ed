package workflow_test

import (
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// TestPermissionBeforeVersion: acting with a stale version on a case one
// may not see answered "已被他人更新" (409), telling an outsider the case
// exists and moved. Permission is now decided first: 403; the version
// conflict is for those who may see the case.
func TestPermissionBeforeVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		c := w.step(at(2026, 3, 2, 9, 0), "submit", func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.clerk), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				ApplicantID: w.li.ID, Channel: tongban.ChannelCounter, Materials: provided("m1", "m2", "m3", "m4", "m5", "m6")})
		})
		stale := func(u *tongban.User) workflow.Request { r := as(u); r.Version = c.Version + 7; return r }
		if _, err := wf.Accept(ctx, stale(w.rsjApprover), c.ID, workflow.AcceptInput{}); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("another department, stale version: %v, want forbidden", err)
		}
		if _, err := wf.Accept(ctx, stale(w.clerk), c.ID, workflow.AcceptInput{}); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("the clerk, stale version: %v, want conflict", err)
		}
	})
}
