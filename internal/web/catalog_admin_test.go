package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/search"
)

// catalogPost posts a form with the CSRF token of the page at from.
func catalogPost(b *browser, from, path string, v url.Values) (int, string, string) {
	b.t.Helper()
	_, page := b.get(from)
	v.Set("csrf_token", b.csrf(page))
	resp, err := b.c.PostForm(b.base+path, v)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header.Get("Location")
}

// listingForm is the edit form of l as its page fills it.
func listingForm(t *testing.T, b *browser, l *tongban.Listing) url.Values {
	t.Helper()
	status, page := b.get(editPath(l))
	if status != http.StatusOK {
		t.Fatalf("edit page of %d: %d", l.ID, status)
	}
	v := pageForm(page, "listing-form")
	if v == nil {
		t.Fatal("the edit page has no listing form")
	}
	v.Del("csrf_token")
	return v
}

func editPath(l *tongban.Listing) string { return fmt.Sprintf("/console/catalog/listings/%d", l.ID) }

// A catalog admin edits a published listing so that it breaks a rule: the
// save is refused with the error shown and nothing changes. A claimed draft
// is refused publishing with every error listed, saves once completed, and
// publishing it puts it in search.
func TestCatalogAdminEditAndPublishGate(t *testing.T) {
	t.Parallel()
	b, a := guideSite(t)
	ctx := context.Background()
	b.signIn("catalog")
	_, console := b.get("/console")
	pageHas(t, "console", console, `href="/console/catalog"`, `href="/console/catalog/synonyms"`)
	status, page := b.get("/console/catalog")
	if status != http.StatusOK {
		t.Fatalf("list: %d", status)
	}
	pageHas(t, "list", page, `id="catalog-listings"`, "食品经营许可证核发", "已发布", "通过")

	// A published listing edited to promise more than the statutory time.
	birth := guideListing(t, a, "食品经营许可证核发", "511621000000")
	_, page = b.get(editPath(birth))
	pageHas(t, "edit page", page, `id="listing-form"`, `name="materials[0].name"`, `name="situations[0].key"`, `id="quality-report"`, "没有错误")
	form := listingForm(t, b, birth)
	form.Set("promised_days", "99")
	form.Set("reason", "测试")
	status, page, _ = catalogPost(b, editPath(birth), editPath(birth), form)
	if status != http.StatusBadRequest {
		t.Fatalf("breaking save: status %d", status)
	}
	pageHas(t, "refused save", page, `id="refused"`, "清单未保存", "承诺时限超过法定时限", `value="99"`)
	if now, _ := a.Store.Listing(ctx, birth.ID); now.Version != birth.Version || now.PromisedDays != birth.PromisedDays {
		t.Errorf("refused save changed the listing: version %d, promised %d", now.Version, now.PromisedDays)
	}

	// A cell that cannot be read is reported on its row and field.
	form = listingForm(t, b, birth)
	form.Set("materials[0].copies", "很多")
	status, page, _ = catalogPost(b, editPath(birth), editPath(birth), form)
	if status != http.StatusBadRequest || !strings.Contains(page, "申请材料第1行“份数”：份数应为非负整数") {
		t.Errorf("bad material copies: status %d, error %q", status, errorOf(page))
	}

	// Claim an item for a district department: a draft with what is missing.
	orgs, err := a.Store.Orgs(ctx, tongban.OrgFilter{Name: "广安区市场监督管理局"})
	if err != nil || len(orgs) != 1 {
		t.Fatalf("org: %v %v", orgs, err)
	}
	_, page = b.get("/console/catalog/claim?q=" + url.QueryEscape("企业变更登记"))
	pageHas(t, "claim page", page, `id="claim-items"`, "企业变更登记", "广安区市场监督管理局")
	item, err := a.Store.Items(ctx, tongban.ItemFilter{Q: "企业变更登记"})
	if err != nil || len(item) != 1 {
		t.Fatalf("item: %v %v", item, err)
	}
	status, _, loc := catalogPost(b, "/console/catalog/claim", "/console/catalog/claim",
		url.Values{"item_code": {item[0].Code}, "org_id": {fmt.Sprint(orgs[0].ID)}})
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/console/catalog/listings/") {
		t.Fatalf("claim: %d → %s", status, loc)
	}
	var draftID int64
	fmt.Sscanf(loc, "/console/catalog/listings/%d", &draftID)
	draft, err := a.Store.Listing(ctx, draftID)
	if err != nil || draft.Status != tongban.ListingDraft {
		t.Fatalf("draft: %+v %v", draft, err)
	}
	_, page = b.get(loc)
	pageHas(t, "draft", page, "已认领", `id="quality-errors"`, `id="publish"`)

	// Publishing the incomplete draft: refused, every error listed.
	status, page, _ = catalogPost(b, editPath(draft), editPath(draft)+"/publish", url.Values{"version": {fmt.Sprint(draft.Version)}})
	if status != http.StatusBadRequest {
		t.Fatalf("publish incomplete draft: status %d", status)
	}
	pageHas(t, "refused publish", page, `id="refused"`, "不能发布", "没有申请材料")

	// Complete it like the city's listing of the same item, with a
	// catch-all material: saved as a draft, publishing still refused.
	cityL := guideListing(t, a, "企业变更登记", "511600000000")
	form = listingForm(t, b, cityL)
	form.Set("version", fmt.Sprint(draft.Version))
	for k, v := range map[string]string{"key": "m9", "name": "其他相关材料", "required": "必要", "form": "原件", "copies": "1",
		"type": "其他", "source": "申请人自备", "review_criteria": "按窗口要求提供"} {
		form.Set(fmt.Sprintf("materials[%d].%s", 90, k), v)
	}
	status, _, loc = catalogPost(b, editPath(draft), editPath(draft), form)
	if status != http.StatusSeeOther {
		t.Fatalf("save draft: %d", status)
	}
	_, page = b.get(loc)
	pageHas(t, "saved draft", page, "已保存为第2版", "质量检查有 1 项错误", "兜底性材料")
	status, page, _ = catalogPost(b, editPath(draft), editPath(draft)+"/publish", url.Values{"version": {"2"}})
	if status != http.StatusBadRequest {
		t.Fatalf("publish with catch-all: status %d", status)
	}
	pageHas(t, "refused publish", page, `id="refused"`, "其他相关材料")

	// Fixed and published: public, and in search after the next poll.
	form.Set("version", "2")
	for k := range form {
		if strings.HasPrefix(k, "materials[90].") {
			form.Del(k)
		}
	}
	if status, _, _ := catalogPost(b, editPath(draft), editPath(draft), form); status != http.StatusSeeOther {
		t.Fatalf("fix draft: %d", status)
	}
	status, _, loc = catalogPost(b, editPath(draft), editPath(draft)+"/publish", url.Values{"version": {"3"}})
	if status != http.StatusSeeOther {
		t.Fatalf("publish: %d", status)
	}
	_, page = b.get(loc)
	pageHas(t, "published", page, "已发布，申请人现在可以搜到并申请")
	if err := a.SearchSync.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := a.Search.Search(catalogSearchQuery("企业变更登记", "511602"))
	if err != nil || len(res.Hits) == 0 || res.Hits[0].ListingID != draft.ID {
		t.Errorf("published draft not found first in 广安区: %+v %v", res.Hits, err)
	}

	// History: four versions, each naming what changed.
	_, page = b.get(editPath(draft) + "/history")
	pageHas(t, "history", page, `id="versions"`, "第4版", "第1版", "认领事项，生成草稿", "申请材料", "状态", "吴清单")

	// Withdrawn: gone from the public guide and from search.
	status, _, _ = catalogPost(b, editPath(draft), editPath(draft)+"/withdraw", url.Values{"version": {"4"}, "reason": {"测试撤销"}})
	if status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", status)
	}
	if err := a.SearchSync.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	res, _ = a.Search.Search(catalogSearchQuery("企业变更登记", "511602"))
	for _, h := range res.Hits {
		if h.ListingID == draft.ID {
			t.Error("withdrawn listing still in search")
		}
	}
}

