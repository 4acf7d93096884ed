package catalog

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// TestImportScope: a department's import creates or changes only its own
// org's listings and claims, of base-catalog items it may not change; the
// base catalog is edited only by catalog admins whose scope covers every
// org using the item. A row touching anything else fails the whole file,
// naming row and column, and writes nothing.
func TestImportScope(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w, ctx := newWorld(t, d), context.Background()
		// The system loads the item with listings in two districts, and a
		// second item used in 广安区 only.
		gaqListing, qfqListing := sampleListing(), sampleListing()
		gaqListing.OrgName = "区行政审批局"
		qfqListing.Code, qfqListing.OrgName, qfqListing.RegionCode = "QFQ-1", "前锋区市监局", "511603000000"
		local := sampleItem()
		local.Code, local.Name = "511A0999000000", "小餐饮登记"
		localListing := sampleListing()
		localListing.Code, localListing.ItemCode, localListing.Name = "GAQ-LOCAL", local.Code, local.Name
		if _, err := w.svc.ImportBatch(ctx, system, Batch{Items: []tongban.Item{sampleItem(), local},
			Listings: []tongban.Listing{gaqListing, qfqListing, localListing}, Rows: []int{2, 3, 4}}, ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		districtCatalog := w.staff(t, "gaqcatalog", tongban.RoleCatalogAdmin, w.gaq)

		changed := func(f func(*tongban.Item)) tongban.Item { it := sampleItem(); f(&it); return it }
		renamed := changed(func(it *tongban.Item) { it.Name = "食品经营许可（人社改）" })
		longer := changed(func(it *tongban.Item) { it.StatutoryDays = 99 })
		invented := changed(func(it *tongban.Item) { it.LegalBasis = "《广安市食品经营补充规定》（虚构）" })
		newItem := changed(func(it *tongban.Item) { it.Code = "511A0777000000" })
		newListing := sampleListing()
		newListing.Code, newListing.ItemCode = "GAQ-NEW", newItem.Code
		intoQFQ := sampleListing()
		intoQFQ.Code, intoQFQ.OrgName, intoQFQ.RegionCode = "QFQ-2", "前锋区市监局", "511603000000"
		takeOver := qfqListing // 前锋区's listing, claimed for 广安区
		takeOver.OrgName, takeOver.RegionCode = "区行政审批局", "511602000000"
		localChanged := local
		localChanged.StatutoryDays = 15

		cases := []struct {
			name    string
			as      string
			items   []tongban.Item
			list    []tongban.Listing
			row     int
			col     string // "" = accepted
			touches bool   // an accepted import that changes the base item
		}{
			{"own listing, item as stored", "dept", []tongban.Item{sampleItem()}, []tongban.Listing{gaqListing}, 0, "", false},
			{"item renamed by a department", "dept", []tongban.Item{renamed}, []tongban.Listing{gaqListing}, 2, colItemName, false},
			{"statutory time 99 by a department", "dept", []tongban.Item{longer}, []tongban.Listing{gaqListing}, 2, colStatutoryDays, false},
			{"invented legal basis by a department", "dept", []tongban.Item{invented}, []tongban.Listing{gaqListing}, 2, colLegalBasis, false},
			{"new base item by a department", "dept", []tongban.Item{newItem}, []tongban.Listing{newListing}, 2, colItemCode, false},
			{"listing of another department", "dept", []tongban.Item{sampleItem()}, []tongban.Listing{intoQFQ}, 2, colOrg, false},
			{"another department's listing taken over", "dept", []tongban.Item{sampleItem()}, []tongban.Listing{takeOver}, 2, colOrg, false},
			{"a good row and a bad row", "dept", []tongban.Item{sampleItem(), localChanged}, []tongban.Listing{gaqListing, localListing}, 3, colStatutoryDays, false},
			{"other department's admin on 广安区's listing", "other", []tongban.Item{sampleItem()}, []tongban.Listing{gaqListing}, 2, colOrg, false},
			{"district catalog admin, item used beyond its district", "district", []tongban.Item{longer}, []tongban.Listing{gaqListing}, 2, colStatutoryDays, false},
			{"district catalog admin, item used in its district only", "district", []tongban.Item{localChanged}, []tongban.Listing{localListing}, 0, "", true},
			{"city catalog admin changes the item", "city", []tongban.Item{longer}, []tongban.Listing{gaqListing}, 0, "", true},
		}
		actors := map[string]identity.Request{"dept": w.deptAdmin, "other": w.otherDep, "district": districtCatalog, "city": w.catalogAdmin}
		for _, tc := range cases {
			before := snapshotCatalog(t, w)
			rows := make([]int, len(tc.list))
			for i := range rows {
				rows[i] = i + 2
			}
			_, err := w.svc.ImportBatch(ctx, actors[tc.as], Batch{Items: tc.items, Listings: tc.list, Rows: rows}, ImportOptions{})
			if tc.col == "" {
				if err != nil {
					t.Errorf("%s: %v", tc.name, err)
				}
				if after := snapshotCatalog(t, w); !tc.touches && !reflect.DeepEqual(before.items, after.items) {
					t.Errorf("%s: the base catalog changed", tc.name)
				}
				continue
			}
			var errs RowErrors
			if !errors.As(err, &errs) || errs[0].Row != tc.row || errs[0].Column != tc.col || !tongban.IsCode(err, tongban.EInvalid) {
				t.Errorf("%s: %v, want row %d column %s", tc.name, err, tc.row, tc.col)
				continue
			}
			if after := snapshotCatalog(t, w); !reflect.DeepEqual(before, after) {
				t.Errorf("%s: a refused file wrote something", tc.name)
			}
		}
	})
}

type catalogState struct {
	items    map[string]tongban.Item
	versions map[string]int
}

func snapshotCatalog(t *testing.T, w *world) catalogState {
	t.Helper()
	ctx := context.Background()
	s := catalogState{items: map[string]tongban.Item{}, versions: map[string]int{}}
	items, err := w.st.Items(ctx, tongban.ItemFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		it.UpdatedAt = it.UpdatedAt.UTC()
		s.items[it.Code] = *it
	}
	listings, err := w.st.Listings(ctx, tongban.ListingFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range listings {
		s.versions[l.Code+"@"+l.OrgName] = l.Version
	}
	return s
}

// A cell with a NUL or invalid UTF-8 fails its row, naming the column,
// before anything reaches the database.
func TestImportRefusesNULAndInvalidUTF8Cells(t *testing.T) {
	t.Parallel()
	csv := "Org,Item Name,IMPLEMENTATION-CODE,法定时限\n" +
		"区人社局,失业\x00登记,C1-511602000000-1,20\n" +
		"区人社局,失业登记,C1-511603000000-1,2\xff0\n"
	_, err := Import(strings.NewReader(csv), FormatCSV, nil)
	var errs RowErrors
	if !errors.As(err, &errs) || len(errs) != 2 || errs[0].Row != 2 || errs[0].Column != colItemName ||
		errs[1].Row != 3 || errs[1].Column != colStatutoryDays {
		t.Fatalf("want rows 2 and 3 named, got %v", err)
	}
}
