package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

func sampleItem() *tongban.Item {
	return &tongban.Item{Code: "511A0100100000", Name: "食品经营许可证核发", Type: tongban.ItemLicensing,
		Levels: []tongban.ItemLevel{tongban.ItemLevelCity, tongban.ItemLevelCounty}, LegalBasis: "《中华人民共和国食品安全法》第三十五条",
		StatutoryDays: 20, Sector: "市场准入", Audience: tongban.AudienceEnterprise,
		EnterpriseThemes: []string{"开办", "经营"}, Aliases: []string{"开饭店"}, UpdatedAt: t0}
}

func sampleListing(it *tongban.Item, org *tongban.Org) *tongban.Listing {
	return &tongban.Listing{ItemID: it.ID, Code: "511A0100100000-511602000000-000-1", OrgID: org.ID,
		RegionCode: org.RegionCode, Status: tongban.ListingDraft, Name: it.Name, PromisedDays: 10,
		CaseType: tongban.CasePromised, Conditions: []string{"已取得营业执照"},
		Steps: []tongban.Step{{Name: "受理", Role: tongban.StepAccept, Days: 1, CountsTowardLimit: true}},
		Fees:  nil, Place: "广安区政务服务中心", Hours: "工作日 9:00-17:00", Phone: "0826-2201001", ComplaintPhone: "12345",
		Trips: 1, OnlineDepth: tongban.DepthOnlineVerify, Flags: tongban.Flags{MostOneTrip: true, Express: true},
		Result: tongban.Result{Name: "食品经营许可证", Type: tongban.ResultLicense},
		FAQ:    []tongban.QA{{Question: "要多久？", Answer: "10个工作日"}},
		Materials: []tongban.Material{
			{Key: "m1", Name: "营业执照", Required: tongban.MaterialRequired, Copies: 1, ReviewCriteria: "在有效期内"},
			{Key: "m2", Name: "授权委托书", Required: tongban.MaterialConditional, Copies: 1, ReviewCriteria: "委托人签字"},
		},
		Situations: []tongban.Situation{{Key: "s1", Question: "法定代表人是否本人到场？", Answers: []tongban.Answer{
			{Key: "a1", Label: "是"},
			{Key: "a2", Label: "否", Effects: []tongban.Effect{{Op: tongban.EffectAdd, MaterialKey: "m2"}}},
		}}},
		UpdatedAt: t0,
	}
}

func TestCatalogItems(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		it := sampleItem()
		if err := st.CreateItem(ctx, it); err != nil || it.ID == 0 {
			t.Fatalf("CreateItem: id %d, %v", it.ID, err)
		}
		got, err := st.ItemByCode(ctx, it.Code)
		if err != nil {
			t.Fatal(err)
		}
		if !got.UpdatedAt.Equal(it.UpdatedAt.Truncate(time.Microsecond)) {
			t.Errorf("UpdatedAt = %v, want %v", got.UpdatedAt, it.UpdatedAt)
		}
		got.UpdatedAt, it.UpdatedAt = t0, t0
		if g, w := jsonOf(t, got), jsonOf(t, it); g != w {
			t.Errorf("ItemByCode =\n%s\nwant\n%s", g, w)
		}
		dup := sampleItem()
		if err := st.CreateItem(ctx, dup); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("duplicate code: %v, want conflict", err)
		}
		// Upsert updates in place and keeps the id.
		up := sampleItem()
		up.Name, up.Aliases = "食品经营许可", nil
		if err := st.UpsertItem(ctx, up); err != nil || up.ID != it.ID {
			t.Fatalf("UpsertItem existing: id %d (want %d), %v", up.ID, it.ID, err)
		}
		if g, _ := st.Item(ctx, it.ID); g.Name != "食品经营许可" || g.Aliases != nil {
			t.Errorf("after upsert: %+v", g)
		}
		other := &tongban.Item{Code: "E-000004-001", Name: "社会保障卡申领", Type: tongban.ItemPublicService, UpdatedAt: t0}
		if err := st.UpsertItem(ctx, other); err != nil || other.ID == 0 || other.ID == it.ID {
			t.Fatalf("UpsertItem new: id %d, %v", other.ID, err)
		}
		for _, c := range []struct {
			f    tongban.ItemFilter
			want int
		}{
			{tongban.ItemFilter{}, 2},
			{tongban.ItemFilter{Q: "食品"}, 1},
			{tongban.ItemFilter{Q: "e-0000"}, 1},
			{tongban.ItemFilter{Q: "100%"}, 0},
			{tongban.ItemFilter{Type: tongban.ItemPublicService}, 1},
			{tongban.ItemFilter{Sector: "市场准入"}, 1},
			{tongban.ItemFilter{Limit: 1, Offset: 1}, 1},
		} {
			items, err := st.Items(ctx, c.f)
			if err != nil || len(items) != c.want {
				t.Errorf("Items(%+v) = %d, %v; want %d", c.f, len(items), err, c.want)
			}
		}
		if _, err := st.Item(ctx, 999); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("missing item: %v", err)
		}
	})
}

