package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

var system = identity.Request{IP: "test"}

func TestImportGuanganCreatesMissingDepartments(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w, ctx := newWorld(t, d), context.Background()
		raw, err := os.ReadFile(guanganPath(t))
		if err != nil {
			t.Fatal(err)
		}
		// Without --create-orgs: every row of an unknown department is named,
		// and nothing is written.
		_, err = w.svc.ImportFile(ctx, system, bytes.NewReader(raw), FormatCSV, ImportOptions{}, nil)
		var rows RowErrors
		if !tongban.IsCode(err, tongban.EInvalid) || !errors.As(err, &rows) {
			t.Fatalf("import without creating orgs: %v", err)
		}
		if len(rows) < 700 || rows[0].Column != colOrg || !strings.Contains(rows[0].Error(), "实施部门") {
			t.Errorf("%d row errors, first %v", len(rows), rows[0])
		}
		for _, e := range rows {
			if strings.Contains(e.Message, "区行政审批局") {
				t.Fatalf("a known department (by short name) was not matched: %v", e)
			}
		}
		if n, _ := w.st.CountListings(ctx, tongban.ListingFilter{}); n != 0 {
			t.Fatalf("a failed import wrote %d listings", n)
		}

		res, err := w.svc.ImportFile(ctx, system, bytes.NewReader(raw), FormatCSV, ImportOptions{CreateMissingOrgs: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.ListingsCreated != 1135 || res.Drafts != 1135 || res.Published != 0 || len(res.OrgsCreated) != 33 ||
			res.ItemsCreated == 0 || res.ClaimsCreated == 0 {
			t.Errorf("result: created %d drafts %d published %d orgs %d (%v) items %d claims %d",
				res.ListingsCreated, res.Drafts, res.Published, len(res.OrgsCreated), res.OrgsCreated, res.ItemsCreated, res.ClaimsCreated)
		}
		spc, _ := w.st.Listings(ctx, tongban.ListingFilter{OrgID: w.gaq.ID, Limit: 5000})
		if len(spc) != 344 {
			t.Errorf("区行政审批局 listings: %d, want 344", len(spc))
		}
		// Importing the same file again updates in place: a new version each.
		again, err := w.svc.ImportFile(ctx, system, bytes.NewReader(raw), FormatCSV, ImportOptions{CreateMissingOrgs: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if again.ListingsCreated != 0 || again.ListingsUpdated != 1135 || len(again.OrgsCreated) != 0 || again.ItemsCreated != 0 {
			t.Errorf("re-import: %+v", again)
		}
		if vs, _ := w.st.ListingVersions(ctx, spc[0].ID); len(vs) != 2 || vs[0].Reason != "导入" {
			t.Errorf("versions after re-import: %d", len(vs))
		}
	})
}

func TestImportIsAllOrNothing(t *testing.T) {
	t.Parallel()
	w, ctx := newWorld(t, sqldb.SQLite), context.Background()
	good := sampleListing()
	good.OrgName, good.Code = "区行政审批局", "A-1"
	unknown := sampleListing()
	unknown.OrgName, unknown.Code = "区不存在局", "A-2"
	b := Batch{Items: []tongban.Item{sampleItem()}, Listings: []tongban.Listing{good, unknown}, Rows: []int{2, 3}}
	_, err := w.svc.ImportBatch(ctx, system, b, ImportOptions{})
	var rows RowErrors
	if !errors.As(err, &rows) || len(rows) != 1 || rows[0].Row != 3 || rows[0].Column != colOrg {
		t.Fatalf("unknown department: %v", err)
	}
	if items, _ := w.st.Items(ctx, tongban.ItemFilter{}); len(items) != 0 {
		t.Errorf("a failed import wrote %d items", len(items))
	}

	// A department admin may import only its own department's listings, of
	// items the base catalog already has.
	item := sampleItem()
	if err := w.st.UpsertItem(ctx, &item); err != nil {
		t.Fatal(err)
	}
	b.Listings = b.Listings[:1]
	b.Rows = b.Rows[:1]
	if _, err := w.svc.ImportBatch(ctx, w.otherDep, b, ImportOptions{}); !errors.As(err, &rows) || !strings.Contains(rows[0].Message, "无权") {
		t.Errorf("importing another department's listing: %v", err)
	}
	if _, err := w.svc.ImportBatch(ctx, w.deptAdmin, b, ImportOptions{CreateMissingOrgs: true}); !tongban.IsCode(err, tongban.EForbidden) {
		t.Errorf("department admin creating orgs: %v", err)
	}

	// Publish publishes what passes and, for a department admin, nothing.
	res, err := w.svc.ImportBatch(ctx, w.deptAdmin, b, ImportOptions{Publish: true})
	if err != nil || res.Published != 0 || res.Drafts != 1 || len(res.Warnings) != 1 {
		t.Fatalf("department admin importing with publish: %+v, %v", res, err)
	}
	res, err = w.svc.ImportBatch(ctx, w.catalogAdmin, b, ImportOptions{Publish: true})
	if err != nil || res.Published != 1 || res.ListingsUpdated != 1 {
		t.Fatalf("catalog admin importing with publish: %+v, %v", res, err)
	}
	// New content for a published listing must pass the check, or the row fails.
	broken := good
	broken.Materials = nil
	b.Listings[0] = broken
	if _, err := w.svc.ImportBatch(ctx, w.catalogAdmin, b, ImportOptions{}); !errors.As(err, &rows) || !strings.Contains(rows[0].Message, "已发布") {
		t.Errorf("unfit update of a published listing: %v", err)
	}
	l, _ := w.st.ListingByCode(ctx, "A-1")
	if l.Status != tongban.ListingPublished || len(l.Materials) == 0 || l.Version != 3 {
		t.Errorf("published listing after refused update: %+v", l)
	}
}

func TestExportImportRoundTripThroughStore(t *testing.T) {
	t.Parallel()
	w, ctx := newWorld(t, sqldb.SQLite), context.Background()
	first := sampleListing()
	first.OrgName, first.Status = "广安区行政审批局", tongban.ListingPublished
	second := sampleListing()
	second.Code, second.OrgName, second.RegionCode, second.Name = "B-2", "前锋区市监局", "511603000000", "食品经营许可（前锋）"
	second.Materials[0].Copies = 3
	b := Batch{Items: []tongban.Item{sampleItem()}, Listings: []tongban.Listing{first, second}, Rows: []int{2, 3}}
	res, err := w.svc.ImportBatch(ctx, system, b, ImportOptions{})
	if err != nil || res.ClaimsCreated != 2 {
		t.Fatalf("import: %d claims created, %v; want one a department", res.ClaimsCreated, err)
	}
	// The same file again claims nothing more: each department has its claim.
	if res, err := w.svc.ImportBatch(ctx, system, b, ImportOptions{}); err != nil || res.ClaimsCreated != 0 {
		t.Fatalf("import again: %+v, %v; want no claim created", res, err)
	}
	if cs, err := w.st.Claims(ctx, tongban.ClaimFilter{}); err != nil || len(cs) != 2 {
		t.Fatalf("claims after two imports: %d, %v; want 2", len(cs), err)
	}
	for _, format := range []string{FormatCSV, FormatXLSX} {
		var buf bytes.Buffer
		n, err := w.svc.ExportFile(ctx, system, &buf, format, "")
		if err != nil || n != 2 {
			t.Fatalf("%s export: %d, %v", format, n, err)
		}
		w2 := newWorld(t, sqldb.SQLite)
		if _, err := w2.svc.ImportFile(ctx, system, bytes.NewReader(buf.Bytes()), format, ImportOptions{}, nil); err != nil {
			t.Fatalf("%s re-import: %v", format, err)
		}
		for _, code := range []string{first.Code, second.Code} {
			a, _ := w.st.ListingByCode(ctx, code)
			c, err := w2.st.ListingByCode(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			a.ID, a.ItemID, a.OrgID, a.UpdatedAt, a.PublishedAt = 0, 0, 0, c.UpdatedAt, c.PublishedAt
			c.ID, c.ItemID, c.OrgID = 0, 0, 0
			if ja, jc := jsonString(t, a), jsonString(t, c); ja != jc {
				t.Errorf("%s round trip of %s:\n%s\n%s", format, code, ja, jc)
			}
		}
		// A department admin exports its own department only.
		buf.Reset()
		if n, err := w.svc.ExportFile(ctx, w.otherDep, &buf, format, ""); err != nil || n != 1 {
			t.Errorf("department export: %d, %v", n, err)
		}
	}
}

func jsonString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A bare portal list over maintained listings changes names and codes only:
// published listings stay published with their materials.
func TestPartialFileUpdatesOnlyItsColumns(t *testing.T) {
	t.Parallel()
	w, ctx := newWorld(t, sqldb.SQLite), context.Background()
	full := sampleListing()
	full.OrgName, full.Status = "区行政审批局", tongban.ListingPublished
	if _, err := w.svc.ImportBatch(ctx, system, Batch{Items: []tongban.Item{sampleItem()},
		Listings: []tongban.Listing{full}, Rows: []int{2}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	bare := "department,item_name,implementation_code,item_type,region_code\n" +
		"区行政审批局,食品(含保健食品)经营许可核发," + full.Code + ",行政许可,511602000000\n" +
		"区行政审批局,个体工商户设立登记,511A0064200001-511602000000-000-1,行政许可,511602000000\n"
	res, err := w.svc.ImportFile(ctx, system, strings.NewReader(bare), FormatCSV, ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.ListingsUpdated != 1 || res.ListingsCreated != 1 || res.Drafts != 1 {
		t.Errorf("result: %+v", res)
	}
	l, _ := w.st.ListingByCode(ctx, full.Code)
	if l.Status != tongban.ListingPublished || l.Name != "食品(含保健食品)经营许可核发" || len(l.Materials) != 5 ||
		l.Hours == "" || l.Version != 3 {
		t.Errorf("maintained listing after a bare import: %+v", l)
	}
	it, _ := w.st.ItemByCode(ctx, full.ItemCode)
	if it.LegalBasis == "" || it.StatutoryDays != 20 {
		t.Errorf("maintained item after a bare import: %+v", it)
	}
}
