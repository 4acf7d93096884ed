package bundle_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// TestWaitingComponentCarriesReferences: 张三's 居民身份证, confirmed in a
// first 退休 application, is in his material library; applying again he
// takes it from there for all three components — 退休 now, 医保 and 公积金
// after 退休 is issued. The waiting ones' reference is resolved at
// application under their reserved numbers (a library use each in his data
// record), kept with the sub-cases, and carried when they start: the same
// entry and file, nothing asked or recorded again.
func TestWaitingComponentCarriesReferences(t *testing.T) {
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
		apply := func(ms []tongban.CaseMaterial) *tongban.BundleCase {
			t.Helper()
			bc, _, err := w.svc.Apply(ctx, w.req(zhang), bundle.Application{BundleID: b.ID, Answers: answers,
				Channel: tongban.ChannelOnline, Materials: ms, Form: form})
			if err != nil {
				t.Fatal(err)
			}
			return bc
		}

		// The first time the ID card is uploaded; the window passes it.
		first := apply(materialsOf(t, w, b, answers))
		if _, err := w.wf.Accept(ctx, w.req(w.clerk), first.Subs[0].CaseID,
			workflow.AcceptInput{Confirm: []workflow.MaterialConfirmation{{Key: "m2", ValidUntil: "2036-05-01"}}}); err != nil {
			t.Fatal(err)
		}
		entries, err := ex.Library.Entries(ctx, zhang)
		if err != nil || len(entries) != 1 || entries[0].Standard != "BZ0101" {
			t.Fatalf("library after the first application: %+v, %v", entries, err)
		}
		entry := entries[0]

		// The second time it comes from the library, for every component.
		ms := materialsOf(t, w, b, answers)
		for i := range ms {
			if ms[i].Key == "BZ0101" {
				ms[i] = tongban.CaseMaterial{Key: "BZ0101", Status: tongban.MaterialReused, Claim: strconv.FormatInt(entry.ID, 10)}
			}
		}
		bc := apply(ms)
		libraryUses := func() map[string]int {
			t.Helper()
			uses, err := w.st.DataUses(ctx, zhang.ID, 100, 0)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int{}
			for _, u := range uses {
				if u.Kind == tongban.DataUseLibrary && u.Resource == "BZ0101" {
					out[u.CaseNumber]++
				}
			}
			return out
		}
		atApplication := libraryUses()
		stored, err := w.st.BundleCaseByNumber(ctx, bc.Number)
		if err != nil {
			t.Fatal(err)
		}
		for _, sc := range stored.Subs {
			if atApplication[sc.Number] != 1 {
				t.Errorf("%s (%s): %d library uses recorded at application, want 1", sc.Name, sc.Number, atApplication[sc.Number])
			}
			if sc.Status != tongban.SubWaiting {
				continue
			}
			if len(sc.Spared) != 1 || sc.Spared[0].Key != "m1" || sc.Spared[0].Ref == nil || sc.Spared[0].Ref.Kind != tongban.RefLibrary ||
				sc.Spared[0].Ref.ID != strconv.FormatInt(entry.ID, 10) {
				t.Fatalf("waiting %s keeps %+v, want the library entry for m1", sc.Name, sc.Spared)
			}
		}

		retire := stored.Subs[0]
		w.accept(t, retire.CaseID)
		w.decide(t, retire.CaseID, true, "广人社退〔2026〕19号")
		v := w.view(t, bc.Number)
		for _, k := range []string{"medical", "fund"} {
			sv := w.sub(t, v, k)
			if sv.Case == nil {
				t.Fatalf("%s did not start: %+v", k, sv.SubCase)
			}
			m, _ := sv.Case.Material("m1")
			if m.Status != tongban.MaterialReused || m.Ref == nil || m.Ref.ID != strconv.FormatInt(entry.ID, 10) || !m.Spared() ||
				m.BlobHash != entry.BlobHash {
				t.Errorf("%s's 居民身份证 = %+v, want the library entry %d and its file", k, m, entry.ID)
			}
		}
		if after := libraryUses(); len(after) != len(atApplication) {
			t.Errorf("starting the waiting sub-cases recorded library uses again: %v → %v", atApplication, after)
		} else {
			for n, c := range after {
				if atApplication[n] != c {
					t.Errorf("library uses for %s: %d → %d", n, atApplication[n], c)
				}
			}
		}
	})
}
