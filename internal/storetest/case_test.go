package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// newCase is a stored-shape case; the store does not care whether it makes
// sense as a workflow state, only that it round-trips.
// seedCitizenCase seeds the regions and orgs, a citizen and one case of
// theirs at the department (number …-000001, key "key-1").
func seedCitizenCase(t *testing.T, st tongban.Store) (dept, window *tongban.Org, u *tongban.User, c *tongban.Case) {
	t.Helper()
	ctx := context.Background()
	dept, window = seedRegionsAndOrgs(t, st)
	u = citizen(t)
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	c = newCase(dept, u, "511602000000-20260302-000001", "key-1")
	if err := st.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	return dept, window, u, c
}

func newCase(dept *tongban.Org, applicant *tongban.User, number, key string) *tongban.Case {
	return &tongban.Case{
		Number: number, ListingID: 7, ListingVersion: 3, ItemName: "食品经营许可证核发",
		ListingName: "食品经营许可证核发（新办）", OrgID: dept.ID, RegionCode: dept.RegionCode,
		ApplicantID: applicant.ID, ApplicantName: applicant.Name, Channel: tongban.ChannelOnline,
		State: tongban.CaseSubmitted, Form: json.RawMessage(`{"经营场所":"北辰路1号","主体业态":"餐饮服务"}`),
		Materials: []tongban.CaseMaterial{
			{Key: "m1", Name: "食品经营许可申请书", BlobHash: "sm3:aa", Status: tongban.MaterialProvided},
			{Key: "m2", Name: "营业执照", Status: tongban.MaterialELicense},
		},
		PromisedDays: 10, IdempotencyKey: key, CreatedAt: t0, UpdatedAt: t0,
		Delivery: tongban.Delivery{Method: tongban.DeliveryExpress},
	}
}

func TestCasesRoundTripAndLookups(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, window, u, c := seedCitizenCase(t, st)
		if c.ID == 0 || c.Version != 1 {
			t.Fatalf("created case: id %d version %d", c.ID, c.Version)
		}
		got, err := st.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Materials, c.Materials) || got.ApplicantName != "张三" || got.State != tongban.CaseSubmitted ||
			!got.CreatedAt.Equal(t0.Truncate(time.Microsecond)) || !got.AcceptedAt.IsZero() || got.DueDate != "" ||
			got.Delivery.Method != tongban.DeliveryExpress || got.BoardID != 0 || got.IdempotencyKey != "key-1" {
			t.Errorf("read back %+v", got)
		}
		var form map[string]string
		if err := json.Unmarshal(got.Form, &form); err != nil || form["主体业态"] != "餐饮服务" {
			t.Errorf("form = %s, %v", got.Form, err)
		}
		if byNum, err := st.CaseByNumber(ctx, c.Number); err != nil || byNum.ID != c.ID {
			t.Errorf("CaseByNumber: %v, %v", byNum, err)
		}
		if byKey, err := st.CaseByIdempotencyKey(ctx, u.ID, "key-1"); err != nil || byKey.ID != c.ID {
			t.Errorf("CaseByIdempotencyKey: %v, %v", byKey, err)
		}
		if _, err := st.CaseByIdempotencyKey(ctx, u.ID+1, "key-1"); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("key of another applicant: %v", err)
		}
		if _, err := st.Case(ctx, c.ID+100); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("missing case: %v", err)
		}

		// Same applicant and key: refused with a field the workflow recognises.
		dup := newCase(dept, u, "511602000000-20260302-000002", "key-1")
		if err := st.CreateCase(ctx, dup); !tongban.IsCode(err, tongban.EConflict) || tongban.AsError(err).Field != "idempotency_key" {
			t.Errorf("duplicate key: %v", err)
		}
		// Same number: refused.
		dup = newCase(dept, u, c.Number, "key-2")
		if err := st.CreateCase(ctx, dup); !tongban.IsCode(err, tongban.EConflict) || tongban.AsError(err).Field != "number" {
			t.Errorf("duplicate number: %v", err)
		}
		// Cases without a key never collide.
		for i := 3; i <= 4; i++ {
			if err := st.CreateCase(ctx, newCase(dept, u, fmt.Sprintf("511602000000-20260302-%06d", i), "")); err != nil {
				t.Errorf("case without key %d: %v", i, err)
			}
		}

		// Update with the current version moves it on; a stale one is a conflict.
		accepted := t0.Add(time.Hour)
		got.State, got.Step, got.AcceptedAt, got.DueDate, got.BoardID = tongban.CaseAccepted, 1, accepted, "2026-03-16", window.ID
		got.Delivery.WindowID, got.Reasons, got.UpdatedAt = window.ID, []string{"理由"}, accepted
		if err := st.UpdateCase(ctx, got); err != nil || got.Version != 2 {
			t.Fatalf("update: %v, version %d", err, got.Version)
		}
		stale := *got
		stale.Version = 1
		stale.State = tongban.CaseRejected
		if err := st.UpdateCase(ctx, &stale); !tongban.IsCode(err, tongban.EConflict) {
			t.Errorf("stale update: %v", err)
		}
		again, _ := st.Case(ctx, c.ID)
		if again.State != tongban.CaseAccepted || again.Step != 1 || !again.AcceptedAt.Equal(accepted.Truncate(time.Microsecond)) ||
			again.DueDate != "2026-03-16" || again.BoardID != window.ID || again.Delivery.WindowID != window.ID || again.Version != 2 {
			t.Errorf("after update: %+v", again)
		}
		missing := *got
		missing.ID = c.ID + 100
		if err := st.UpdateCase(ctx, &missing); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("update of a missing case: %v", err)
		}
	})
}

