package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
)

// 审计日志 (/console/audit): the chain's check, and its entries newest
// first, in Chinese, filtered by who, action, object and time, by pages.

const auditPageSize = 50

type auditPage struct {
	Base
	Report  audit.Report
	Entries []auditRow
	Actions []auditAction // the filter's choices
	Q       auditQuery
	Form    form
	// Older is the address of the next page, "" on the last.
	Older string
}

type auditRow struct {
	*tongban.AuditEntry
	ActionLabel string
}

type auditAction struct{ Code, Label string }

// auditQuery is the filter form as given, kept for showing it again.
type auditQuery struct {
	Actor, Action, Object, From, To string
	Before                          int64
}

// auditActionLabel is the Chinese name of an audit action; an action
// without one shows its code.
func auditActionLabel(action string) string {
	if l, ok := auditActionLabels[action]; ok {
		return l
	}
	if a, ok := strings.CutPrefix(action, "case_"); ok && tongban.CaseAction(a).Valid() {
		return "办件：" + tongban.CaseAction(a).Label()
	}
	return action
}

func auditActions() []auditAction {
	var out []auditAction
	for code, label := range auditActionLabels {
		out = append(out, auditAction{code, label})
	}
	for _, a := range tongban.CaseActions() {
		out = append(out, auditAction{"case_" + string(a), auditActionLabel("case_" + string(a))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

func (w *Web) consoleAudit(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	if err := w.Identity.Require(u, identity.PermAuditRead); err != nil {
		return err
	}
	// What actions have queued is linked first, so the page shows them.
	if _, err := audit.Seal(r.Context(), w.Store); err != nil {
		return err
	}
	rep, err := audit.Verify(r.Context(), w.Store)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	p := auditPage{Base: w.base(rw, r, "审计日志"), Report: rep, Actions: auditActions(), Form: newForm(),
		Q: auditQuery{Actor: strings.TrimSpace(v.Get("actor")), Action: v.Get("action"), Object: strings.TrimSpace(v.Get("object")),
			From: v.Get("from"), To: v.Get("to")}}
	p.Q.Before, _ = strconv.ParseInt(v.Get("before"), 10, 64)
	f := tongban.AuditFilter{Actor: p.Q.Actor, Action: p.Q.Action, Object: p.Q.Object, Before: p.Q.Before, Limit: auditPageSize + 1}
	if f.From, err = auditDay("from", "开始日期", p.Q.From); err == nil {
		f.To, err = auditDay("to", "结束日期", p.Q.To)
	}
	if err != nil {
		p.Form.fail(err)
		return w.render(rw, r, tongban.HTTPStatus(err), "audit", p)
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1) // the end day is included
	}
	entries, err := w.Store.SearchAudit(r.Context(), f)
	if err != nil {
		return err
	}
	if len(entries) > auditPageSize {
		entries = entries[:auditPageSize]
		next := url.Values{"actor": {p.Q.Actor}, "action": {p.Q.Action}, "object": {p.Q.Object}, "from": {p.Q.From}, "to": {p.Q.To},
			"before": {strconv.FormatInt(entries[len(entries)-1].Seq, 10)}}
		p.Older = "/console/audit?" + next.Encode()
	}
	for _, e := range entries {
		p.Entries = append(p.Entries, auditRow{AuditEntry: e, ActionLabel: auditActionLabel(e.Action)})
	}
	return w.render(rw, r, http.StatusOK, "audit", p)
}

// auditDay reads a date of the filter, as a day in China.
func auditDay(field, label, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.ParseInLocation("2006-01-02", s, calendar.Location())
	if err != nil {
		return time.Time{}, tongban.FieldError(field, "%s应为日期，如 2026-03-02", label)
	}
	return d, nil
}
