package api

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/notice"
)

func (a *API) noticeRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/cases/{number}/notices/{kind}", Tag: "cases", Access: signedIn,
		Summary: "通知书 PDF：kind 为 acceptance.pdf（受理通知书）、rejection.pdf（不予受理通知书）、correction.pdf（一次性告知书）" +
			"或 completion.pdf（办结通知书），办件到达相应状态后才有；限申请人及有权查看该办件的工作人员",
		Produces: "application/pdf", handle: a.noticePDF})
	a.add(Route{Method: "GET", Path: "/api/v1/cases/{number}/qr.png", Tag: "cases", Access: signedIn,
		Summary: "指向办件进度页的二维码（PNG）", Produces: "image/png", handle: a.caseQR})
}

// noticeKinds lists the notices a case has produced so far: the acceptance
// notice once accepted, the correction notice once one was issued, the
// rejection notice when rejected, and the completion notice once the
// decision is served (denied) or the result issued (approved).
func noticeKinds(c *tongban.Case, evs []*tongban.CaseEvent) []string {
	out := []string{}
	if lastEvent(evs, tongban.ActionAccept) != nil {
		out = append(out, string(notice.Acceptance))
	}
	if lastEvent(evs, tongban.ActionRequestCorrection) != nil {
		out = append(out, string(notice.Correction))
	}
	if c.State == tongban.CaseRejected {
		out = append(out, string(notice.Rejection))
	}
	switch {
	case c.Outcome == tongban.CaseApproved && (c.State == tongban.CaseResultIssued || c.State == tongban.CaseClosed),
		c.Outcome == tongban.CaseDenied && (c.State == tongban.CaseDenied || c.State == tongban.CaseClosed):
		out = append(out, string(notice.Completion))
	}
	return out
}

// lastEvent is the latest event of any of the actions, or nil.
func lastEvent(evs []*tongban.CaseEvent, actions ...tongban.CaseAction) *tongban.CaseEvent {
	for i := len(evs) - 1; i >= 0; i-- {
		if slices.Contains(actions, evs[i].Action) {
			return evs[i]
		}
	}
	return nil
}

func (a *API) noticePDF(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	kind := notice.Kind(strings.TrimSuffix(r.PathValue("kind"), ".pdf"))
	if !kind.Valid() {
		return tongban.Errorf(tongban.ENotFound, "通知书种类应为 acceptance、rejection、correction 或 completion")
	}
	req, _ := a.caseRequest(r)
	c, err := a.Workflow.ByNumber(ctx, req, r.PathValue("number"))
	if err != nil {
		return err
	}
	evs, err := a.Store.CaseEvents(ctx, c.ID)
	if err != nil {
		return err
	}
	if !slices.Contains(noticeKinds(c, evs), string(kind)) {
		return tongban.Errorf(tongban.EConflict, "办件当前状态为「%s」，尚无%s", c.State.Label(), kind.Title())
	}
	f, err := a.facts(ctx, r, c, evs, kind)
	if err != nil {
		return err
	}
	n, err := notice.Compose(kind, f)
	if err != nil {
		return err
	}
	pdf, err := notice.PDF(n, notice.DefaultFont)
	if err != nil {
		a.Log.ErrorContext(ctx, "notice pdf", "case", c.Number, "kind", kind, "err", err)
		return tongban.Wrap(tongban.EUnavailable, err, "通知书暂时无法生成，请稍后再试")
	}
	name := c.Number + "-" + kind.Title() + ".pdf"
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+c.Number+"-"+string(kind)+`.pdf"; filename*=UTF-8''`+url.PathEscape(name))
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(pdf)
	return err
}

func (a *API) caseQR(w http.ResponseWriter, r *http.Request) error {
	req, _ := a.caseRequest(r)
	c, err := a.Workflow.ByNumber(r.Context(), req, r.PathValue("number"))
	if err != nil {
		return err
	}
	png, err := notice.QRPNG(a.statusURL(r, c))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, err = w.Write(png)
	return err
}

