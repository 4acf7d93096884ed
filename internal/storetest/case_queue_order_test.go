package storetest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// The queue order (due date, undated last, then id) and the overdue list
// read through cases_queue_order (migration 00054) give, page after page,
// exactly the cases a plain filter and sort of every case gives: dated and
// undated, tied due dates, cases of another city, every state.
func TestCaseQueuePagesMatchAFullSort(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, window := seedRegionsAndOrgs(t, st)
		if err := st.CreateRegion(ctx, &tongban.Region{Code: "511700000000", Name: "达州市"}); err != nil {
			t.Fatal(err)
		}
		far := &tongban.Org{Code: "dzs-scjgj", Name: "达州市市场监督管理局", Kind: tongban.OrgDepartment, RegionCode: "511700000000"}
		if err := st.CreateOrg(ctx, far); err != nil {
			t.Fatal(err)
		}
		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		states := []tongban.CaseState{tongban.CaseSubmitted, tongban.CaseAccepted, tongban.CaseInReview, tongban.CaseClosed}
		var all []*tongban.Case
		for n := range 60 {
			org := []*tongban.Org{dept, window, far}[n%3]
			c := newCase(org, u, fmt.Sprintf("%s-20260302-%06d", org.RegionCode, n), "")
			c.State = states[(n/3)%len(states)]
			if n%5 != 0 { // one in five undated; due dates tie in threes
				c.DueDate = fmt.Sprintf("2026-03-%02d", 1+(n*7)%20/3)
				c.AcceptedAt = t0
			}
			c.CreatedAt = t0.Add(time.Duration(n) * time.Minute)
			if err := st.CreateCase(ctx, c); err != nil {
				t.Fatal(err)
			}
			all = append(all, c)
		}
		running := []tongban.CaseState{tongban.CaseAccepted, tongban.CaseInReview}
		for _, f := range []tongban.CaseFilter{
			{Within: "511600000000"},
			{Within: "511602000000"},
			{Within: "511600000000", States: []tongban.CaseState{tongban.CaseSubmitted, tongban.CaseAccepted, tongban.CaseInReview}},
			{Within: "511600000000", States: running, DueBefore: "2026-03-05"},
			{States: running, DueBefore: "2026-03-05"},
			{OrgID: dept.ID, States: running, DueBefore: "2026-03-05"},
			{},
		} {
			want := byHand(all, f)
			if len(want) == 0 {
				t.Fatalf("%+v: the fixture has no case for this filter", f)
			}
			var got []string
			for f.Offset = 0; f.Offset <= len(want); f.Offset += 7 {
				f.Limit = 7
				page, err := st.Cases(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range page {
					got = append(got, c.Number)
				}
			}
			f.Limit, f.Offset = 0, 0
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%+v pages:\n got %v\nwant %v", f, got, want)
			}
			if n, err := st.CountCases(ctx, f); err != nil || n != len(want) {
				t.Errorf("%+v: CountCases = %d, %v; want %d", f, n, err, len(want))
			}
		}
	})
}

// byHand filters and sorts every case as the queue does: due date, undated
// last, then creation (ids follow creation here).
func byHand(all []*tongban.Case, f tongban.CaseFilter) []string {
	var keep []*tongban.Case
	for _, c := range all {
		if f.OrgID != 0 && c.OrgID != f.OrgID ||
			f.Within != "" && !strings.HasPrefix(c.RegionCode, tongban.RegionPrefix(f.Within)) ||
			len(f.States) > 0 && !slices.Contains(f.States, c.State) ||
			f.DueBefore != "" && (c.DueDate == "" || c.DueDate >= f.DueBefore) {
			continue
		}
		keep = append(keep, c)
	}
	slices.SortStableFunc(keep, func(x, y *tongban.Case) int {
		if (x.DueDate == "") != (y.DueDate == "") {
			if x.DueDate == "" {
				return 1
			}
			return -1
		}
		return strings.Compare(x.DueDate, y.DueDate)
	})
	out := []string{}
	for _, c := range keep {
		out = append(out, c.Number)
	}
	return out
}
