package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/workflow"
)

// The applicant is offered the rating form once the case is decided, not
// before; a 差评 without a reason comes back naming it; a rating shows with
// its ticket and the form is gone; staff posting the form are refused.
func TestCasePageRating(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	c := s.onlineCase()
	page := "/cases/" + c.Number
	citizen := s.as(demo.Citizen.IDNumber)
	if _, body := citizen.get(page); strings.Contains(body, `id="rate"`) {
		t.Fatal("the rating form is offered before the decision")
	}
	if _, err := s.app.Workflow.Reject(context.Background(), workflow.Request{Actor: s.user("clerk")}, c.ID,
		[]string{"申请事项不属于本机关职权范围"}); err != nil {
		t.Fatal(err)
	}
	_, body := citizen.get(page)
	mustContain(t, "decided case page", body, `id="rate"`, `name="level" value="1"`, `value="多次跑动"`, `name="ind_办事效率"`)

	status, body, _ := citizen.post(page, page+"/rating", url.Values{"level": {"2"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "差评须选择或填写原因") {
		t.Fatalf("a 差评 without a reason: %d %s", status, errorOf(body))
	}
	if rs, _ := s.app.Store.CaseRatings(context.Background(), c.ID); len(rs) != 0 {
		t.Fatalf("a refused rating stored %d rows", len(rs))
	}
	status, _, loc := citizen.post(page, page+"/rating", url.Values{"level": {"2"}, "reasons": {"多次跑动", "其他"},
		"comment": {"窗口说法和网上指南不一致"}, "ind_办事效率": {"2"}, "ind_指南准确": {"1"}})
	if status != http.StatusSeeOther || loc != page {
		t.Fatalf("rating: %d → %s", status, loc)
	}
	_, body = citizen.get(page)
	mustContain(t, "rated case page", body, `id="my-rating"`, "不满意", "窗口说法和网上指南不一致", `id="rating-ticket"`, "待核实")
	if strings.Contains(body, `id="rate"`) {
		t.Error("the form is still offered after rating")
	}
	rs, err := s.app.Store.CaseRatings(context.Background(), c.ID)
	if err != nil || len(rs) != 1 || rs[0].Channel != tongban.RatingWeb || rs[0].Indicators["指南准确"] != 1 || len(rs[0].Reasons) != 2 {
		t.Fatalf("stored = %+v, %v", rs, err)
	}

	clerk := s.as("clerk")
	if status, _, _ := clerk.post("/console/cases/"+c.Number, page+"/rating", url.Values{"level": {"5"}}); status != http.StatusForbidden {
		t.Errorf("a clerk posting the applicant's rating: %d; want 403", status)
	}
	if _, body := clerk.get(page); strings.Contains(body, `id="my-rating"`) || strings.Contains(body, "窗口说法和网上指南不一致") {
		t.Error("staff viewing the case page see the applicant's rating")
	}
}

// 好评率 on the measures page counts the ratings given and nothing else:
// two decided cases rated 非常满意 and 不满意, a third decided but unrated,
// make 50.0% of 2 ratings for the department.
func TestMeasuresCountOnlyGivenRatings(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	ctx := context.Background()
	citizen := s.user(demo.Citizen.IDNumber)
	for i, in := range []*rating.Input{
		{Channel: tongban.RatingWeb, Level: tongban.RatingVerySatisfied},
		{Channel: tongban.RatingSMS, Level: tongban.RatingDissatisfied, Reasons: []string{"办理时间过长"}},
		nil,
	} {
		c := s.onlineCase()
		if _, err := s.app.Workflow.Reject(ctx, workflow.Request{Actor: s.user("clerk")}, c.ID, []string{"不属于本机关职权范围"}); err != nil {
			t.Fatal(err)
		}
		if in == nil {
			continue
		}
		if _, err := s.app.Ratings.Submit(ctx, identity.Request{Actor: citizen}, c.Number, *in); err != nil {
			t.Fatalf("rating %d: %v", i, err)
		}
	}
	if err := s.app.Stats.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	_, page := s.as("supervisor").get("/console/measures")
	row := page[strings.Index(page, "<td>广安市市场监督管理局</td>"):]
	row = row[:strings.Index(row, "</tr>")]
	if !strings.Contains(row, "<td>50.0%<br><small class=\"hint\">2 条评价</small></td>") {
		t.Errorf("department row: %s", row)
	}
	_, page = s.as("supervisor").get("/console/measures?channel=online")
	mustContain(t, "measures by channel", page, "评价数据不按事项或办理渠道筛选")
}
