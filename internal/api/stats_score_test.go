package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// The 成绩单 over the API answers within the contract (every answer of the
// test server is checked against the OpenAPI document), ranks with the
// default weighting, and refuses a clerk and a filter it does not take.
func TestScoreOverHTTP(t *testing.T) {
	t.Parallel()
	srv, _, _ := caseSite(t)
	sup := signIn(t, srv, "supervisor")
	status, body := sup.do("GET", "/api/v1/stats/score?month=2026-03", nil)
	var sc struct {
		From, To    string
		Formula     string
		Weights     map[string]int
		Departments []struct {
			Rank    int      `json:"rank"`
			Name    string   `json:"name"`
			Weighed int      `json:"weighed"`
			Score   *float64 `json:"score"`
		}
	}
	if status != http.StatusOK || json.Unmarshal(body, &sc) != nil || sc.From != "2026-03-01" || sc.To != "2026-03-31" ||
		sc.Weights["ontime"] != 30 || !strings.Contains(sc.Formula, "30×按时办结率") || len(sc.Departments) == 0 {
		t.Fatalf("score: %d %.500s", status, body)
	}
	// In the demo city nothing is closed or rated in March yet: each
	// department stands on its 网上可办率 alone, weighed 10.
	for _, d := range sc.Departments {
		if d.Score != nil && d.Weighed != 10 {
			t.Errorf("%s weighed %d: %.300s", d.Name, d.Weighed, body)
		}
	}
	if status, body := sup.do("GET", "/api/v1/stats/score?item=1", nil); status != http.StatusBadRequest || !strings.Contains(string(body), `"item"`) {
		t.Errorf("item: %d %s", status, body)
	}
	if status, _ := signIn(t, srv, "clerk").do("GET", "/api/v1/stats/score", nil); status != http.StatusForbidden {
		t.Errorf("clerk: %d", status)
	}
}