func TestCatalogListings(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		it := sampleItem()
		if err := st.CreateItem(ctx, it); err != nil {
			t.Fatal(err)
		}
		l := sampleListing(it, dept)
		if err := st.CreateListing(ctx, l); err != nil || l.ID == 0 || l.Version != 1 {
			t.Fatalf("CreateListing: id %d version %d, %v", l.ID, l.Version, err)
		}
		got, err := st.Listing(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *l
		want.ItemCode, want.OrgName = it.Code, dept.Name
		want.UpdatedAt = t0.Truncate(time.Microsecond) // both engines keep microseconds
		if g, w := jsonOf(t, got), jsonOf(t, want); g != w {
			t.Errorf("Listing =\n%s\nwant\n%s", g, w)
		}
		if byCode, err := st.ListingByCode(ctx, l.Code); err != nil || byCode.ID != l.ID {
			t.Errorf("ListingByCode: %+v, %v", byCode, err)
		}
		dup := sampleListing(it, dept)
		if err := st.CreateListing(ctx, dup); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("duplicate listing code: %v", err)
		}
		bad := sampleListing(it, dept)
		bad.Code, bad.OrgID = "x-1", 9999
		if err := st.CreateListing(ctx, bad); !tongban.IsCode(err, tongban.EInvalid) {
			t.Errorf("unknown org: %v, want invalid", err)
		}

		// Optimistic update: the stored version must match, then it moves on.
		stale := *got
		got.Status, got.PublishedAt, got.PromisedDays = tongban.ListingPublished, t0, 8
		if err := st.UpdateListing(ctx, got); err != nil || got.Version != 2 {
			t.Fatalf("UpdateListing: version %d, %v", got.Version, err)
		}
		if err := st.UpdateListing(ctx, &stale); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("stale update: %v, want conflict", err)
		}
		if v, err := st.ListingCurrentVersion(ctx, l.ID); err != nil || v != 2 {
			t.Errorf("ListingCurrentVersion = %d, %v; want 2", v, err)
		}
		if _, err := st.ListingCurrentVersion(ctx, 9999); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("ListingCurrentVersion of a missing listing: %v", err)
		}
		// Read with its item in one statement: the same version and the
		// same item as the two reads apart.
		v, withItem, err := st.ListingCurrentVersionWithItem(ctx, l.ID)
		if err != nil || v != 2 {
			t.Errorf("ListingCurrentVersionWithItem = %d, %v; want 2", v, err)
		}
		if alone, err := st.Item(ctx, it.ID); err != nil || jsonOf(t, withItem) != jsonOf(t, alone) {
			t.Errorf("item read with the version:\n%s\nread alone:\n%s (%v)", jsonOf(t, withItem), jsonOf(t, alone), err)
		}
		if _, _, err := st.ListingCurrentVersionWithItem(ctx, 9999); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("ListingCurrentVersionWithItem of a missing listing: %v", err)
		}
		missing := stale
		missing.ID = 9999
		if err := st.UpdateListing(ctx, &missing); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("update of missing listing: %v, want not_found", err)
		}
		again, _ := st.Listing(ctx, l.ID)
		if again.Version != 2 || again.Status != tongban.ListingPublished || !again.PublishedAt.Equal(t0.Truncate(time.Microsecond)) || again.PromisedDays != 8 {
			t.Errorf("after update: %+v", again)
		}

		// A second listing of another item in the city, for filters.
		it2 := &tongban.Item{Code: "E-000004-001", Name: "社会保障卡申领", Type: tongban.ItemPublicService,
			Audience: tongban.AudiencePerson, UpdatedAt: t0}
		st.CreateItem(ctx, it2)
		city := &tongban.Org{Code: "gas-rsj", Name: "广安市人力资源和社会保障局", Kind: tongban.OrgDepartment, RegionCode: "511600000000"}
		if err := st.CreateOrg(ctx, city); err != nil {
			t.Fatal(err)
		}
		l2 := &tongban.Listing{ItemID: it2.ID, Code: "E-000004-001-511600000000", OrgID: city.ID, RegionCode: city.RegionCode,
			Status: tongban.ListingDraft, Name: "社会保障卡申领（50%）", CaseType: tongban.CaseInstant,
			OnlineDepth: tongban.DepthFullyOnline, UpdatedAt: t0}
		if err := st.CreateListing(ctx, l2); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			f    tongban.ListingFilter
			want []int64
		}{
			{"all", tongban.ListingFilter{}, []int64{l2.ID, l.ID}},
			{"city region", tongban.ListingFilter{Region: "511600000000"}, []int64{l2.ID, l.ID}},
			{"district", tongban.ListingFilter{Region: "511602000000"}, []int64{l.ID}},
			{"org", tongban.ListingFilter{OrgID: city.ID}, []int64{l2.ID}},
			{"item", tongban.ListingFilter{ItemID: it.ID}, []int64{l.ID}},
			{"item code", tongban.ListingFilter{ItemCode: it2.Code}, []int64{l2.ID}},
			{"published", tongban.ListingFilter{Status: tongban.ListingPublished}, []int64{l.ID}},
			{"person", tongban.ListingFilter{Audience: tongban.AudiencePerson}, []int64{l2.ID}},
			{"instant", tongban.ListingFilter{CaseType: tongban.CaseInstant}, []int64{l2.ID}},
			{"online", tongban.ListingFilter{Depth: tongban.DepthFullyOnline}, []int64{l2.ID}},
			{"q name", tongban.ListingFilter{Q: "社保卡"}, nil},
			{"q part", tongban.ListingFilter{Q: "保障卡"}, []int64{l2.ID}},
			{"q percent", tongban.ListingFilter{Q: "50%"}, []int64{l2.ID}},
			{"q code", tongban.ListingFilter{Q: "511a01"}, []int64{l.ID}},
			{"page", tongban.ListingFilter{Limit: 1, Offset: 1}, []int64{l.ID}},
			// l is published; l2 a draft, shown only within the scope.
			{"scope none", tongban.ListingFilter{Unpublished: &tongban.OrgScope{}}, []int64{l.ID}},
			{"scope org", tongban.ListingFilter{Unpublished: &tongban.OrgScope{OrgIDs: []int64{dept.ID, city.ID}}}, []int64{l2.ID, l.ID}},
			{"scope region", tongban.ListingFilter{Unpublished: &tongban.OrgScope{Regions: []string{"511600000000"}}}, []int64{l2.ID, l.ID}},
			{"scope other region", tongban.ListingFilter{Unpublished: &tongban.OrgScope{Regions: []string{"511602000000"}}}, []int64{l.ID}},
		} {
			ls, err := st.Listings(ctx, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var ids []int64
			for _, x := range ls {
				ids = append(ids, x.ID)
			}
			if !reflect.DeepEqual(ids, c.want) {
				t.Errorf("%s: Listings = %v, want %v", c.name, ids, c.want)
			}
			if c.f.Limit == 0 {
				if n, err := st.CountListings(ctx, c.f); err != nil || n != len(c.want) {
					t.Errorf("%s: CountListings = %d, %v; want %d", c.name, n, err, len(c.want))
				}
			}
		}
	})
}

