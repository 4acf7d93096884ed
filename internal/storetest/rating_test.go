package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

func TestRatingsAndTickets(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, window, u, c := seedCitizenCase(t, st)
		r := &tongban.Rating{CaseID: c.ID, CaseNumber: c.Number, Encounter: "case", Channel: tongban.RatingQR,
			Level: tongban.RatingDissatisfied, IndicatorVersion: 1,
			Indicators: map[string]tongban.RatingLevel{"办事效率": 2, "指南准确": 1}, Reasons: []string{"多次跑动"},
			Comment: "跑了三次", RaterID: u.ID, OrgID: dept.ID, RegionCode: dept.RegionCode, ListingID: 7,
			CreatedAt: t0, UpdatedAt: t0}
		if err := st.CreateRating(ctx, r); err != nil || r.ID == 0 {
			t.Fatalf("CreateRating: %v (id %d)", err, r.ID)
		}
		dup := *r
		dup.Channel = tongban.RatingSMS
		if err := st.CreateRating(ctx, &dup); tongban.ErrorCodeOf(err) != tongban.EConflict {
			t.Errorf("a second rating of the encounter: %v; want conflict", err)
		}
		got, err := st.RatingOf(ctx, c.ID, "case")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Indicators, r.Indicators) || !reflect.DeepEqual(got.Reasons, r.Reasons) ||
			got.Channel != tongban.RatingQR || got.RaterID != u.ID || !got.CreatedAt.Equal(t0.Truncate(time.Microsecond)) {
			t.Errorf("read back %+v", got)
		}
		if _, err := st.RatingOf(ctx, c.ID, "42"); tongban.ErrorCodeOf(err) != tongban.ENotFound {
			t.Errorf("an unrated encounter: %v; want not found", err)
		}
		got.Level, got.Reasons, got.Indicators, got.UpdatedAt = tongban.RatingSatisfied, nil, nil, t0.Add(time.Hour)
		if err := st.UpdateRating(ctx, got); err != nil {
			t.Fatal(err)
		}
		rs, err := st.CaseRatings(ctx, c.ID)
		if err != nil || len(rs) != 1 || rs[0].Level != tongban.RatingSatisfied || rs[0].Reasons != nil || rs[0].Indicators != nil {
			t.Fatalf("CaseRatings = %+v, %v", rs, err)
		}

		tk := &tongban.RatingTicket{RatingID: r.ID, CaseID: c.ID, CaseNumber: c.Number, OrgID: dept.ID,
			RegionCode: dept.RegionCode, State: tongban.TicketVerifying, VerifyDue: "2026-03-03", RectifyDue: "2026-03-16", CreatedAt: t0}
		if err := st.CreateRatingTicket(ctx, tk); err != nil || tk.Version != 1 {
			t.Fatalf("CreateRatingTicket: %v", err)
		}
		again := *tk
		if err := st.CreateRatingTicket(ctx, &again); tongban.ErrorCodeOf(err) != tongban.EConflict {
			t.Errorf("a second ticket for the rating: %v", err)
		}
		stale := *tk
		tk.State, tk.Finding, tk.HandlerID, tk.VerifiedAt = tongban.TicketRectifying, "属实", u.ID, t0.Add(time.Hour)
		if err := st.UpdateRatingTicket(ctx, tk); err != nil || tk.Version != 2 {
			t.Fatalf("UpdateRatingTicket: %v (version %d)", err, tk.Version)
		}
		stale.State = tongban.TicketInvalid
		if err := st.UpdateRatingTicket(ctx, &stale); tongban.ErrorCodeOf(err) != tongban.EConflict {
			t.Errorf("a stale ticket update: %v; want conflict", err)
		}
		back, err := st.TicketOfRating(ctx, r.ID)
		if err != nil || back.State != tongban.TicketRectifying || back.Finding != "属实" || back.HandlerID != u.ID ||
			!back.VerifiedAt.Equal(t0.Add(time.Hour).Truncate(time.Microsecond)) || !back.ClosedAt.IsZero() {
			t.Errorf("TicketOfRating = %+v, %v", back, err)
		}
		for _, tc := range []struct {
			f    tongban.RatingTicketFilter
			want int
		}{
			{tongban.RatingTicketFilter{OrgIDs: []int64{dept.ID}}, 1},
			{tongban.RatingTicketFilter{OrgIDs: []int64{window.ID}}, 0},
			{tongban.RatingTicketFilter{Regions: []string{"511600000000"}}, 1},
			{tongban.RatingTicketFilter{OrgIDs: []int64{window.ID}, Regions: []string{"511602000000"}}, 1},
			{tongban.RatingTicketFilter{OrgIDs: []int64{dept.ID}, States: []tongban.TicketState{tongban.TicketVerifying}}, 0},
		} {
			if ts, err := st.RatingTickets(ctx, tc.f); err != nil || len(ts) != tc.want {
				t.Errorf("RatingTickets(%+v) = %d, %v; want %d", tc.f, len(ts), err, tc.want)
			}
		}
		if _, err := st.RatingTicket(ctx, tk.ID+100); tongban.ErrorCodeOf(err) != tongban.ENotFound {
			t.Errorf("a missing ticket: %v", err)
		}
	})
}
