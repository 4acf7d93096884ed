package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/notice"
)

// noticesOf lists the notices a case has produced so far, in the order
// they were issued: each follows from the events the case went through.
func noticesOf(c *tongban.Case) []notice.Kind {
	var out []notice.Kind
	if len(c.Corrections) > 0 {
		out = append(out, notice.Correction)
	}
	if c.Outcome == tongban.CaseRejected {
		out = append(out, notice.Rejection)
	}
	if !c.AcceptedAt.IsZero() {
		out = append(out, notice.Acceptance)
	}
	if completed(c) {
		out = append(out, notice.Completion)
	}
	return out
}

// completed: the case was decided and, if approved, its result is made.
func completed(c *tongban.Case) bool {
	switch c.Outcome {
	case tongban.CaseApproved:
		return c.State == tongban.CaseResultIssued || c.State == tongban.CaseClosed
	case tongban.CaseDenied:
		return true
	}
	return false
}

type noticePage struct {
	Base
	Notice notice.Notice
	Number string
	Date   string // the issue date in Chinese
	PDF    string
}

// caseNotice serves /cases/{number}/notices/{kind} as a printable page and
// /cases/{number}/notices/{kind}.pdf as the PDF, to whoever may see the case.
func (w *Web) caseNotice(rw http.ResponseWriter, r *http.Request) error {
	c, err := w.caseOf(r)
	if err != nil {
		return err
	}
	name, pdf := strings.CutSuffix(r.PathValue("kind"), ".pdf")
	kind := notice.Kind(name)
	if !kind.Valid() {
		return tongban.Errorf(tongban.ENotFound, "没有这种通知书")
	}
	n, err := w.composeNotice(r, c, kind)
	if err != nil {
		return err
	}
	if pdf {
		b, err := notice.PDF(n, notice.DefaultFont)
		if err != nil {
			w.Log.Error("notice pdf", "case", c.Number, "kind", kind, "err", err)
			return tongban.Errorf(tongban.EUnavailable, "PDF 暂时无法生成，请使用本页打印")
		}
		rw.Header().Set("Content-Type", "application/pdf")
		rw.Header().Set("Content-Disposition", `inline; filename="`+c.Number+"-"+string(kind)+`.pdf"`)
		rw.Header().Set("Cache-Control", "private, no-store")
		_, err = rw.Write(b)
		return err
	}
	p := noticePage{Base: w.base(rw, r, n.Title), Notice: n, Number: c.Number, Date: notice.DateCN(n.Facts.IssuedOn),
		PDF: "/cases/" + c.Number + "/notices/" + string(kind) + ".pdf"}
	return w.render(rw, r, http.StatusOK, "notices", p)
}

// composeNotice states the facts of a notice from the case and its events.
func (w *Web) composeNotice(r *http.Request, c *tongban.Case, kind notice.Kind) (notice.Notice, error) {
	ctx := r.Context()
	if !hasNotice(c, kind) {
		return notice.Notice{}, tongban.Errorf(tongban.ENotFound, "该办件没有%s", kind.Title())
	}
	l, err := w.listingOf(ctx, c)
	if err != nil {
		return notice.Notice{}, err
	}
	evs, err := w.Store.CaseEvents(ctx, c.ID)
	if err != nil {
		return notice.Notice{}, err
	}
	f := notice.Facts{CaseNumber: c.Number, ApplicantName: c.ApplicantName, ItemName: c.ItemName,
		PromisedDays: c.PromisedDays, StatusURL: statusURL(r, w.TrustProxy, c.Number), Complaint: l.ComplaintPhone}
	if f.Complaint == "" {
		f.Complaint = "12345"
	}
	if org, err := w.Store.Org(ctx, c.OrgID); err == nil {
		f.OrgName = org.Name
	}
	f.SubmittedOn = calendar.DateOf(c.CreatedAt).String()
	if e := lastEvent(evs, tongban.ActionSubmit); e != nil {
		f.SubmittedOn = calendar.DateOf(e.At).String()
	}
	issued := func(actions ...tongban.CaseAction) {
		if e := lastEvent(evs, actions...); e != nil {
			f.IssuedOn = calendar.DateOf(e.At).String()
		}
	}
	switch kind {
	case notice.Acceptance:
		issued(tongban.ActionAccept)
		// The date promised on acceptance; later pauses move the case's
		// due date, which the status page shows, not this notice.
		sched, err := w.Workflow.Calendar.Schedule(ctx)
		if err != nil {
			return notice.Notice{}, err
		}
		f.DueDate = sched.Due(c.AcceptedAt, c.PromisedDays, nil).Due.String()
	case notice.Rejection:
		issued(tongban.ActionReject)
		f.Reasons = c.Reasons
	case notice.Correction:
		issued(tongban.ActionRequestCorrection)
		for _, d := range c.Corrections {
			f.Reasons = append(f.Reasons, d.Name+"："+d.Reason)
		}
	case notice.Completion:
		w.completionFacts(ctx, c, l, evs, &f)
	}
	return notice.Compose(kind, f)
}

