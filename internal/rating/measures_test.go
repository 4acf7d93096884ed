package rating_test

import (
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/stats"
	"github.com/tongban/tongban/internal/storetest"
)

// The rating measures by hand. On 2026-09-30 the applicant rates five
// encounters: case A 非常满意 (web), B 不满意 (QR), C 非常不满意 (SMS), D
// 基本满意 (mobile, changed on 10-01 to 满意), and a counter visit 满意 at
// the window (window device); case F is rated 不满意 on 10-08 and one
// more closed case is never rated. B's ticket is found true on 10-08 and
// rectified on 10-21, a day late (due 10-20 across the National Day
// holiday); C's is found unfounded on 10-08, its 回访核实 deadline. The
// rater judges B's answer 不满意 and C's 满意.
//
// September, the department: 4 rated, 2 good (A, D), 2 bad → 好评率 50%,
// 差评率 50%; 2 tickets, both visited and closed → 回访率 100%, 整改率 100%;
// 1 closed on time → 整改按时率 50%; 1 of 2 verdicts 满意. The window: 1
// rated, good. October: F, bad, its ticket not yet visited.
func TestRatingMeasuresByHand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		cases := map[string]*tongban.Case{"A": w.closed}
		for i, n := range []string{"B", "C", "D", "F", "unrated"} {
			cases[n] = w.newCase("511602000000-20260901-10000"+itoa(int64(i)), tongban.CaseClosed)
		}
		rate := func(n, enc string, ch tongban.RatingChannel, l tongban.RatingLevel, reasons ...string) *rating.Rated {
			t.Helper()
			c := cases[n]
			if c == nil {
				c = w.inReview
			}
			got, err := w.svc.Submit(w.ctx, as(w.applicant), c.Number, rating.Input{Encounter: enc, Channel: ch, Level: l, Reasons: reasons})
			if err != nil {
				t.Fatalf("rating %s: %v", n, err)
			}
			return got
		}
		answer := func(tk *tongban.RatingTicket, a rating.Answer) {
			t.Helper()
			if _, err := w.svc.Respond(w.ctx, as(w.admin), tk.ID, a); err != nil {
				t.Fatal(err)
			}
		}
		judge := func(n string, l tongban.RatingLevel) {
			t.Helper()
			if _, err := w.svc.Judge(w.ctx, as(w.applicant), cases[n].Number, "case", rating.VerdictInput{Level: l}); err != nil {
				t.Fatal(err)
			}
		}
		rate("A", "case", tongban.RatingWeb, 5)
		b := rate("B", "case", tongban.RatingQR, 2, "多次跑动")
		c := rate("C", "case", tongban.RatingSMS, 1, "收费不合理")
		rate("D", "case", tongban.RatingMobile, 3)
		rate("visit", itoa(w.visit.ID), tongban.RatingWindowDevice, 4)
		agg := stats.NewAggregator(w.st, nil)
		if err := agg.Refresh(w.ctx); err != nil { // a first fold halfway, as the app would
			t.Fatal(err)
		}
		w.clock.Set(time.Date(2026, 10, 1, 2, 0, 0, 0, time.UTC))
		if _, err := w.svc.Change(w.ctx, as(w.applicant), cases["D"].Number, "case", rating.Input{Level: 4}); err != nil {
			t.Fatal(err)
		}
		w.clock.Set(time.Date(2026, 10, 8, 2, 0, 0, 0, time.UTC))
		answer(b.Ticket, rating.Answer{Action: "verify", Valid: true, Text: "属实"})
		answer(c.Ticket, rating.Answer{Action: "verify", Valid: false, Text: "该事项不收费，已解释"})
		rate("F", "case", tongban.RatingWeb, 2, "办理时间过长")
		w.clock.Set(time.Date(2026, 10, 21, 2, 0, 0, 0, time.UTC))
		answer(b.Ticket, rating.Answer{Action: "rectify", Text: "已修订办事指南"})
		judge("B", tongban.RatingDissatisfied)
		judge("C", tongban.RatingSatisfied)

		sept := tongban.RatingRollupFilter{From: "2026-09-01", To: "2026-09-30"}
		want := map[tongban.RatingGroup]map[string]tongban.RatingRollupCounts{
			tongban.ByRatingOrg: {
				itoa(w.dept.ID):   {Rated: 4, Good: 2, Bad: 2, Tickets: 2, Visited: 2, Closed: 2, ClosedOnTime: 1, Verdicts: 2, VerdictsSatisfied: 1},
				itoa(w.window.ID): {Rated: 1, Good: 1},
			},
			tongban.ByRatingChannel: {
				"web":           {Rated: 1, Good: 1},
				"qr":            {Rated: 1, Bad: 1, Tickets: 1, Visited: 1, Closed: 1, Verdicts: 1},
				"sms":           {Rated: 1, Bad: 1, Tickets: 1, Visited: 1, Closed: 1, ClosedOnTime: 1, Verdicts: 1, VerdictsSatisfied: 1},
				"mobile":        {Rated: 1, Good: 1},
				"window_device": {Rated: 1, Good: 1},
			},
			// A rating counts in its case's region, wherever the visit was.
			tongban.ByRatingRegion: {
				"511602000000": {Rated: 5, Good: 3, Bad: 2, Tickets: 2, Visited: 2, Closed: 2, ClosedOnTime: 1, Verdicts: 2, VerdictsSatisfied: 1},
			},
		}
		check := func(when string) {
			t.Helper()
			for g, exp := range want {
				got, err := w.st.SumRatingRollups(w.ctx, sept, g)
				if err != nil || len(got) != len(exp) {
					t.Fatalf("%s: September by %s = %+v, %v; want %+v", when, g, got, err, exp)
				}
				for k, e := range exp {
					if got[k] != e {
						t.Errorf("%s: September by %s, %s = %+v; want %+v", when, g, k, got[k], e)
					}
				}
			}
			oct, err := w.st.SumRatingRollups(w.ctx, tongban.RatingRollupFilter{}, tongban.ByRatingMonth)
			if err != nil || oct["2026-10"] != (tongban.RatingRollupCounts{Rated: 1, Bad: 1, Tickets: 1}) || oct["2026-09"].Rated != 5 {
				t.Errorf("%s: by month = %+v, %v", when, oct, err)
			}
		}
		if err := agg.Refresh(w.ctx); err != nil {
			t.Fatal(err)
		}
		check("folded as it went")
		if err := agg.Rebuild(w.ctx); err != nil {
			t.Fatal(err)
		}
		check("rebuilt from the events")

		table, err := stats.RatingsBy(w.ctx, w.st, tongban.RatingRollupFilter{From: "2026-09-01", To: "2026-09-30", OrgID: w.dept.ID}, tongban.ByRatingOrg)
		if err != nil || len(table.Rows) != 1 || table.Rows[0].Name != w.dept.Name {
			t.Fatalf("RatingsBy = %+v, %v", table, err)
		}
		m := table.Rows[0].RatingMeasures
		for name, x := range map[string]struct {
			got  stats.Ratio
			want float64
		}{"好评率": {m.GoodRate, 0.5}, "差评率": {m.BadRate, 0.5}, "实名差评回访率": {m.VisitRate, 1}, "差评整改率": {m.RectifyRate, 1},
			"差评整改按时率": {m.OnTimeRate, 0.5}, "答复满意率": {m.SatisfiedRate, 0.5}} {
			if x.got == nil || *x.got != x.want {
				t.Errorf("%s = %v; want %v", name, x.got, x.want)
			}
		}
		dash, err := stats.Compute(w.ctx, w.st, tongban.RollupFilter{From: "2026-09-01", To: "2026-09-30"})
		if err != nil || dash.Total.Cases.Rated != 5 || dash.Total.Cases.GoodRate == nil || *dash.Total.Cases.GoodRate != 0.6 {
			t.Errorf("the measures page's 好评率 of September: %+v, %v; want 3 of 5", dash.Total.Cases, err)
		}
		first, _ := stats.ParseMonth("2026-10", ratedAt)
		pub, err := stats.Public(w.ctx, w.st, first, ratedAt)
		if err != nil || pub.Month != "2026-10" || len(pub.Departments) != 1 || pub.Departments[0].OrgID != w.dept.ID ||
			pub.Departments[0].Rated != 1 || pub.Departments[0].RectifyRate == nil || *pub.Departments[0].RectifyRate != 0 {
			t.Fatalf("public October = %+v, %v", pub, err)
		}
		if n := len(pub.Trend); n != 12 || pub.Trend[10].Month != "2026-09" || pub.Trend[10].Rated != 5 || pub.Trend[0].Rated != 0 ||
			pub.Trend[0].GoodRate != nil {
			t.Errorf("trend = %+v", pub.Trend)
		}
	})
}
