package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/workflow"
)

// consoleCasePage is a case as staff work it: the materials against their
// review criteria, the history, and the forms of the actions the person's
// roles and the case's state allow. Whether this person may act on this
// case (its region, department or board) is the workflow's to decide.
type consoleCasePage struct {
	Base
	*caseDetail
	CanFront, CanBack, CanHandout bool
	// TookPrevious: this person took the step before one the listing
	// gives to someone else (审核与审批分离), so it is not theirs to take.
	TookPrevious bool
	Failed       string // the action whose form shows Form's errors
	Form         form
	// Shared are the shared-data records that spared materials, in full.
	Shared []sharedRecordView
	// Face is the e-licence's face to confirm before issuing (出具结果).
	Face []license.FaceEntry
}

func (p *consoleCasePage) state() tongban.CaseState { return p.Case.State }

func (p *consoleCasePage) paused() bool {
	return !p.Case.PausedSince.IsZero() && p.state() != tongban.CaseAwaitingCorrection
}

// ShowFront: accept, reject or ask for correction before acceptance.
func (p *consoleCasePage) ShowFront() bool { return p.CanFront && p.state() == tongban.CaseSubmitted }

// ShowReview: pass a review step that is not the deciding one.
func (p *consoleCasePage) ShowReview() bool {
	return p.CanBack && !p.TookPrevious && workflow.Allowed(tongban.ActionReview, p.state()) && !p.paused() &&
		!p.Process.IsLast(p.Case.Step)
}

// ShowDecide: approve or deny at the deciding step.
func (p *consoleCasePage) ShowDecide() bool {
	return p.CanBack && !p.TookPrevious && workflow.Allowed(tongban.ActionApprove, p.state()) && !p.paused() &&
		p.Process.IsLast(p.Case.Step)
}

// ShowBackCorrection: the back office asks for more (the clock stops).
func (p *consoleCasePage) ShowBackCorrection() bool {
	return p.CanBack && (p.state() == tongban.CaseAccepted || p.state() == tongban.CaseInReview) && !p.paused()
}

func (p *consoleCasePage) ShowSpecialStart() bool { return p.ShowBackCorrection() }
func (p *consoleCasePage) ShowSpecialEnd() bool   { return p.CanBack && p.paused() }

func (p *consoleCasePage) ShowIssue() bool {
	return p.state() == tongban.CaseApproved && (p.CanBack || p.Case.Instant && p.CanFront)
}

// ShowDeliver: a result, or a denial decision, is handed over like one.
func (p *consoleCasePage) ShowDeliver() bool {
	return workflow.Allowed(tongban.ActionDeliver, p.state()) && (p.CanHandout || p.CanBack)
}

// ShowClose: a result that needs no handing over; denials close on delivery.
func (p *consoleCasePage) ShowClose() bool {
	return workflow.Allowed(tongban.ActionClose, p.state()) && p.CanBack
}

// ShowOwed: the window records 容缺 materials handed in.
func (p *consoleCasePage) ShowOwed() bool {
	return (p.CanFront || p.CanHandout) && len(p.Case.Owed()) > 0 && workflow.Allowed(tongban.ActionProvideOwed, p.state())
}

// StepName is the current step; NextStepName the one a review passes to.
func (p *consoleCasePage) StepName() string { return p.Process.Name(p.Case.Step) }

func (p *consoleCasePage) NextStepName() string {
	if next, ok := p.Process.Next(p.Case.Step); ok {
		return p.Process.Name(next)
	}
	return ""
}

// Owable are the missing materials a clerk may accept as 容缺.
func (p *consoleCasePage) Owable() []materialRow {
	var out []materialRow
	for _, m := range p.Materials.Rows {
		if m.Status == "" && m.Tolerant && p.Listing.Flags.TolerantAcceptance {
			out = append(out, m)
		}
	}
	return out
}

