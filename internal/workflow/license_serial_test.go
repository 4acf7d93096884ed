package workflow_test

import (
	"sync"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// TestConcurrentIssuesTakeDistinctSerials: one department's cases issued at
// once, by two servers (each reserving serials before the issue
// transaction), get licences with distinct serials; issues refused at the
// same time leave no licence and move no case; an issue after them on a
// fresh server (a restart) takes a serial no licence has.
func TestConcurrentIssuesTakeDistinctSerials(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx := w.ctx
		holder, apply := cardIssuing(t, w)
		const good, bad = 12, 4
		var issuable, refusable []*tongban.Case
		for range good {
			issuable = append(issuable, apply("name", "张三", "card_no", "511602194912310028"))
		}
		for range bad { // no 社会保障号码: refused
			refusable = append(refusable, apply("name", "张三"))
		}
		servers := []*workflow.Service{w.wf, workflow.New(w.st, nil, workflow.StaticCalendar{S: calendar.Default()}, w.clock)}
		for _, s := range servers {
			s.Licenses = license.NewIssuer()
		}
		w.clock.Set(at(2026, 3, 3, 9, 20))
		var wg sync.WaitGroup
		issueErrs := make([]error, good)
		refuseErrs := make([]error, bad)
		for i, c := range issuable {
			wg.Go(func() { _, issueErrs[i] = servers[i%2].Issue(ctx, as(w.clerk), c.ID, "") })
		}
		for i, c := range refusable {
			wg.Go(func() { _, refuseErrs[i] = servers[i%2].Issue(ctx, as(w.clerk), c.ID, "") })
		}
		wg.Wait()
		for i, err := range issueErrs {
			if err != nil {
				t.Fatalf("issue %d: %v", i, err)
			}
		}
		for i, err := range refuseErrs {
			if !tongban.IsCode(err, tongban.EInvalid) {
				t.Fatalf("refused issue %d: err = %v, want %s", i, err, tongban.EInvalid)
			}
		}
		mine, err := w.st.LicensesOfHolder(ctx, holder.ID)
		w.must(err)
		if len(mine) != good {
			t.Fatalf("%d licences for %d issued cases", len(mine), good)
		}
		serials := map[string]int64{}
		for _, lic := range mine {
			p, err := license.ParseIdentifier(lic.Identifier)
			w.must(err)
			if other, dup := serials[p.Serial]; dup {
				t.Fatalf("serial %s taken by licences %d and %d", p.Serial, other, lic.ID)
			}
			serials[p.Serial] = lic.ID
			if got, _ := w.st.Case(ctx, lic.CaseID); got.ResultNo != lic.Number || got.State != tongban.CaseResultIssued {
				t.Errorf("case %d of licence %s: %s, result %q", lic.CaseID, lic.Identifier, got.State, got.ResultNo)
			}
		}
		for _, c := range refusable {
			if got, _ := w.st.Case(ctx, c.ID); got.State == tongban.CaseResultIssued || got.ResultNo != "" {
				t.Errorf("refused case %s moved: %s, result %q", c.Number, got.State, got.ResultNo)
			}
		}

		// A quiet issue after them, on a server of its own (a restart): it
		// reserves the counter's next serial, never one already taken.
		late := apply("name", "张三", "card_no", "511602194912310028")
		quiet := workflow.New(w.st, nil, workflow.StaticCalendar{S: calendar.Default()}, w.clock)
		quiet.Licenses = license.NewIssuer()
		w.step(at(2026, 3, 3, 10, 0), "late issue", func() (*tongban.Case, error) { return quiet.Issue(ctx, as(w.clerk), late.ID, "") })
		mine, err = w.st.LicensesOfHolder(ctx, holder.ID)
		w.must(err)
		for _, lic := range mine {
			if lic.CaseID != late.ID {
				continue
			}
			p, err := license.ParseIdentifier(lic.Identifier)
			w.must(err)
			if _, dup := serials[p.Serial]; dup {
				t.Fatalf("the late issue took serial %s again", p.Serial)
			}
			return
		}
		t.Fatal("the late issue made no licence")
	})
}

// cardIssuing sets up, in w, a department issuing 社会保障卡 (a licence
// type) through a listing of its own, and a citizen holding them; apply
// submits and accepts a case of that listing with the form fields given.
func cardIssuing(t *testing.T, w *world) (*tongban.User, func(f ...string) *tongban.Case) {
	t.Helper()
	ctx := w.ctx
	_, l, holder := licensingDept(w, socialCardType(), "11511602MB1593001X4000222002")
	apply := func(f ...string) *tongban.Case {
		c := w.step(at(2026, 3, 3, 9, 0), "submit", func() (*tongban.Case, error) {
			return w.wf.Submit(ctx, as(w.clerk), workflow.Application{ListingID: l.ID, ListingVersion: 1,
				ApplicantID: holder.ID, Channel: tongban.ChannelCounter, Form: form(f...), Materials: provided("c1", "c2")})
		})
		return w.step(at(2026, 3, 3, 9, 5), "accept", func() (*tongban.Case, error) {
			return w.wf.Accept(ctx, as(w.clerk), c.ID, workflow.AcceptInput{})
		})
	}
	return holder, apply
}

// TestIssueAfterAnotherServerRotatesTheKey: a server keeps the seal key it
// read for its next issues (license.KeptIssuing); once another server
// rotates the key, its next issue is signed with the new key — the store
// refuses the old one, nothing is kept of that attempt, and the issue is
// made again — and the applicant sees one licence, one issue event.
func TestIssueAfterAnotherServerRotatesTheKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx := w.ctx
		holder, apply := cardIssuing(t, w)
		var cases []*tongban.Case
		for range 3 {
			cases = append(cases, apply("name", "张三", "card_no", "511602194912310028"))
		}
		w.wf.Licenses = license.NewIssuer()
		issue := func(c *tongban.Case, minute int) {
			w.step(at(2026, 3, 3, 9, minute), "issue", func() (*tongban.Case, error) { return w.wf.Issue(ctx, as(w.clerk), c.ID, "") })
		}
		issue(cases[0], 20) // makes the org's first key
		issue(cases[1], 21) // reads it, and keeps it
		rotated, err := (&license.Service{Store: w.st, Clock: w.clock}).RotateSealKey(ctx, identity.Request{}, cases[0].OrgID)
		w.must(err)
		issue(cases[2], 21) // within KeptIssuingTTL: the kept key, refused, then the new one
		mine, err := w.st.LicensesOfHolder(ctx, holder.ID)
		w.must(err)
		keyOf := map[int64][]string{}
		for _, lic := range mine {
			keyOf[lic.CaseID] = append(keyOf[lic.CaseID], lic.KeyID)
		}
		if k := keyOf[cases[2].ID]; len(k) != 1 || k[0] != rotated.ID {
			t.Fatalf("keys of the licences of the case issued after the rotation: %v, want one, %s", k, rotated.ID)
		}
		if k := keyOf[cases[1].ID]; len(k) != 1 || k[0] == rotated.ID {
			t.Fatalf("keys of the licences of the case issued before the rotation: %v", k)
		}
		events, err := w.st.CaseEvents(ctx, cases[2].ID)
		w.must(err)
		issues := 0
		for _, e := range events {
			if e.Action == tongban.ActionIssue {
				issues++
			}
		}
		if issues != 1 {
			t.Fatalf("%d issue events, want 1", issues)
		}
	})
}
