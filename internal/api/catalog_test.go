package api_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/xuri/excelize/v2"
)

// foodItem and foodListing are a publishable pair for the demo city's
// market regulators; code and org vary per test.
func foodItem() tongban.Item {
	return tongban.Item{Code: "T-511A0138000000", Name: "食品经营许可（测试）", Type: tongban.ItemLicensing,
		LegalBasis: "《中华人民共和国食品安全法》第三十五条", StatutoryDays: 20, Sector: "市场准入", Audience: tongban.AudienceBoth}
}

func foodListing(code, org, region string) tongban.Listing {
	return tongban.Listing{ItemCode: "T-511A0138000000", Code: code, OrgName: org, RegionCode: region,
		Status: tongban.ListingDraft, Name: "食品经营许可（测试）", PromisedDays: 10, CaseType: tongban.CasePromised,
		Conditions: []string{"申请人已取得营业执照"},
		Steps: []tongban.Step{{Name: "受理", Role: tongban.StepAccept, Days: 1, CountsTowardLimit: true},
			{Name: "审查", Role: tongban.StepReview, Days: 6, CountsTowardLimit: true},
			{Name: "决定", Role: tongban.StepDecide, Days: 3, CountsTowardLimit: true}},
		Place: "政务服务中心二楼", Hours: "工作日 9:00-17:00", Phone: "0826-2345678", ComplaintPhone: "12345",
		Trips: 1, OnlineDepth: tongban.DepthOnlineVerify, Flags: tongban.Flags{MostOneTrip: true},
		Result: tongban.Result{Name: "食品经营许可证", Type: tongban.ResultLicense},
		Materials: []tongban.Material{
			{Key: "m1", Name: "食品经营许可申请书", Required: tongban.MaterialRequired, Form: tongban.FormOriginal, Copies: 1,
				ReviewCriteria: "填写完整，申请人签字盖章"},
			{Key: "m2", Name: "授权委托书", Required: tongban.MaterialConditional, Form: tongban.FormOriginal, Copies: 1,
				ReviewCriteria: "载明委托事项和期限"},
		},
		Situations: []tongban.Situation{{Key: "s1", Question: "法定代表人是否本人到场办理？", Answers: []tongban.Answer{
			{Key: "a1", Label: "是"},
			{Key: "a2", Label: "否，委托他人", Effects: []tongban.Effect{{Op: tongban.EffectAdd, MaterialKey: "m2"},
				{Op: tongban.EffectCondition, Condition: "受托人须携带本人身份证"}}},
		}}},
	}
}

// catalogFile renders listings in the import layout.
func catalogFile(t *testing.T, format string, listings ...tongban.Listing) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := catalog.Export(&buf, format, []tongban.Item{foodItem()}, listings); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload posts a file to the import endpoint.
func (c *client) upload(name string, data []byte, fields ...string) (int, []byte) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	return c.do("POST", "/api/v1/catalog/import", body.Bytes(), "Content-Type", mw.FormDataContentType())
}

type catalogErr struct {
	Error struct {
		Code   string             `json:"code"`
		Issues []catalog.Issue    `json:"issues"`
		Rows   []catalog.RowError `json:"rows"`
	} `json:"error"`
}

func decodeInto(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
}

// listingID finds a listing by code through the staff view of the API.
func (c *client) listingID(code string) int64 {
	c.t.Helper()
	status, body := c.do("GET", "/api/v1/listings?q="+code, nil)
	var page struct {
		Listings []tongban.Listing `json:"listings"`
	}
	decodeInto(c.t, body, &page)
	if status != 200 || len(page.Listings) != 1 {
		c.t.Fatalf("listing %s: %d %s", code, status, body)
	}
	return page.Listings[0].ID
}

func countListings(t *testing.T, c *client) int {
	t.Helper()
	_, body := c.do("GET", "/api/v1/listings?limit=1", nil)
	var page struct{ Total int }
	decodeInto(t, body, &page)
	return page.Total
}