// statusURL is the case's status page on the host the request came to.
func (a *API) statusURL(r *http.Request, c *tongban.Case) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); a.TrustProxy && (p == "http" || p == "https") {
		scheme = p
	}
	return scheme + "://" + r.Host + "/cases/" + url.PathEscape(c.Number)
}

// facts gathers what a notice states from the case, its events, its org
// and its listing.
func (a *API) facts(ctx context.Context, r *http.Request, c *tongban.Case, evs []*tongban.CaseEvent, kind notice.Kind) (notice.Facts, error) {
	org, err := a.Store.Org(ctx, c.OrgID)
	if err != nil {
		return notice.Facts{}, err
	}
	l, err := a.Store.ListingVersion(ctx, c.ListingID, c.ListingVersion)
	if err != nil {
		return notice.Facts{}, err
	}
	f := notice.Facts{OrgName: org.Name, CaseNumber: c.Number, ApplicantName: c.ApplicantName,
		ItemName: cmp.Or(c.ListingName, c.ItemName), SubmittedOn: dateOf(c.CreatedAt),
		StatusURL: a.statusURL(r, c), Complaint: cmp.Or(l.ComplaintPhone, "12345")}
	if e := lastEvent(evs, tongban.ActionSubmit); e != nil {
		f.SubmittedOn = dateOf(e.At)
	}
	issued := func(actions ...tongban.CaseAction) {
		if e := lastEvent(evs, actions...); e != nil {
			f.IssuedOn = dateOf(e.At)
		}
	}
	switch kind {
	case notice.Acceptance:
		issued(tongban.ActionAccept)
		sched, err := a.Workflow.Calendar.Schedule(ctx)
		if err != nil {
			return f, err
		}
		// The notice states the promise made on acceptance; later pauses
		// move the case's due date, not what was promised.
		f.PromisedDays, f.DueDate = c.PromisedDays, sched.Due(c.AcceptedAt, c.PromisedDays, nil).Due.String()
	case notice.Rejection:
		issued(tongban.ActionReject)
		f.Reasons = c.Reasons
	case notice.Correction:
		issued(tongban.ActionRequestCorrection)
		for _, d := range c.Corrections {
			f.Reasons = append(f.Reasons, "「"+d.Name+"」："+d.Reason)
		}
		if len(f.Reasons) == 0 { // cleared by a later rejection: the event keeps the lines
			f.Reasons = strings.Split(lastEvent(evs, tongban.ActionRequestCorrection).Reason, "；")
		}
	case notice.Completion:
		if c.Outcome == tongban.CaseDenied {
			issued(tongban.ActionDeny)
			f.Decision = "不予办理。理由：" + strings.Join(c.Reasons, "；")
		} else {
			issued(tongban.ActionIssue)
			f.Decision, f.ResultName = "准予办理", l.Result.Name
			if c.ResultNo != "" {
				f.Decision += "（编号 " + c.ResultNo + "）"
			}
		}
		if f.Delivery, err = a.deliveryText(ctx, c); err != nil {
			return f, err
		}
	}
	return f, nil
}

// deliveryText says how the result reaches the applicant.
func (a *API) deliveryText(ctx context.Context, c *tongban.Case) (string, error) {
	if c.Outcome == tongban.CaseDenied {
		return "", nil
	}
	if c.Delivery.Method == tongban.DeliveryExpress {
		if c.Delivery.TrackingNo != "" {
			return tongban.DeliveryExpress.Label() + "（运单号 " + c.Delivery.TrackingNo + "）", nil
		}
		return tongban.DeliveryExpress.Label(), nil
	}
	if c.Delivery.WindowID == 0 {
		return tongban.DeliveryPickup.Label(), nil
	}
	w, err := a.Store.Org(ctx, c.Delivery.WindowID)
	if err != nil {
		return "", err
	}
	name := w.Name
	if w.ParentID != 0 {
		if hall, err := a.Store.Org(ctx, w.ParentID); err == nil {
			name = hall.Name + name
		}
	}
	return tongban.DeliveryPickup.Label() + "（" + name + "）", nil
}

// dateOf is the China civil date of t, as notices print it.
func dateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return calendar.DateOf(t).String()
}
