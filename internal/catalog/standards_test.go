package catalog

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// standardsFixture stores three standard materials, one of them retired.
func standardsFixture(t *testing.T, st tongban.Store) {
	t.Helper()
	for _, m := range []tongban.StandardMaterial{
		{Code: "BZ0101", Name: "居民身份证", Aliases: []string{"身份证", "二代身份证"}, Reusable: true},
		{Code: "BZ0301", Name: "营业执照", Aliases: []string{"企业营业执照"}, Reusable: true},
		{Code: "BZ0999", Name: "暂住证", Retired: true},
	} {
		m.UpdatedAt = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		if err := st.SaveStandardMaterial(context.Background(), &m); err != nil {
			t.Fatal(err)
		}
	}
}

// A material names its standard material by code, name or alias — in a
// file or in the editor — and is stored with the code; an unknown or
// retired one is refused naming the material, and nothing is written.
func TestStandardMaterialsOnImportAndSave(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w, ctx := newWorld(t, d), context.Background()
		standardsFixture(t, w.st)
		it := sampleItem()
		l := sampleListing()
		l.OrgName, l.RegionCode = w.gaq.Name, w.gaq.RegionCode
		l.Materials[1].Standard = "企业营业执照" // by alias
		l.Materials = append(l.Materials, tongban.Material{Key: "m9", Name: "法定代表人身份证", Required: tongban.MaterialRequired,
			Copies: 1, Type: tongban.MaterialLicense, Source: tongban.SourceApplicant, ReviewCriteria: "清晰有效", Standard: "bz0101"})
		file := func(l tongban.Listing) *bytes.Buffer {
			var buf bytes.Buffer
			if err := Export(&buf, FormatCSV, []tongban.Item{it}, []tongban.Listing{l}); err != nil {
				t.Fatal(err)
			}
			return &buf
		}

		bad := l.Clone()
		bad.Materials[0].Standard = "结婚证"
		_, err := w.svc.ImportFile(ctx, w.catalogAdmin, file(bad), FormatCSV, ImportOptions{}, nil)
		var rows RowErrors
		if !errors.As(err, &rows) || len(rows) != 1 || rows[0].Column != "materials" ||
			!strings.Contains(rows[0].Message, "食品经营许可申请书") || !strings.Contains(rows[0].Message, "结婚证") {
			t.Fatalf("unknown standard material: %v, want one row error naming the material", err)
		}
		if n, _ := w.st.CountListings(ctx, tongban.ListingFilter{}); n != 0 {
			t.Fatalf("a refused import stored %d listings", n)
		}

		if _, err := w.svc.ImportFile(ctx, w.catalogAdmin, file(l), FormatCSV, ImportOptions{}, nil); err != nil {
			t.Fatal(err)
		}
		stored, err := w.st.ListingByCode(ctx, l.Code)
		if err != nil {
			t.Fatal(err)
		}
		if m, _ := stored.Material("m2"); m.Standard != "BZ0301" {
			t.Errorf("营业执照 stored with standard %q, want BZ0301", m.Standard)
		}
		if m, _ := stored.Material("m9"); m.Standard != "BZ0101" {
			t.Errorf("身份证 stored with standard %q, want BZ0101", m.Standard)
		}
		if !strings.Contains(file(*stored).String(), "|BZ0301") {
			t.Error("the export does not carry the standard material's code")
		}

		edit := stored.Clone()
		edit.Materials[0].Standard = "暂住证"
		if _, err := w.svc.SaveListing(ctx, w.catalogAdmin, edit, "关联标准材料"); !tongban.IsCode(err, tongban.EInvalid) ||
			tongban.AsError(err).Field != "materials[0].standard" || !strings.Contains(err.Error(), "已停用") {
			t.Errorf("retired standard on save: %v, want invalid on materials[0].standard", err)
		}
		edit.Materials[0].Standard = "身份证"
		res, err := w.svc.SaveListing(ctx, w.catalogAdmin, edit, "关联标准材料")
		if err != nil {
			t.Fatal(err)
		}
		if res.Listing.Materials[0].Standard != "BZ0101" {
			t.Errorf("saved standard %q, want the code BZ0101", res.Listing.Materials[0].Standard)
		}
	})
}

// 三统一 matches materials by their standard material, so a district that
// words 居民身份证 as 身份证 is told the names differ rather than that it
// lacks one material and adds another; a district that leaves the standard
// material out is told so.
func TestConsistencyMatchesByStandardMaterial(t *testing.T) {
	t.Parallel()
	std := sampleListing()
	std.Materials[1].Standard = "BZ0301"
	std.Materials = append(std.Materials, tongban.Material{Key: "m9", Name: "居民身份证", Required: tongban.MaterialRequired,
		Copies: 1, Type: tongban.MaterialLicense, Source: tongban.SourceApplicant, Standard: "BZ0101"})
	other := std.Clone()
	other.Code, other.RegionCode = "other", "511603000000"
	other.Materials[len(other.Materials)-1].Name = "身份证"
	other.Materials[1].Standard = ""

	var msgs []string
	for _, d := range Compare(std, []tongban.Listing{other}) {
		msgs = append(msgs, d.Field+" "+d.Message)
	}
	got := strings.Join(msgs, "\n")
	for _, want := range []string{"materials[居民身份证].name 同一标准材料名称不同", "materials[营业执照].standard 材料“营业执照”对应的标准材料编码不同（标准BZ0301，本清单未关联）"} {
		if !strings.Contains(got, want) {
			t.Errorf("differences lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "缺少标准材料") || strings.Contains(got, "增加了标准以外的材料") {
		t.Errorf("the same standard material under another name was reported missing or extra:\n%s", got)
	}
}
