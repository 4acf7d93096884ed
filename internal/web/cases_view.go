package web

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/workflow"
)

func init() {
	// caseDate shows a time's China civil date.
	funcs["caseDate"] = func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return calendar.DateOf(t).String()
	}
}

// tf translates a format, then fills it: the English map holds formats too.
func (l Lang) tf(format string, args ...any) string { return fmt.Sprintf(l.T(format), args...) }

// caseRow is a case as pages show it: with its clock and, for staff, the
// applicant's name masked.
type caseRow struct {
	*tongban.Case
	Lang      Lang
	Time      workflow.TimeStatus
	Applicant string
	StepName  string
	OrgName   string
}

func newCaseRow(l Lang, c *tongban.Case, ts workflow.TimeStatus, staff bool) caseRow {
	name := c.ApplicantName
	if staff {
		name = tongban.MaskName(name)
	}
	return caseRow{Case: c, Lang: l, Time: ts, Applicant: name}
}

// Clock says how the case stands against its deadline.
func (c caseRow) Clock() string {
	l, ts := c.Lang, c.Time
	var s string
	switch {
	case c.AcceptedAt.IsZero():
		if c.State.Final() {
			return "—"
		}
		return l.T("未开始计时")
	case ts.Running && ts.DaysLeft < 0:
		s = l.tf("超期 %d 个工作日", -ts.DaysLeft)
	case ts.Running:
		s = l.tf("剩余 %d 个工作日", ts.DaysLeft)
	case !c.DecidedAt.IsZero() && ts.OnTime:
		s = l.T("按时作出决定")
	case !c.DecidedAt.IsZero():
		s = l.tf("逾期 %d 个工作日作出决定", -ts.DaysLeft)
	default:
		return "—"
	}
	if ts.Paused {
		s = l.T("暂停计时") + " · " + s
	}
	if ts.Provisional {
		s += l.T("（暂定）")
	}
	return s
}

// ClockClass is the badge colour of Clock: the warning level while the
// clock runs, and whether the decision came in time after.
func (c caseRow) ClockClass() string {
	switch {
	case c.AcceptedAt.IsZero():
		return ""
	case c.Time.Running:
		return c.Time.Level.String()
	case !c.DecidedAt.IsZero() && c.Time.OnTime:
		return "ok"
	case !c.DecidedAt.IsZero():
		return "red"
	}
	return ""
}

// StateClass colours the state badge: red for refusals, green for results.
func (c caseRow) StateClass() string {
	switch c.State {
	case tongban.CaseRejected, tongban.CaseDenied:
		return "red"
	case tongban.CaseApproved, tongban.CaseResultIssued:
		return "ok"
	case tongban.CaseClosed:
		if c.Outcome == tongban.CaseApproved {
			return "ok"
		}
	case tongban.CaseAwaitingCorrection:
		return "yellow"
	}
	return ""
}

// rows makes list rows, with each case's clock at now.
func (w *Web) rows(l Lang, cs []*tongban.Case, sched *calendar.Schedule, now time.Time, staff bool) []caseRow {
	out := make([]caseRow, 0, len(cs))
	for _, c := range cs {
		out = append(out, newCaseRow(l, c, workflow.StatusAt(sched, c, now), staff))
	}
	return out
}

// materialRow is one material of a case against its listing.
type materialRow struct {
	Key, Name  string
	Necessity  tongban.Necessity
	Tolerant   bool
	Criteria   string
	Status     tongban.MaterialStatus // "" = not handed in
	HasFile    bool
	Correction string // the reason of the latest 一次性告知, if named there
	// Ref is what spared the paper (来自材料库…); Confirmed, staff passed the file.
	Ref       *tongban.MaterialRef
	Confirmed bool
	// Licence is the e-licence a `license` Ref names, as staff check it.
	Licence *caseLicence
}