func TestCaseEventsInOrderAndImmutable(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, window := seedRegionsAndOrgs(t, st)
		u := citizen(t)
		st.CreateUser(ctx, u)
		c := newCase(dept, u, "511602000000-20260302-000001", "")
		if err := st.CreateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		want := []*tongban.CaseEvent{
			{CaseID: c.ID, At: t0, ActorID: u.ID, ActorName: "张*", Role: tongban.ActorApplicant, Action: tongban.ActionSubmit,
				To: tongban.CaseSubmitted, Materials: []string{"m1", "m2"}},
			{CaseID: c.ID, At: t0.Add(time.Minute), ActorName: "李四(clerk1)", Role: tongban.RoleClerk, OrgID: window.ID,
				Action: tongban.ActionRequestCorrection, From: tongban.CaseSubmitted, To: tongban.CaseAwaitingCorrection,
				Reason: "营业执照：已过期", Materials: []string{"m2"}},
			{CaseID: c.ID, At: t0.Add(time.Hour), ActorName: "李四(clerk1)", Role: tongban.RoleClerk, OrgID: window.ID,
				Action: tongban.ActionSupplement, From: tongban.CaseAwaitingCorrection, To: tongban.CaseSubmitted, Visit: true},
		}
		for i, e := range want {
			if err := st.AppendCaseEvent(ctx, e); err != nil {
				t.Fatal(err)
			}
			if e.Seq != i+1 || e.ID == 0 {
				t.Errorf("event %d: seq %d id %d", i, e.Seq, e.ID)
			}
		}
		got, err := st.CaseEvents(ctx, c.ID)
		if err != nil || len(got) != len(want) {
			t.Fatalf("events: %d, %v", len(got), err)
		}
		for i := range want {
			w := *want[i]
			w.At = w.At.Truncate(time.Microsecond)
			g := *got[i]
			if !g.At.Equal(w.At) {
				t.Errorf("event %d at %v, want %v", i, g.At, w.At)
			}
			g.At = w.At
			if !reflect.DeepEqual(g, w) {
				t.Errorf("event %d:\n got %+v\nwant %+v", i, g, w)
			}
		}
		// History cannot be rewritten, not even by hand.
		db := st.DB()
		if _, err := db.ExecContext(ctx, `UPDATE case_events SET reason = 'x' WHERE case_id = $1`, c.ID); err == nil {
			t.Error("an event was updated")
		}
		if _, err := db.ExecContext(ctx, `DELETE FROM case_events WHERE case_id = $1`, c.ID); err == nil {
			t.Error("an event was deleted")
		}
		if evs, _ := st.CaseEvents(ctx, c.ID); len(evs) != 3 || evs[1].Reason != "营业执照：已过期" {
			t.Errorf("events changed: %+v", evs)
		}
	})
}

