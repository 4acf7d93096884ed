package storetest

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

func TestBundlesAndBundleCases(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		it := sampleItem()
		if err := st.CreateItem(ctx, it); err != nil {
			t.Fatal(err)
		}
		l := sampleListing(it, dept)
		if err := st.CreateListing(ctx, l); err != nil {
			t.Fatal(err)
		}

		b := &tongban.Bundle{Code: "YJS-KBCYD", Name: "开办餐饮店“一件事”", Subject: "法人", LeadOrgID: dept.ID,
			LeadOrgCode: dept.Code, Status: tongban.BundleDraft, Keywords: []string{"开餐馆"},
			Components: []tongban.BundleComponent{
				{Key: "company", ListingID: l.ID, ListingCode: l.Code, Name: l.Name, OrgID: dept.ID, PromisedDays: 1},
				{Key: "food", ListingID: l.ID, ListingCode: l.Code, After: []string{"company"}, PromisedDays: 3,
					Fields: []tongban.ComponentField{{Key: "area", Label: "经营面积", Kind: tongban.FieldNumber, Required: true}}},
			},
			Fields:    []tongban.BundleField{{Key: "area", Label: "经营面积", Kind: tongban.FieldNumber, Maps: []tongban.FieldRef{{Component: "food", Field: "area"}}}},
			UpdatedAt: t0}
		if err := st.SaveBundle(ctx, b); err != nil || b.ID == 0 || b.Version != 1 {
			t.Fatalf("SaveBundle: %v (id %d version %d)", err, b.ID, b.Version)
		}
		got, err := st.BundleByCode(ctx, "YJS-KBCYD")
		if err != nil || got.ID != b.ID || !reflect.DeepEqual(got.Components, b.Components) || !reflect.DeepEqual(got.Fields, b.Fields) {
			t.Fatalf("BundleByCode = %+v, %v", got, err)
		}
		got.Status, got.PublishedAt, got.Summary = tongban.BundlePublished, t0, "一次办"
		if err := st.SaveBundle(ctx, got); err != nil || got.Version != 2 {
			t.Fatalf("second save: %v (version %d)", err, got.Version)
		}
		stale := *b // still at version 1
		if err := st.SaveBundle(ctx, &stale); tongban.ErrorCodeOf(err) != tongban.EConflict || stale.Version != 1 {
			t.Errorf("stale save: %v (version %d)", err, stale.Version)
		}
		dup := &tongban.Bundle{Code: "YJS-KBCYD", Name: "另一个", LeadOrgID: dept.ID, Status: tongban.BundleDraft, UpdatedAt: t0}
		if err := st.SaveBundle(ctx, dup); tongban.AsError(err).Field != "code" || dup.Version != 0 {
			t.Errorf("a second bundle with the code: %v", err)
		}
		v1, err := st.BundleVersion(ctx, b.ID, 1)
		if err != nil || v1.Status != tongban.BundleDraft || v1.Summary != "" {
			t.Errorf("version 1 = %+v, %v", v1, err)
		}
		// A draft beside the live version: the body and version stay, the
		// draft and its revision are read back; a stale revision, for the
		// draft or for a new version, is a conflict; nil discards it.
		row := *got
		draft := *got
		draft.Summary = "草稿"
		row.Pending = &draft
		if err := st.SaveBundlePending(ctx, &row); err != nil || row.PendingRev != got.PendingRev+1 {
			t.Fatalf("SaveBundlePending: %v (rev %d)", err, row.PendingRev)
		}
		withDraft, err := st.Bundle(ctx, b.ID)
		if err != nil || withDraft.Version != 2 || withDraft.Summary != "一次办" || withDraft.Pending == nil ||
			withDraft.Pending.Summary != "草稿" || withDraft.PendingRev != row.PendingRev {
			t.Fatalf("with a draft = %+v (draft %+v), %v", withDraft, withDraft.Pending, err)
		}
		if _, err := st.BundleVersion(ctx, b.ID, 3); tongban.ErrorCodeOf(err) != tongban.ENotFound {
			t.Errorf("the draft wrote a version: %v", err)
		}
		staleDraft := *got // the revision before the draft
		staleDraft.Pending = nil
		if err := st.SaveBundlePending(ctx, &staleDraft); tongban.ErrorCodeOf(err) != tongban.EConflict {
			t.Errorf("a stale draft revision: %v", err)
		}
		staleNext := *got
		if err := st.SaveBundle(ctx, &staleNext); tongban.ErrorCodeOf(err) != tongban.EConflict || staleNext.Version != 2 {
			t.Errorf("a new version over a newer draft: %v (version %d)", err, staleNext.Version)
		}
		row.Pending = nil
		if err := st.SaveBundlePending(ctx, &row); err != nil {
			t.Fatalf("discard: %v", err)
		}
		if back, err := st.Bundle(ctx, b.ID); err != nil || back.Pending != nil || back.Version != 2 || back.Summary != "一次办" {
			t.Errorf("after discarding = %+v, %v", back, err)
		}
		got.PendingRev = row.PendingRev
		if _, err := st.BundleVersion(ctx, b.ID, 3); tongban.ErrorCodeOf(err) != tongban.ENotFound {
			t.Errorf("version 3: %v", err)
		}
		pub, err := st.Bundles(ctx, tongban.BundleFilter{Status: tongban.BundlePublished})
		if err != nil || len(pub) != 1 || pub[0].Summary != "一次办" {
			t.Errorf("published bundles = %v, %v", pub, err)
		}

		c := newCase(dept, u, "511602000000-20260302-000002", "")
		c.ListingID = l.ID
		if err := st.CreateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		bc := &tongban.BundleCase{Number: "511602000000-20260302-000001", BundleID: b.ID, BundleVersion: 2,
			BundleName: b.Name, LeadOrgID: dept.ID, RegionCode: dept.RegionCode, ApplicantID: u.ID, ApplicantName: u.Name,
			Channel: tongban.ChannelOnline, Answers: map[string]string{"s": "a"},
			Form:      json.RawMessage(`{"legal_rep_id":"511602199003071232"}`),
			Materials: []tongban.CaseMaterial{{Key: "BZ0306", Name: "住所（经营场所）使用证明", BlobHash: "sm3:bb", Status: tongban.MaterialProvided}},
			Delivery:  tongban.DeliveryPickup, IdempotencyKey: "k1", CreatedAt: t0, UpdatedAt: t0,
			Subs: []*tongban.SubCase{
				{Component: "company", Name: l.Name, ListingID: l.ID, ListingVersion: 1, OrgID: dept.ID, OrgName: dept.Name,
					Number: c.Number, CaseID: c.ID, Status: tongban.SubStarted},
				{Component: "food", Name: l.Name, ListingID: l.ID, ListingVersion: 1, OrgID: dept.ID, OrgName: dept.Name,
					Number: "511602000000-20260302-000003", Status: tongban.SubWaiting, After: []string{"company"}},
			}}
		if err := st.CreateBundleCase(ctx, bc); err != nil || bc.ID == 0 || bc.Version != 1 {
			t.Fatalf("CreateBundleCase: %v", err)
		}
		// The merged form holds personal data: sealed at rest.
		var raw string
		if err := st.DB().QueryRowContext(ctx, `SELECT form FROM bundle_cases WHERE id = $1`, bc.ID).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(raw, "511602199003071232") || !strings.HasPrefix(raw, "sm4:") {
			t.Errorf("the merged form is stored in the clear: %s", raw)
		}
		for name, read := range map[string]func() (*tongban.BundleCase, error){
			"by number": func() (*tongban.BundleCase, error) { return st.BundleCaseByNumber(ctx, bc.Number) },
			"by key":    func() (*tongban.BundleCase, error) { return st.BundleCaseByIdempotencyKey(ctx, u.ID, "k1") },
			"by case":   func() (*tongban.BundleCase, error) { return st.BundleCaseOf(ctx, c.ID) },
			"by id":     func() (*tongban.BundleCase, error) { return st.BundleCase(ctx, bc.ID) },
		} {
			got, err := read()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if string(got.Form) != string(bc.Form) || !reflect.DeepEqual(got.Subs, bc.Subs) ||
				!reflect.DeepEqual(got.Materials, bc.Materials) || got.Answers["s"] != "a" || got.Version != 1 {
				t.Errorf("%s: read back %+v", name, got)
			}
		}
		if _, err := st.BundleCaseOf(ctx, c.ID+1000); tongban.ErrorCodeOf(err) != tongban.ENotFound {
			t.Errorf("a case of no bundle: %v", err)
		}
		again := *bc
		again.ID, again.Number, again.Subs = 0, "511602000000-20260302-000009", nil
		if err := st.CreateBundleCase(ctx, &again); tongban.AsError(err).Field != "idempotency_key" {
			t.Errorf("a second application with the key: %v", err)
		}

		err = st.Transact(ctx, func(tx tongban.Store) error {
			locked, err := tx.BundleCaseForUpdate(ctx, bc.ID)
			if err != nil {
				return err
			}
			locked.Subs[1].Status, locked.Subs[1].Reason = tongban.SubStopped, "前置事项不予办理"
			locked.Separate, locked.UpdatedAt = true, t0
			return tx.UpdateBundleCase(ctx, locked)
		})
		if err != nil {
			t.Fatal(err)
		}
		now, err := st.BundleCase(ctx, bc.ID)
		if err != nil || now.Version != 2 || !now.Separate || now.Subs[1].Status != tongban.SubStopped || now.Subs[1].Reason == "" {
			t.Errorf("after update: %+v %v", now, err)
		}
		if err := st.UpdateBundleCase(ctx, bc); tongban.ErrorCodeOf(err) != tongban.EConflict {
			t.Errorf("a stale update: %v", err)
		}
		list, err := st.BundleCases(ctx, tongban.BundleCaseFilter{LeadOrgID: dept.ID})
		if err != nil || len(list) != 1 || len(list[0].Subs) != 2 {
			t.Errorf("BundleCases = %v, %v", list, err)
		}
		if list, _ := st.BundleCases(ctx, tongban.BundleCaseFilter{ApplicantID: u.ID + 99}); len(list) != 0 {
			t.Errorf("another applicant's: %v", list)
		}
	})
}
