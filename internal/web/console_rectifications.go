package web

import (
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/rating"
)

// 差评整改 in the console (/console/rectifications): the department's
// administrators answer their tickets (回访核实, 整改, 解释说明) and appeal a
// 差评 (申诉); supervisors read their region's tickets, decide appeals,
// forward a 差评 to 12345 and 督办 an overdue ticket.

type ticketsPage struct {
	Base
	All     bool
	Rows    []ticketRow
	Appeals []*tongban.RatingAppeal // pending, for those who decide them
	Error   string
	// What the viewer may do.
	CanAnswer, CanDecide, CanForward, CanNotice bool
	Grounds                                     []tongban.AppealGround
}

type ticketRow struct {
	*rating.TicketView
	OrgName string
	Overdue bool
}

func (w *Web) registerConsoleRectifications(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/rectifications", w.handle(w.consoleTickets))
	mux.HandleFunc("POST /console/rectifications/{id}/answer", w.handle(w.consoleTicketAnswer))
	mux.HandleFunc("POST /console/rectifications/{id}/appeal", w.handle(w.consoleTicketAppeal))
	mux.HandleFunc("POST /console/rectifications/{id}/forward", w.handle(w.consoleTicketForward))
	mux.HandleFunc("POST /console/appeals/{id}", w.handle(w.consoleAppealDecide))
}

func (w *Web) ticketsPage(rw http.ResponseWriter, r *http.Request) (*ticketsPage, error) {
	u, err := w.staff(r, identity.PermConsole)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	p := &ticketsPage{Base: w.base(rw, r, "差评整改"), All: r.URL.Query().Get("all") == "true",
		CanAnswer: w.Identity.Can(u, identity.PermRatingAnswer), CanDecide: w.Identity.Can(u, identity.PermAppealDecide),
		CanForward: w.Identity.Can(u, identity.PermComplaintDispatch), CanNotice: w.Identity.Can(u, identity.PermNoticeIssue),
		Grounds: []tongban.AppealGround{tongban.AppealMalicious, tongban.AppealMistaken}}
	views, err := w.Ratings.Tickets(ctx, w.request(r), p.All)
	if err != nil {
		return nil, err
	}
	names, now := w.orgNames(), w.Ratings.Clock.Now()
	for _, v := range views {
		p.Rows = append(p.Rows, ticketRow{TicketView: v, OrgName: names.name(ctx, v.Ticket.OrgID),
			Overdue: rating.TicketOverdue(v.Ticket, now)})
	}
	if p.CanDecide {
		if p.Appeals, err = w.Ratings.Appeals(ctx, w.request(r), false); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (w *Web) consoleTickets(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.ticketsPage(rw, r)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "console_rectifications", p)
}

// ticketsRetry shows the page again with the refusal of a form post, or
// passes a fault on.
func (w *Web) ticketsRetry(rw http.ResponseWriter, r *http.Request, err error) error {
	if !userError(err) {
		return err
	}
	p, perr := w.ticketsPage(rw, r)
	if perr != nil {
		return perr
	}
	p.Error = tongban.AsError(err).Message
	return w.render(rw, r, tongban.HTTPStatus(err), "console_rectifications", p)
}

func formVersion(r *http.Request) int {
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	return v
}

func (w *Web) consoleTicketAnswer(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	a := rating.Answer{Action: r.PostFormValue("action"), Valid: r.PostFormValue("valid") != "false",
		Text: r.PostFormValue("text"), Version: formVersion(r)}
	v, err := w.Ratings.Respond(r.Context(), w.request(r), id, a)
	if err != nil {
		return w.ticketsRetry(rw, r, err)
	}
	return w.done(rw, r, "/console/rectifications", "整改工单 "+v.Ticket.CaseNumber+" 已更新为“"+v.Ticket.State.Label()+"”")
}

func (w *Web) consoleTicketAppeal(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	in := rating.AppealInput{Ground: tongban.AppealGround(r.PostFormValue("ground")), Reason: r.PostFormValue("reason")}
	if _, err := w.Ratings.Appeal(r.Context(), w.request(r), id, in); err != nil {
		return w.ticketsRetry(rw, r, err)
	}
	return w.done(rw, r, "/console/rectifications", "申诉已提交，等待监察人员裁定")
}

func (w *Web) consoleTicketForward(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	v, err := w.Ratings.ForwardRating(r.Context(), w.request(r), id)
	if err != nil {
		return w.ticketsRetry(rw, r, err)
	}
	return w.done(rw, r, "/console/complaints/"+v.Complaint.Number, "差评已转为投诉工单 "+v.Complaint.Number)
}

func (w *Web) consoleAppealDecide(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	d := rating.AppealDecision{Upheld: r.PostFormValue("upheld") == "true", Text: r.PostFormValue("text"), Version: formVersion(r)}
	a, err := w.Ratings.DecideAppeal(r.Context(), w.request(r), id, d)
	if err != nil {
		return w.ticketsRetry(rw, r, err)
	}
	return w.done(rw, r, "/console/rectifications", "申诉已裁定为“"+a.State.Label()+"”")
}
