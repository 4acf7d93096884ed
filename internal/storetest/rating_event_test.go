package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/stats"
)

// The rater's verdict is stored once per ticket; rating events fold into
// the rating rollups, which sum by each dimension, filter, and empty on a
// reset with their watermark.
func TestRatingVerdictsEventsAndRollups(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, window, u, c := seedCitizenCase(t, st)
		r := &tongban.Rating{CaseID: c.ID, CaseNumber: c.Number, Encounter: "case", Channel: tongban.RatingQR,
			Level: tongban.RatingDissatisfied, IndicatorVersion: 1, Reasons: []string{"多次跑动"}, RaterID: u.ID,
			OrgID: dept.ID, RegionCode: dept.RegionCode, ListingID: 7, CreatedAt: t0, UpdatedAt: t0}
		if err := st.CreateRating(ctx, r); err != nil {
			t.Fatal(err)
		}
		tk := &tongban.RatingTicket{RatingID: r.ID, CaseID: c.ID, CaseNumber: c.Number, OrgID: dept.ID,
			RegionCode: dept.RegionCode, State: tongban.TicketRectified, VerifyDue: "2026-03-03", RectifyDue: "2026-03-16", CreatedAt: t0}
		if err := st.CreateRatingTicket(ctx, tk); err != nil {
			t.Fatal(err)
		}
		if _, err := st.RatingVerdictOf(ctx, tk.ID); tongban.ErrorCodeOf(err) != tongban.ENotFound {
			t.Errorf("no verdict yet: %v", err)
		}
		v := &tongban.RatingVerdict{TicketID: tk.ID, Level: tongban.RatingFair, Comment: "还行", RaterID: u.ID, CreatedAt: t0}
		if err := st.CreateRatingVerdict(ctx, v); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateRatingVerdict(ctx, &tongban.RatingVerdict{TicketID: tk.ID, Level: 4, RaterID: u.ID, CreatedAt: t0}); tongban.ErrorCodeOf(err) != tongban.EConflict {
			t.Errorf("a second verdict: %v; want conflict", err)
		}
		if got, err := st.RatingVerdictOf(ctx, tk.ID); err != nil || got.Level != tongban.RatingFair || got.Comment != "还行" || got.RaterID != u.ID {
			t.Errorf("verdict = %+v, %v", got, err)
		}

		// Events: given 2 (QR) on 03-02 at the department, changed to 4 by
		// SMS, a ticket visited and closed on time, judged 满意; given 5 at
		// the window on 04-01 through the device.
		base := tongban.RatingEvent{RatingID: r.ID, Day: "2026-03-02", RegionCode: dept.RegionCode, OrgID: dept.ID, ListingID: 7,
			Channel: tongban.RatingQR, Level: 2}
		evs := []tongban.RatingEvent{base, base, base, base, base, base,
			{RatingID: r.ID, Day: "2026-04-01", RegionCode: window.RegionCode, OrgID: window.ID, ListingID: 8,
				Channel: tongban.RatingWindowDevice, Level: 5, Kind: tongban.RatingGiven}}
		evs[0].Kind = tongban.RatingGiven
		evs[1].Kind = tongban.RatingTicketed
		evs[2].Kind, evs[2].PrevLevel, evs[2].PrevChannel, evs[2].Level, evs[2].Channel = tongban.RatingChanged, 2, tongban.RatingQR, 4, tongban.RatingSMS
		evs[3].Kind = tongban.RatingVisited
		evs[4].Kind, evs[4].OnTime = tongban.RatingClosed, true
		evs[5].Kind, evs[5].Level = tongban.RatingJudged, tongban.RatingSatisfied
		for i := range evs {
			evs[i].At = t0.Add(time.Duration(i) * time.Hour)
			if err := st.AppendRatingEvent(ctx, &evs[i]); err != nil || evs[i].ID == 0 {
				t.Fatalf("AppendRatingEvent: %v", err)
			}
		}
		h, err := st.RatingEventHorizon(ctx)
		if err != nil || h != evs[6].ID {
			t.Fatalf("horizon = %d, %v; want %d", h, err, evs[6].ID)
		}
		read, err := st.RatingEvents(ctx, evs[1].ID, h, 3)
		if err != nil || len(read) != 3 || read[0].ID != evs[2].ID || read[0].PrevChannel != tongban.RatingQR ||
			read[0].Level != 4 || read[2].Kind != tongban.RatingClosed || !read[2].OnTime || read[0].Day != "2026-03-02" {
			t.Fatalf("RatingEvents = %+v, %v", read, err)
		}
		err = st.Transact(ctx, func(tx tongban.Store) error {
			if _, err := tx.RatingRollupWatermark(ctx); err != nil {
				return err
			}
			all, err := tx.RatingEvents(ctx, 0, h, 100)
			if err != nil {
				return err
			}
			return tx.ApplyRatingRollups(ctx, stats.FoldRatings(all), h)
		})
		if err != nil {
			t.Fatal(err)
		}
		if wm, err := st.RatingRollupWatermark(ctx); err != nil || wm != h {
			t.Errorf("watermark = %d, %v", wm, err)
		}
		byOrg, err := st.SumRatingRollups(ctx, tongban.RatingRollupFilter{}, tongban.ByRatingOrg)
		wantDept := tongban.RatingRollupCounts{Rated: 1, Good: 1, Tickets: 1, Visited: 1, Closed: 1, ClosedOnTime: 1,
			Verdicts: 1, VerdictsSatisfied: 1}
		if err != nil || len(byOrg) != 2 || byOrg[itoa(int(dept.ID))] != wantDept ||
			byOrg[itoa(int(window.ID))] != (tongban.RatingRollupCounts{Rated: 1, Good: 1}) {
			t.Errorf("by org = %+v, %v", byOrg, err)
		}
		byChannel, err := st.SumRatingRollups(ctx, tongban.RatingRollupFilter{}, tongban.ByRatingChannel)
		// The change moved the rating from QR to SMS; the ticket's events stay under QR.
		if err != nil || byChannel["qr"] != (tongban.RatingRollupCounts{Tickets: 1, Visited: 1, Closed: 1, ClosedOnTime: 1, Verdicts: 1, VerdictsSatisfied: 1}) ||
			byChannel["sms"] != (tongban.RatingRollupCounts{Rated: 1, Good: 1}) || byChannel["window_device"].Rated != 1 {
			t.Errorf("by channel = %+v, %v", byChannel, err)
		}
		byMonth, err := st.SumRatingRollups(ctx, tongban.RatingRollupFilter{}, tongban.ByRatingMonth)
		if err != nil || len(byMonth) != 2 || byMonth["2026-03"].Rated != 1 || byMonth["2026-04"].Rated != 1 {
			t.Errorf("by month = %+v, %v", byMonth, err)
		}
		for _, f := range []tongban.RatingRollupFilter{{From: "2026-04-01"}, {To: "2026-03-31"}, {Region: "511602000000"},
			{ListingID: 8}, {OrgID: window.ID}, {Channel: tongban.RatingWindowDevice}} {
			got, err := st.SumRatingRollups(ctx, f, tongban.ByRatingRegion)
			if err != nil || len(got) != 1 {
				t.Errorf("filter %+v by region: %+v, %v", f, got, err)
			}
		}
		if _, err := st.SumRatingRollups(ctx, tongban.RatingRollupFilter{}, "rater_id"); err == nil {
			t.Error("grouping by an unknown column was accepted")
		}
		err = st.Transact(ctx, func(tx tongban.Store) error {
			if _, err := tx.RatingRollupWatermark(ctx); err != nil {
				return err
			}
			return tx.ResetRatingRollups(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := st.SumRatingRollups(ctx, tongban.RatingRollupFilter{}, tongban.ByRatingOrg); len(got) != 0 {
			t.Errorf("after reset: %+v", got)
		}
		if wm, _ := st.RatingRollupWatermark(ctx); wm != 0 {
			t.Errorf("watermark after reset = %d", wm)
		}
	})
}
