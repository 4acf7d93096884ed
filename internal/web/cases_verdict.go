package web

import (
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/rating"
)

// CanJudge says the applicant may judge the department's answer to x: its
// ticket is closed and not judged yet.
func (p *caseStatusPage) CanJudge(x *rating.Rated) bool {
	return p.Mine && x.Ticket != nil && !x.Ticket.State.Open() && x.Verdict == nil
}

// VerdictLevels feed the verdict form: 满意, 基本满意, 不满意.
func (p *caseStatusPage) VerdictLevels() []tongban.RatingLevel { return tongban.VerdictLevels }

// caseJudge is the rater's verdict on the department's answer, from the case page.
func (w *Web) caseJudge(rw http.ResponseWriter, r *http.Request) error {
	c, err := w.caseOf(r)
	if err != nil {
		return err
	}
	level, _ := strconv.Atoi(r.FormValue("level"))
	in := rating.VerdictInput{Level: tongban.RatingLevel(level), Comment: r.FormValue("comment")}
	if _, err := w.Ratings.Judge(r.Context(), w.request(r), c.Number, r.PathValue("encounter"), in); err != nil {
		if !userError(err) {
			return err
		}
		p, perr := w.statusPage(rw, r, c)
		if perr != nil {
			return perr
		}
		p.Form.Error = tongban.AsError(err).Message
		return w.render(rw, r, tongban.HTTPStatus(err), "cases_status", p)
	}
	w.redirectFlash(rw, r, "/cases/"+c.Number, "感谢您对答复的评价。")
	return nil
}