func (w *Web) completionFacts(ctx context.Context, c *tongban.Case, l *tongban.Listing, evs []*tongban.CaseEvent, f *notice.Facts) {
	licensing := false
	if it, err := w.Store.Item(ctx, l.ItemID); err == nil {
		licensing = it.Type == tongban.ItemLicensing
	}
	if c.Outcome == tongban.CaseDenied {
		if e := lastEvent(evs, tongban.ActionDeny); e != nil {
			f.IssuedOn = calendar.DateOf(e.At).String()
		}
		f.Decision = "不予办理"
		if licensing {
			f.Decision = "不予许可"
		}
		if len(c.Reasons) > 0 {
			f.Decision += "，理由：" + strings.Join(c.Reasons, "；")
		}
		return
	}
	if e := lastEvent(evs, tongban.ActionIssue); e != nil {
		f.IssuedOn = calendar.DateOf(e.At).String()
	}
	f.Decision = "准予办理"
	if licensing {
		f.Decision = "准予许可"
	}
	f.ResultName = l.Result.Name
	if c.ResultNo != "" {
		if f.ResultName == "" {
			f.ResultName = "编号 " + c.ResultNo
		} else {
			f.ResultName += "（编号 " + c.ResultNo + "）"
		}
	}
	switch {
	case c.Delivery.Method == tongban.DeliveryExpress && c.Delivery.TrackingNo != "":
		f.Delivery = "快递邮寄，运单号 " + c.Delivery.TrackingNo
	case c.Delivery.Method == tongban.DeliveryExpress:
		f.Delivery = "快递邮寄"
	case c.Delivery.WindowID != 0:
		f.Delivery = "窗口领取（" + w.orgNames().fullName(ctx, c.Delivery.WindowID) + "）"
	default:
		f.Delivery = "窗口领取"
	}
}

func hasNotice(c *tongban.Case, kind notice.Kind) bool {
	for _, k := range noticesOf(c) {
		if k == kind {
			return true
		}
	}
	return false
}

func lastEvent(evs []*tongban.CaseEvent, actions ...tongban.CaseAction) *tongban.CaseEvent {
	for i := len(evs) - 1; i >= 0; i-- {
		for _, a := range actions {
			if evs[i].Action == a {
				return evs[i]
			}
		}
	}
	return nil
}

// statusURL is the absolute address of the case's status page, for the QR
// code: the host the person reached, behind a trusted proxy its scheme.
func statusURL(r *http.Request, trustProxy bool, number string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if trustProxy {
		if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
			scheme = p
		}
	}
	return scheme + "://" + r.Host + "/cases/" + number
}

// caseQR is the QR code of the case's status page, for notices.
func (w *Web) caseQR(rw http.ResponseWriter, r *http.Request) error {
	c, err := w.caseOf(r)
	if err != nil {
		return err
	}
	png, err := notice.QRPNG(statusURL(r, w.TrustProxy, c.Number))
	if err != nil {
		return err
	}
	rw.Header().Set("Content-Type", "image/png")
	rw.Header().Set("Cache-Control", "private, max-age=3600")
	_, err = rw.Write(png)
	return err
}
