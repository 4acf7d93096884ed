package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
)

// The console pages of department systems: a system admin registers an
// OIDC client and a webhook (each secret shown once, on the answer), pauses
// the webhook, reads its delivery log and the integration status; a
// department admin may register its own department's webhooks but not OIDC
// clients; a clerk sees none of it.
func TestIntegrationConsole(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	admin := s.as("admin")
	org, err := s.app.Store.OrgByCode(ctx, "gas-scjgj")
	if err != nil {
		t.Fatal(err)
	}
	orgID := strconv.FormatInt(org.ID, 10)

	status, body, _ := admin.post("/console/oidc", "/console/oidc", url.Values{"name": {"市场监管业务系统"}, "org_id": {orgID},
		"redirect_uris": {"https://scjg.gas.example/callback"}, "id_token_alg": {"ES256"}})
	secret := regexp.MustCompile(`id="oidc-client-secret">([^<]+)<`).FindStringSubmatch(body)
	if status != http.StatusCreated || secret == nil || len(secret[1]) < 40 {
		t.Fatalf("register a client: %d %.600s", status, body)
	}
	_, list := admin.get("/console/oidc")
	if strings.Contains(list, secret[1]) || !strings.Contains(list, "市场监管业务系统") {
		t.Error("the client list shows the secret again, or not the client")
	}
	status, body, _ = admin.post("/console/oidc", "/console/oidc", url.Values{"name": {"x"}, "org_id": {orgID},
		"redirect_uris": {"http://scjg.gas.example/cb"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "须使用 https") {
		t.Errorf("an http redirect URI: %d", status)
	}

	status, body, _ = admin.post("/console/webhooks", "/console/webhooks", url.Values{"name": {"办件信息库"}, "org_id": {orgID},
		"url": {"https://bjxxk.gas.example/hook"}, "event_types": {"case.*\nlicense.issued"}, "region_wide": {"on"}})
	hookSecret := regexp.MustCompile(`id="hook-secret">(whsec_[0-9a-f]+)<`).FindStringSubmatch(body)
	if status != http.StatusCreated || hookSecret == nil {
		t.Fatalf("register a webhook: %d %.600s", status, body)
	}
	hooks, err := s.app.Store.Webhooks(ctx, nil, false)
	if err != nil || len(hooks) != 1 || hooks[0].Secret != hookSecret[1] || !hooks[0].RegionWide ||
		strings.Join(hooks[0].EventTypes, ",") != "case.*,license.issued" {
		t.Fatalf("stored webhook: %+v %v", hooks, err)
	}
	id := strconv.FormatInt(hooks[0].ID, 10)
	status, _, loc := admin.post("/console/webhooks", "/console/webhooks/"+id, url.Values{"action": {"pause"}})
	if h, _ := s.app.Store.Webhook(ctx, hooks[0].ID); status != http.StatusSeeOther || h.Active {
		t.Errorf("pause: %d %s, active %v", status, loc, h.Active)
	}
	if status, page := admin.get("/console/webhooks/" + id); status != http.StatusOK || !strings.Contains(page, "暂无投递记录") {
		t.Errorf("delivery log: %d", status)
	}
	if status, page := admin.get("/console/integration"); status != http.StatusOK || !strings.Contains(page, `id="publisher"`) {
		t.Errorf("integration status: %d %.2000s", status, page)
	}

	dept := s.as("deptadmin")
	if status, _ := dept.get("/console/oidc"); status != http.StatusForbidden {
		t.Errorf("a department admin opened /console/oidc: %d", status)
	}
	status, body, _ = dept.post("/console/webhooks", "/console/webhooks", url.Values{"name": {"许可审批系统"}, "org_id": {orgID},
		"url": {"https://xk.gas.example/hook"}})
	if status != http.StatusCreated {
		t.Errorf("a department admin registering its own webhook: %d %.300s", status, body)
	}
	if _, page := dept.get("/console/webhooks"); strings.Contains(page, "办件信息库") {
		t.Error("a department admin sees the city's region-wide webhook")
	}
	clerk := s.as("clerk")
	for _, p := range []string{"/console/webhooks", "/console/oidc", "/console/integration"} {
		if status, _ := clerk.get(p); status != http.StatusForbidden {
			t.Errorf("a clerk opened %s: %d", p, status)
		}
	}
}

// A case's events reach the applicant's 消息中心; the entry links to the
// case and is marked read when opened; the settings page saves an email
// address and the channels chosen.
func TestMessagesAndSettings(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	if err := s.app.Publisher.RunOnce(ctx); err != nil { // the cursors start before the case
		t.Fatal(err)
	}
	c := s.onlineCase()
	if err := s.app.Publisher.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	zhang := s.as(demo.Citizen.IDNumber)
	_, page := zhang.get("/account/messages")
	if !strings.Contains(page, "申请已提交") || !strings.Contains(page, c.Number) || !strings.Contains(page, "未读") {
		t.Fatalf("messages: %.800s", page)
	}
	u := s.user(demo.Citizen.IDNumber)
	notes, _ := s.app.Store.Notifications(ctx, u.ID, false, 10, 0)
	if len(notes) != 1 {
		t.Fatalf("%d notifications", len(notes))
	}
	status, _, loc := zhang.post("/account/messages", "/account/messages/read", url.Values{"id": {strconv.FormatInt(notes[0].ID, 10)},
		"next": {notes[0].Link}})
	if status != http.StatusSeeOther || loc != "/cases/"+c.Number {
		t.Errorf("open a message: %d %s", status, loc)
	}
	if n, _ := s.app.Store.CountUnread(ctx, u.ID); n != 0 {
		t.Errorf("%d unread after opening", n)
	}
	status, _, _ = zhang.post("/account/notify", "/account/notify", url.Values{"email": {"zhangsan@example.cn"},
		"sms:" + "correction": {"on"}, "email:result": {"on"}})
	prefs, _ := s.app.Store.NotifyPrefs(ctx, u.ID)
	if status != http.StatusSeeOther || prefs.Email != "zhangsan@example.cn" || prefs.Wants(tongban.MessageSMS, "case_progress") ||
		!prefs.Wants(tongban.MessageSMS, "correction") || !prefs.Wants(tongban.MessageEmail, "result") {
		t.Errorf("settings saved: %d %+v", status, prefs)
	}
	status, body, _ := zhang.post("/account/notify", "/account/notify", url.Values{"email": {"不是邮箱"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "邮箱地址格式不正确") {
		t.Errorf("a bad email: %d", status)
	}
	if status, page := zhang.get("/account/apps"); status != http.StatusOK || !strings.Contains(page, "尚未授权任何系统") {
		t.Errorf("authorised systems: %d", status)
	}
}
