package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// A draft of the published 开办餐饮店 saved in the console waits beside the
// live version: the guide page, the search hit, the API and the apply page
// keep showing the published one; 放弃草稿 (a stale one refused) drops the
// draft and leaves the live one, audited; a second draft published through
// the check replaces the live version. Both engines.
func TestBundleDraftBesideLiveVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		b, a := siteOn(t, d)
		ctx := context.Background()
		live := demoBundle(t, a, "YJS-KBCYD")
		path := fmt.Sprintf("/console/catalog/bundles/%d", live.ID)
		admin := b.another()
		admin.signIn("catalog")
		firm := b.another()
		firm.signIn(demo.Enterprise.CreditCode)
		_, page := admin.get(path)
		def := definitionOn(t, page)
		save := func(action string, def *tongban.Bundle, version, draft int) (int, string) {
			t.Helper()
			status, out, _ := admin.post(path, path, url.Values{"action": {action}, "definition": {definitionJSON(t, def)},
				"version": {fmt.Sprint(version)}, "draft": {fmt.Sprint(draft)}})
			return status, out
		}
		// applicantsSee checks every applicant-facing path shows want and not other.
		applicantsSee := func(when string, want, other *tongban.Bundle) {
			t.Helper()
			guide := fmt.Sprintf("/bundles/%d", live.ID)
			for _, p := range []string{guide, guide + "/apply"} {
				br := b
				if strings.HasSuffix(p, "/apply") {
					br = firm
				}
				status, page := br.get(p)
				if status != http.StatusOK || !strings.Contains(page, want.Name) || strings.Contains(page, other.Name) {
					t.Errorf("%s: %s shows %d, %q present %v, %q present %v", when, p, status,
						want.Name, strings.Contains(page, want.Name), other.Name, strings.Contains(page, other.Name))
				}
			}
			status, body := b.get(fmt.Sprintf("/api/v1/bundles/%d", live.ID))
			var got tongban.Bundle
			if err := json.Unmarshal([]byte(body), &got); status != http.StatusOK || err != nil || got.Name != want.Name || got.Version != want.Version {
				t.Errorf("%s: the API shows %d %q version %d (%v); want %q version %d", when, status, got.Name, got.Version, err, want.Name, want.Version)
			}
		}

		draft := *def
		draft.Name, draft.Summary = "开饭店“一件事”（新版）", "草稿中的说明"
		if status, out := save("save", &draft, live.Version, live.PendingRev); status != http.StatusSeeOther {
			t.Fatalf("save a draft: %d %s", status, errorOf(out))
		}
		withDraft := demoBundle(t, a, "YJS-KBCYD")
		if withDraft.Version != live.Version || withDraft.Name != live.Name || withDraft.Pending == nil || withDraft.Pending.Name != draft.Name {
			t.Fatalf("after saving: version %d %q, draft %+v", withDraft.Version, withDraft.Name, withDraft.Pending)
		}
		applicantsSee("with a draft", live, &draft)
		if _, list := admin.get("/console/catalog/bundles"); !strings.Contains(list, fmt.Sprintf(`data-pending="%d"`, live.ID)) {
			t.Error("the list does not mark the bundle with a draft")
		}
		status, page := b.get("/search?q=" + url.QueryEscape("开餐馆"))
		if m := bundleResult.FindStringSubmatch(page); status != http.StatusOK || m == nil || m[1] != fmt.Sprint(live.ID) ||
			!strings.Contains(page, live.Name) || strings.Contains(page, draft.Name) {
			t.Errorf("search with a draft: %d %v", status, m)
		}

		// 放弃草稿: a stale editor refused, then the draft dropped, audited.
		discard := func(draft int) (int, string) {
			t.Helper()
			status, out, _ := admin.post(path, path, url.Values{"action": {"discard"}, "version": {fmt.Sprint(live.Version)},
				"draft": {fmt.Sprint(draft)}, "definition": {""}})
			return status, out
		}
		if status, _ := discard(live.PendingRev); status != http.StatusConflict {
			t.Errorf("a stale discard: %d", status)
		}
		if status, out := discard(withDraft.PendingRev); status != http.StatusSeeOther {
			t.Fatalf("discard: %d %s", status, errorOf(out))
		}
		if got := demoBundle(t, a, "YJS-KBCYD"); got.Pending != nil || got.Version != live.Version || got.Name != live.Name {
			t.Errorf("after discarding: version %d %q, draft %+v", got.Version, got.Name, got.Pending)
		}
		_, page = admin.get(path)
		if strings.Contains(page, `id="bundle-pending"`) || definitionOn(t, page).Name != live.Name {
			t.Error("the editor still shows the discarded draft")
		}
		applicantsSee("after discarding", live, &draft)
		// The queue is read before the chain: an entry the sealer moves
		// between the two reads is then seen twice, never missed.
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
		audited := map[string]bool{}
		for _, e := range entries {
			if e.Object == fmt.Sprintf("bundle:%d", live.ID) {
				audited[e.Action] = true
			}
		}
		if !audited["bundle_save"] || !audited["bundle_discard"] {
			t.Errorf("audited %v; want the draft's save and its discard", audited)
		}

		// A second draft, published through the check: it becomes the live version.
		cur := demoBundle(t, a, "YJS-KBCYD")
		if status, out := save("save", &draft, cur.Version, cur.PendingRev); status != http.StatusSeeOther {
			t.Fatalf("save again: %d %s", status, errorOf(out))
		}
		cur = demoBundle(t, a, "YJS-KBCYD")
		if status, out := save("publish", &draft, cur.Version, cur.PendingRev); status != http.StatusSeeOther {
			t.Fatalf("publish the draft: %d %v %s", status, problemsOn(out), errorOf(out))
		}
		published := demoBundle(t, a, "YJS-KBCYD")
		if published.Version != live.Version+1 || published.Status != tongban.BundlePublished || published.Name != draft.Name || published.Pending != nil {
			t.Fatalf("after publishing: version %d %s %q, draft %+v", published.Version, published.Status, published.Name, published.Pending)
		}
		applicantsSee("after publishing", published, live)
	})
}
