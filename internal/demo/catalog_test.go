package demo

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/catalog"
)

// The demo catalog (catalog.csv) is the 演示事项清单 of 广安市 and its four
// districts. These tests import it through the real importer and hold it to
// the rules a published catalog must meet, so the demo can never show a
// listing the platform itself would refuse to publish.

const cityRegion = "511600000000"

var districts = map[string]string{
	"511602000000": "广安区", "511603000000": "前锋区", "511621000000": "岳池县", "511622000000": "武胜县",
}

type demoCatalog struct {
	batch catalog.Batch
	items map[string]tongban.Item // by 基本编码
}

func (c demoCatalog) item(l tongban.Listing) tongban.Item { return c.items[l.ItemCode] }

// find returns the listing of the named item in the region.
func (c demoCatalog) find(t *testing.T, itemName, region string) tongban.Listing {
	t.Helper()
	for _, l := range c.batch.Listings {
		if c.item(l).Name == itemName && l.RegionCode == region {
			return l
		}
	}
	t.Fatalf("no listing of %s in %s", itemName, region)
	return tongban.Listing{}
}

func loadCatalog(t *testing.T) demoCatalog {
	t.Helper()
	data, err := os.ReadFile("catalog.csv")
	if err != nil {
		t.Fatal(err)
	}
	b, err := catalog.Import(bytes.NewReader(data), catalog.FormatCSV, nil)
	if err != nil {
		var rows catalog.RowErrors
		if errors.As(err, &rows) {
			for _, e := range rows {
				t.Error(e.Error())
			}
		}
		t.Fatalf("import catalog.csv: %v", err)
	}
	c := demoCatalog{batch: b, items: map[string]tongban.Item{}}
	for _, it := range b.Items {
		c.items[it.Code] = it
	}
	return c
}

type org struct{ code, name, kind, region, sector string }

func loadOrgs(t *testing.T) []org {
	t.Helper()
	f, err := os.Open("orgs.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for _, h := range []string{"code", "name", "kind", "region_code", "sector"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("orgs.csv has no column %s", h)
		}
	}
	var out []org
	for _, r := range recs[1:] {
		out = append(out, org{r[col["code"]], r[col["name"]], r[col["kind"]], r[col["region_code"]], r[col["sector"]]})
	}
	return out
}

func TestCatalogImportsWithoutErrorsOrWarnings(t *testing.T) {
	c := loadCatalog(t)
	for _, w := range c.batch.Warnings {
		t.Errorf("warning: %s", w.Error())
	}
	if n := len(c.batch.Listings); n < 90 {
		t.Fatalf("%d listings, want at least 90", n)
	}
	for _, l := range c.batch.Listings {
		if _, ok := c.items[l.ItemCode]; !ok {
			t.Errorf("%s: item %s not in the batch", l.Code, l.ItemCode)
		}
	}
	t.Logf("%d listings of %d items", len(c.batch.Listings), len(c.batch.Items))
}

func TestCatalogCoversDepartmentsAndDistricts(t *testing.T) {
	c := loadCatalog(t)
	orgs := loadOrgs(t)
	regionOf := map[string]string{}
	boards := map[string]bool{}
	for _, o := range orgs {
		if o.kind == "department" {
			regionOf[o.name] = o.region
		}
		if o.kind == "board" && o.sector != "" {
			boards[o.sector] = true
		}
	}
	depts := map[string]int{}
	perRegion := map[string]int{}
	for _, l := range c.batch.Listings {
		depts[l.OrgName]++
		perRegion[l.RegionCode]++
		region, ok := regionOf[l.OrgName]
		switch {
		case !ok:
			t.Errorf("%s: department %q is not in orgs.csv", l.Code, l.OrgName)
		case region != l.RegionCode:
			t.Errorf("%s: department %s is in %s, listing says %s", l.Code, l.OrgName, region, l.RegionCode)
		}
		if s := c.item(l).Sector; !boards[s] {
			t.Errorf("%s: 业务领域 %q has no back-office board in the demo halls", l.Code, s)
		}
	}
	if len(depts) < 10 {
		t.Errorf("%d departments, want at least 10", len(depts))
	}
	if perRegion[cityRegion] == 0 {
		t.Error("no city-level listings")
	}
	for code, name := range districts {
		if perRegion[code] < 10 {
			t.Errorf("%s (%s) has %d listings, want at least 10", name, code, perRegion[code])
		}
	}
	t.Logf("%d departments; per region %v", len(depts), perRegion)
}

