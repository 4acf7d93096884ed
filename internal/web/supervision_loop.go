package web

import (
	"context"
	"html/template"
	"net/http"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/directory"
	"github.com/tongban/tongban/internal/rating"
)

// The 好差评 loop on the supervision page (templates/supervision_loop.html):
// unanswered 督办 by department with their cards, overdue 差评 tickets and
// overdue complaints, each with a 督办 button.

type loopSupervision struct {
	NoticeDepts       []noticeDept
	OverdueTickets    []ticketRow
	OverdueComplaints []complaintRow
}

type noticeDept struct {
	OrgID             int64
	Name, RegionCode  string
	Open, Yellow, Red int
}

// registerSupervisionLoop parses the supervision page again with its loop
// section, after registerSupervisionAlerts.
func (w *Web) registerSupervisionLoop() {
	w.pages["supervision"] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS,
		"templates/layout.html", "templates/cases_parts.html", "templates/supervision_alerts.html",
		"templates/supervision_loop.html", "templates/supervision.html"))
	delete(w.pages, "supervision_loop") // partial only, not a page
}

func (w *Web) loopSupervision(ctx context.Context, r *http.Request, now time.Time) (loopSupervision, error) {
	var out loopSupervision
	req := w.request(r)
	names := w.orgNames()
	notices, err := w.Ratings.Notices(ctx, req, false)
	if err != nil {
		return out, err
	}
	depts := map[int64]*noticeDept{}
	for _, n := range notices {
		d, ok := depts[n.Notice.OrgID]
		if !ok {
			d = &noticeDept{OrgID: n.Notice.OrgID, Name: names.name(ctx, n.Notice.OrgID)}
			if org, err := w.Store.Org(ctx, n.Notice.OrgID); err == nil {
				d.RegionCode = org.RegionCode
			}
			depts[n.Notice.OrgID] = d
		}
		d.Open++
		switch n.Card {
		case tongban.CardYellow:
			d.Yellow++
		case tongban.CardRed:
			d.Red++
		}
	}
	for _, d := range depts {
		out.NoticeDepts = append(out.NoticeDepts, *d)
	}
	directory.SortByLevelAndName(out.NoticeDepts, func(d noticeDept) string { return d.RegionCode }, func(d noticeDept) string { return d.Name })

	tickets, err := w.Ratings.Tickets(ctx, req, false)
	if err != nil {
		return out, err
	}
	for _, v := range tickets {
		if rating.TicketOverdue(v.Ticket, now) {
			out.OverdueTickets = append(out.OverdueTickets, ticketRow{TicketView: v, OrgName: names.name(ctx, v.Ticket.OrgID), Overdue: true})
		}
	}
	complaints, err := w.Ratings.Complaints(ctx, req, false)
	if err != nil {
		return out, err
	}
	today := calendar.DateOf(now).String()
	for _, c := range complaints {
		if c.OrgID != 0 && c.State.Unreplied() && c.ReplyDue < today {
			out.OverdueComplaints = append(out.OverdueComplaints, complaintRow{Complaint: c, OrgName: names.name(ctx, c.OrgID), Overdue: true})
		}
	}
	return out, nil
}
