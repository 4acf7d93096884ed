package web

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/workflow"
)

// queuePage is the back office's work: for each department or board the
// approver serves, its cases needing a step, a decision or a result, the
// least time left first.
type queuePage struct {
	Base
	Queues []queueView
}

type queueView struct {
	Org     *tongban.Org
	Rows    []caseRow
	Waiting int // awaiting the applicant's correction: not the office's move
}

// queueStates are the states in which the back office holds the next move.
var queueStates = []tongban.CaseState{tongban.CaseAccepted, tongban.CaseInReview, tongban.CaseApproved, tongban.CaseDenied}

func (w *Web) queue(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.staff(r, identity.PermCaseReview)
	if err != nil {
		return err
	}
	ctx := r.Context()
	sched, err := w.Workflow.Calendar.Schedule(ctx)
	if err != nil {
		return err
	}
	now := w.Workflow.Clock.Now()
	p := queuePage{Base: w.base(rw, r, "审批办件")}
	listings := map[[2]int64]*tongban.Listing{}
	seen := map[int64]bool{}
	for _, g := range u.Roles {
		if seen[g.OrgID] || !slices.Contains(identity.PermissionsOf(g.Role), identity.PermCaseReview) {
			continue
		}
		seen[g.OrgID] = true
		org, err := w.Store.Org(ctx, g.OrgID)
		if err != nil {
			return err
		}
		f := tongban.CaseFilter{OrgID: org.ID, States: queueStates, Limit: 500}
		if org.Kind == tongban.OrgBoard {
			f = tongban.CaseFilter{BoardID: org.ID, States: queueStates, Limit: 500}
		}
		cs, err := w.Workflow.List(ctx, w.wf(r), f)
		if err != nil {
			return err
		}
		q := queueView{Org: org, Rows: w.rows(p.Lang, cs, sched, now, true)}
		for i, row := range q.Rows {
			key := [2]int64{row.ListingID, int64(row.ListingVersion)}
			l, ok := listings[key]
			if !ok {
				if l, err = w.listingOf(ctx, row.Case); err != nil {
					return err
				}
				listings[key] = l
			}
			q.Rows[i].StepName = stepLabel(p.Lang, row.Case, workflow.ProcessOf(l))
		}
		slices.SortStableFunc(q.Rows, byTimeLeft)
		f.States = []tongban.CaseState{tongban.CaseAwaitingCorrection}
		if q.Waiting, err = w.Store.CountCases(ctx, f); err != nil {
			return err
		}
		p.Queues = append(p.Queues, q)
	}
	return w.render(rw, r, http.StatusOK, "cases_queue", p)
}

// stepLabel is what the office does next with the case.
func stepLabel(l Lang, c *tongban.Case, proc workflow.Process) string {
	switch c.State {
	case tongban.CaseApproved:
		return l.T("待出具结果")
	case tongban.CaseDenied:
		return l.T("待办结")
	}
	return proc.Name(c.Step)
}

// byTimeLeft puts running cases first, the least working days left first;
// paused cases next; decided ones, waiting for their result, last.
func byTimeLeft(a, b caseRow) int {
	rank := func(r caseRow) int {
		switch {
		case r.Time.Running && !r.Time.Paused:
			return 0
		case r.Time.Running:
			return 1
		}
		return 2
	}
	return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a.Time.DaysLeft, b.Time.DaysLeft),
		cmp.Compare(a.DueDate, b.DueDate), a.CreatedAt.Compare(b.CreatedAt))
}
