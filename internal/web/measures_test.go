package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/workflow"
)

func TestMeasuresPage(t *testing.T) {
	t.Parallel()
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

	// Every filter of the API is offered: period, region, department,
	// item, channel, and the listings once a department is chosen.
	mustContain(t, "filters", page, `name="from"`, `name="to"`, `name="region"`, `name="org"`, `name="item"`, `name="channel"`,
		`<option value="511602000000">广安区</option>`)
	if strings.Contains(page, `name="listing"`) {
		t.Errorf("listings offered before a department or item narrows them")
	}
	// Departments: the city's before the districts', each by name in
	// pinyin order (公安 gong before 市场监管 shi), not by character code.
	orgs := page[strings.Index(page, `name="org"`):strings.Index(page, `name="item"`)]
	order := []string{">广安市公安局<", ">广安市市场监督管理局<", ">广安区市场监督管理局<", ">岳池县市场监督管理局<"}
	for i := 1; i < len(order); i++ {
		if a, b := strings.Index(orgs, order[i-1]), strings.Index(orgs, order[i]); a < 0 || b < 0 || a > b {
			t.Errorf("department options: %s should come before %s", order[i-1], order[i])
		}
	}
	l := s.foodListing()
	org := fmt.Sprint(l.OrgID)
	_, byOrg := s.as("supervisor").get("/console/measures?org=" + org)
	mustContain(t, "by department", byOrg, `name="listing"`, `<option value="`+org+`" selected>`, ">食品经营许可证核发<")

	// The item filter is honoured: the food item keeps the department's
	// two applications; another item shows none of them.
	row := func(page string) string {
		i := strings.Index(page, "<tbody>")
		j := strings.Index(page, "</tbody>")
		return page[i:j]
	}
	_, food := s.as("supervisor").get(fmt.Sprintf("/console/measures?item=%d", l.ItemID))
	mustContain(t, "food item", row(food), "<td>广安市市场监督管理局</td>")
	other, err := s.app.Store.Listings(ctx, tongban.ListingFilter{Q: "社会保障卡申领", Status: tongban.ListingPublished})
	if err != nil || len(other) == 0 {
		t.Fatalf("card listing: %v", err)
	}
	_, card := s.as("supervisor").get(fmt.Sprintf("/console/measures?item=%d", other[0].ItemID))
	if strings.Contains(row(card), "市场监督管理局") {
		t.Errorf("another item's measures show the food department:\n%s", row(card))
	}
	if status, page := s.as("supervisor").get("/console/measures?item=abc"); status != http.StatusBadRequest || !strings.Contains(page, "应为正整数") {
		t.Errorf("bad item: %d", status)
	}
}
