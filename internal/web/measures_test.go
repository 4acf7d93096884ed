package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/tongban/tongban/internal/workflow"
)

func TestMeasuresPage(t *testing.T) {
	s := newCaseSite(t)
	ctx := context.Background()
	c := s.onlineCase()
	s.onlineCase()
	if _, err := s.app.Workflow.Accept(ctx, workflow.Request{Actor: s.user("clerk")}, c.ID, workflow.AcceptInput{Owed: []string{"m5"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.app.Stats.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	status, page := s.as("supervisor").get("/console/measures")
	if status != http.StatusOK {
		t.Fatalf("measures: %d", status)
	}
	mustContain(t, "measures", page, "广安市市场监督管理局", "网上可办率", "材料减少率", "暂无评价数据", `id="measures"`)
	if status, _ := s.as("clerk").get("/console/measures"); status != http.StatusForbidden {
		t.Errorf("clerk on measures: %d", status)
	}
	if _, page := s.as("supervisor").get("/console"); !strings.Contains(page, "/console/measures") {
		t.Errorf("console has no link to the measures")
	}
}
