package notice

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
)

// This file holds the rules that turn a case into notices, for the API and
// the pages alike: which notices a case has produced, and what each states.

// Store is what the facts of a notice are read from besides the case and
// its events; tongban.Store satisfies it.
type Store interface {
	Org(ctx context.Context, id int64) (*tongban.Org, error)
	Item(ctx context.Context, id int64) (*tongban.Item, error)
	ListingVersion(ctx context.Context, listingID int64, version int) (*tongban.Listing, error)
}

// Calendar gives the working-day schedule the acceptance notice's due date
// is counted on; the workflow's calendar satisfies it.
type Calendar interface {
	Schedule(ctx context.Context) (*calendar.Schedule, error)
}

// Available lists the notices a case has produced so far, in the order they
// were issued: the acceptance notice once accepted, the correction notice
// once one was issued (kept when a rejection later clears the case's
// corrections), the rejection notice when rejected, the completion notice
// once an approval's result is issued, and the denial decision once a
// denial is decided.
func Available(c *tongban.Case, evs []*tongban.CaseEvent) []Kind {
	var out []Kind
	if !c.AcceptedAt.IsZero() {
		out = append(out, Acceptance)
	}
	if lastEvent(evs, tongban.ActionRequestCorrection) != nil {
		out = append(out, Correction)
	}
	switch {
	case c.Outcome == tongban.CaseRejected:
		out = append(out, Rejection)
	case c.Outcome == tongban.CaseDenied:
		out = append(out, Denial)
	case c.Outcome == tongban.CaseApproved && (c.State == tongban.CaseResultIssued || c.State == tongban.CaseClosed):
		out = append(out, Completion)
	}
	slices.SortStableFunc(out, func(a, b Kind) int {
		return cmp.Compare(issuedAt(c, evs, a), issuedAt(c, evs, b))
	})
	return out
}

// Has reports whether the case has produced a notice of the kind.
func Has(c *tongban.Case, evs []*tongban.CaseEvent, kind Kind) bool {
	return slices.Contains(Available(c, evs), kind)
}

// issuing is the action that issues a notice of the kind for the case.
func issuing(c *tongban.Case, kind Kind) tongban.CaseAction {
	switch kind {
	case Acceptance:
		return tongban.ActionAccept
	case Rejection:
		return tongban.ActionReject
	case Correction:
		return tongban.ActionRequestCorrection
	case Completion:
		return tongban.ActionIssue
	case Denial:
		return tongban.ActionDeny
	}
	return ""
}

// issuedAt is the index among the events of the latest one that issued the
// notice, or past the end when there is none.
func issuedAt(c *tongban.Case, evs []*tongban.CaseEvent, kind Kind) int {
	action := issuing(c, kind)
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Action == action {
			return i
		}
	}
	return len(evs)
}

// ProgressURL is the public progress page (办件查询) of the case under
// base, the configured public URL: the target of a notice's QR code. The
// page asks for the applicant's name, so the code itself reveals nothing.
func ProgressURL(base, number string) string {
	return strings.TrimRight(base, "/") + "/progress?number=" + url.QueryEscape(number)
}

// CorrectionDays is the working days a 一次性告知书 gives to supplement.
// Local practice differs (5 to 30 days); ten is common.
const CorrectionDays = 10

// CorrectionDue is the deadline to supplement a correction asked at.
func CorrectionDue(sched *calendar.Schedule, at time.Time) string {
	return sched.Due(at, CorrectionDays, nil).Due.String()
}

