package catalog

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// A listing whose result names a licence type the platform does not have is
// refused on import (by row, in the 结果证照类型代码 column) and on save
// (naming result.license_type), and nothing is written; one stored another
// way is an error of the quality report.
func TestResultLicenseTypeMustExist(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w, ctx := newWorld(t, d), context.Background()
		food := &tongban.LicenseType{Code: "11100000MB0143028R002", Name: "食品经营许可证", HolderKind: tongban.HolderOrg,
			Fields: []tongban.LicenseField{{Key: "entity_name", Name: "经营者名称"}}}
		if err := w.st.PutLicenseType(ctx, food); err != nil {
			t.Fatal(err)
		}
		const unknown = "11100000MB0143028R099"
		it := sampleItem()
		l := sampleListing()
		l.OrgName, l.RegionCode = w.gaq.Name, w.gaq.RegionCode
		l.Result = tongban.Result{Name: "食品经营许可证", Type: tongban.ResultLicense, LicenseType: unknown}
		file := func(l tongban.Listing) *bytes.Buffer {
			var buf bytes.Buffer
			if err := Export(&buf, FormatCSV, []tongban.Item{it}, []tongban.Listing{l}); err != nil {
				t.Fatal(err)
			}
			return &buf
		}

		_, err := w.svc.ImportFile(ctx, w.catalogAdmin, file(l), FormatCSV, ImportOptions{}, nil)
		var rows RowErrors
		if !errors.As(err, &rows) || len(rows) != 1 || rows[0].Column != colResultLicense || !strings.Contains(rows[0].Message, unknown) {
			t.Fatalf("import naming an unknown licence type: %v, want one row error in %s", err, colResultLicense)
		}
		if n, _ := w.st.CountListings(ctx, tongban.ListingFilter{}); n != 0 {
			t.Fatalf("a refused import stored %d listings", n)
		}

		l.Result.LicenseType = food.Code
		if _, err := w.svc.ImportFile(ctx, w.catalogAdmin, file(l), FormatCSV, ImportOptions{}, nil); err != nil {
			t.Fatal(err)
		}
		stored, err := w.st.ListingByCode(ctx, l.Code)
		if err != nil {
			t.Fatal(err)
		}
		edit := stored.Clone()
		edit.Result.LicenseType = unknown
		_, err = w.svc.SaveListing(ctx, w.catalogAdmin, edit, "改结果证照")
		if !tongban.IsCode(err, tongban.EInvalid) || tongban.AsError(err).Field != "result.license_type" || !strings.Contains(err.Error(), unknown) {
			t.Fatalf("save naming an unknown licence type: %v, want invalid on result.license_type", err)
		}
		if again, _ := w.st.ListingByCode(ctx, l.Code); again.Version != stored.Version || again.Result.LicenseType != food.Code {
			t.Fatalf("a refused save changed the listing: version %d, type %s", again.Version, again.Result.LicenseType)
		}

		// A listing stored without the service (an older database, a
		// type removed since) is found by the quality report.
		odd := stored.Clone()
		odd.ID, odd.Code, odd.Result.LicenseType = 0, stored.Code[:len(stored.Code)-1]+"9", unknown
		if err := w.st.CreateListing(ctx, &odd); err != nil {
			t.Fatal(err)
		}
		rep, err := w.svc.CheckReport(ctx, w.catalogAdmin, ReportFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var found []string
		for _, e := range rep.Entries {
			for _, is := range e.Issues {
				if is.Rule == RuleLicenseTypeUnknown {
					found = append(found, e.Code)
					if is.Severity != SeverityError || is.Field != "result.license_type" || !strings.Contains(is.Message, unknown) {
						t.Errorf("issue %+v", is)
					}
				}
			}
		}
		if len(found) != 1 || found[0] != odd.Code || rep.ByRule[RuleLicenseTypeUnknown] != 1 {
			t.Fatalf("quality report: listings with an unknown licence type %v (by rule %d), want only %s", found, rep.ByRule[RuleLicenseTypeUnknown], odd.Code)
		}
	})
}
