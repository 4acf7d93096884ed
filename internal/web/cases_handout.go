package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/workflow"
)

// handoutPage is 统一出件: the results and denial decisions waiting at the
// result window of the clerk's hall (待领取), searchable by case number, ID
// number or name, each signed for by its collector — the applicant, whose
// ID the clerk checks, or a proxy with ID and 授权委托书 — or mailed; and
// what was collected there today (已领取) with its 签收.
type handoutPage struct {
	Base
	Seats     []seat
	Q         string
	Rows      []handoutRow
	Collected []collectedRow
	Failed    string // the case whose delivery was refused
	Form      form
}

type handoutRow struct {
	caseRow
	Pickup      string
	ResultName  string // the result, or the denial decision's title
	Decision    bool   // a denial decision, not a result
	ApplicantID string // masked, for the clerk to compare with the card
}

type collectedRow struct {
	caseRow
	H      *tongban.Handover
	Window string
}

// Err is the refusal of this row's delivery, if it was the one tried. A
// row shows one message above its form, whatever field it names.
func (p *handoutPage) Err(number string) string {
	if p.Failed != number {
		return ""
	}
	return p.Form.Error
}

// Unlisted is the refusal of a delivery whose row the page no longer
// lists (another clerk handed the result over meanwhile), shown above the
// list so it is not lost with the row.
func (p *handoutPage) Unlisted() string {
	if p.Failed == "" {
		return ""
	}
	for _, row := range p.Rows {
		if row.Number == p.Failed {
			return ""
		}
	}
	return p.Form.Error
}

// Val is what the failed form held, to show it again.
func (p *handoutPage) Val(number, field string) string {
	if p.Failed != number {
		return ""
	}
	return p.Form.Values[field]
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
	sched, err := w.Workflow.Calendar.Schedule(ctx)
	if err != nil {
		return nil, err
	}
	p := &handoutPage{Base: w.base(rw, r, "统一出件"), Seats: seats, Form: newForm(), Q: strings.TrimSpace(r.FormValue("q"))}
	names := w.orgNames()
	now := w.Workflow.Clock.Now()
	done := map[int64]bool{}
	for _, s := range seats {
		// The hall's designated result window, not a window's name, says
		// where results wait.
		if s.Hall == nil || s.Hall.ResultWindowID == 0 || done[s.Hall.ResultWindowID] {
			continue
		}
		done[s.Hall.ResultWindowID] = true
		list, err := w.Workflow.Handout(ctx, w.wf(r), s.Hall.ResultWindowID, p.Q, now)
		if err != nil {
			return nil, err
		}
		pickup := names.fullName(ctx, s.Hall.ResultWindowID)
		for _, c := range list.Waiting {
			row := handoutRow{caseRow: newCaseRow(p.Lang, c, workflow.StatusAt(sched, c, now), true), Pickup: pickup}
			if l, err := w.listingOf(ctx, c); err == nil {
				row.ResultName = l.Result.Name
			}
			if c.State == tongban.CaseDenied {
				row.Decision, row.ResultName = true, "不予许可（办理）决定书"
			}
			if a, err := w.Store.User(ctx, c.ApplicantID); err == nil {
				row.ApplicantID = a.IDNumber.Masked()
				if a.Kind == tongban.UserEnterprise {
					row.ApplicantID = string(a.CreditCode)
				}
			}
			p.Rows = append(p.Rows, row)
		}
		for _, c := range list.Collected {
			p.Collected = append(p.Collected, collectedRow{caseRow: newCaseRow(p.Lang, c.Case, workflow.TimeStatus{}, true),
				H: c.Handover, Window: names.fullName(ctx, c.Handover.WindowID)})
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

// handoutDeliver hands one result or decision over, signed for by its
// collector, or mails it. The workflow refuses while 容缺 materials are
// owed or the collector is not checked; the refusal shows on that line.
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
		Method: tongban.DeliveryMethod(r.FormValue("method")), TrackingNo: r.FormValue("tracking_no"),
		Collector: tongban.Collector(r.FormValue("collector")), IdentityChecked: r.FormValue("identity_checked") != "",
		CollectorName: r.FormValue("collector_name"), CollectorID: r.FormValue("collector_id_number"),
		PowerOfAttorney: r.FormValue("power_of_attorney") != ""})
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
	p.Form.failOn(err)
	for _, k := range []string{"method", "tracking_no", "collector", "collector_name", "collector_id_number"} {
		p.Form.Values[k] = r.FormValue(k)
	}
	return w.render(rw, r, tongban.HTTPStatus(err), "cases_handout", p)
}
