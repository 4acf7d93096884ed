package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
)

func demoBundle(t *testing.T, a *app.App, code string) *tongban.Bundle {
	t.Helper()
	b, err := a.Store.BundleByCode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var materialRow = regexp.MustCompile(`<tr data-key="([^"]+)">`)

// The 一件事 guide: the questions tailor the components (which waits for
// which) and ONE material list merged by standard material, without
// JavaScript; the list of bundles is grouped by life event.
func TestBundleGuidePages(t *testing.T) {
	t.Parallel()
	b, a := guideSite(t)
	ctx := context.Background()
	newborn, restaurant := demoBundle(t, a, "YJS-XSECS"), demoBundle(t, a, "YJS-KBCYD")

	status, page := b.get("/bundles")
	if status != http.StatusOK {
		t.Fatalf("/bundles: %d %s", status, errorOf(page))
	}
	pageHas(t, "/bundles", page, fmt.Sprintf(`href="/bundles/%d"`, newborn.ID), fmt.Sprintf(`href="/bundles/%d"`, restaurant.ID),
		`id="event-出生"`, `id="event-开办"`, newborn.LeadOrgName)
	if strings.Index(page, `id="event-出生"`) > strings.Index(page, `id="event-开办"`) {
		t.Error("/bundles: people's life events should come before enterprises'")
	}

	// Before answering: every component, the conditional ones marked, no checklist.
	guide := fmt.Sprintf("/bundles/%d", newborn.ID)
	_, page = b.get(guide)
	pageHas(t, "newborn guide", page, `id="situation-form"`, "是否在本市为新生儿登记户口？", newborn.LeadOrgName)
	for _, c := range newborn.Components {
		pageHas(t, "newborn guide", page, `id="component-`+c.Key+`"`, c.Name, c.OrgName)
	}
	if strings.Contains(page, `id="checklist"`) {
		t.Error("a checklist before the questions are answered")
	}

	// An unanswered question is named; nothing tailored.
	status, page = b.get(guide + "?asked=1&answer_hukou=here")
	pageHas(t, "half answered", page, `id="unanswered"`, "是否同时申领社会保障卡？")

	// 户口 elsewhere, no 社保卡: neither component is listed.
	_, page = b.get(guide + "?asked=1&answer_hukou=elsewhere&answer_card=no")
	if strings.Contains(page, `id="component-hukou"`) || strings.Contains(page, `id="component-sscard"`) {
		t.Error("户口 elsewhere and no 社保卡 still lists 出生登记 or 社会保障卡申领")
	}
	pageHas(t, "elsewhere", page, `id="component-birth_cert"`, `id="component-medical"`, `id="checklist"`)

	// Answered: 户口 here and a 社保卡.
	answers := map[string]string{"hukou": "here", "card": "yes"}
	status, page = b.get(guide + "?asked=1&answer_hukou=here&answer_card=yes")
	if status != http.StatusOK {
		t.Fatalf("answered: %d %s", status, errorOf(page))
	}
	_, cl, err := a.Bundles.Checklist(ctx, newborn.ID, answers)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range newborn.Components {
		on := strings.Contains(page, `id="component-`+c.Key+`"`)
		if on != cl.Applies(c.Key) {
			t.Errorf("component %s shown %v, applies %v", c.Name, on, cl.Applies(c.Key))
		}
	}
	if !cl.Applies("sscard") || !cl.Applies("hukou") {
		t.Fatal("户口 and 社保卡 asked for but not applying")
	}
	// 出生登记 waits for the certificate.
	hukou, _ := newborn.Component("hukou")
	cert, _ := newborn.Component("birth_cert")
	row := page[strings.Index(page, `id="component-hukou"`):]
	row = row[:strings.Index(row, "</tr>")]
	pageHas(t, "出生登记 row", row, hukou.Name, cert.Name+" "+"之后")
	// One line per merged material, each naming every component it serves.
	rows := materialRow.FindAllStringSubmatch(page, -1)
	if len(rows) != len(cl.Materials) {
		t.Errorf("%d material rows, want %d", len(rows), len(cl.Materials))
	}
	shared := 0
	for _, n := range cl.Materials {
		if c := strings.Count(page, `data-key="`+n.Key+`"`); c != 1 {
			t.Errorf("material %s listed %d times", n.Name, c)
		}
		pageHas(t, "checklist", page, n.Name)
		if len(n.Components) > 1 {
			shared++
			row := page[strings.Index(page, `data-key="`+n.Key+`"`):]
			pageHas(t, "shared "+n.Name, row[:strings.Index(row, "</tr>")], n.Components...)
		}
	}
	if shared == 0 || cl.Separately <= len(cl.Materials) {
		t.Errorf("no material shared by components (%d asked once, %d one by one)", len(cl.Materials), cl.Separately)
	}
	pageHas(t, "checklist", page, fmt.Sprintf(`id="bundle-separately">%d<`, cl.Separately),
		fmt.Sprintf(`id="bundle-days">%d `, cl.PromisedDays))

	// 开办餐饮店 asks nothing: its list at once.
	_, page = b.get(fmt.Sprintf("/bundles/%d", restaurant.ID))
	pageHas(t, "restaurant guide", page, `id="checklist"`, `id="bundle-materials"`)
	if strings.Contains(page, `id="situation-form"`) {
		t.Error("restaurant guide asks questions it has none of")
	}

	// Not published, or no such bundle: not found.
	if status, _ := b.get("/bundles/999999"); status != http.StatusNotFound {
		t.Errorf("no such bundle: %d", status)
	}

	// English, half-width marks in its own words.
	for _, p := range []string{"/bundles", guide, guide + "?asked=1&answer_hukou=here&answer_card=yes", "/search?q=" + url.QueryEscape("开餐馆"), "/search", "/"} {
		sep := "?"
		if strings.Contains(p, "?") {
			sep = "&"
		}
		status, page := b.get(p + sep + "lang=en")
		if status != http.StatusOK {
			t.Errorf("%s (English): %d", p, status)
		}
		for _, bad := range chromePunctuation(page) {
			t.Errorf("%s (English) has full-width punctuation in %q", p, bad)
		}
	}
}

var bundleResult = regexp.MustCompile(`class="result-title" href="/bundles/(\d+)"`)

// Bundles come first in search for the words people use, marked 一件事, and
// the browse pages list them by life event.
func TestBundlesInSearchAndBrowsing(t *testing.T) {
	t.Parallel()
	b, a := guideSite(t)
	for q, code := range map[string]string{"开餐馆": "YJS-KBCYD", "生孩子": "YJS-XSECS", "新生儿": "YJS-XSECS", "退休": "YJS-TX"} {
		want := demoBundle(t, a, code)
		status, page := b.get("/search?q=" + url.QueryEscape(q))
		if status != http.StatusOK {
			t.Fatalf("%s: %d", q, status)
		}
		m := bundleResult.FindStringSubmatch(page)
		if m == nil || m[1] != fmt.Sprint(want.ID) {
			t.Errorf("%s: first bundle %v, want %s (%d)", q, m, want.Name, want.ID)
			continue
		}
		// Above the listings, marked as 一件事.
		if strings.Index(page, `id="bundle-results"`) > strings.Index(page, `id="result-count"`) {
			t.Errorf("%s: bundles below the listings", q)
		}
		pageHas(t, q, page, `<span class="badge ok">一件事</span>`, want.Name)
	}
	// The audience filter keeps enterprises' bundles from people.
	_, page := b.get("/search?audience=" + url.QueryEscape("个人") + "&q=" + url.QueryEscape("开餐馆"))
	if strings.Contains(page, `id="bundle-results"`) {
		t.Error("开餐馆 for people shows the enterprise bundle")
	}
	// A theme shows the bundles of that life event.
	retire := demoBundle(t, a, "YJS-TX")
	_, page = b.get("/search?theme=" + url.QueryEscape("退休"))
	pageHas(t, "theme 退休", page, fmt.Sprintf(`href="/bundles/%d"`, retire.ID))
	// Browsing: the search page and the home page, by life event.
	for _, p := range []string{"/search", "/"} {
		_, page := b.get(p)
		pageHas(t, p, page, `id="bundles"`, "个人 · 出生", "法人 · 开办", fmt.Sprintf(`href="/bundles/%d"`, retire.ID), `href="/bundles"`)
	}
}
