package web

import (
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/notice"
	"github.com/tongban/tongban/internal/workflow"
)

// caseTable is a list of cases for the caseTable partial; staff links go
// to the console's case page and show the (masked) applicant.
type caseTable struct {
	Lang  Lang
	Rows  []caseRow
	Staff bool
}

// CaseTable wraps rows for the caseTable partial, for the person viewing.
func (b Base) CaseTable(rows []caseRow) caseTable {
	return caseTable{Lang: b.Lang, Rows: rows, Staff: b.User != nil && b.User.Kind == tongban.UserStaff}
}

type materialsView struct {
	Lang     Lang
	Number   string
	Rows     []materialRow
	Criteria bool // show the review criteria (審核准则): staff checking materials
}

type historyView struct {
	Lang   Lang
	Events []eventRow
}

type noticesView struct {
	Lang    Lang
	Number  string
	Notices []noticeLink
}

type noticeLink struct {
	Kind  notice.Kind
	Title string
}

// caseDetail is what every page about one case shows: the facts, the
// materials, the history and the notices.
type caseDetail struct {
	Case      caseRow
	Listing   *tongban.Listing
	Process   workflow.Process
	Events    []*tongban.CaseEvent
	OrgName   string
	BoardName string
	Pickup    string // the unified window the result waits at
	Fields    []formField
	Materials materialsView
	History   historyView
	Notices   noticesView
	// Bundle is the 一件事 the case is a part of, if any.
	Bundle *caseBundleView
}

// detail reads what the pages show of a case the person was already
// allowed to see (caseOf checked).
func (w *Web) detail(r *http.Request, l Lang, c *tongban.Case, staff bool) (*caseDetail, error) {
	ctx := r.Context()
	lst, err := w.listingOf(ctx, c)
	if err != nil {
		return nil, err
	}
	evs := c.Events // read with the case (caseWithEventsOf), or now
	if evs == nil {
		if evs, err = w.Store.CaseEvents(ctx, c.ID); err != nil {
			return nil, err
		}
	}
	ts, err := w.Workflow.TimeStatus(ctx, c, w.Workflow.Clock.Now())
	if err != nil {
		return nil, err
	}
	names := w.orgNames()
	d := &caseDetail{Case: newCaseRow(l, c, ts, staff), Listing: lst, Process: workflow.ProcessOf(lst), Events: evs,
		OrgName: names.name(ctx, c.OrgID), BoardName: names.fullName(ctx, c.BoardID), Fields: formFields(lst, c.Form, staff)}
	if c.Delivery.WindowID != 0 {
		d.Pickup = names.fullName(ctx, c.Delivery.WindowID)
	}
	if !c.AcceptedAt.IsZero() && c.State.Open() {
		d.Case.StepName = d.Process.Name(c.Step)
	}
	d.Materials = materialsView{Lang: l, Number: c.Number, Rows: materialRows(lst, c), Criteria: staff}
	if err := w.attachLicences(ctx, l, d.Materials.Rows); err != nil {
		return nil, err
	}
	d.History = historyView{Lang: l, Events: w.eventRows(ctx, lst, c, evs, names)}
	d.Notices = noticesView{Lang: l, Number: c.Number}
	if d.Bundle, err = w.caseBundle(ctx, l, c, staff); err != nil {
		return nil, err
	}
	for _, k := range notice.Available(c, evs) {
		d.Notices.Notices = append(d.Notices.Notices, noticeLink{Kind: k, Title: k.Title()})
	}
	return d, nil
}

// Result says the case produced its result (approved and issued).
func (d *caseDetail) Result() bool {
	c := d.Case
	return c.Outcome == tongban.CaseApproved && (c.State == tongban.CaseResultIssued || c.State == tongban.CaseClosed)
}

// Refused says the case ended in a refusal whose reasons are shown.
func (d *caseDetail) Refused() bool {
	return d.Case.Outcome == tongban.CaseRejected || d.Case.Outcome == tongban.CaseDenied
}
