package web

import (
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/workflow"
)

// handoutPage is 统一出件: the results waiting at the pickup windows of the
// clerk's hall, each handed over in person or sent by express.
type handoutPage struct {
	Base
	Seats  []seat
	Rows   []handoutRow
	Failed string // the case whose delivery was refused
	Form   form
}

type handoutRow struct {
	caseRow
	Pickup     string
	ResultName string
}

// Err is the refusal of this row's delivery, if it was the one tried.
func (p *handoutPage) Err(number string) string {
	if p.Failed != number {
		return ""
	}
	if msg := p.Form.Errors["tracking_no"]; msg != "" {
		return msg
	}
	return p.Form.Error
}

func (w *Web) handoutPage(rw http.ResponseWriter, r *http.Request) (*handoutPage, error) {
	u, err := w.staff(r, identity.PermCaseHandout)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	seats, err := w.seats(ctx, u, identity.PermCaseHandout)
	if err != nil {
		return nil, err
	}
	windows, err := w.Store.Orgs(ctx, tongban.OrgFilter{Kind: tongban.OrgWindow})
	if err != nil {
		return nil, err
	}
	sched, err := w.Workflow.Calendar.Schedule(ctx)
	if err != nil {
		return nil, err
	}
	p := &handoutPage{Base: w.base(rw, r, "统一出件"), Seats: seats, Form: newForm()}
	names := w.orgNames()
	now := w.Workflow.Clock.Now()
	for _, s := range seats {
		// The hall's windows: results come back to its 统一出件 window.
		here := map[int64]bool{s.Window.ID: true}
		if s.Hall != nil {
			for _, win := range windows {
				if win.ParentID == s.Hall.ID {
					here[win.ID] = true
				}
			}
		}
		cs, err := w.Workflow.List(ctx, w.wf(r), tongban.CaseFilter{Within: s.Region, States: []tongban.CaseState{tongban.CaseResultIssued}, Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if !here[c.Delivery.WindowID] {
				continue
			}
			row := handoutRow{caseRow: newCaseRow(p.Lang, c, workflow.StatusAt(sched, c, now), true),
				Pickup: names.fullName(ctx, c.Delivery.WindowID)}
			if l, err := w.listingOf(ctx, c); err == nil {
				row.ResultName = l.Result.Name
			}
			p.Rows = append(p.Rows, row)
		}
	}
	return p, nil
}

func (w *Web) handout(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.handoutPage(rw, r)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "cases_handout", p)
}

// handoutDeliver hands one result over. The workflow refuses while 容缺
// materials are owed; the refusal is shown on that case's line.
func (w *Web) handoutDeliver(rw http.ResponseWriter, r *http.Request) error {
	if _, err := w.staff(r, identity.PermCaseHandout); err != nil {
		return err
	}
	c, err := w.caseOf(r)
	if err != nil {
		return err
	}
	req := w.wf(r)
	req.Version, _ = strconv.Atoi(r.FormValue("version"))
	_, err = w.Workflow.Deliver(r.Context(), req, c.ID, workflow.DeliverInput{
		Method: tongban.DeliveryMethod(r.FormValue("method")), TrackingNo: r.FormValue("tracking_no")})
	if err == nil {
		w.redirectFlash(rw, r, "/console/handout", "办件 "+c.Number+" 已送达办结。")
		return nil
	}
	if !userError(err) {
		return err
	}
	p, perr := w.handoutPage(rw, r)
	if perr != nil {
		return perr
	}
	p.Failed = c.Number
	p.Form.fail(err)
	p.Form.Values["method"], p.Form.Values["tracking_no"] = r.FormValue("method"), r.FormValue("tracking_no")
	return w.render(rw, r, tongban.HTTPStatus(err), "cases_handout", p)
}
