package catalog

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/xuri/excelize/v2"
)

func guanganPath(t *testing.T) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "data", "guangan-district-items.csv")
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("guangan data missing in CI: %v", err)
		}
		t.Skipf("guangan data not present: %v", err)
	}
	return p
}

func TestImportGuanganAsIs(t *testing.T) {
	t.Parallel()
	f, err := os.Open(guanganPath(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var calls, lastDone, lastTotal int
	b, err := Import(f, FormatCSV, func(done, total int) { calls, lastDone, lastTotal = calls+1, done, total })
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Listings) != 1135 || len(b.Rows) != 1135 {
		t.Fatalf("listings %d, want 1135", len(b.Listings))
	}
	if lastDone != 1135 || lastTotal != 1135 || calls != 12 {
		t.Fatalf("progress: %d calls, last %d/%d", calls, lastDone, lastTotal)
	}
	orgs := map[string]bool{}
	for _, l := range b.Listings {
		orgs[l.OrgName] = true
		if l.Status != tongban.ListingDraft || l.RegionCode != "511602000000" || l.Version != 1 {
			t.Fatalf("want a draft of 511602000000: %+v", l)
		}
	}
	if len(orgs) != 34 {
		t.Fatalf("departments %d, want 34", len(orgs))
	}
	if len(b.Items) != 1135 { // every listing of this district implements its own item
		t.Fatalf("items %d", len(b.Items))
	}
	byCode := map[string]tongban.Item{}
	types := map[tongban.ItemType]int{}
	for _, it := range b.Items {
		byCode[it.Code] = it
		types[it.Type]++
	}
	if types[tongban.ItemLicensing] != 536 || types[tongban.ItemPublicService] != 348 || types[tongban.ItemOtherPower] != 182 {
		t.Fatalf("types %v", types)
	}
	for code, want := range map[string]string{
		"511A0138000000": "适龄儿童、少年因身体状况需要延缓入学或者休学审批",
		"G-000007-001":   "中职和本专科建档立卡特别资助项目",
		"E-000004-001":   "对客运经营者在发车时间安排上发生纠纷客运站经营者协调无效的裁决",
		"1J-5100-00027":  "",
	} {
		it, ok := byCode[code]
		if !ok || (want != "" && it.Name != want) {
			t.Errorf("item %s: %+v", code, it)
		}
	}
	if it := byCode["511F09014007"]; it.MainItem != "户口登记（包括注销、恢复、变更）" || it.Name != "户口恢复" {
		t.Errorf("main item not kept: %+v", it)
	}
	// A bare list imports, and the quality check tells what is missing.
	if rep := Check(b.Items[0], b.Listings[0]); rep.Publishable() {
		t.Error("a bare imported listing must not be publishable")
	}
}

func TestDeriveItemCode(t *testing.T) {
	t.Parallel()
	cases := []struct{ code, region, want string }{
		{"511A0138000000-511602000000-000-115113010833722043-1-00", "511602000000", "511A0138000000"},
		{"512012002012-511602000000-000-115113010087786859-1-00", "511602000000", "512012002012"},
		{"512012002012-511602000000-000-115113010087786859-1-00", "", "512012002012"},
		{"G-000007-001-511602000000-000-115113010833722043-1-00", "511602000000", "G-000007-001"},
		{"G-000007-001-511602000000-000-115113010833722043-1-00", "", "G-000007-001"},
		{"1J-5100-00027-511602000000-000-11511301008778386B-1-00", "511602000000", "1J-5100-00027"},
		{"E-000004-001-11511301008778386B", "511602000000", "E-000004-001"},
		{"511A0077700002-510000000000-000-8282348-1-00", "511602000000", "511A0077700002"},
		{"ABC123", "", "ABC123"},
	}
	for _, c := range cases {
		if got := DeriveItemCode(c.code, c.region); got != c.want {
			t.Errorf("DeriveItemCode(%s, %s) = %s, want %s", c.code, c.region, got, c.want)
		}
	}
}

// brokenXLSX builds a workbook with a bad cell in several rows.
func brokenXLSX(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"实施部门", "事项名称", "实施编码", "承诺时限", "办件类型", "申请材料", "Remarks"},
		{"区行政审批局", "食品经营许可", "A-1", "5", "承诺件", "m1|申请书|必要|原件|1", "ok"},
		{"区行政审批局", "", "A-2", "-3", "承诺件", "", ""},
		{},
		{"区公安分局", "户口登记", "A-1", "十", "马上办", "m1|身份证|必须|传真|两份", ""},
		{"区民政局", "婚姻登记", "A-4", "0", "即办件", "m1|身份证\nm1|户口簿", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportBrokenXLSXReportsEveryError(t *testing.T) {
	t.Parallel()
	b, err := Import(bytes.NewReader(brokenXLSX(t)), FormatXLSX, nil)
	if err == nil {
		t.Fatal("want errors")
	}
	if tongban.ErrorCodeOf(err) != tongban.EInvalid {
		t.Fatalf("code %v", err)
	}
	if len(b.Items) != 0 || len(b.Listings) != 0 {
		t.Fatal("no partial batch")
	}
	var errs RowErrors
	if !errors.As(err, &errs) {
		t.Fatalf("want RowErrors in %v", err)
	}
	type at struct {
		row int
		col string
	}
	got := map[at]string{}
	for _, e := range errs {
		got[at{e.Row, e.Column}] = e.Error()
	}
	want := []at{
		{3, colItemName}, {3, colPromisedDays},
		{5, colCode}, {5, colPromisedDays}, {5, colCaseType}, {5, colMaterials},
		{6, colMaterials},
	}
	for _, w := range want {
		if _, ok := got[w]; !ok {
			t.Errorf("missing error at row %d column %s; got %v", w.row, w.col, errs)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d error places, want %d: %v", len(got), len(want), errs)
	}
	if msg := got[at{3, colPromisedDays}]; msg != "第3行 承诺时限(promised_days): 应为非负整数" {
		t.Errorf("message %q", msg)
	}
	if msg := got[at{5, colCode}]; !strings.Contains(msg, "与第2行重复") {
		t.Errorf("duplicate code message %q", msg)
	}
}

func TestImportMissingRequiredColumns(t *testing.T) {
	t.Parallel()
	_, err := Import(strings.NewReader("名称,部门\nx,y\n"), FormatCSV, nil)
	var errs RowErrors
	if !errors.As(err, &errs) || len(errs) != 2 || errs[0].Row != 1 {
		t.Fatalf("want two missing-column errors on row 1, got %v", err)
	}
	for _, e := range errs {
		if e.Column != colItemName && e.Column != colCode {
			t.Errorf("unexpected %v", e)
		}
	}
}

func TestImportHeaderAliasesAndBOM(t *testing.T) {
	t.Parallel()
	csv := "\ufeffOrg, Item Name ,IMPLEMENTATION-CODE,法定时限,promised_days,type,行使层级,Unknown\n" +
		"区人社局,失业登记,C1-511602000000-1,20个工作日,即办,公共服务,市级/县级,zzz\n" +
		",,,,,,,\n" +
		"区人社局,失业登记,C1-511603000000-1,20,10,公共服务,,\n"
	b, err := Import(strings.NewReader(csv), FormatCSV, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Listings) != 2 || len(b.Items) != 1 {
		t.Fatalf("items shared by listings are deduplicated: %d items %d listings", len(b.Items), len(b.Listings))
	}
	it := b.Items[0]
	if it.Code != "C1" || it.StatutoryDays != 20 || it.Type != tongban.ItemPublicService || len(it.Levels) != 2 {
		t.Fatalf("item %+v", it)
	}
	if b.Rows[1] != 4 || b.Listings[1].PromisedDays != 10 || b.Listings[0].PromisedDays != 0 {
		t.Fatalf("rows %v listings %+v", b.Rows, b.Listings)
	}
}

func TestImportDedupesItemsAndWarnsOnConflicts(t *testing.T) {
	t.Parallel()
	csv := "基本编码,事项名称,实施编码,实施部门,法定时限,设定依据\n" +
		"X1,公证,X1-1,甲,20,\n" +
		"X1,公证（县级）,X1-2,乙,15,《公证法》\n"
	b, err := Import(strings.NewReader(csv), FormatCSV, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Items) != 1 || b.Items[0].StatutoryDays != 20 || b.Items[0].LegalBasis != "《公证法》" {
		t.Fatalf("first row wins, empties are filled: %+v", b.Items)
	}
	if b.Listings[1].Name != "公证（县级）" {
		t.Fatalf("each listing keeps its own name: %q", b.Listings[1].Name)
	}
	if len(b.Warnings) != 2 || b.Warnings[0].Row != 3 {
		t.Fatalf("warnings %v", b.Warnings)
	}
}

func TestImportDemotesUnfitPublishedRows(t *testing.T) {
	t.Parallel()
	csv := "事项名称,实施编码,实施部门,状态\n公证,X1-1,甲,已发布\n"
	b, err := Import(strings.NewReader(csv), FormatCSV, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.Listings[0].Status != tongban.ListingDraft || len(b.Warnings) != 1 || b.Warnings[0].Column != colStatus {
		t.Fatalf("status %s warnings %v", b.Listings[0].Status, b.Warnings)
	}
}

func TestImportRejectsEmptyAndUnknownFormats(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{"empty": "", "header only": "事项名称,实施编码,实施部门\n", "blank": "\n\n"} {
		if _, err := Import(strings.NewReader(in), FormatCSV, nil); tongban.ErrorCodeOf(err) != tongban.EInvalid {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Import(strings.NewReader("x"), "ods", nil); tongban.ErrorCodeOf(err) != tongban.EInvalid {
		t.Errorf("format: %v", err)
	}
	if _, err := Import(strings.NewReader("not a zip"), FormatXLSX, nil); tongban.ErrorCodeOf(err) != tongban.EInvalid {
		t.Errorf("xlsx: %v", err)
	}
	_, err := Import(strings.NewReader("事项名称,实施编码,实施部门\n\"a,b\n"), FormatCSV, nil)
	if tongban.ErrorCodeOf(err) != tongban.EInvalid {
		t.Errorf("bad quotes: %v", err)
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	items := []tongban.Item{sampleItem(), {Code: "512036001008", Name: "医保电子凭证申领", Type: tongban.ItemPublicService}}
	bare := tongban.Listing{ItemCode: "512036001008", Code: "512036001008-511602000000-000-1-00", OrgName: "区医疗保障局",
		RegionCode: "511602000000", Version: 1, Status: tongban.ListingDraft, Name: "医保电子凭证申领（广安区）",
		CaseType: tongban.CaseInstant, OnlineDepth: tongban.DepthFullyOnline}
	published := sampleListing()
	published.Status = tongban.ListingPublished
	published.Code += "-b"
	listings := []tongban.Listing{sampleListing(), bare, published}
	// what storage fills and the file does not carry
	want := func() ([]tongban.Item, []tongban.Listing) {
		wi := append([]tongban.Item(nil), items...)
		wi[0].ID = 0
		wl := make([]tongban.Listing, len(listings))
		for i, l := range listings {
			l = l.Clone()
			l.ItemID, l.OrgID = 0, 0
			wl[i] = l
		}
		return wi, wl
	}
	for _, format := range []string{FormatXLSX, FormatCSV} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Export(&buf, format, items, listings); err != nil {
				t.Fatal(err)
			}
			b, err := Import(bytes.NewReader(buf.Bytes()), format, nil)
			if err != nil {
				t.Fatal(err)
			}
			wi, wl := want()
			if !reflect.DeepEqual(b.Items, wi) {
				t.Errorf("items differ:\n got %+v\nwant %+v", b.Items, wi)
			}
			for i := range wl {
				if !reflect.DeepEqual(b.Listings[i], wl[i]) {
					t.Errorf("listing %d differs:\n got %+v\nwant %+v", i, b.Listings[i], wl[i])
				}
			}
			if len(b.Warnings) != 0 {
				t.Errorf("warnings %v", b.Warnings)
			}
		})
	}
}

func TestExportFlattensInlineMaterials(t *testing.T) {
	t.Parallel()
	l := sampleListing()
	l.Situations[0].Answers[1].Effects[0] = tongban.Effect{Op: tongban.EffectAdd, Material: &tongban.Material{
		Key: "m1", Name: "委托书", Required: tongban.MaterialRequired, Copies: 1, ReviewCriteria: "签字"}}
	var buf bytes.Buffer
	if err := Export(&buf, FormatCSV, []tongban.Item{sampleItem()}, []tongban.Listing{l}); err != nil {
		t.Fatal(err)
	}
	b, err := Import(&buf, FormatCSV, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := b.Listings[0]
	e := got.Situations[0].Answers[1].Effects[0]
	m, ok := got.Material(e.MaterialKey)
	if !ok || m.Name != "委托书" || m.Required != tongban.MaterialConditional || e.MaterialKey == "m1" {
		t.Fatalf("inline material not flattened: %+v %+v", e, m)
	}
	if l.Situations[0].Answers[1].Effects[0].Material == nil {
		t.Fatal("Export must not modify its input")
	}
}

func TestExportNeedsTheItem(t *testing.T) {
	t.Parallel()
	if err := Export(&bytes.Buffer{}, FormatCSV, nil, []tongban.Listing{sampleListing()}); tongban.ErrorCodeOf(err) != tongban.EInvalid {
		t.Fatalf("want EInvalid, got %v", err)
	}
}

func TestExportGuanganRoundTrip(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(guanganPath(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Import(bytes.NewReader(raw), FormatCSV, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Export(&buf, FormatXLSX, b.Items, b.Listings); err != nil {
		t.Fatal(err)
	}
	again, err := Import(&buf, FormatXLSX, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.Items, b.Items) || !reflect.DeepEqual(again.Listings, b.Listings) {
		t.Fatal("guangan catalog changed in an xlsx round trip")
	}
}