// The reports, the file pages and the synonyms page.
func TestCatalogAdminReportsFilesAndSynonyms(t *testing.T) {
	t.Parallel()
	b, a := guideSite(t)
	b.signIn("catalog")

	status, page := b.get("/console/catalog/quality")
	if status != http.StatusOK {
		t.Fatalf("quality: %d", status)
	}
	pageHas(t, "quality", page, `id="quality-stats"`, "条清单", "条可发布")

	status, page = b.get("/console/catalog/consistency")
	if status != http.StatusOK {
		t.Fatalf("consistency: %d", status)
	}
	pageHas(t, "consistency", page, `id="consistency-summary"`, "食品经营许可证核发")

	// Make one district differ from the city standard, then look.
	ctx := context.Background()
	district := guideListing(t, a, "社会保障卡申领", "511621000000")
	d := district.Clone()
	d.Materials[0].Copies++
	if _, err := a.Catalog.SaveListing(ctx, catalogActor(t, a, "catalog"), d, "测试三统一"); err != nil {
		t.Fatal(err)
	}
	it, _ := a.Store.Item(ctx, district.ItemID)
	_, page = b.get("/console/catalog/consistency?item=" + url.QueryEscape(it.Code))
	pageHas(t, "consistency detail", page, `id="diff-`+it.Code+`"`, `class="differs"`, "市级标准", "岳池县")

	// Import: a broken file lists each error by row and column, writes nothing.
	bad := "事项名称,实施编码,实施部门,承诺时限\n测试事项,T-1,不存在的部门,abc\n"
	status, page = catalogUpload(b, "bad.csv", bad)
	if status != http.StatusBadRequest {
		t.Fatalf("bad import: %d", status)
	}
	pageHas(t, "bad import", page, `id="import-errors"`, "承诺时限（promised_days）", "<td>2</td>")

	// Export: the listings in the import layout.
	resp, err := b.c.Get(b.base + "/console/catalog/export?format=csv&region=511603000000")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "基本编码") || !strings.Contains(string(body), "前锋区") {
		t.Errorf("export: %d, %d bytes", resp.StatusCode, len(body))
	}

	// Synonyms: a bad line is refused by line; a good list is in force at once.
	status, page = b.get("/console/catalog/synonyms?try=" + url.QueryEscape("开饭店"))
	if status != http.StatusOK {
		t.Fatalf("synonyms: %d", status)
	}
	pageHas(t, "synonyms", page, "当前使用系统默认的同义词表", "开饭店", "食品经营许可证核发")
	status, page, _ = catalogPost(b, "/console/catalog/synonyms", "/console/catalog/synonyms", url.Values{"synonyms": {"开饭店 =>"}})
	if status != http.StatusBadRequest || !strings.Contains(page, `id="synonyms-error"`) || !strings.Contains(page, "第 1 行") {
		t.Errorf("bad synonyms: %d", status)
	}
	status, _, _ = catalogPost(b, "/console/catalog/synonyms", "/console/catalog/synonyms",
		url.Values{"synonyms": {"摆摊卖凉面 => 食品经营许可\n社保, 社会保险\n"}})
	if status != http.StatusSeeOther {
		t.Fatalf("save synonyms: %d", status)
	}
	_, page = b.get("/search?q=" + url.QueryEscape("摆摊卖凉面"))
	pageHas(t, "new synonym", page, "食品经营许可证核发")

	// Department admins edit their listings but not the city's synonyms.
	dept, _ := guideSite(t)
	dept.signIn("deptadmin")
	if status, _ := dept.get("/console/catalog/synonyms"); status != http.StatusForbidden {
		t.Errorf("dept admin synonyms page: %d", status)
	}
	status, page = dept.get("/console/catalog")
	if status != http.StatusOK || !strings.Contains(page, "广安市市场监督管理局") || strings.Contains(page, "岳池县民政局") {
		t.Errorf("dept admin list: %d, shows own org %v", status, strings.Contains(page, "广安市市场监督管理局"))
	}
}

func catalogUpload(b *browser, name, content string) (int, string) {
	b.t.Helper()
	_, page := b.get("/console/catalog/import")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", b.csrf(page))
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	resp, err := b.c.Post(b.base+"/console/catalog/import", mw.FormDataContentType(), &body)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func catalogSearchQuery(text, region string) search.Query {
	return search.Query{Text: text, Region: region}
}

func catalogActor(t *testing.T, a *app.App, login string) identity.Request {
	t.Helper()
	u, err := a.Store.UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	return identity.Request{Actor: u, IP: "test"}
}
