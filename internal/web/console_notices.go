package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/rating"
)

// 督办 in the console (/console/notices): supervisors issue them on an
// overdue or stalled case, an overdue 差评 ticket or complaint; the
// department's administrators answer; the cards (黄牌, 红牌) show how far an
// unanswered one has escalated.

type noticesPage struct {
	Base
	All       bool
	Rows      []noticeRow
	CanIssue  bool
	CanAnswer bool
	Subjects  []tongban.NoticeSubject
	Form      form
	RedDays   int
}

type noticeRow struct {
	*rating.NoticeView
	OrgName string
}

// Rule states the escalation rule; Late how late a 督办 is.
func (p *noticesPage) Rule() string {
	return p.Lang.tf("督办按工作日限期答复：逾期未答复亮黄牌，逾期 %d 个工作日仍未答复亮红牌；答复后按答复时的情况留档。", p.RedDays)
}
func (p *noticesPage) Late(days int) string { return p.Lang.tf("逾期 %d 个工作日", days) }

func (w *Web) registerConsoleNotices(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/notices", w.handle(w.consoleNotices))
	mux.HandleFunc("POST /console/notices", w.handle(w.consoleNoticeIssue))
	mux.HandleFunc("POST /console/notices/{id}", w.handle(w.consoleNoticeAnswer))
}

func (w *Web) noticesPage(rw http.ResponseWriter, r *http.Request) (*noticesPage, error) {
	u, err := w.staff(r, identity.PermConsole)
	if err != nil {
		return nil, err
	}
	p := &noticesPage{Base: w.base(rw, r, "督办"), All: r.URL.Query().Get("all") == "true", Form: newForm(),
		CanIssue: w.Identity.Can(u, identity.PermNoticeIssue), CanAnswer: w.Identity.Can(u, identity.PermNoticeAnswer),
		Subjects: []tongban.NoticeSubject{tongban.NoticeCase, tongban.NoticeTicket, tongban.NoticeComplaint},
		RedDays:  w.Ratings.Config.Loop.RedDays}
	views, err := w.Ratings.Notices(r.Context(), w.request(r), p.All)
	if err != nil {
		return nil, err
	}
	names := w.orgNames()
	for _, v := range views {
		p.Rows = append(p.Rows, noticeRow{NoticeView: v, OrgName: names.name(r.Context(), v.Notice.OrgID)})
	}
	return p, nil
}

func (w *Web) consoleNotices(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.noticesPage(rw, r)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "console_notices", p)
}

func (w *Web) consoleNoticeIssue(rw http.ResponseWriter, r *http.Request) error {
	days, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("days")))
	in := rating.NoticeInput{Subject: tongban.NoticeSubject(r.PostFormValue("subject")), Ref: strings.TrimSpace(r.PostFormValue("ref")),
		Demand: r.PostFormValue("demand"), Days: days}
	if _, err := w.Ratings.IssueNotice(r.Context(), w.request(r), in); err != nil {
		if !userError(err) {
			return err
		}
		p, perr := w.noticesPage(rw, r)
		if perr != nil {
			return perr
		}
		p.Form.fail(err)
		for _, k := range []string{"subject", "ref", "demand", "days"} {
			p.Form.Values[k] = r.PostFormValue(k)
		}
		return w.render(rw, r, tongban.HTTPStatus(err), "console_notices", p)
	}
	return w.done(rw, r, "/console/notices", "已发出督办："+in.Subject.Label()+" "+in.Ref)
}

func (w *Web) consoleNoticeAnswer(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	if _, err := w.Ratings.AnswerNotice(r.Context(), w.request(r), id, rating.NoticeAnswer{Text: r.PostFormValue("text"),
		Version: formVersion(r)}); err != nil {
		if !userError(err) {
			return err
		}
		p, perr := w.noticesPage(rw, r)
		if perr != nil {
			return perr
		}
		p.Form.fail(err)
		return w.render(rw, r, tongban.HTTPStatus(err), "console_notices", p)
	}
	return w.done(rw, r, "/console/notices", "督办已答复")
}
