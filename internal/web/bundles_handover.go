package web

import (
	"context"
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/workflow"
)

// The clerk hands every result of a 一件事 over at once on the parent's
// console page (/console/bundle-cases/{number}): one pickup at the unified
// window, signed for by the applicant or a proxy (one trip), or one express
// parcel. It goes through bundle.Service.Handover, the rule the API's
// bundle-handover uses; an applicant who asked for the results one by one
// collects each at 统一出件 instead.

// bundleHandoverPanel lists what would be handed over and offers the form.
type bundleHandoverPanel struct {
	Results     []bundleResult
	Ready       bool   // every result or decision is in: the form is offered
	Separate    bool   // the applicant asked for the results one by one
	ApplicantID string // masked, for the clerk to compare with the card
	Method      string // the applicant's choice, preselected
}

// bundleResult is one sub-case's result, decision, or why there is none.
type bundleResult struct {
	Name, OrgName, Number string
	Result, ResultNo      string // the result's name and its number (the licence number, for a licence)
	Decision              bool   // a denial decision, not a result
	Pending               string // the state that has no result yet
	Reason                string // why it stopped
}

// bundleHandoverOf builds the panel for staff who may hand results out,
// until the application is closed.
func (w *Web) bundleHandoverOf(ctx context.Context, u *tongban.User, v *bundle.View) (*bundleHandoverPanel, error) {
	if u == nil || w.Identity.Require(u, identity.PermCaseHandout) != nil || v.State == bundle.ParentClosed {
		return nil, nil
	}
	h := &bundleHandoverPanel{Ready: v.State == bundle.ParentIssued, Separate: v.Separate, Method: string(v.Delivery)}
	if a, err := w.Store.User(ctx, v.ApplicantID); err == nil {
		h.ApplicantID = a.IDNumber.Masked()
		if a.Kind == tongban.UserEnterprise {
			h.ApplicantID = string(a.CreditCode)
		}
	}
	for _, sv := range v.Views {
		res := bundleResult{Name: sv.Name, OrgName: sv.OrgName, Number: sv.Number}
		switch c := sv.Case; {
		case sv.Status == tongban.SubStopped:
			res.Pending, res.Reason = sv.Status.Label(), sv.Reason
		case c == nil:
			res.Pending = sv.Status.Label()
		case c.State == tongban.CaseDenied:
			res.Decision, res.Result, res.ResultNo = true, "不予许可（办理）决定书", c.ResultNo
		case c.State == tongban.CaseResultIssued || c.State == tongban.CaseClosed:
			res.ResultNo = c.ResultNo
			if l, err := w.listingOf(ctx, c); err == nil {
				res.Result = l.Result.Name
			}
		default:
			res.Pending = c.State.Label()
		}
		h.Results = append(h.Results, res)
	}
	return h, nil
}

// bundleHandoverSubmit hands every result over together. A refusal (the
// collector not checked, no tracking number, a result not ready) comes
// back on the page naming the field, and nothing is delivered.
func (w *Web) bundleHandoverSubmit(rw http.ResponseWriter, r *http.Request) error {
	if _, err := w.staff(r, identity.PermCaseHandout); err != nil {
		return err
	}
	bc, err := w.bundleCaseOf(r)
	if err != nil {
		return err
	}
	_, err = w.Bundles.Handover(r.Context(), w.wf(r), bc.ID, workflow.DeliverInput{
		Method: tongban.DeliveryMethod(r.FormValue("method")), TrackingNo: r.FormValue("tracking_no"),
		Collector: tongban.Collector(r.FormValue("collector")), IdentityChecked: r.FormValue("identity_checked") != "",
		CollectorName: r.FormValue("collector_name"), CollectorID: r.FormValue("collector_id_number"),
		PowerOfAttorney: r.FormValue("power_of_attorney") != ""})
	if err == nil {
		w.redirectFlash(rw, r, "/console/bundle-cases/"+bc.Number, "一件事 "+bc.Number+" 的结果已一次送达办结。")
		return nil
	}
	if !userError(err) {
		return err
	}
	p, perr := w.bundleCasePage(rw, r, bc, true)
	if perr != nil {
		return perr
	}
	p.HandoverForm.fail(err)
	for _, k := range []string{"method", "tracking_no", "collector", "collector_name", "collector_id_number"} {
		p.HandoverForm.Values[k] = r.FormValue(k)
	}
	return w.render(rw, r, tongban.HTTPStatus(err), "bundle_case", p)
}

// HandoverVal is what the failed handover form held, else def.
func (p *bundleCasePage) HandoverVal(field, def string) string {
	if v := p.HandoverForm.Values[field]; v != "" {
		return v
	}
	return def
}