// Lacking are the missing required materials that cannot be owed: they
// must be corrected before acceptance.
func (p *consoleCasePage) Lacking() []materialRow {
	var out []materialRow
	for _, m := range p.Materials.Rows {
		if m.Status == "" && m.Necessity == tongban.MaterialRequired && !(m.Tolerant && p.Listing.Flags.TolerantAcceptance) {
			out = append(out, m)
		}
	}
	return out
}

// OtherMaterials are the listing's materials this case was not asked for
// (依情形): a correction may still name one, when review finds the
// situation differs from the application.
func (p *consoleCasePage) OtherMaterials() []tongban.Material {
	asked := map[string]bool{}
	for _, m := range p.Materials.Rows {
		asked[m.Key] = true
	}
	var out []tongban.Material
	for _, m := range p.Listing.Materials {
		if !asked[m.Key] {
			out = append(out, m)
		}
	}
	return out
}

// correctItem is one line of the correction form.
type correctItem struct {
	Page      *consoleCasePage
	Key, Name string
}

func (p *consoleCasePage) Item(key, name string) correctItem { return correctItem{p, key, name} }

// Err is the error of a field of the failed form.
func (p *consoleCasePage) Err(action, field string) string {
	if p.Failed != action {
		return ""
	}
	return p.Form.Errors[field]
}

// FormErr is the failed form's message as a whole.
func (p *consoleCasePage) FormErr(action string) string {
	if p.Failed != action {
		return ""
	}
	return p.Form.Error
}

// Val is what the failed form held in a field, to show it again.
func (p *consoleCasePage) Val(action, field string) string {
	if p.Failed != action {
		return ""
	}
	return p.Form.Values[field]
}

func (w *Web) consolePage(rw http.ResponseWriter, r *http.Request, c *tongban.Case) (*consoleCasePage, error) {
	u, err := w.staff(r, identity.PermConsole)
	if err != nil {
		return nil, err
	}
	p := &consoleCasePage{Base: w.base(rw, r, "办件"), Form: newForm(),
		CanFront:   w.Identity.Can(u, identity.PermCaseAccept) || w.Identity.Can(u, identity.PermCaseReview) && !c.Channel.AtWindow(),
		CanBack:    w.Identity.Can(u, identity.PermCaseReview),
		CanHandout: w.Identity.Can(u, identity.PermCaseHandout)}
	p.Title = p.Lang.T("办件") + " " + c.Number
	if p.caseDetail, err = w.detail(r, p.Lang, c, true); err != nil {
		return nil, err
	}
	if p.Shared, err = w.sharedRecords(r, p.Lang, c); err != nil {
		return nil, err
	}
	if p.Face, err = w.licenceFace(r.Context(), c, p.Listing); err != nil {
		return nil, err
	}
	p.TookPrevious = workflow.TookPreviousStep(p.Process, p.Events, u.ID, c.Step)
	return p, nil
}

func (w *Web) consoleCase(rw http.ResponseWriter, r *http.Request) error {
	if _, err := w.staff(r, identity.PermConsole); err != nil {
		return err
	}
	c, err := w.caseWithEventsOf(r)
	if err != nil {
		return err
	}
	p, err := w.consolePage(rw, r, c)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "cases_console", p)
}

