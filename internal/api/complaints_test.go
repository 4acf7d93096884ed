package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/tongban/tongban/internal/demo"
)

type complaintJSON struct {
	Complaint struct {
		Number      string `json:"number"`
		Source      string `json:"source"`
		State       string `json:"state"`
		Name        string `json:"name"`
		Phone       string `json:"phone"`
		DispatchDue string `json:"dispatch_due"`
		ReplyDue    string `json:"reply_due"`
		Version     int    `json:"version"`
	} `json:"complaint"`
	Events []struct {
		Action string `json:"action"`
	} `json:"events"`
}

// A 12345 hotline system files a complaint with its API token and gets its
// ticket number; the hotline dispatches it, the department replies, and the
// supervisor reads the complaint measures. Names and phones are masked;
// nobody else finds the ticket.
func TestComplaintFromTheHotlineOverHTTP(t *testing.T) {
	t.Parallel()
	srv, a, _ := caseSite(t)
	hotline := signIn(t, srv, "hotline")
	tok := hotline.token("12345热线平台")
	machine := newClient(t, srv)
	post := func(body map[string]any) (int, []byte) {
		b, _ := json.Marshal(body)
		return machine.do("POST", "/api/v1/complaints", b, "Authorization", "Bearer "+tok, "Content-Type", "application/json")
	}
	in := map[string]any{"kind": "cannot_do", "content": "办理食品经营许可证延续，窗口要求提供的材料与办事指南不一致",
		"name": "王五", "external_ref": "GA12345-20260301-0001"}
	status, body := post(in)
	wantError(t, status, body, http.StatusBadRequest, "invalid", "phone")
	in["phone"] = "13700137000"
	status, body = post(in)
	var got complaintJSON
	if status != http.StatusCreated || json.Unmarshal(body, &got) != nil {
		t.Fatalf("file: %d %s", status, body)
	}
	c := got.Complaint
	if c.Number == "" || c.Source != "hotline" || c.State != "received" || c.DispatchDue == "" || c.Name != "王*" || c.Phone != "137****7000" {
		t.Fatalf("filed = %+v", c)
	}
	path := "/api/v1/complaints/" + c.Number
	dept, err := a.Store.OrgByCode(context.Background(), "gas-scjgj")
	if err != nil {
		t.Fatal(err)
	}
	citizen := signIn(t, srv, demo.Citizen.IDNumber)
	status, body = citizen.do("GET", path, nil)
	wantError(t, status, body, http.StatusNotFound, "not_found", "")
	status, body = hotline.json("POST", path+"/steps", map[string]any{"action": "dispatch", "org_id": dept.ID, "version": c.Version})
	if status != http.StatusOK || json.Unmarshal(body, &got) != nil || got.Complaint.State != "assigned" || got.Complaint.ReplyDue == "" {
		t.Fatalf("dispatch: %d %s", status, body)
	}
	admin := signIn(t, srv, "deptadmin")
	status, body = admin.json("POST", path+"/steps", map[string]any{"action": "reply"})
	wantError(t, status, body, http.StatusBadRequest, "invalid", "text")
	status, body = admin.json("POST", path+"/steps", map[string]any{"action": "reply", "text": "已统一窗口口径并联系反映人补办"})
	if status != http.StatusOK || json.Unmarshal(body, &got) != nil || got.Complaint.State != "replied" || len(got.Events) != 3 {
		t.Fatalf("reply: %d %s", status, body)
	}
	status, body = machine.do("GET", path, nil, "Authorization", "Bearer "+tok)
	if status != http.StatusOK || json.Unmarshal(body, &got) != nil || got.Complaint.State != "replied" {
		t.Fatalf("the hotline system reading its ticket: %d %s", status, body)
	}
	var list []json.RawMessage
	if status, body := admin.do("GET", "/api/v1/complaints", nil); status != http.StatusOK || json.Unmarshal(body, &list) != nil || len(list) != 1 {
		t.Errorf("the department's complaints: %d %s", status, body)
	}
	var m struct {
		Total struct {
			Received, Dispatched, Replied int
		} `json:"total"`
	}
	if err := a.Stats.Refresh(context.Background()); err != nil { // the measures read the rollups
		t.Fatal(err)
	}
	status, body = signIn(t, srv, "supervisor").do("GET", "/api/v1/stats/complaints", nil)
	if status != http.StatusOK || json.Unmarshal(body, &m) != nil || m.Total.Received != 1 || m.Total.Dispatched != 1 || m.Total.Replied != 1 {
		t.Errorf("complaint measures: %d %s", status, body)
	}
}
