package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/app/apptest"
)

// guideSite is the demo city on SQLite, with a cookie-keeping client.
func guideSite(t *testing.T) (*browser, *app.App) {
	t.Helper()
	return guideSiteWith(t, nil)
}

// guideSiteWith is guideSite with settings changed by set, if not nil.
func guideSiteWith(t *testing.T, set func(*app.Config)) (*browser, *app.App) {
	t.Helper()
	dir := t.TempDir()
	cfg := app.Config{DataDir: dir, DB: filepath.Join(dir, "t.db"), Demo: true, Secret: strings.Repeat("ab", 32)}
	if set != nil {
		set(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := apptest.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), tongban.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(func() { srv.Close(); a.Close() })
	jar, _ := cookiejar.New(nil)
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{t: t, base: srv.URL, c: &http.Client{Jar: jar, CheckRedirect: noRedirect}}, a
}

// guideListing finds a demo listing by item name and region.
func guideListing(t *testing.T, a *app.App, name, region string) *tongban.Listing {
	t.Helper()
	ls, err := a.Store.Listings(context.Background(), tongban.ListingFilter{Q: name, Region: region})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.RegionCode == region {
			return l
		}
	}
	t.Fatalf("no listing %s in %s", name, region)
	return nil
}

// pageHas checks page for each string, ignoring search highlights.
func pageHas(t *testing.T, what, page string, wants ...string) {
	t.Helper()
	page += strings.NewReplacer("<mark>", "", "</mark>", "").Replace(page)
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// The results page lists items once each, led by the listing nearest the
// citizen, with highlighted snippets, and answers bad filters with 400.
func TestSearchPage(t *testing.T) {
	t.Parallel()
	b, a := guideSite(t)
	status, page := b.get("/search?q=" + url.QueryEscape("营业执照"))
	if status != http.StatusOK {
		t.Fatalf("search: %d", status)
	}
	pageHas(t, "results", page, `id="results"`, "个体工商户设立登记", "有限责任公司设立登记", "<mark>营业执照</mark>", "其他地区")
	if n := strings.Count(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(page), `>个体工商户设立登记</a>`); n != 1 {
		t.Errorf("个体工商户设立登记 listed %d times, want once (other districts fold under it)", n)
	}

	// Pinyin initials and a colloquial phrase.
	_, page = b.get("/search?q=spjy")
	pageHas(t, "spjy", page, "食品经营许可证核发")
	_, page = b.get("/search?q=" + url.QueryEscape("开饭店"))
	pageHas(t, "开饭店", page, "食品经营许可证核发")

	// Filters: the region keeps what serves it; audience and channel.
	qianfeng := guideListing(t, a, "食品经营许可证核发", "511603000000")
	_, page = b.get("/search?region=511603000000&q=" + url.QueryEscape("食品经营许可证核发"))
	if first := firstResult(page); first != qianfeng.ID {
		t.Errorf("region 前锋区: first result %d, want its own listing %d", first, qianfeng.ID)
	}
	_, page = b.get("/search?audience=" + url.QueryEscape("法人") + "&q=" + url.QueryEscape("注销"))
	pageHas(t, "法人 注销", page, "企业注销登记")
	_, page = b.get("/search?channel=" + url.QueryEscape("全程网办") + "&q=" + url.QueryEscape("营业执照"))
	pageHas(t, "全程网办", page, "个体工商户设立登记")

	status, page = b.get("/search?q=x&audience=" + url.QueryEscape("外星人"))
	if status != http.StatusBadRequest || !strings.Contains(page, `id="search-error"`) {
		t.Errorf("bad audience: %d", status)
	}

	// No query: the browse page by theme and department.
	_, page = b.get("/search")
	pageHas(t, "browse", page, `id="themes"`, `id="departments"`, `href="/search?theme=%e5%87%ba%e7%94%9f"`, "广安市市场监督管理局")
	_, page = b.get("/search?theme=" + url.QueryEscape("婚育"))
	pageHas(t, "theme 婚育", page, "生育登记")

	// The citizen's own district comes first, and is the default filter.
	b.signIn("511602199003071232")
	_, page = b.get("/search?q=" + url.QueryEscape("身份证丢了"))
	pageHas(t, "signed-in search", page, `id="near-hint"`, `<option value="511602000000" selected>`)
	// 广安区 has no listing of its own: the city's serves it; other
	// districts' are not offered.
	city := guideListing(t, a, "居民身份证补领", "511600000000")
	if first := firstResult(page); first != city.ID {
		t.Errorf("广安区 citizen: first result %d, want the city's %d", first, city.ID)
	}
	other := guideListing(t, a, "居民身份证补领", "511603000000")
	if strings.Contains(page, fmt.Sprintf(`href="/guide/%d"`, other.ID)) {
		t.Error("广安区 citizen offered 前锋区's listing under the default filter")
	}
}

var resultLink = regexp.MustCompile(`class="result-title" href="/guide/(\d+)"`)

func firstResult(page string) int64 {
	m := resultLink.FindStringSubmatch(page)
	if m == nil {
		return 0
	}
	var id int64
	fmt.Sscan(m[1], &id)
	return id
}

// The guide works without JavaScript: a dependent question appears once the
// answer it depends on is submitted, the checklist only when every asked
// question is answered, and it is the listing's tailored one.
func TestGuideSituationsWithoutJavaScript(t *testing.T) {
	t.Parallel()
	b, a := guideSite(t)
	food := guideListing(t, a, "食品经营许可证核发", "511602000000")
	path := fmt.Sprintf("/guide/%d", food.ID)

	status, page := b.get(path)
	if status != http.StatusOK {
		t.Fatalf("guide: %d", status)
	}
	pageHas(t, "guide", page, "受理条件", "申请材料", "审核要求", "免提交", "办理流程", "承诺时限", "法定时限",
		"在哪办、找谁问", "常见问题", `id="apply-online"`, `href="/apply/`, `id="situation-form"`,
		`<fieldset class="question" id="q-s2" data-depends="s1=a1" hidden>`)
	if strings.Contains(page, `id="checklist"`) {
		t.Error("checklist shown before any answer")
	}

	// s1 = 网络经营: s2 now shows, and is still to be answered.
	_, page = b.get(path + "?asked=1&situation_s1=a1&situation_s3=a2&situation_s4=a1")
	pageHas(t, "after s1", page, `<fieldset class="question" id="q-s2" data-depends="s1=a1">`, `id="unanswered"`, "是否通过自建网站经营？")
	if strings.Contains(page, `id="checklist"`) {
		t.Error("checklist shown with a question open")
	}

	// Everything answered: the tailored list, with s2's and s4's effects.
	q := "?asked=1&situation_s1=a1&situation_s2=a1&situation_s3=a1&situation_s4=a2"
	_, page = b.get(path + q)
	pageHas(t, "checklist", page, `id="checklist"`, "网络食品经营说明", "自建网站ICP备案信息", "冷藏冷冻设施设备清单",
		"授权委托书", "委托代理人身份证明", "具备与经营品种、数量相适应的冷藏冷冻设施设备",
		`href="/apply/`+fmt.Sprint(food.ID)+`?situation_s1=a1&amp;situation_s2=a1&amp;situation_s3=a1&amp;situation_s4=a2"`)
	checklist := page[strings.Index(page, `id="checklist"`):strings.Index(page, `id="conditions"`)]
	if strings.Contains(checklist, "法定代表人（负责人）身份证明") {
		t.Error("checklist keeps the material s4=a2 replaces")
	}

	// A leftover answer to a question no longer asked is ignored.
	_, page = b.get(path + "?asked=1&situation_s1=a2&situation_s2=a1&situation_s3=a2&situation_s4=a1")
	checklist = page[strings.Index(page, `id="checklist"`):strings.Index(page, `id="conditions"`)]
	if strings.Contains(checklist, "自建网站ICP备案信息") || strings.Contains(checklist, "网络食品经营说明") {
		t.Error("answers of an unasked question changed the checklist")
	}

	// The printable version carries the answers.
	status, page = b.get(path + "/print" + q)
	if status != http.StatusOK {
		t.Fatalf("print: %d", status)
	}
	pageHas(t, "print", page, "您的材料清单", "网络食品经营说明", "是否通过网络经营食品？", "打印日期", food.Code)

	// Drafts are not public; unknown ids are 404.
	if status, _ := b.get("/guide/999999"); status != http.StatusNotFound {
		t.Errorf("unknown guide: %d", status)
	}
}
