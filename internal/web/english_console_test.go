package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
)

// Every console page rendered in English uses half-width punctuation in
// its own words, for the staff role that uses it; data (names, addresses)
// keeps its Chinese marks.
func TestEnglishConsolePagesUseHalfWidthPunctuation(t *testing.T) {
	t.Parallel()
	b, a := guideSite(t)
	ctx := context.Background()
	l := guideListing(t, a, "食品经营许可证核发", "511621000000")
	city := guideListing(t, a, "食品经营许可证核发", "511600000000")
	zhang, err := a.Store.UserByIDNumber(ctx, tongban.IDNumber(demo.Citizen.IDNumber))
	if err != nil {
		t.Fatal(err)
	}
	cases, err := a.Store.Cases(ctx, tongban.CaseFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	// A webhook, so its page exists.
	admin := b.another()
	admin.signIn("admin")
	orgs, err := a.Store.Orgs(ctx, tongban.OrgFilter{Name: "广安市市场监督管理局"})
	if err != nil || len(orgs) != 1 {
		t.Fatalf("org: %v %v", orgs, err)
	}
	if status, page, _ := admin.post("/console/webhooks", "/console/webhooks", url.Values{"name": {"办件信息库"},
		"org_id": {fmt.Sprint(orgs[0].ID)}, "url": {"https://bjxxk.gas.example/hook"}, "event_types": {"case.*"}}); status != http.StatusCreated {
		t.Fatalf("webhook: %d %s", status, errorOf(page))
	}
	hooks, err := a.Store.Webhooks(ctx, nil, false)
	if err != nil || len(hooks) == 0 {
		t.Fatalf("webhooks: %v", err)
	}
	pages := map[string][]string{
		"admin": {"/console", "/console/audit", "/console/calendar", "/console/staff", "/console/integration", "/console/oidc",
			"/console/webhooks", fmt.Sprintf("/console/webhooks/%d", hooks[0].ID)},
		"catalog": {"/console/catalog", "/console/catalog/claim", "/console/catalog/consistency", "/console/catalog/import",
			fmt.Sprintf("/console/catalog/listings/%d", l.ID), fmt.Sprintf("/console/catalog/listings/%d/history", l.ID),
			"/console/catalog/quality", "/console/catalog/resources", "/console/catalog/sparable", "/console/catalog/standards",
			"/console/catalog/synonyms"},
		"clerk":      {"/console", "/console/window-devices", "/console/counter", "/console/counter?id_number=" + demo.Citizen.IDNumber, fmt.Sprintf("/console/counter/apply/%d?applicant=%d", city.ID, zhang.ID), "/console/handout"},
		"approver":   {"/console", "/console/queue"},
		"supervisor": {"/console", "/console/supervision", "/console/measures", "/console/measures/no-submit", "/console/ratings"},
		"deptadmin":  {"/console", "/console/staff"},
	}
	if len(cases) > 0 {
		pages["admin"] = append(pages["admin"], "/console/cases/"+cases[0].Number)
	}
	for who, paths := range pages {
		c := b.another()
		c.signIn(who)
		for _, p := range paths {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			status, page := c.get(p + sep + "lang=en")
			if status != http.StatusOK {
				t.Errorf("%s %s: status %d %s", who, p, status, errorOf(page))
				continue
			}
			for _, bad := range chromePunctuation(page) {
				t.Errorf("%s %s (English) has full-width punctuation in %q", who, p, bad)
			}
		}
	}
}