func TestCatalogVersionsAreImmutable(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		it := sampleItem()
		st.CreateItem(ctx, it)
		l := sampleListing(it, dept)
		if err := st.CreateListing(ctx, l); err != nil {
			t.Fatal(err)
		}
		v1 := tongban.NewListingVersion(*l, 0, t0, "导入")
		if err := st.InsertListingVersion(ctx, &v1); err != nil || v1.ID == 0 {
			t.Fatalf("InsertListingVersion: %v", err)
		}
		l.Materials[0].Name = "营业执照（副本）"
		if err := st.UpdateListing(ctx, l); err != nil {
			t.Fatal(err)
		}
		v2 := tongban.NewListingVersion(*l, 0, t0.Add(1e9), "修改材料")
		if err := st.InsertListingVersion(ctx, &v2); err != nil {
			t.Fatal(err)
		}
		dup := tongban.NewListingVersion(*l, 0, t0, "again")
		if err := st.InsertListingVersion(ctx, &dup); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("second snapshot of version 2: %v, want conflict", err)
		}

		old, err := st.ListingVersion(ctx, l.ID, 1)
		if err != nil || old.Version != 1 || old.Materials[0].Name != "营业执照" {
			t.Fatalf("ListingVersion(1) = %+v, %v", old, err)
		}
		if len(old.Situations) != 1 || len(old.Situations[0].Answers[1].Effects) != 1 {
			t.Errorf("snapshot lost its situations: %+v", old.Situations)
		}
		if _, err := st.ListingVersion(ctx, l.ID, 7); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("missing version: %v", err)
		}
		vs, err := st.ListingVersions(ctx, l.ID)
		if err != nil || len(vs) != 2 || vs[0].Version != 2 || vs[1].Reason != "导入" || vs[0].Listing.Materials[0].Name != "营业执照（副本）" {
			t.Fatalf("ListingVersions = %+v, %v", vs, err)
		}

		// The database refuses to change history, whatever the caller.
		if _, err := st.DB().ExecContext(ctx, `UPDATE listing_versions SET reason = 'x' WHERE id = $1`, v1.ID); err == nil {
			t.Error("updating a listing version succeeded")
		}
		if _, err := st.DB().ExecContext(ctx, `DELETE FROM listing_versions WHERE id = $1`, v1.ID); err == nil {
			t.Error("deleting a listing version succeeded")
		}
	})
}

