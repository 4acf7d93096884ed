package bundle_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// TestBundleMaterialsSparedByReferences: a bundle material is spared, as in
// a single application, only by a reference the workflow's resolvers
// resolve in the sub-case that takes it — here 张三's 社会保险参保信息 (a
// shared-data record) for 退休; a reference that does not resolve (no
// library entry) is a 400 naming the material, and nothing is written,
// for a material waiting components take too.
func TestBundleMaterialsSparedByReferences(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWalk(t, loadCity(t, d))
		ex := exchange.New(w.st, w.clock)
		w.wf.Keeper = ex.Library
		w.wf.Resolvers = map[tongban.MaterialStatus]workflow.MaterialResolver{tongban.MaterialReused: ex.Library,
			tongban.MaterialShared: ex.Data, tongban.MaterialELicense: exchange.Licenses{}}
		ctx := context.Background()
		zhang := w.user(t, "511602199003071232")
		b := w.bundle(t, "YJS-TX")
		answers := map[string]string{"fund": "yes"}
		form := formOf(t, map[string]any{"name": "张三", "id": "511602199003071232", "employer": "广安市蜀味餐饮管理有限公司",
			"phone": "13800138000", "bank_account": "6217000000000000000"})
		apply := func(key string, status tongban.MaterialStatus) (*tongban.BundleCase, int, error) {
			mats := materialsOf(t, w, b, answers)
			at := -1
			for i := range mats {
				if mats[i].Key == key {
					mats[i].Status, mats[i].BlobHash, at = status, "", i
				}
			}
			if at < 0 {
				t.Fatalf("no bundle material %s", key)
			}
			bc, _, err := w.svc.Apply(ctx, w.req(zhang), bundle.Application{BundleID: b.ID, Answers: answers,
				Channel: tongban.ChannelOnline, Materials: mats, Form: form})
			return bc, at, err
		}
		cases := func() int {
			n, err := w.st.CountCases(ctx, tongban.CaseFilter{ApplicantID: zhang.ID})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := cases()

		// No library entry of 社会保险缴费记录: the claim is refused naming it.
		_, at, err := apply("BZ0503", tongban.MaterialReused)
		if e := tongban.AsError(err); e == nil || e.Code != tongban.EInvalid || e.Field != fmt.Sprintf("materials[%d].status", at) ||
			!strings.Contains(e.Message, "社会保险缴费记录") {
			t.Fatalf("an unresolved library claim: %v, want invalid on materials[%d].status naming the material", err, at)
		}
		// 居民身份证 is also taken by 医保 and 公积金, filed only after 退休 is
		// decided: their claim is resolved now too, and refused by name.
		_, at, err = apply("BZ0101", tongban.MaterialReused)
		if e := tongban.AsError(err); e == nil || e.Field != fmt.Sprintf("materials[%d].status", at) || !strings.Contains(e.Message, "居民身份证") {
			t.Fatalf("an unresolved reference for a waiting component's material: %v", err)
		}
		if n := cases(); n != before {
			t.Fatalf("refused applications wrote %d cases", n-before)
		}
		uses, err := w.st.DataUses(ctx, zhang.ID, 50, 0)
		if err != nil {
			t.Fatal(err)
		}

		bc, _, err := apply("BZ0503", tongban.MaterialShared)
		if err != nil {
			t.Fatal(err)
		}
		retire := w.get(t, bc.Subs[0].CaseID)
		spared := false
		for _, m := range retire.Materials {
			if m.Name == "社会保险缴费记录" {
				spared = m.Spared() && m.Ref != nil && m.Ref.Kind == tongban.RefShared && m.BlobHash == ""
			}
		}
		if !spared {
			t.Fatalf("退休's 社会保险缴费记录 not spared by the shared record: %+v", retire.Materials)
		}
		after, err := w.st.DataUses(ctx, zhang.ID, 50, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(uses)+1 || after[0].Kind != tongban.DataUseSharedLookup || after[0].CaseNumber != retire.Number {
			t.Fatalf("the shared-data read is not in 张三's record: %d → %d, %+v", len(uses), len(after), after[0])
		}
	})
}
