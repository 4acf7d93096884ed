package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/stats"
	"github.com/xuri/excelize/v2"
)

// The 成绩单 of a month with a hand-made fixture of rollup cells, under
// the weighting ontime=50,good=30,rectify=20 (一窗受理率 and 网上可办率 not
// weighed): the page, the xlsx cells and the API give the hand-computed
// ranks and scores, with the formula beside them.
func TestScorecardByHand(t *testing.T) {
	t.Parallel()
	b, a := guideSiteWith(t, func(c *app.Config) {
		w, err := stats.ParseWeights("ontime=50,good=30,rectify=20")
		if err != nil {
			t.Fatal(err)
		}
		c.ScoreWeights = w
	})
	ctx := context.Background()
	org := func(name string) *tongban.Org {
		orgs, err := a.Store.Orgs(ctx, tongban.OrgFilter{Name: name})
		if err != nil || len(orgs) != 1 {
			t.Fatalf("%s: %v %v", name, orgs, err)
		}
		return orgs[0]
	}
	city, district, county := org("广安市市场监督管理局"), org("广安区市场监督管理局"), org("岳池县市场监督管理局")
	cell := func(o *tongban.Org, day string) tongban.RollupKey {
		return tongban.RollupKey{Day: day, RegionCode: o.RegionCode, OrgID: o.ID, ListingID: 1, Channel: tongban.ChannelOnline}
	}
	rcell := func(o *tongban.Org) tongban.RatingRollupKey {
		return tongban.RatingRollupKey{Day: "2019-01-15", RegionCode: o.RegionCode, OrgID: o.ID, Channel: tongban.RatingWeb}
	}
	err := a.Store.Transact(ctx, func(tx tongban.Store) error {
		wm, err := tx.RollupWatermark(ctx)
		if err != nil {
			return err
		}
		if err := tx.ApplyRollups(ctx, map[tongban.RollupKey]tongban.RollupCounts{
			cell(city, "2019-01-10"):     {Closed: 4, ClosedOnTime: 3},
			cell(district, "2019-01-11"): {Closed: 2, ClosedOnTime: 2},
			cell(county, "2019-01-31"):   {Closed: 5, ClosedOnTime: 1},
			cell(county, "2019-02-01"):   {Closed: 5, ClosedOnTime: 5}, // February: not in January's 成绩单
		}, wm); err != nil {
			return err
		}
		if wm, err = tx.RatingRollupWatermark(ctx); err != nil {
			return err
		}
		return tx.ApplyRatingRollups(ctx, map[tongban.RatingRollupKey]tongban.RatingRollupCounts{
			rcell(city):     {Rated: 5, Good: 4, Bad: 1, Tickets: 1, Closed: 1, ClosedOnTime: 1},
			rcell(district): {Rated: 4, Good: 1, Bad: 2, Tickets: 2, Closed: 2},
		}, wm)
	})
	if err != nil {
		t.Fatal(err)
	}
	// By hand, January 2019:
	//   广安市市场监督管理局 50×3/4 + 30×4/5 + 20×1/1 = 37.5 + 24 + 20 = 81.5, first;
	//   广安区市场监督管理局 50×2/2 + 30×1/4 + 20×0/2 = 50 + 7.5 = 57.5, second;
	//   岳池县市场监督管理局 50×1/5 ÷ 50 (nobody rated) = 20, third.
	// Districts: 广安区 57.5, 岳池县 20; the city's department is in none.
	type want struct {
		rank          string
		name, weighed string
		score         string
	}
	departments := []want{{"1", "广安市市场监督管理局", "100", "81.50"}, {"2", "广安区市场监督管理局", "100", "57.50"},
		{"3", "岳池县市场监督管理局", "50", "20.00"}}
	districts := []want{{"1", "广安区", "100", "57.50"}, {"2", "岳池县", "50", "20.00"}}

	b.signIn("supervisor")
	status, page := b.get("/console/ratings?month=2019-01")
	if status != http.StatusOK {
		t.Fatalf("page: %d %s", status, errorOf(page))
	}
	mustContain(t, "formula", page, "50×按时办结率 + 30×好评率 + 20×整改按时率", "2019-01-01 — 2019-01-31",
		`href="/console/ratings.xlsx?from=2019-01-01&amp;to=2019-01-31"`)
	rowsOf := func(id string) [][]string {
		i := strings.Index(page, `id="`+id+`"`)
		if i < 0 {
			t.Fatalf("no table %s", id)
		}
		body := page[i:]
		body = body[strings.Index(body, "<tbody>"):strings.Index(body, "</tbody>")]
		var rows [][]string
		for _, tr := range strings.Split(body, "<tr>")[1:] {
			var cells []string
			for _, td := range strings.Split(tr, "<td>")[1:] {
				cells = append(cells, td[:strings.Index(td, "</td>")])
			}
			rows = append(rows, cells)
		}
		return rows
	}
	checkPage := func(id string, ws []want) {
		rows := rowsOf(id)
		for i, w := range ws {
			// 名次, 名称, five rates, 计入权重, 得分
			if i >= len(rows) || len(rows[i]) != 9 || rows[i][0] != w.rank || rows[i][1] != w.name || rows[i][7] != w.weighed || rows[i][8] != w.score {
				t.Errorf("page %s row %d: %v, want %+v", id, i, rows, w)
				return
			}
		}
		// Every other row (departments with listings only) has no score.
		for _, r := range rows[len(ws):] {
			if r[0] != "—" || r[8] != "—" {
				t.Errorf("page %s: an unscored row is ranked: %v", id, r)
			}
		}
	}
	checkPage("score-departments", departments)
	checkPage("score-districts", districts)
	if r := rowsOf("score-departments")[0]; r[2] != "75.0%" || r[3] != "80.0%" || r[4] != "100.0%" {
		t.Errorf("the city's rates: %v", r)
	}

	// The xlsx has the same rows and numbers.
	status, file := b.get("/console/ratings.xlsx?month=2019-01")
	if status != http.StatusOK {
		t.Fatalf("xlsx: %d %s", status, errorOf(file))
	}
	x, err := excelize.OpenReader(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	for sheet, ws := range map[string][]want{"部门": departments, "区县": districts} {
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < len(ws)+1 || rows[0][0] != "名次" || rows[0][8] != "得分" {
			t.Fatalf("sheet %s: %v", sheet, rows)
		}
		for i, w := range ws {
			r := rows[i+1]
			if r[0] != w.rank || r[1] != w.name || r[7] != w.weighed || r[8] != strings.TrimSuffix(strings.TrimSuffix(w.score, "0"), ".0") {
				t.Errorf("sheet %s row %d: %v, want %+v", sheet, i+1, r, w)
			}
		}
	}
	if v, _ := x.GetCellValue("部门", "C2"); v != "75" {
		t.Errorf("部门 C2 (按时办结率 %%) = %q, want 75", v)
	}
	if v, _ := x.GetCellValue("说明", "B3"); !strings.Contains(v, "50×按时办结率") {
		t.Errorf("formula cell: %q", v)
	}

	// The API answers the same.
	status, body := b.get("/api/v1/stats/score?month=2019-01")
	var sc stats.Scorecard
	if status != http.StatusOK || json.Unmarshal([]byte(body), &sc) != nil {
		t.Fatalf("api: %d %s", status, body)
	}
	for i, w := range departments {
		r := sc.Departments[i]
		if got := []string{fmt.Sprint(r.Rank), r.Name, fmt.Sprint(r.Weighed), fmtScore(r.Score)}; strings.Join(got, "|") != strings.Join([]string{w.rank, w.name, w.weighed, w.score}, "|") {
			t.Errorf("api department %d: %v, want %+v", i, got, w)
		}
	}
	if len(sc.Districts) < 2 || sc.Districts[0].Name != "广安区" || *sc.Districts[0].Score != 57.5 || sc.Weights.String() != "ontime=50,good=30,rectify=20" {
		t.Errorf("api districts and weights: %+v %v", sc.Districts, sc.Weights)
	}

	// Refusals: a bad month, a filter the ranking ignores, a clerk.
	if status, page := b.get("/console/ratings?month=2019-13"); status != http.StatusBadRequest || !strings.Contains(page, "月份应为") {
		t.Errorf("bad month: %d %s", status, errorOf(page))
	}
	if status, body := b.get("/api/v1/stats/score?channel=online"); status != http.StatusBadRequest || !strings.Contains(body, `"channel"`) {
		t.Errorf("channel: %d %s", status, body)
	}
	clerk := b.another()
	clerk.signIn("clerk")
	if status, _ := clerk.get("/console/ratings"); status != http.StatusForbidden {
		t.Errorf("clerk: %d", status)
	}
}

// fmtScore writes a score as the page does.
func fmtScore(s *float64) string {
	if s == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f", *s)
}