func TestCatalogImportOfABrokenFileWritesNothing(t *testing.T) {
	t.Parallel()
	srv, _ := site(t)
	c := newClient(t, srv)
	c.login("catalog")
	before := countListings(t, c)

	good := catalogFile(t, catalog.FormatCSV, foodListing("T-1", "广安市市场监督管理局", "511600000000"))
	header, row, _ := strings.Cut(string(good), "\n")
	// Row 3 promises "abc" days; row 4 names a department the city lacks.
	broken := header + "\n" + row + strings.Replace(row, "T-1", "T-2", 1) + strings.Replace(strings.Replace(row, "T-1", "T-3", 1), "广安市市场监督管理局", "广安市不存在局", 1)
	broken = strings.Replace(broken, "T-2,,广安市市场监督管理局,511600000000,1,草稿,承诺件,10,", "T-2,,广安市市场监督管理局,511600000000,1,草稿,承诺件,abc,", 1)
	status, body := c.upload("broken.csv", []byte(broken))
	var e catalogErr
	decodeInto(t, body, &e)
	if status != 400 || e.Error.Code != "invalid" || len(e.Error.Rows) != 1 || e.Error.Rows[0].Row != 3 || e.Error.Rows[0].Column != "promised_days" {
		t.Fatalf("broken csv: %d %s", status, body)
	}
	// Fixing the number leaves the unknown department: found while storing,
	// still by row and column, and still nothing written.
	status, body = c.upload("broken.csv", []byte(strings.Replace(broken, "承诺件,abc,", "承诺件,10,", 1)))
	e = catalogErr{}
	decodeInto(t, body, &e)
	if status != 400 || len(e.Error.Rows) != 1 || e.Error.Rows[0].Row != 4 || e.Error.Rows[0].Column != "department" {
		t.Fatalf("unknown department: %d %s", status, body)
	}

	// A broken xlsx: every error of every row at once.
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", catalog.SheetName)
	f.SetSheetRow(catalog.SheetName, "A1", &[]any{"实施编码", "事项名称", "实施部门", "承诺时限", "办件类型"})
	f.SetSheetRow(catalog.SheetName, "A2", &[]any{"X-1", "食品经营许可", "广安市市场监督管理局", "十天", "承诺件"})
	f.SetSheetRow(catalog.SheetName, "A3", &[]any{"X-2", "", "广安市市场监督管理局", "5", "大概"})
	var xb bytes.Buffer
	f.Write(&xb)
	status, body = c.upload("broken.xlsx", xb.Bytes())
	e = catalogErr{}
	decodeInto(t, body, &e)
	cells := map[string]bool{}
	for _, r := range e.Error.Rows {
		cells[itoa(int64(r.Row))+"/"+r.Column] = true
	}
	if status != 400 || !cells["2/promised_days"] || !cells["3/item_name"] || !cells["3/case_type"] {
		t.Fatalf("broken xlsx: %d %s", status, body)
	}
	if after := countListings(t, c); after != before {
		t.Errorf("failed imports wrote listings: %d → %d", before, after)
	}
	if status, body := c.upload("notes.txt", []byte("x")); status != 400 {
		t.Errorf("a .txt upload: %d %s", status, body)
	}
	// Only staff import.
	anon := newClient(t, srv)
	if status, _ := anon.upload("good.csv", good); status != 401 {
		t.Errorf("anonymous import: %d", status)
	}
}