func TestCatalogClaims(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		it := sampleItem()
		st.CreateItem(ctx, it)
		c := &tongban.Claim{ItemID: it.ID, OrgID: dept.ID, RegionCode: dept.RegionCode, ClaimedAt: t0}
		if err := st.CreateClaim(ctx, c); err != nil || c.ID == 0 {
			t.Fatalf("CreateClaim: %v", err)
		}
		again := *c
		if err := st.CreateClaim(ctx, &again); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("second claim: %v, want conflict", err)
		}
		got, err := st.Claim(ctx, it.ID, dept.ID)
		if err != nil || got.ID != c.ID || got.ClaimedBy != 0 || got.RegionCode != dept.RegionCode {
			t.Errorf("Claim = %+v, %v", got, err)
		}
		if _, err := st.Claim(ctx, it.ID, dept.ID+100); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("missing claim: %v", err)
		}
		for _, f := range []tongban.ClaimFilter{{}, {ItemID: it.ID}, {OrgID: dept.ID}, {Region: "511600000000"}} {
			if cs, err := st.Claims(ctx, f); err != nil || len(cs) != 1 {
				t.Errorf("Claims(%+v) = %d, %v", f, len(cs), err)
			}
		}
		if cs, _ := st.Claims(ctx, tongban.ClaimFilter{Region: "511603000000"}); len(cs) != 0 {
			t.Errorf("claims of another district: %d", len(cs))
		}
	})
}

// TestCatalogRollback: a listing written inside a transaction that
// fails leaves nothing behind (imports rely on it).
func TestCatalogRollback(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		err := st.Transact(ctx, func(tx tongban.Store) error {
			it := sampleItem()
			if err := tx.UpsertItem(ctx, it); err != nil {
				return err
			}
			if err := tx.CreateListing(ctx, sampleListing(it, dept)); err != nil {
				return err
			}
			return tongban.Errorf(tongban.EInvalid, "第3行有错")
		})
		if !tongban.IsCode(err, tongban.EInvalid) {
			t.Fatalf("Transact: %v", err)
		}
		if items, _ := st.Items(ctx, tongban.ItemFilter{}); len(items) != 0 {
			t.Errorf("rolled-back items remain: %d", len(items))
		}
		if n, _ := st.CountListings(ctx, tongban.ListingFilter{}); n != 0 {
			t.Errorf("rolled-back listings remain: %d", n)
		}
	})
}

// jsonOf compares values as their API sees them: time zones and empty vs
// nil slices aside.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Paging by ID reads every listing matching the filter once, in ID order,
// whatever the page size.
func TestListingsPagedByID(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		it := sampleItem()
		if err := st.CreateItem(ctx, it); err != nil {
			t.Fatal(err)
		}
		var want []int64
		for i := range 7 {
			l := sampleListing(it, dept)
			l.Code = fmt.Sprintf("page-%d", i)
			if i%3 == 2 { // every third stays a draft and is filtered out
				l.Status = tongban.ListingDraft
			} else {
				l.Status = tongban.ListingPublished
			}
			if err := st.CreateListing(ctx, l); err != nil {
				t.Fatal(err)
			}
			if l.Status == tongban.ListingPublished {
				want = append(want, l.ID)
			}
		}
		var got []int64
		f := tongban.ListingFilter{Status: tongban.ListingPublished, ByID: true, Limit: 2}
		for pages := 0; pages < 10; pages++ {
			ls, err := st.Listings(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range ls {
				got = append(got, l.ID)
			}
			if len(ls) < f.Limit {
				break
			}
			f.AfterID = ls[len(ls)-1].ID
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("paged by ID: %v, want %v", got, want)
		}
	})
}
