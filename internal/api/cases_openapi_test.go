package api_test

import (
	"encoding/json"
	"testing"
)

// TestCasesOpenAPI: the case routes are described with their real bodies:
// uploads as multipart or raw files, notices as PDF, cases with the case's
// own fields (embedded structs are inlined, forms are any JSON).
func TestCasesOpenAPI(t *testing.T) {
	t.Parallel()
	srv, _ := site(t)
	status, body := newClient(t, srv).do("GET", "/api/v1/openapi.json", nil)
	if status != 200 {
		t.Fatalf("openapi: %d", status)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]any `json:"content"`
			} `json:"requestBody"`
			Responses map[string]struct {
				Content map[string]any `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	up := doc.Paths["/api/v1/uploads"]["post"]
	for _, mt := range []string{"multipart/form-data", "application/pdf", "image/jpeg", "image/png", "application/ofd"} {
		if up.RequestBody.Content[mt] == nil {
			t.Errorf("upload body %s not described", mt)
		}
	}
	if doc.Paths["/api/v1/cases/{number}/notices/{kind}"]["get"].Responses["200"].Content["application/pdf"] == nil {
		t.Error("notice PDF not described")
	}
	if doc.Paths["/api/v1/cases/{number}/qr.png"]["get"].Responses["200"].Content["image/png"] == nil {
		t.Error("QR PNG not described")
	}
	for _, action := range []string{"accept", "reject", "correction", "supplement", "review", "approve", "deny",
		"special-start", "special-end", "issue", "deliver", "close", "withdraw", "owed", "post-check"} {
		if _, ok := doc.Paths["/api/v1/cases/{number}/"+action]["post"]; !ok {
			t.Errorf("action %s not described", action)
		}
	}
	view := doc.Components.Schemas["caseView"].Properties
	for _, p := range []string{"number", "state", "form", "time", "events", "actions", "notices"} {
		if view[p] == nil {
			t.Errorf("caseView schema lacks %q: %v", p, view)
		}
	}
	if string(view["form"]) != "{}" {
		t.Errorf("form schema %s, want any JSON", view["form"])
	}
	if view["Case"] != nil {
		t.Error("the embedded case must be inlined, not a Case property")
	}
}
