package workflow_test

import (
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// A material is spared only by a reference the server resolved: a status
// without a resolver, or a claim the resolver refuses, is a 400 naming the
// material; a resolved one is stored with its reference; and no caller can
// hand a reference in.
func TestSparedMaterialNeedsAResolvedReference(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		w.clock.Set(at(2026, 3, 2, 10, 0))
		apply := func(ms ...tongban.CaseMaterial) (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.zhang), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				Channel: tongban.ChannelOnline, Materials: ms})
		}
		field := func(err error) string { return tongban.AsError(err).Field }

		_, err := apply(append(provided("m1"), eLicence("m2", w.li))...)
		if !tongban.IsCode(err, tongban.EInvalid) || field(err) != "materials[1].status" {
			t.Errorf("someone else's licence: err = %v, want invalid on materials[1].status", err)
		}
		w.refuse("someone else's licence", tongban.EInvalid, func() (*tongban.Case, error) {
			return apply(eLicence("m2", w.li))
		}, "营业执照", "未找到申请人的有效证照")
		w.refuse("shared data with no resolver", tongban.EInvalid, func() (*tongban.Case, error) {
			return apply(tongban.CaseMaterial{Key: "m3", Status: tongban.MaterialShared, Claim: "any"})
		}, "法定代表人（负责人）身份证明", "请上传材料")
		w.refuse("library reuse with no resolver", tongban.EInvalid, func() (*tongban.Case, error) {
			return apply(tongban.CaseMaterial{Key: "m3", Status: tongban.MaterialReused})
		}, "法定代表人（负责人）身份证明")

		forged := tongban.CaseMaterial{Key: "m1", BlobHash: "sm3:m1", Status: tongban.MaterialProvided,
			Ref: &tongban.MaterialRef{Kind: tongban.RefLicense, ID: "forged"}}
		c, err := apply(forged, eLicence("m2", w.zhang))
		if err != nil {
			t.Fatal(err)
		}
		m1, _ := c.Material("m1")
		m2, _ := c.Material("m2")
		if m1.Ref != nil || m1.Spared() {
			t.Errorf("a reference handed in was kept: %+v", m1)
		}
		if m2.Ref == nil || m2.Ref.ID != licenceOf(w.zhang) || !m2.Spared() {
			t.Errorf("resolved licence: %+v", m2)
		}
		stored, err := w.st.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m, _ := stored.Material("m2"); m.Ref == nil || m.Ref.Kind != tongban.RefLicense || m.Ref.Version != 1 {
			t.Errorf("stored m2 = %+v, want its licence reference", m)
		}
	})
}