func TestEveryListingIsPublishedAndPassesQualityCheck(t *testing.T) {
	c := loadCatalog(t)
	for _, l := range c.batch.Listings {
		it := c.item(l)
		if l.Status != tongban.ListingPublished {
			t.Errorf("%s %s (%s): status %s, want 已发布", it.Name, l.Code, l.OrgName, l.Status.Label())
		}
		rep := catalog.Check(it, l)
		if !rep.Publishable() {
			var b strings.Builder
			for _, i := range rep.Issues {
				fmt.Fprintf(&b, "\n  [%s %s] %s: %s", i.Severity, i.Rule, i.Field, i.Message)
			}
			t.Errorf("%s %s (%s) fails the quality check:%s", it.Name, l.Code, l.OrgName, b.String())
		}
		for _, i := range rep.Issues {
			if i.Severity == catalog.SeverityWarning {
				t.Errorf("%s %s: warning [%s] %s: %s", it.Name, l.Code, i.Rule, i.Field, i.Message)
			}
		}
	}
}

// The reform asks every 承诺件 to promise at most half the statutory time;
// 即办件 promise nothing. A 承诺件 without a statutory limit must be a
// public service, where no law sets one.
func TestPromisedTimesMeetTheReformTarget(t *testing.T) {
	c := loadCatalog(t)
	for _, l := range c.batch.Listings {
		it := c.item(l)
		switch l.CaseType {
		case tongban.CaseInstant:
			if l.PromisedDays != 0 {
				t.Errorf("%s %s: 即办件 promises %d days", it.Name, l.Code, l.PromisedDays)
			}
		case tongban.CasePromised:
			if l.PromisedDays <= 0 {
				t.Errorf("%s %s: 承诺件 without a promised time", it.Name, l.Code)
			}
			if it.StatutoryDays == 0 {
				if it.Type != tongban.ItemPublicService {
					t.Errorf("%s %s: %s 承诺件 without a statutory limit", it.Name, l.Code, it.Type.Label())
				}
				continue
			}
			if 2*l.PromisedDays > it.StatutoryDays {
				t.Errorf("%s %s: promises %d of %d statutory days (over 50%%)", it.Name, l.Code, l.PromisedDays, it.StatutoryDays)
			}
		default:
			t.Errorf("%s %s: no 办件类型", it.Name, l.Code)
		}
	}
}

// 实施编码 follow the national layout 基本编码-行政区划-000-统一社会信用代码-1-00,
// and one item keeps one 基本编码 wherever it is implemented.
func TestImplementationCodes(t *testing.T) {
	c := loadCatalog(t)
	codeOfName := map[string]string{}
	credit := map[string]string{} // department → its credit code
	for _, l := range c.batch.Listings {
		it := c.item(l)
		parts := strings.Split(strings.TrimPrefix(l.Code, it.Code+"-"), "-")
		if !strings.HasPrefix(l.Code, it.Code+"-") || len(parts) != 5 || parts[0] != l.RegionCode ||
			parts[1] != "000" || parts[3] != "1" || parts[4] != "00" {
			t.Errorf("%s: 实施编码 is not %s-%s-000-<统一社会信用代码>-1-00", l.Code, it.Code, l.RegionCode)
			continue
		}
		if _, err := tongban.ParseCreditCode(parts[2]); err != nil {
			t.Errorf("%s: credit code %s: %v", l.Code, parts[2], err)
		}
		if prev, ok := credit[l.OrgName]; ok && prev != parts[2] {
			t.Errorf("%s: %s uses credit codes %s and %s", l.Code, l.OrgName, prev, parts[2])
		}
		credit[l.OrgName] = parts[2]
		if prev, ok := codeOfName[it.Name]; ok && prev != it.Code {
			t.Errorf("item %s has 基本编码 %s and %s", it.Name, prev, it.Code)
		}
		codeOfName[it.Name] = it.Code
	}
}

