package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/stats"
)

// TestScoreByHand ranks four departments and two districts of a small
// fixture by the default weights (按时办结率 30, 好评率 30, 整改按时率 20,
// 一窗受理率 10, 网上可办率 10) and checks every score against a hand
// count; a measure with no denominator leaves the score with its weight.
func TestScoreByHand(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		a, _ := seedRegionsAndOrgs(t, st) // 广安市广安区市场监督管理局, in 广安区
		if err := st.CreateRegion(ctx, &tongban.Region{Code: "511621000000", Name: "岳池县"}); err != nil {
			t.Fatal(err)
		}
		org := func(code, name, region string) *tongban.Org {
			o := &tongban.Org{Code: code, Name: name, Kind: tongban.OrgDepartment, RegionCode: region}
			if err := st.CreateOrg(ctx, o); err != nil {
				t.Fatal(err)
			}
			return o
		}
		b := org("bc-sqfw", "北辰街道便民服务中心", "511602001000") // a town's, counted in 广安区
		c := org("yc-scjgj", "岳池县市场监督管理局", "511621000000")
		dd := org("gas-gaj", "广安市公安局", "511600000000") // the city's: ranked, in no district
		it := sampleItem()
		if err := st.CreateItem(ctx, it); err != nil {
			t.Fatal(err)
		}
		for i, l := range []struct {
			o     *tongban.Org
			depth tongban.OnlineDepth
		}{{a, tongban.DepthOnlineVerify}, {a, tongban.DepthOnSite}, {c, tongban.DepthFullyOnline}} {
			ls := sampleListing(it, l.o)
			ls.Code, ls.RegionCode, ls.OnlineDepth, ls.Status = fmt.Sprint("score-", i), l.o.RegionCode, l.depth, tongban.ListingPublished
			if err := st.CreateListing(ctx, ls); err != nil {
				t.Fatal(err)
			}
		}
		cases := map[tongban.RollupKey]tongban.RollupCounts{
			{Day: "2026-03-02", RegionCode: a.RegionCode, OrgID: a.ID, ListingID: 1}:   {Closed: 4, ClosedOnTime: 3, CounterSubmitted: 2, CounterAcceptedAtWindow: 2},
			{Day: "2026-02-27", RegionCode: a.RegionCode, OrgID: a.ID, ListingID: 1}:   {Closed: 10}, // before the period
			{Day: "2026-03-03", RegionCode: b.RegionCode, OrgID: b.ID, ListingID: 1}:   {Closed: 1, ClosedOnTime: 1},
			{Day: "2026-03-04", RegionCode: c.RegionCode, OrgID: c.ID, ListingID: 3}:   {Closed: 2, ClosedOnTime: 1, CounterSubmitted: 1},
			{Day: "2026-03-31", RegionCode: dd.RegionCode, OrgID: dd.ID, ListingID: 9}: {Submitted: 1},
		}
		ratings := map[tongban.RatingRollupKey]tongban.RatingRollupCounts{
			{Day: "2026-03-05", RegionCode: a.RegionCode, OrgID: a.ID, Channel: tongban.RatingWeb}:  {Rated: 10, Good: 8, Bad: 2, Tickets: 2, Closed: 2, ClosedOnTime: 1},
			{Day: "2026-03-05", RegionCode: c.RegionCode, OrgID: c.ID, Channel: tongban.RatingSMS}:  {Rated: 4, Good: 2, Bad: 1, Tickets: 1},
			{Day: "2026-03-09", RegionCode: dd.RegionCode, OrgID: dd.ID, Channel: tongban.RatingQR}: {Rated: 2, Good: 2},
		}
		err := st.Transact(ctx, func(tx tongban.Store) error {
			wm, err := tx.RollupWatermark(ctx)
			if err != nil {
				return err
			}
			if err := tx.ApplyRollups(ctx, cases, wm); err != nil {
				return err
			}
			if wm, err = tx.RatingRollupWatermark(ctx); err != nil {
				return err
			}
			return tx.ApplyRatingRollups(ctx, ratings, wm)
		})
		if err != nil {
			t.Fatal(err)
		}
		f := tongban.RollupFilter{From: "2026-03-01", To: "2026-03-31", Region: "511600000000"}
		sc, err := stats.Score(ctx, st, f, stats.DefaultWeights)
		if err != nil {
			t.Fatal(err)
		}
		// By hand:
		// 广安市公安局: 好评率 2/2 alone, weighing 30 → 100.
		// 北辰街道便民服务中心: 按时办结率 1/1 alone, weighing 30 → 100 (tied: the city's first).
		// 广安区市场监督管理局: 30×3/4 + 30×8/10 + 20×1/2 + 10×2/2 + 10×1/2 = 71.5 (February's 10 closed not counted).
		// 岳池县市场监督管理局: (30×1/2 + 30×2/4 + 10×0/1 + 10×1/1) ÷ 80 (no ticket closed) = 50.
		type want struct {
			rank    int
			name    string
			weighed int
			score   float64
		}
		check := func(what string, rows []stats.ScoreRow, ws []want) {
			t.Helper()
			if len(rows) != len(ws) {
				t.Fatalf("%s: %d rows %+v, want %d", what, len(rows), rows, len(ws))
			}
			for i, w := range ws {
				r := rows[i]
				if r.Rank != w.rank || r.Name != w.name || r.Weighed != w.weighed || r.Score == nil || *r.Score != w.score {
					t.Errorf("%s row %d: rank %d %s weighed %d score %v; want %+v", what, i, r.Rank, r.Name, r.Weighed, r.Score, w)
				}
			}
		}
		check("departments", sc.Departments, []want{{1, "广安市公安局", 30, 100}, {1, "北辰街道便民服务中心", 30, 100},
			{3, "广安市广安区市场监督管理局", 100, 71.5}, {4, "岳池县市场监督管理局", 80, 50}})
		// 广安区 sums its two: 30×4/5 + 30×8/10 + 20×1/2 + 10×2/2 + 10×1/2 = 73.
		check("districts", sc.Districts, []want{{1, "广安区", 100, 73}, {2, "岳池县", 80, 50}})
		if r := sc.Departments[3].Rates; r.Rectify != nil || r.Window == nil || *r.Window != 0 || *r.Online != 1 {
			t.Errorf("岳池县's rates: %v", r)
		}

		// Other weights, another region.
		w, err := stats.ParseWeights("ontime=50,good=50")
		if err != nil {
			t.Fatal(err)
		}
		f.Region = "511621000000"
		if sc, err = stats.Score(ctx, st, f, w); err != nil {
			t.Fatal(err)
		}
		check("岳池县 alone", sc.Departments, []want{{1, "岳池县市场监督管理局", 100, 50}})
		if sc.Formula != "得分 = (50×按时办结率 + 50×好评率) ÷ 计入的权重之和 × 100" {
			t.Errorf("formula: %s", sc.Formula)
		}
	})
}

func TestParseWeights(t *testing.T) {
	w, err := stats.ParseWeights(" ontime=40, good=30,rectify=10,window=10,online=10")
	if err != nil || w[stats.ScoreOnTime] != 40 || w.String() != "ontime=40,good=30,rectify=10,window=10,online=10" {
		t.Errorf("parse: %v %v", w, err)
	}
	if w, err := stats.ParseWeights(""); err != nil || w.String() != stats.DefaultWeights.String() {
		t.Errorf("default: %v %v", w, err)
	}
	for bad, says := range map[string]string{"ontime=30,good=30": "sum to 60", "speed=100": "the measures being",
		"ontime=50,ontime=50": "twice", "ontime=abc,good=100": "whole number", "ontime": "measure=weight", "ontime=-10,good=110": "whole number"} {
		if _, err := stats.ParseWeights(bad); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%q: %v, want it to say %q", bad, err, says)
		}
	}
}