// consoleCaseAction takes one action from the case page. A refusal the
// person can fix (a missing reason, a state changed meanwhile) comes back
// on the form it came from; success returns to the case with a message.
func (w *Web) consoleCaseAction(rw http.ResponseWriter, r *http.Request) error {
	if _, err := w.staff(r, identity.PermConsole); err != nil {
		return err
	}
	c, err := w.caseOf(r)
	if err != nil {
		return err
	}
	lst, err := w.listingOf(r.Context(), c)
	if err != nil {
		return err
	}
	req := w.wf(r)
	req.Version, _ = strconv.Atoi(r.FormValue("version"))
	ctx, id, action := r.Context(), c.ID, r.PathValue("action")
	var flash string
	var items []tongban.Deficiency
	switch action {
	case "accept":
		var owed []string
		for _, m := range lst.Materials {
			if r.FormValue("owed_"+m.Key) != "" {
				owed = append(owed, m.Key)
			}
		}
		days, _ := strconv.Atoi(strings.TrimSpace(r.FormValue("owed_days")))
		_, err = w.Workflow.Accept(ctx, req, id, workflow.AcceptInput{Owed: owed, OwedDays: days, Note: r.FormValue("note"),
			Confirm: confirmations(r, c)})
		flash = "已受理，受理通知书已生成。"
	case "confirm-materials":
		_, err = w.Workflow.ConfirmMaterials(ctx, req, id, confirmations(r, c))
		flash = "材料已审核通过，已存入申请人材料库。"
	case "reject":
		_, err = w.Workflow.Reject(ctx, req, id, lines(r.FormValue("reasons")))
		flash = "已作出不予受理决定，不予受理通知书已生成。"
	case "correct":
		for _, m := range lst.Materials {
			if r.FormValue("item_"+m.Key) != "" {
				items = append(items, tongban.Deficiency{Key: m.Key, Reason: r.FormValue("reason_" + m.Key)})
			}
		}
		_, err = w.Workflow.RequestCorrection(ctx, req, id, items)
		flash = "一次性告知书已生成，等待申请人补正。"
	case "review":
		_, err = w.Workflow.Review(ctx, req, id, r.FormValue("opinion"))
		flash = "本环节已办理，已转下一环节。"
	case "approve":
		_, err = w.Workflow.Approve(ctx, req, id, r.FormValue("opinion"))
		flash = "已作出准予办理决定，请出具结果。"
	case "deny":
		_, err = w.Workflow.Deny(ctx, req, id, lines(r.FormValue("reasons")))
		flash = "已作出不予办理决定，已纳入否定备案。"
	case "issue":
		var face map[string]string
		if face, err = w.postedFace(r, lst); err != nil {
			return err
		}
		_, err = w.Workflow.IssueWithFace(ctx, req, id, r.FormValue("result_no"), face)
		flash = "结果已出具，等待送达。"
	case "deliver":
		_, err = w.Workflow.Deliver(ctx, req, id, workflow.DeliverInput{Method: tongban.DeliveryMethod(r.FormValue("method")),
			TrackingNo: r.FormValue("tracking_no")})
		flash = "结果已送达，办件已办结。"
	case "close":
		_, err = w.Workflow.Close(ctx, req, id, r.FormValue("note"))
		flash = "办件已办结。"
	case "owed":
		var ms []tongban.CaseMaterial
		for _, m := range c.Owed() {
			if r.FormValue("received_"+m.Key) != "" {
				ms = append(ms, tongban.CaseMaterial{Key: m.Key, Status: tongban.MaterialProvided})
			}
		}
		_, err = w.Workflow.ProvideOwed(ctx, req, id, ms, r.FormValue("in_person") != "")
		flash = "容缺材料已收齐登记。"
	case "special-start":
		_, err = w.Workflow.StartSpecial(ctx, req, id, r.FormValue("kind"), r.FormValue("note"))
		flash = "特别程序已开始，办理时限暂停计算。"
	case "special-end":
		_, err = w.Workflow.EndSpecial(ctx, req, id, r.FormValue("note"))
		flash = "特别程序已结束，办理时限继续计算。"
	default:
		return tongban.Errorf(tongban.ENotFound, "页面不存在")
	}
	if err == nil {
		w.redirectFlash(rw, r, "/console/cases/"+c.Number, flash)
		return nil
	}
	if !userError(err) {
		return err
	}
	// Shown as it is now: after a conflict, someone else moved it on.
	if fresh, ferr := w.caseOf(r); ferr == nil {
		c = fresh
	}
	p, perr := w.consolePage(rw, r, c)
	if perr != nil {
		return perr
	}
	for k, v := range r.PostForm {
		if len(v) > 0 && k != "csrf_token" {
			p.Form.Values[k] = v[0]
		}
	}
	p.showError(action, err, items)
	return w.render(rw, r, tongban.HTTPStatus(err), "cases_console", p)
}

// lines splits a textarea into its non-empty lines: one reason a line.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