// Each listing tells applicants enough to act on: answers to common
// questions, colloquial names to be found by, and materials the platform
// fetches itself wherever a government source exists.
func TestListingsAreHelpfulToApplicants(t *testing.T) {
	c := loadCatalog(t)
	var total, fetched int
	for _, l := range c.batch.Listings {
		it := c.item(l)
		if n := len(l.FAQ); n < 2 || n > 3 {
			t.Errorf("%s %s: %d FAQ entries, want 2–3", it.Name, l.Code, n)
		}
		if len(it.Aliases) == 0 {
			t.Errorf("%s: no aliases", it.Name)
		}
		if len(it.PersonThemes) == 0 && len(it.EnterpriseThemes) == 0 {
			t.Errorf("%s: no theme", it.Name)
		}
		if it.Audience == "" || it.Sector == "" || len(it.Levels) == 0 {
			t.Errorf("%s: audience, sector and levels are required in the demo", it.Name)
		}
		tolerant := false
		for _, m := range l.Materials {
			total++
			if m.Source != tongban.SourceApplicant && m.Source != tongban.SourceAgency {
				fetched++
			}
			tolerant = tolerant || m.Tolerant
		}
		if tolerant && !l.Flags.TolerantAcceptance {
			t.Errorf("%s %s: a material is 容缺 but the listing does not offer 容缺受理", it.Name, l.Code)
		}
	}
	if 2*fetched < total {
		t.Errorf("only %d of %d materials come from e-licenses, shared data or government; want at least half", fetched, total)
	}
	t.Logf("%d of %d materials need not be handed over by the applicant", fetched, total)
}

func TestSituations(t *testing.T) {
	c := loadCatalog(t)
	var with int
	var dependent, replace, condition, add bool
	for _, l := range c.batch.Listings {
		if len(l.Situations) == 0 {
			continue
		}
		with++
		for _, s := range l.Situations {
			dependent = dependent || s.DependsOn != nil
			for _, a := range s.Answers {
				for _, e := range a.Effects {
					replace = replace || e.Op == tongban.EffectReplace
					condition = condition || e.Op == tongban.EffectCondition
					add = add || e.Op == tongban.EffectAdd
				}
			}
		}
		// Every combination of answers must tailor without error.
		for _, answers := range answerCombinations(l.Situations) {
			if _, _, err := catalog.Tailor(l, answers); err != nil {
				t.Errorf("%s %s: Tailor(%v): %v", c.item(l).Name, l.Code, answers, err)
			}
		}
	}
	if with < 12 {
		t.Errorf("%d listings have situations, want at least 12", with)
	}
	if !dependent || !replace || !condition || !add {
		t.Errorf("situations should show every kind: dependent %v, replace %v, condition %v, add %v", dependent, replace, condition, add)
	}
	t.Logf("%d listings have situations", with)
}

// answerCombinations lists every way to answer the situations (answers to
// questions that end up hidden are given too; Tailor ignores them).
func answerCombinations(ss []tongban.Situation) []map[string]string {
	out := []map[string]string{{}}
	for _, s := range ss {
		var next []map[string]string
		for _, m := range out {
			for _, a := range s.Answers {
				n := map[string]string{s.Key: a.Key}
				for k, v := range m {
					n[k] = v
				}
				next = append(next, n)
			}
		}
		out = next
	}
	return out
}

func materialNames(ms []tongban.Material) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Name)
	}
	return out
}

// The city's food business licence, tailored for an online shop on its own
// website, selling no chilled or frozen food, applied for by an agent.
func TestFoodLicenceTailoredMaterials(t *testing.T) {
	c := loadCatalog(t)
	l := c.find(t, "食品经营许可证核发", cityRegion)

	ms, conds, err := catalog.Tailor(l, map[string]string{"s1": "是", "s2": "是，自建网站", "s3": "否", "s4": "否，委托他人办理"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"食品经营许可申请书",
		"营业执照",
		"委托代理人身份证明", // replaces the legal representative's identity
		"主要设备设施、经营布局和操作流程说明",
		"食品安全规章制度目录清单",
		"网络食品经营说明",
		"自建网站ICP备案信息", // asked only because the shop is online
		"授权委托书",
	}
	if got := materialNames(ms); !slices.Equal(got, want) {
		t.Fatalf("materials\n got %q\nwant %q", got, want)
	}
	if !slices.Equal(conds, l.Conditions) {
		t.Fatalf("no answer adds a condition here, got %q", conds)
	}
	for _, m := range ms {
		if m.Required != tongban.MaterialRequired {
			t.Errorf("%s: %s, want required for this applicant", m.Name, m.Required.Label())
		}
	}

	// A shop selling chilled food, not online, the legal representative in person:
	// the website question is not asked, so its answer is ignored.
	ms, conds, err = catalog.Tailor(l, map[string]string{"s1": "a2", "s2": "a1", "s3": "a1", "s4": "a1"})
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"食品经营许可申请书", "营业执照", "法定代表人（负责人）身份证明",
		"主要设备设施、经营布局和操作流程说明", "食品安全规章制度目录清单", "冷藏冷冻设施设备清单及温度控制措施"}
	if got := materialNames(ms); !slices.Equal(got, want) {
		t.Fatalf("materials\n got %q\nwant %q", got, want)
	}
	if len(conds) != len(l.Conditions)+1 || !strings.Contains(conds[len(conds)-1], "冷藏冷冻") {
		t.Fatalf("the chilled-food answer should add its condition, got %q", conds)
	}

	// Once the shop is online the website question is shown, and must be answered.
	if _, _, err := catalog.Tailor(l, map[string]string{"s1": "a1", "s3": "a2", "s4": "a1"}); err == nil {
		t.Fatal("the website question is shown after an online answer and must be answered")
	}
}