func TestCatalogPublishGateAndGuide(t *testing.T) {
	t.Parallel()
	srv, _ := site(t)
	c := newClient(t, srv)
	c.login("catalog")
	bare := foodListing("T-BARE", "广安市市场监督管理局", "511600000000")
	bare.Materials, bare.Situations, bare.Hours = nil, nil, ""
	status, body := c.upload("two.csv", catalogFile(t, catalog.FormatCSV,
		foodListing("T-GOOD", "广安市市场监督管理局", "511600000000"), bare))
	var res catalog.ImportResult
	decodeInto(t, body, &res)
	if status != 200 || res.ListingsCreated != 2 || res.Drafts != 2 {
		t.Fatalf("import: %d %s", status, body)
	}
	goodID, bareID := c.listingID("T-GOOD"), c.listingID("T-BARE")

	// Publishing a listing with errors is refused with every error.
	status, body = c.json("POST", "/api/v1/listings/"+itoa(bareID)+"/publish", map[string]any{"reason": "上线"})
	var e catalogErr
	decodeInto(t, body, &e)
	rules := map[string]bool{}
	for _, i := range e.Error.Issues {
		rules[i.Rule] = i.Severity == catalog.SeverityError
	}
	if status != 400 || e.Error.Code != "invalid" || !rules[catalog.RuleContact] || !rules[catalog.RuleMaterialsMissing] {
		t.Fatalf("publish with errors: %d %s", status, body)
	}

	// The public cannot see drafts.
	anon := newClient(t, srv)
	if status, _ := anon.do("GET", "/api/v1/listings/"+itoa(goodID), nil); status != 404 {
		t.Errorf("anonymous reading a draft: %d", status)
	}
	status, body = c.json("POST", "/api/v1/listings/"+itoa(goodID)+"/publish", map[string]any{"reason": "审核通过"})
	var pub catalog.Result
	decodeInto(t, body, &pub)
	if status != 200 || pub.Listing.Status != tongban.ListingPublished || !pub.Report.Publishable() {
		t.Fatalf("publish: %d %s", status, body)
	}
	status, body = anon.do("GET", "/api/v1/listings/"+itoa(goodID), nil)
	var g struct {
		tongban.Listing
		Item tongban.Item `json:"item"`
	}
	decodeInto(t, body, &g)
	if status != 200 || g.Item.StatutoryDays != 20 || len(g.Situations) != 1 || g.Status != tongban.ListingPublished {
		t.Fatalf("guide: %d %s", status, body)
	}
	status, body = anon.do("GET", "/api/v1/listings?item=T-511A0138000000&status=draft", nil)
	var page struct {
		Total    int               `json:"total"`
		Listings []tongban.Listing `json:"listings"`
	}
	decodeInto(t, body, &page)
	if status != 200 || page.Total != 1 || page.Listings[0].ID != goodID {
		t.Errorf("public listing of the item (drafts asked for): %d %s", status, body)
	}

	// Saving (the whole listing, as PUT does) returns the quality report
	// and writes a version.
	edit := map[string]any{}
	_, body = c.do("GET", "/api/v1/listings/"+itoa(bareID), nil)
	decodeInto(t, body, &edit)
	delete(edit, "item")
	edit["hours"], edit["reason"] = "工作日 9:00-17:00", "补充办理时间"
	status, body = c.json("PUT", "/api/v1/listings/"+itoa(bareID), edit)
	var saved catalog.Result
	decodeInto(t, body, &saved)
	if status != 200 || saved.Listing.Version != 2 || len(saved.Report.ByRule(catalog.RuleContact)) != 0 ||
		len(saved.Report.ByRule(catalog.RuleMaterialsMissing)) != 1 {
		t.Fatalf("save: %d %s", status, body)
	}
	status, body = c.do("GET", "/api/v1/listings/"+itoa(bareID)+"/versions", nil)
	var versions []tongban.ListingVersion
	decodeInto(t, body, &versions)
	if status != 200 || len(versions) != 2 || versions[0].Reason != "补充办理时间" {
		t.Errorf("versions: %d %s", status, body)
	}
	if status, _ := anon.do("GET", "/api/v1/listings/"+itoa(bareID)+"/versions", nil); status != 401 {
		t.Errorf("anonymous reading versions: %d", status)
	}

	// Reports.
	status, body = c.do("GET", "/api/v1/catalog/quality?region=511600000000", nil)
	var q catalog.QualityReport
	decodeInto(t, body, &q)
	if status != 200 || q.Listings < 2 || q.ByRule[catalog.RuleMaterialsMissing] < 1 {
		t.Errorf("quality report: %d %+v", status, q)
	}
	status, body = c.do("GET", "/api/v1/catalog/consistency?item=T-511A0138000000", nil)
	var cons []catalog.ItemConsistency
	decodeInto(t, body, &cons)
	if status != 200 || len(cons) != 1 || cons[0].Standard == nil {
		t.Errorf("consistency report: %d %s", status, body)
	}
}

func TestCatalogChecklistTailoring(t *testing.T) {
	t.Parallel()
	srv, _ := site(t)
	c := newClient(t, srv)
	c.login("catalog")
	if status, body := c.upload("one.csv", catalogFile(t, catalog.FormatCSV,
		foodListing("T-CHK", "广安市市场监督管理局", "511600000000")), "publish", "1"); status != 200 {
		t.Fatalf("import: %d %s", status, body)
	}
	id := c.listingID("T-CHK")
	anon := newClient(t, srv)
	path := "/api/v1/listings/" + itoa(id) + "/checklist"
	tailored := func(answers map[string]string) (int, catalog.Checklist, []byte) {
		status, body := anon.json("POST", path, map[string]any{"answers": answers})
		var cl catalog.Checklist
		if status == 200 {
			decodeInto(t, body, &cl)
		}
		return status, cl, body
	}
	status, cl, body := tailored(map[string]string{"s1": "a1"})
	if status != 200 || len(cl.Materials) != 1 || len(cl.Conditions) != 1 {
		t.Fatalf("in person: %d %s", status, body)
	}
	status, cl, body = tailored(map[string]string{"s1": "否，委托他人"})
	if status != 200 || len(cl.Materials) != 2 || cl.Materials[1].Name != "授权委托书" ||
		cl.Materials[1].Required != tongban.MaterialRequired || cl.Conditions[1] != "受托人须携带本人身份证" {
		t.Fatalf("by proxy: %d %s", status, body)
	}
	status, _, body = tailored(map[string]string{})
	wantError(t, status, body, 400, "invalid", "answers.s1")
	status, _, body = tailored(map[string]string{"s1": "也许"})
	wantError(t, status, body, 400, "invalid", "answers.s1")
}