// FactsFor gathers what a notice of the kind states about the case from the
// case, its events, its org, its listing and its item. base is the public
// URL the progress page is reached at. A notice the case has not produced
// is refused (EConflict, naming the case's state).
func FactsFor(ctx context.Context, st Store, cal Calendar, c *tongban.Case, evs []*tongban.CaseEvent, kind Kind, base string) (Facts, error) {
	if !Has(c, evs, kind) {
		return Facts{}, tongban.Errorf(tongban.EConflict, "办件当前状态为「%s」，尚无%s", c.State.Label(), kind.Title())
	}
	org, err := st.Org(ctx, c.OrgID)
	if err != nil {
		return Facts{}, err
	}
	l, err := st.ListingVersion(ctx, c.ListingID, c.ListingVersion)
	if err != nil {
		return Facts{}, err
	}
	f := Facts{OrgName: org.Name, CaseNumber: c.Number, ApplicantName: c.ApplicantName,
		ItemName: cmp.Or(c.ListingName, c.ItemName), SubmittedOn: dateOf(c.CreatedAt),
		StatusURL: ProgressURL(base, c.Number), Complaint: cmp.Or(l.ComplaintPhone, "12345"),
		ReviewBody: org.ReviewBody, Court: org.Court}
	if e := lastEvent(evs, tongban.ActionSubmit); e != nil {
		f.SubmittedOn = dateOf(e.At)
	}
	issuedBy := lastEvent(evs, issuing(c, kind))
	if issuedBy != nil {
		f.IssuedOn = dateOf(issuedBy.At)
	}
	f.NoticeNo = noticeNo(c, evs, kind)
	if f.Licensing, err = licensing(ctx, st, l); err != nil {
		return f, err
	}
	sched, err := cal.Schedule(ctx)
	if err != nil {
		return f, err
	}
	switch kind {
	case Acceptance:
		if issuedBy == nil {
			f.IssuedOn = dateOf(c.AcceptedAt)
		}
		// The notice states the promise made on acceptance; later pauses
		// move the case's due date, which the progress page shows, not what
		// was promised.
		f.PromisedDays, f.DueDate = c.PromisedDays, sched.Due(c.AcceptedAt, c.PromisedDays, nil).Due.String()
		if issuedBy != nil && c.OwedDue != "" {
			for _, key := range issuedBy.Materials {
				name := key
				if m, ok := l.Material(key); ok {
					name = m.Name
				}
				f.Owed = append(f.Owed, Owed{Name: name, Due: c.OwedDue})
			}
		}
	case Rejection:
		f.Reasons = c.Reasons
	case Correction:
		for _, d := range c.Corrections {
			f.Reasons = append(f.Reasons, d.Name+"："+d.Reason)
		}
		if len(f.Reasons) == 0 { // cleared by a later rejection: the event keeps the lines
			f.Reasons = correctionLines(issuedBy, l)
		}
		if issuedBy != nil {
			f.Accepted = issuedBy.From != tongban.CaseSubmitted
			f.CorrectionDue = CorrectionDue(sched, issuedBy.At)
			if err := handlingWindow(ctx, st, &f, issuedBy.OrgID, org); err != nil {
				return f, err
			}
		}
	case Completion:
		// A 行政许可 is granted as a 许可; other items are 办理.
		f.Decision = "准予办理"
		if f.Licensing {
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
		if f.Delivery, err = delivery(ctx, st, c); err != nil {
			return f, err
		}
	case Denial:
		f.Reasons = c.Reasons
		if f.Delivery, err = delivery(ctx, st, c); err != nil {
			return f, err
		}
	}
	return f, nil
}

// noticeNo numbers a notice after its case: the kind's code and, counting
// the events that issued notices of the kind so far, its sequence (a case
// may get a second 一次性告知书).
func noticeNo(c *tongban.Case, evs []*tongban.CaseEvent, kind Kind) string {
	action, n := issuing(c, kind), 0
	for _, e := range evs {
		if e.Action == action {
			n++
		}
	}
	return fmt.Sprintf("%s-%s%02d", c.Number, codes[kind], max(n, 1))
}

// handlingWindow fills in where the applicant brings materials: the window
// (with its hall's address and phone) or the department that issued the
// notice.
func handlingWindow(ctx context.Context, st Store, f *Facts, orgID int64, dept *tongban.Org) error {
	o := dept
	if orgID != 0 && orgID != dept.ID {
		var err error
		if o, err = st.Org(ctx, orgID); err != nil {
			return err
		}
	}
	f.WindowName, f.WindowAddress, f.WindowPhone = o.Name, o.Address, o.Phone
	if o.ParentID != 0 {
		if parent, err := st.Org(ctx, o.ParentID); err == nil {
			f.WindowName = parent.Name + o.Name
			f.WindowAddress = cmp.Or(f.WindowAddress, parent.Address)
			f.WindowPhone = cmp.Or(f.WindowPhone, parent.Phone)
		}
	}
	return nil
}

// licensing reports whether the listing implements a 行政许可 item, whose
// decision the notice words as 准予许可 or 不予许可.
func licensing(ctx context.Context, st Store, l *tongban.Listing) (bool, error) {
	if l.ItemID == 0 {
		return false, nil
	}
	it, err := st.Item(ctx, l.ItemID)
	if tongban.ErrorCodeOf(err) == tongban.ENotFound {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return it.Type == tongban.ItemLicensing, nil
}

// delivery says how a result or a denial decision reaches the applicant: by
// express (with the waybill once sent) or picked up at a window, named
// with its hall as the status page names it.
func delivery(ctx context.Context, st Store, c *tongban.Case) (string, error) {
	if c.Delivery.Method == tongban.DeliveryExpress {
		if c.Delivery.TrackingNo != "" {
			return tongban.DeliveryExpress.Label() + "（运单号 " + c.Delivery.TrackingNo + "）", nil
		}
		return tongban.DeliveryExpress.Label(), nil
	}
	if c.Delivery.WindowID == 0 {
		return tongban.DeliveryPickup.Label(), nil
	}
	w, err := st.Org(ctx, c.Delivery.WindowID)
	if err != nil {
		return "", err
	}
	name := w.Name
	if w.ParentID != 0 {
		if hall, err := st.Org(ctx, w.ParentID); err == nil && hall.Name != "" {
			name = hall.Name + " " + name
		}
	}
	return tongban.DeliveryPickup.Label() + "（" + name + "）", nil
}

// correctionLines reads the lines of a correction notice back from its
// event, whose reason joins 名称：理由 per material with "；": split before
// each next material's name, so a reason may itself contain "；".
func correctionLines(e *tongban.CaseEvent, l *tongban.Listing) []string {
	if e == nil || e.Reason == "" {
		return nil
	}
	rest := e.Reason
	var out []string
	for _, key := range e.Materials[min(1, len(e.Materials)):] {
		m, ok := l.Material(key)
		i := strings.Index(rest, "；"+m.Name+"：")
		if !ok || i < 0 {
			return append(out, strings.Split(rest, "；")...)
		}
		out, rest = append(out, rest[:i]), rest[i+len("；"):]
	}
	return append(out, rest)
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

// dateOf is the China civil date of t, as notices print it.
func dateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return calendar.DateOf(t).String()
}