// 三统一: district listings follow the city standard except the deviations
// planted for the consistency report to show.
func TestThreeUnifiedDeviations(t *testing.T) {
	c := loadCatalog(t)
	type key struct{ item, region string }
	byItem := map[string][]tongban.Listing{}
	var order []string
	for _, l := range c.batch.Listings {
		if _, ok := byItem[l.ItemCode]; !ok {
			order = append(order, l.ItemCode)
		}
		byItem[l.ItemCode] = append(byItem[l.ItemCode], l)
	}
	got := map[key][]string{}
	for _, code := range order {
		ls := byItem[code]
		std := 0 // the city listing is the standard; without one, the first
		for i, l := range ls {
			if l.RegionCode == cityRegion {
				std = i
				break
			}
		}
		others := slices.Delete(slices.Clone(ls), std, std+1)
		for _, d := range catalog.Compare(ls[std], others) {
			k := key{c.items[code].Name, d.Region}
			got[k] = append(got[k], string(d.Aspect))
			t.Logf("%s %s %s: %s", c.items[code].Name, districts[d.Region], d.OrgName, d.Message)
		}
	}
	want := map[key][]string{
		{"食品经营许可证核发", "511621000000"}: {"process", "time"}, // 岳池县: 5 days instead of 3
		{"户口迁移（迁入）", "511603000000"}:  {"conditions"},      // 前锋区: own wording of the residence condition
		{"社会保障卡申领", "511602000000"}:   {"materials"},       // 广安区: paper photos
		{"不动产转移登记", "511622000000"}:   {"materials"},       // 武胜县: asks for the household register
	}
	for k := range got {
		sort.Strings(got[k])
		got[k] = slices.Compact(got[k])
	}
	for k, aspects := range want {
		if !slices.Equal(got[k], aspects) {
			t.Errorf("%s in %s: differences %v, want %v", k.item, districts[k.region], got[k], aspects)
		}
	}
	for k, aspects := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unplanned 三统一 difference: %s in %s: %v", k.item, districts[k.region], aspects)
		}
	}
}

// The demo catalog is also what an admin downloads, edits in Excel and
// uploads again: an export must import back to the same items and listings.
func TestCatalogSurvivesExportAndImport(t *testing.T) {
	c := loadCatalog(t)
	for _, format := range []string{catalog.FormatCSV, catalog.FormatXLSX} {
		var buf bytes.Buffer
		if err := catalog.Export(&buf, format, c.batch.Items, c.batch.Listings); err != nil {
			t.Fatalf("%s export: %v", format, err)
		}
		again, err := catalog.Import(bytes.NewReader(buf.Bytes()), format, nil)
		if err != nil {
			t.Fatalf("%s import of the export: %v", format, err)
		}
		if !reflect.DeepEqual(again.Items, c.batch.Items) {
			t.Errorf("%s: items differ after a round trip", format)
		}
		if len(again.Listings) != len(c.batch.Listings) {
			t.Fatalf("%s: %d listings after a round trip, want %d", format, len(again.Listings), len(c.batch.Listings))
		}
		for i := range again.Listings {
			if !reflect.DeepEqual(again.Listings[i], c.batch.Listings[i]) {
				t.Errorf("%s: listing %s differs after a round trip", format, c.batch.Listings[i].Code)
			}
		}
	}
}