func TestCatalogDepartmentScope(t *testing.T) {
	t.Parallel()
	srv, _ := site(t)
	cat := newClient(t, srv)
	cat.login("catalog")
	// One listing of the city regulator (deptadmin's own) and one of 广安区's.
	if status, body := cat.upload("two.csv", catalogFile(t, catalog.FormatCSV,
		foodListing("T-CITY", "广安市市场监督管理局", "511600000000"),
		foodListing("T-GAQ", "区市监局", "511602000000"))); status != 200 {
		t.Fatalf("import: %d %s", status, body)
	}
	own, other := cat.listingID("T-CITY"), cat.listingID("T-GAQ")

	dept := newClient(t, srv)
	dept.login("deptadmin") // 部门管理员 of 广安市市场监督管理局
	if status, _ := dept.do("GET", "/api/v1/listings/"+itoa(other), nil); status != 404 {
		t.Errorf("another department's draft is visible: %d", status)
	}
	save := func(id int64) (int, []byte) {
		_, body := cat.do("GET", "/api/v1/listings/"+itoa(id), nil)
		var l map[string]any
		decodeInto(t, body, &l)
		delete(l, "item")
		l["place"], l["reason"] = "政务服务中心三楼", "调整地点"
		return dept.json("PUT", "/api/v1/listings/"+itoa(id), l)
	}
	if status, body := save(own); status != 200 {
		t.Fatalf("editing own department's listing: %d %s", status, body)
	}
	status, body := save(other)
	wantError(t, status, body, 403, "forbidden", "")
	// Nor may the department admin publish, or claim for another department.
	status, body = dept.json("POST", "/api/v1/listings/"+itoa(own)+"/publish", map[string]any{})
	wantError(t, status, body, 403, "forbidden", "")
	status, body = dept.json("POST", "/api/v1/items/T-511A0138000000/claim", map[string]any{"org_id": orgID(t, cat, "gaq-scjgj")})
	wantError(t, status, body, 403, "forbidden", "")
	// The city-wide catalog admin may edit 广安区's listing.
	l := map[string]any{}
	_, body = cat.do("GET", "/api/v1/listings/"+itoa(other), nil)
	decodeInto(t, body, &l)
	delete(l, "item")
	l["reason"] = "统一材料"
	if status, body := cat.json("PUT", "/api/v1/listings/"+itoa(other), l); status != http.StatusOK {
		t.Errorf("catalog admin editing a district listing: %d %s", status, body)
	}
}

func orgID(t *testing.T, c *client, code string) int64 {
	t.Helper()
	_, body := c.do("GET", "/api/v1/orgs?kind=department", nil)
	var orgs []tongban.Org
	decodeInto(t, body, &orgs)
	for _, o := range orgs {
		if o.Code == code {
			return o.ID
		}
	}
	t.Fatalf("org %s not found", code)
	return 0
}

func TestDemoCatalog(t *testing.T) {
	t.Parallel()
	srv, _ := site(t)
	anon := newClient(t, srv)
	_, body := anon.do("GET", "/api/v1/listings?limit=1", nil)
	var page struct{ Total int }
	decodeInto(t, body, &page)
	if page.Total < 90 {
		t.Errorf("demo catalog: %d published listings, want ≥ 90", page.Total)
	}
	c := newClient(t, srv)
	c.login("catalog")
	status, body := c.do("GET", "/api/v1/catalog/quality", nil)
	var q catalog.QualityReport
	decodeInto(t, body, &q)
	if status != 200 || q.Listings != page.Total || q.WithErrors != 0 {
		t.Errorf("demo quality report: %d listings, %d with errors", q.Listings, q.WithErrors)
	}
	status, body = c.do("GET", "/api/v1/catalog/consistency", nil)
	var cons []catalog.ItemConsistency
	decodeInto(t, body, &cons)
	differing := 0
	for _, ic := range cons {
		if len(ic.Differences) > 0 {
			differing++
		}
	}
	if status != 200 || len(cons) == 0 || differing == 0 {
		t.Errorf("demo consistency report: %d items, %d with differences", len(cons), differing)
	}
}
