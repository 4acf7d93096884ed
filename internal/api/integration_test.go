package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/workflow"
)

// Department systems through the API (every answer checked against the
// OpenAPI document): a system admin registers an OIDC client (secret once)
// and a webhook; a case's events reach the webhook signed; the delivery
// log lists them and a redelivery sends one again; a department admin may
// not register clients nor see the city's webhook; bad input names the field.
func TestIntegrationAPI(t *testing.T) {
	t.Parallel()
	srv, a := site(t)
	ctx := context.Background()
	admin := newClient(t, srv)
	admin.login("admin")
	org, err := a.Store.OrgByCode(ctx, "gas-scjgj")
	if err != nil {
		t.Fatal(err)
	}

	status, body := admin.json("POST", "/api/v1/oidc/clients", map[string]any{"name": "市场监管业务系统", "org_id": org.ID,
		"redirect_uris": []string{"https://scjg.gas.example/callback"}, "public": false})
	var client struct {
		ClientID string `json:"client_id"`
		Secret   string `json:"client_secret"`
		Alg      string `json:"id_token_signed_response_alg"`
	}
	if json.Unmarshal(body, &client); status != http.StatusCreated || client.Secret == "" || client.Alg != "RS256" {
		t.Fatalf("register a client: %d %s", status, body)
	}
	status, body = admin.do("GET", "/api/v1/oidc/clients", nil)
	if status != http.StatusOK || !strings.Contains(string(body), client.ClientID) || strings.Contains(string(body), client.Secret) {
		t.Errorf("client list: %d %s", status, body)
	}
	status, body = admin.json("PATCH", "/api/v1/oidc/clients/"+client.ClientID, map[string]any{"disabled": true})
	if status != http.StatusOK || !strings.Contains(string(body), `"disabled":true`) {
		t.Errorf("disable: %d %s", status, body)
	}
	status, body = admin.json("POST", "/api/v1/oidc/clients", map[string]any{"name": "x", "org_id": org.ID,
		"redirect_uris": []string{"https://a.example/cb#frag"}, "public": true})
	wantError(t, status, body, 400, "invalid", "redirect_uris[0]")

	recv := &hookSink{}
	sink := httptest.NewServer(recv)
	defer sink.Close()
	status, body = admin.json("POST", "/api/v1/webhooks", map[string]any{"name": "许可审批系统", "org_id": org.ID,
		"url": sink.URL, "event_types": []string{"case.*"}})
	var hook struct {
		ID     int64  `json:"id"`
		Secret string `json:"secret"`
	}
	if json.Unmarshal(body, &hook); status != http.StatusCreated || !strings.HasPrefix(hook.Secret, "whsec_") {
		t.Fatalf("register a webhook: %d %s", status, body)
	}
	recv.secret = hook.Secret
	status, body = admin.json("POST", "/api/v1/webhooks", map[string]any{"name": "x", "org_id": org.ID, "url": "ftp://x"})
	wantError(t, status, body, 400, "invalid", "url")

	// A case of the department, published by the app's publisher.
	if err := a.Publisher.RunOnce(ctx); err != nil { // the cursors start before the case
		t.Fatal(err)
	}
	c := submitFoodCase(t, a)
	for i := 0; i < 50 && recv.count() == 0; i++ {
		if err := a.Publisher.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	got := recv.events()
	if len(got) != 1 || got[0] != "case.submit case:"+c.Number {
		t.Fatalf("the webhook got %v", got)
	}
	// The receiver counts a delivery before the publisher (the test's or
	// the app's own) records it: wait for the record.
	var log struct {
		Deliveries []struct {
			ID       int64  `json:"id"`
			Status   string `json:"status"`
			Attempts int    `json:"attempts"`
		} `json:"deliveries"`
	}
	for i := 0; i < 100; i++ {
		status, body = admin.do("GET", fmt.Sprintf("/api/v1/webhooks/%d/deliveries?status=delivered", hook.ID), nil)
		if json.Unmarshal(body, &log); status != http.StatusOK || len(log.Deliveries) > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if status != http.StatusOK || len(log.Deliveries) != 1 || log.Deliveries[0].Attempts != 1 {
		t.Fatalf("delivery log: %d %s", status, body)
	}
	status, body = admin.do("POST", fmt.Sprintf("/api/v1/webhook-deliveries/%d/redeliver", log.Deliveries[0].ID), nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"status":"pending"`) {
		t.Fatalf("redeliver: %d %s", status, body)
	}
	for i := 0; i < 50 && recv.count() < 2; i++ {
		a.Publisher.RunOnce(ctx)
		time.Sleep(20 * time.Millisecond)
	}
	if n := recv.count(); n != 2 {
		t.Errorf("after a redelivery the webhook got %d deliveries, want 2 (one event, twice)", n)
	}
	// The same wait for the redelivery's record.
	for i := 0; i < 100; i++ {
		if status, body = admin.do("GET", "/api/v1/webhooks", nil); strings.Contains(string(body), `"delivered":1`) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if status != http.StatusOK || !strings.Contains(string(body), `"delivered":1`) || strings.Contains(string(body), hook.Secret) {
		t.Errorf("webhook list: %d %s", status, body)
	}
	status, body = admin.do("GET", fmt.Sprintf("/api/v1/webhooks/%d/deliveries?status=lost", hook.ID), nil)
	wantError(t, status, body, 400, "invalid", "status")

	dept := newClient(t, srv)
	dept.login("deptadmin")
	status, body = dept.json("POST", "/api/v1/oidc/clients", map[string]any{"name": "x", "org_id": org.ID,
		"redirect_uris": []string{"https://a.example/cb"}, "public": true})
	wantError(t, status, body, 403, "forbidden", "")
	status, body = dept.json("POST", "/api/v1/webhooks", map[string]any{"name": "全市", "org_id": org.ID, "url": sink.URL,
		"region_wide": true})
	wantError(t, status, body, 403, "forbidden", "")
	clerk := newClient(t, srv)
	clerk.login("clerk")
	status, body = clerk.do("GET", fmt.Sprintf("/api/v1/webhooks/%d/deliveries", hook.ID), nil)
	wantError(t, status, body, 403, "forbidden", "")
}

// hookSink is a department system's endpoint that checks signatures.
type hookSink struct {
	mu     sync.Mutex
	secret string
	got    []string
}

func (h *hookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := outbox.Verify(h.secret, r.Header.Get(outbox.HeaderTimestamp), r.Header.Get(outbox.HeaderSignature), body,
		time.Now(), time.Minute); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var e struct {
		Type    string `json:"type"`
		Subject string `json:"subject"`
	}
	json.Unmarshal(body, &e)
	h.got = append(h.got, e.Type+" "+e.Subject)
	w.WriteHeader(http.StatusNoContent)
}

func (h *hookSink) count() int { h.mu.Lock(); defer h.mu.Unlock(); return len(h.got) }

func (h *hookSink) events() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.got...)
}

// submitFoodCase files the demo citizen's online application for
// 食品经营许可证核发 at the city's market regulator (through the workflow:
// the case itself is not what this test is about).
func submitFoodCase(t *testing.T, a *app.App) *tongban.Case {
	t.Helper()
	ctx := context.Background()
	org, _ := a.Store.OrgByCode(ctx, "gas-scjgj")
	ls, err := a.Store.Listings(ctx, tongban.ListingFilter{OrgID: org.ID, Q: "食品经营许可证核发", Status: tongban.ListingPublished})
	if err != nil || len(ls) != 1 {
		t.Fatalf("food listing: %v %d", err, len(ls))
	}
	u, err := a.Store.UserByLogin(ctx, demo.Citizen.IDNumber)
	if err != nil {
		t.Fatal(err)
	}
	var ms []tongban.CaseMaterial
	for _, k := range []string{"m1", "m2", "m3", "m4"} {
		ms = append(ms, tongban.CaseMaterial{Key: k, Status: tongban.MaterialProvided})
	}
	c, err := a.Workflow.Submit(ctx, workflow.Request{Actor: u}, workflow.Application{ListingID: ls[0].ID,
		Channel: tongban.ChannelOnline, Materials: ms})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
