package bundle_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/workflow"
)

// walk is the demo city with the workflow and bundles wired as app does,
// and two approvers for every department a bundle reaches (审核与审批分离).
type walk struct {
	*city
	wf        *workflow.Service
	approvers map[int64][]*tongban.User
	clerk     *tongban.User
}

func newWalk(t *testing.T, c *city) *walk {
	t.Helper()
	wf := workflow.New(c.st, nil, workflow.StaticCalendar{S: calendar.Default()}, c.clock)
	wf.Licenses = license.NewIssuer() // as app wires it: demo listings issue licences
	c.svc = bundle.New(c.st, wf, c.clock)
	wf.Follower = c.svc
	return &walk{city: c, wf: wf, approvers: map[int64][]*tongban.User{}, clerk: c.user(t, "clerk")}
}

func (w *walk) req(u *tongban.User) workflow.Request {
	return workflow.Request{Actor: u, IP: "127.0.0.1"}
}

func (w *walk) approversOf(t *testing.T, orgID int64) []*tongban.User {
	t.Helper()
	if us, ok := w.approvers[orgID]; ok {
		return us
	}
	for i := range 2 {
		u, err := w.ids.CreateStaff(context.Background(), identity.StaffAccount{Username: fmt.Sprintf("ap%d-%d", orgID, i),
			Name: fmt.Sprintf("审批%d", i), Password: demo.Password,
			Roles: []tongban.RoleGrant{{Role: tongban.RoleApprover, OrgID: orgID}}}, identity.Request{IP: "test"})
		if err != nil {
			t.Fatal(err)
		}
		w.approvers[orgID] = append(w.approvers[orgID], u)
	}
	return w.approvers[orgID]
}

func (w *walk) get(t *testing.T, id int64) *tongban.Case {
	t.Helper()
	c, err := w.st.Case(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// accept is the comprehensive window's 受理.
func (w *walk) accept(t *testing.T, id int64) {
	t.Helper()
	if _, err := w.wf.Accept(context.Background(), w.req(w.clerk), id, workflow.AcceptInput{}); err != nil {
		t.Fatalf("accept %s: %v", w.get(t, id).Number, err)
	}
}

// decide walks an accepted case through its steps to a decision by the
// department's approvers, then issues the result when approved.
func (w *walk) decide(t *testing.T, id int64, approve bool, resultNo string) *tongban.Case {
	t.Helper()
	ctx := context.Background()
	for range 12 {
		c := w.get(t, id)
		aps := w.approversOf(t, c.OrgID)
		var last error
		try := func(f func(u *tongban.User) error) bool {
			for _, u := range aps {
				if last = f(u); last == nil {
					return true
				}
			}
			return false
		}
		switch c.State {
		case tongban.CaseAccepted, tongban.CaseInReview:
			if try(func(u *tongban.User) error { _, err := w.wf.Review(ctx, w.req(u), id, "审查通过"); return err }) {
				continue
			}
			if approve && try(func(u *tongban.User) error { _, err := w.wf.Approve(ctx, w.req(u), id, "准予办理"); return err }) {
				continue
			}
			if !approve && try(func(u *tongban.User) error {
				_, err := w.wf.Deny(ctx, w.req(u), id, []string{"助产机构无该新生儿的分娩记录"})
				return err
			}) {
				continue
			}
			t.Fatalf("%s stuck at %s: %v", c.Number, c.State, last)
		case tongban.CaseApproved:
			// A licence result: the approver fills in each face item the
			// form lacks, as the refusal names it.
			face := map[string]string{}
			for !try(func(u *tongban.User) error {
				_, err := w.wf.IssueWithFace(ctx, w.req(u), id, resultNo, face)
				return err
			}) {
				e := tongban.AsError(last)
				_, rest, _ := strings.Cut(e.Message, "「")
				name, _, _ := strings.Cut(rest, "」")
				if !strings.HasPrefix(e.Field, "face.") || name == "" || face[name] != "" {
					t.Fatalf("issue %s: %v", c.Number, last)
				}
				face[name] = "审批人核对：" + name
			}
		default:
			return c
		}
	}
	t.Fatalf("case %d never decided", id)
	return nil
}

func (w *walk) view(t *testing.T, number string) *bundle.View {
	t.Helper()
	bc, err := w.st.BundleCaseByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	v, err := w.svc.View(context.Background(), bc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (v *walk) sub(t *testing.T, view *bundle.View, component string) bundle.SubView {
	t.Helper()
	for _, sv := range view.Views {
		if sv.Component == component {
			return sv
		}
	}
	t.Fatalf("no sub-case %s", component)
	return bundle.SubView{}
}

// materialsOf hands over one upload per line of the checklist.
func materialsOf(t *testing.T, w *walk, b *tongban.Bundle, answers map[string]string) []tongban.CaseMaterial {
	t.Helper()
	ls, err := w.svc.Listings(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := bundle.Tailor(b, ls, answers)
	if err != nil {
		t.Fatal(err)
	}
	var out []tongban.CaseMaterial
	for i, n := range cl.Materials {
		out = append(out, tongban.CaseMaterial{Key: n.Key, BlobHash: fmt.Sprintf("sm3:%064x", i+1), Status: tongban.MaterialProvided})
	}
	return out
}

func formOf(t *testing.T, kv map[string]any) json.RawMessage {
	t.Helper()
	data, err := json.Marshal(kv)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func (w *walk) count(t *testing.T) (cases, parents int) {
	t.Helper()
	db := w.st.DB()
	if err := db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM cases`).Scan(&cases); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM bundle_cases`).Scan(&parents); err != nil {
		t.Fatal(err)
	}
	return cases, parents
}