// materialRows lists the listing's materials in order with what the case
// has of each; materials the case has beyond them (none, normally) follow.
func materialRows(l *tongban.Listing, c *tongban.Case) []materialRow {
	fix := map[string]string{}
	if c.State == tongban.CaseAwaitingCorrection { // once supplemented, the notice is history
		for _, d := range c.Corrections {
			fix[d.Key] = d.Reason
		}
	}
	var out []materialRow
	seen := map[string]bool{}
	for _, lm := range l.Materials {
		cm, has := c.Material(lm.Key)
		if !has && lm.Required == tongban.MaterialConditional {
			continue // not asked of this applicant
		}
		seen[lm.Key] = true
		out = append(out, materialRow{Key: lm.Key, Name: lm.Name, Necessity: lm.Required, Tolerant: lm.Tolerant,
			Criteria: lm.ReviewCriteria, Status: cm.Status, HasFile: cm.BlobHash != "", Correction: fix[lm.Key],
			Ref: cm.Ref, Confirmed: cm.Confirmed})
	}
	for _, cm := range c.Materials {
		if !seen[cm.Key] {
			out = append(out, materialRow{Key: cm.Key, Name: cm.Name, Status: cm.Status, HasFile: cm.BlobHash != ""})
		}
	}
	return out
}

// eventRow is one entry of the history.
type eventRow struct {
	*tongban.CaseEvent
	RoleName  string
	OrgName   string
	StepName  string
	Materials string
	// RatingQR is the QR of a visit's signed rating link (一次一评, 二维码),
	// printed for the applicant at the window; "" for other events.
	RatingQR string
}

var actorRoleNames = map[tongban.Role]string{tongban.ActorApplicant: "申请人", tongban.ActorSystem: "系统"}

func (w *Web) eventRows(ctx context.Context, l *tongban.Listing, c *tongban.Case, evs []*tongban.CaseEvent, names *orgNames) []eventRow {
	proc := workflow.ProcessOf(l)
	out := make([]eventRow, 0, len(evs))
	for _, e := range evs {
		row := eventRow{CaseEvent: e, RoleName: e.Role.Label(), OrgName: names.fullName(ctx, e.OrgID)}
		if n, ok := actorRoleNames[e.Role]; ok {
			row.RoleName = n
		}
		if e.Action == tongban.ActionReview || e.Action == tongban.ActionApprove || e.Action == tongban.ActionDeny {
			row.StepName = proc.Name(e.Step)
		}
		var ms []string
		for _, k := range e.Materials {
			if m, ok := l.Material(k); ok {
				ms = append(ms, m.Name)
			} else if m, ok := c.Material(k); ok {
				ms = append(ms, m.Name)
			}
		}
		row.Materials = strings.Join(ms, "、")
		if e.Visit && w.Ratings != nil && w.Ratings.Links != nil {
			row.RatingQR = "/cases/" + c.Number + "/visits/" + strconv.FormatInt(e.ID, 10) + "/rating-qr.png"
		}
		out = append(out, row)
	}
	return out
}

// formFields are what an applicant wrote on the application, in order.
type formField struct{ Label, Value string }

// applicationForm is the JSON the pages store as Case.Form.
type applicationForm struct {
	Contact    string            `json:"contact,omitempty"`
	Phone      string            `json:"phone,omitempty"`
	Address    string            `json:"address,omitempty"` // express delivery
	Note       string            `json:"note,omitempty"`
	Situations map[string]string `json:"situations,omitempty"` // situation key → answer key
	// Applicant are fields filled in from the account and shared data, each
	// with its source (internal/exchange).
	Applicant []exchange.PrefillValue `json:"applicant,omitempty"`
}

// formFields shows the form with the phone masked, and for staff the
// contact's name too; answers to situations are shown as question and answer.
func formFields(l *tongban.Listing, raw json.RawMessage, staff bool) []formField {
	var f applicationForm
	if json.Unmarshal(raw, &f) != nil {
		return nil
	}
	var out []formField
	add := func(label, v string) {
		if v != "" {
			out = append(out, formField{label, v})
		}
	}
	if staff {
		f.Contact = tongban.MaskName(f.Contact)
	}
	for _, v := range f.Applicant {
		add(v.Field, v.Value+"（"+v.Source+"）")
	}
	add("联系人", f.Contact)
	if p, err := tongban.ParsePhone(f.Phone); err == nil {
		add("联系电话", p.Masked())
	}
	add("邮寄地址", f.Address)
	add("申请说明", f.Note)
	for _, s := range l.Situations {
		if a, ok := f.Situations[s.Key]; ok {
			for _, ans := range s.Answers {
				if ans.Key == a {
					add(s.Question, ans.Label)
				}
			}
		}
	}
	return out
}