func TestCaseQueues(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, window := seedRegionsAndOrgs(t, st)
		other := &tongban.Org{Code: "gas-scjgj", Name: "广安市市场监督管理局", Kind: tongban.OrgDepartment, RegionCode: "511600000000"}
		if err := st.CreateOrg(ctx, other); err != nil {
			t.Fatal(err)
		}
		board := &tongban.Org{Code: "gas-zwzx-b2", Name: "市场准入类后台审批专区", Kind: tongban.OrgBoard,
			RegionCode: "511600000000", ParentID: window.ParentID, Sector: "市场准入"}
		if err := st.CreateOrg(ctx, board); err != nil {
			t.Fatal(err)
		}
		u := citizen(t)
		st.CreateUser(ctx, u)
		u2 := &tongban.User{Kind: tongban.UserCitizen, Name: "王五", PasswordHash: "h", CreatedAt: t0}
		st.CreateUser(ctx, u2)

		mk := func(n int, org *tongban.Org, who *tongban.User, state tongban.CaseState, due string, boardID int64) *tongban.Case {
			c := newCase(org, who, fmt.Sprintf("%s-20260302-%06d", org.RegionCode, n), "")
			c.State, c.DueDate, c.BoardID = state, due, boardID
			c.CreatedAt = t0.Add(time.Duration(n) * time.Minute)
			if due != "" {
				c.AcceptedAt = t0
			}
			if err := st.CreateCase(ctx, c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		c1 := mk(1, dept, u, tongban.CaseAccepted, "2026-03-20", 0)
		c2 := mk(2, dept, u, tongban.CaseInReview, "2026-03-10", board.ID)
		c3 := mk(3, dept, u2, tongban.CaseSubmitted, "", 0)
		c4 := mk(4, other, u2, tongban.CaseAccepted, "2026-03-05", board.ID)
		c6 := mk(6, dept, u2, tongban.CaseClosed, "2026-03-04", 0)
		c6.Outcome, c6.Reasons = tongban.CaseDenied, []string{"经营场所与许可事项不符"}
		if err := st.UpdateCase(ctx, c6); err != nil {
			t.Fatal(err)
		}
		c5 := mk(5, dept, u, tongban.CaseClosed, "2026-03-01", 0)
		c5.NeedsPostCheck, c5.Commitment, c5.Outcome, c5.Version = true, true, tongban.CaseApproved, 1
		if err := st.UpdateCase(ctx, c5); err != nil {
			t.Fatal(err)
		}

		ids := func(f tongban.CaseFilter) []int64 {
			t.Helper()
			cs, err := st.Cases(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			n, err := st.CountCases(ctx, tongban.CaseFilter{ApplicantID: f.ApplicantID, OrgID: f.OrgID, BoardID: f.BoardID,
				Within: f.Within, States: f.States, Outcomes: f.Outcomes, DueBefore: f.DueBefore, PostCheckPending: f.PostCheckPending})
			if err != nil {
				t.Fatal(err)
			}
			if f.Limit == 0 && f.Offset == 0 && n != len(cs) {
				t.Errorf("CountCases(%+v) = %d, Cases gave %d", f, n, len(cs))
			}
			out := []int64{}
			for _, c := range cs {
				out = append(out, c.ID)
			}
			return out
		}
		running := []tongban.CaseState{tongban.CaseAccepted, tongban.CaseInReview, tongban.CaseSubmitted}
		for _, tc := range []struct {
			name string
			f    tongban.CaseFilter
			want []int64
		}{
			{"department queue by due date, undated last", tongban.CaseFilter{OrgID: dept.ID, States: running}, []int64{c2.ID, c1.ID, c3.ID}},
			{"board queue", tongban.CaseFilter{BoardID: board.ID}, []int64{c4.ID, c2.ID}},
			{"applicant, newest first", tongban.CaseFilter{ApplicantID: u.ID, Newest: true}, []int64{c5.ID, c2.ID, c1.ID}},
			{"closed by due date", tongban.CaseFilter{OrgID: dept.ID, States: []tongban.CaseState{tongban.CaseClosed}}, []int64{c5.ID, c6.ID}},
			{"overdue on 2026-03-11", tongban.CaseFilter{States: running, DueBefore: "2026-03-11"}, []int64{c4.ID, c2.ID}},
			{"district only", tongban.CaseFilter{Within: "511602000000", States: running}, []int64{c2.ID, c1.ID, c3.ID}},
			{"city and below", tongban.CaseFilter{Within: "511600000000", States: running}, []int64{c4.ID, c2.ID, c1.ID, c3.ID}},
			{"denials (否定备案), closed or not", tongban.CaseFilter{Outcomes: []tongban.CaseState{tongban.CaseDenied, tongban.CaseRejected}}, []int64{c6.ID}},
			{"post-check pending", tongban.CaseFilter{PostCheckPending: true}, []int64{c5.ID}},
			{"page", tongban.CaseFilter{OrgID: dept.ID, Limit: 2, Offset: 2}, []int64{c2.ID, c1.ID}},
		} {
			if got := ids(tc.f); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
			}
		}
	})
}

func TestCaseSequenceIsRaceFree(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		const workers, each = 8, 5
		var mu sync.Mutex
		seen, total := map[int]bool{}, 0
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					// Blocks of 1, 2 and 3 numbers, as the workflow's allocator asks.
					size := 1 + (w+i)%3
					last, err := st.ReserveCaseNumbers(ctx, "511602000000", "20260302", size)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					for n := last - size + 1; n <= last; n++ {
						if seen[n] {
							t.Errorf("number %d handed out twice", n)
						}
						seen[n] = true
					}
					total += size
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		for n := 1; n <= total; n++ {
			if !seen[n] {
				t.Errorf("number %d skipped", n)
			}
		}
		if n, err := st.ReserveCaseNumbers(ctx, "511602000000", "20260303", 1); err != nil || n != 1 {
			t.Errorf("next day starts at %d, %v", n, err)
		}
		if n, err := st.ReserveCaseNumbers(ctx, "511603000000", "20260302", 1); err != nil || n != 1 {
			t.Errorf("other region starts at %d, %v", n, err)
		}
		if _, err := st.ReserveCaseNumbers(ctx, "511603000000", "20260302", 0); !tongban.IsCode(err, tongban.EInvalid) {
			t.Errorf("reserving no number: %v", err)
		}
	})
}
