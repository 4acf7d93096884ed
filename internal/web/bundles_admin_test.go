package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

var definitionArea = regexp.MustCompile(`(?s)<textarea name="definition"[^>]*>(.*?)</textarea>`)

// definitionOn reads the definition the editor page shows.
func definitionOn(t *testing.T, page string) *tongban.Bundle {
	t.Helper()
	m := definitionArea.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no definition on the page: %s", errorOf(page))
	}
	var b tongban.Bundle
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &b); err != nil {
		t.Fatalf("the page's definition: %v", err)
	}
	return &b
}

func definitionJSON(t *testing.T, b *tongban.Bundle) string {
	t.Helper()
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// problemsOn lists the quality report's lines.
func problemsOn(page string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?s)<li data-field="[^"]*"><code>[^<]*</code> (.*?)</li>`).FindAllStringSubmatch(page, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

func hasLine(lines []string, sub string) bool {
	for _, l := range lines {
		if strings.Contains(l, sub) {
			return true
		}
	}
	return false
}

// A catalog admin edits 新生儿出生 in the console as the import file's JSON:
// the check names a cycle, an unmapped field, a paper asked twice and an
// unpublished component, and writes nothing; publishing a failing
// definition is refused with the report; saving keeps a draft beside the
// published version (which stays live and unchanged) and publishing it makes
// a new published version; a stale draft is refused; a new bundle is created, its
// code unique; each save and publication is audited; a clerk may not edit.
// Both engines.
func TestBundleDefinitionEditor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		b, a := siteOn(t, d)
		ctx := context.Background()
		base := demoBundle(t, a, "YJS-XSECS")
		admin := b.another()
		admin.signIn("catalog")
		_, page := admin.get("/console")
		mustContain(t, "console links", page, `href="/console/catalog/bundles"`)
		status, page := admin.get("/console/catalog/bundles")
		if status != http.StatusOK {
			t.Fatalf("list: %d %s", status, errorOf(page))
		}
		all, err := a.Store.Bundles(ctx, tongban.BundleFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range all {
			mustContain(t, "list", page, fmt.Sprintf(`href="/console/catalog/bundles/%d"`, x.ID), x.Name)
		}

		path := fmt.Sprintf("/console/catalog/bundles/%d", base.ID)
		status, page = admin.get(path)
		if status != http.StatusOK {
			t.Fatalf("editor: %d %s", status, errorOf(page))
		}
		mustContain(t, "editor", page, `id="bundle-quality-ok"`, `name="version" value="`+fmt.Sprint(base.Version)+`"`)
		def := definitionOn(t, page)
		if def.Code != base.Code || len(def.Components) != len(base.Components) || def.Components[0].ListingCode != base.Components[0].ListingCode {
			t.Fatalf("the editor's definition %+v", def)
		}
		draftRev := 0 // the pending draft's revision the editor started from
		post := func(action string, b *tongban.Bundle, version int) (int, string, string) {
			t.Helper()
			return admin.post(path, path, url.Values{"action": {action}, "definition": {definitionJSON(t, b)},
				"version": {fmt.Sprint(version)}, "draft": {fmt.Sprint(draftRev)}})
		}
		editor := page
		clone := func() *tongban.Bundle { return definitionOn(t, editor) }

		// A cycle: 出生医学证明 after 城乡居民医保, which follows it.
		cyc := clone()
		comp, _ := cyc.Component("birth_cert")
		comp.After = []string{"medical"}
		status, out, _ := post("check", cyc, base.Version)
		if status != http.StatusOK || !hasLine(problemsOn(out), "前置关系存在循环") {
			t.Errorf("a cycle: %d %v", status, problemsOn(out))
		}
		// An unmapped field, published: refused with the report.
		unmapped := clone()
		unmapped.Fields = unmapped.Fields[:len(unmapped.Fields)-1]
		status, out, _ = post("publish", unmapped, base.Version)
		if status != http.StatusBadRequest || !hasLine(problemsOn(out), "的字段「联系电话」没有对应的表单字段") ||
			!strings.Contains(out, `id="form-error"`) {
			t.Errorf("an unmapped field published: %d %v", status, problemsOn(out))
		}
		// A paper asked twice (出生医学证明补发 and 出生登记 both ask 父母居民身份证).
		twice := clone()
		twice.Components = append(twice.Components, tongban.BundleComponent{Key: "reissue",
			ListingCode: "000109502000-511600000000-000-11511600MB30807474-1-00", ListingAnswers: map[string]string{"s1": "a1"}})
		status, out, _ = post("check", twice, base.Version)
		if status != http.StatusOK || !hasLine(problemsOn(out), "材料「父母居民身份证」在「出生登记（新生儿入户）」和「出生医学证明补发、换发」中重复要求") {
			t.Errorf("a paper asked twice: %d %v", status, problemsOn(out))
		}
		// Not JSON: named on its field.
		status, out, _ = admin.post(path, path, url.Values{"action": {"save"}, "definition": {"{"}, "version": {fmt.Sprint(base.Version)}})
		if status != http.StatusBadRequest || !strings.Contains(out, `id="error-definition"`) {
			t.Errorf("bad JSON: %d %s", status, errorOf(out))
		}
		if got := demoBundle(t, a, "YJS-XSECS"); got.Version != base.Version || got.Status != tongban.BundlePublished {
			t.Fatalf("refused edits wrote version %d %s", got.Version, got.Status)
		}

		// Saving keeps a draft beside the published version, which stays live.
		edited := clone()
		edited.Summary = "出生一件事，一次办好"
		status, out, loc := post("save", edited, base.Version)
		if status != http.StatusSeeOther || loc != path {
			t.Fatalf("save: %d %s", status, errorOf(out))
		}
		v1 := demoBundle(t, a, "YJS-XSECS")
		if v1.Version != base.Version || v1.Status != tongban.BundlePublished || v1.Summary == edited.Summary ||
			v1.Pending == nil || v1.Pending.Summary != edited.Summary {
			t.Errorf("after saving: version %d %s %q, draft %+v", v1.Version, v1.Status, v1.Summary, v1.Pending)
		}
		_, page = admin.get(path)
		mustContain(t, "editor with a draft", page, `id="bundle-pending"`, `id="bundle-discard"`,
			fmt.Sprintf(`name="draft" value="%d"`, v1.PendingRev))
		if got := definitionOn(t, page); got.Summary != edited.Summary {
			t.Errorf("the editor shows %q, not the draft", got.Summary)
		}
		// The draft the editor started from is stale now.
		if status, _, _ := post("publish", edited, base.Version); status != http.StatusConflict {
			t.Errorf("a stale draft: %d", status)
		}
		draftRev = v1.PendingRev
		status, out, _ = post("publish", edited, base.Version)
		if status != http.StatusSeeOther {
			t.Fatalf("publish: %d %v %s", status, problemsOn(out), errorOf(out))
		}
		if v2 := demoBundle(t, a, "YJS-XSECS"); v2.Version != base.Version+1 || v2.Status != tongban.BundlePublished ||
			v2.Summary != edited.Summary || v2.Pending != nil {
			t.Errorf("after publishing: version %d %s %q, draft %+v", v2.Version, v2.Status, v2.Summary, v2.Pending)
		}
		_, page = admin.get(path)
		if n := strings.Count(page, `class="bundle-version"`); n != base.Version+1 {
			t.Errorf("%d versions listed; want %d", n, base.Version+1)
		}
		if strings.Contains(page, `id="bundle-pending"`) {
			t.Error("a draft shown after publishing it")
		}

		// An unpublished component: the stored definition's report says so.
		l, err := a.Store.ListingByCode(ctx, base.Components[0].ListingCode)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Catalog.Suspend(ctx, identity.Request{}, l.ID, l.Version, "系统升级"); err != nil {
			t.Fatal(err)
		}
		_, page = admin.get(path)
		if !hasLine(problemsOn(page), "当前已暂停，须先发布") {
			t.Errorf("an unpublished component: %v", problemsOn(page))
		}

		// A new bundle: the same definition under its own code, saved as a draft.
		_, page = admin.get("/console/catalog/bundles/new")
		mustContain(t, "new", page, `id="bundle-admin-form"`, `action="/console/catalog/bundles/new"`)
		fresh := clone()
		status, out, _ = admin.post("/console/catalog/bundles/new", "/console/catalog/bundles/new",
			url.Values{"action": {"save"}, "definition": {definitionJSON(t, fresh)}})
		if status != http.StatusConflict || !strings.Contains(out, `id="error-code"`) {
			t.Errorf("a code in use: %d %s", status, errorOf(out))
		}
		fresh.Code, fresh.Name = "YJS-XSECS-B", "新生儿出生“一件事”（试点）"
		status, out, loc = admin.post("/console/catalog/bundles/new", "/console/catalog/bundles/new",
			url.Values{"action": {"save"}, "definition": {definitionJSON(t, fresh)}})
		if status != http.StatusSeeOther {
			t.Fatalf("new bundle: %d %s", status, errorOf(out))
		}
		created := demoBundle(t, a, "YJS-XSECS-B")
		if loc != fmt.Sprintf("/console/catalog/bundles/%d", created.ID) || created.Version != 1 || created.Status != tongban.BundleDraft {
			t.Errorf("created %s at %s: version %d %s", created.Code, loc, created.Version, created.Status)
		}

		// Audited: two saves and one publication by the admin.
		catalog, err := a.Store.UserByLogin(ctx, "catalog")
		if err != nil {
			t.Fatal(err)
		}
		// Still queued for the sealer, or chained (read second, so an entry
		// sealed meanwhile is seen twice, never missed: the detail names
		// the version, so a set counts it once).
		queued, err := a.Store.QueuedAudit(ctx, 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := a.Store.AuditEntries(ctx, 0, 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range queued {
			entries = append(entries, q.Entry)
		}
		seen := map[string]bool{}
		var saves, publishes int
		for _, e := range entries {
			key := e.Action + "|" + e.Object + "|" + e.Detail
			if seen[key] || e.ActorID != catalog.ID || (e.Object != fmt.Sprintf("bundle:%d", base.ID) && e.Object != fmt.Sprintf("bundle:%d", created.ID)) {
				continue
			}
			seen[key] = true
			switch e.Action {
			case "bundle_save":
				saves++
			case "bundle_publish":
				publishes++
			}
		}
		if saves != 2 || publishes != 1 {
			t.Errorf("audited %d saves and %d publications; want 2 and 1", saves, publishes)
		}

		for _, p := range []string{path, "/console/catalog/bundles", "/console/catalog/bundles/new"} {
			_, en := admin.get(p + "?lang=en")
			for _, bad := range chromePunctuation(en) {
				t.Errorf("%s (English) has full-width punctuation in %q", p, bad)
			}
		}

		// A clerk may not edit definitions.
		clerk := b.another()
		clerk.signIn("clerk")
		if status, _ := clerk.get(path); status != http.StatusForbidden {
			t.Errorf("a clerk opened the editor: %d", status)
		}
	})
}
