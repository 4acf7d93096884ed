package web

import (
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/rating"
)

// CanRate says the applicant may rate the case now (一事一评): it has its
// decision and is not rated yet.
func (p *caseStatusPage) CanRate() bool {
	if !p.Mine || !rating.Decided(p.Case.Case) {
		return false
	}
	for _, x := range p.Ratings {
		if x.Rating.Encounter == tongban.EncounterCase {
			return false
		}
	}
	return true
}

// RatingLevels, BadReasons and Indicators feed the rating form.
func (p *caseStatusPage) RatingLevels() []tongban.RatingLevel { return tongban.RatingLevels }
func (p *caseStatusPage) BadReasons() []string                { return tongban.BadRatingReasons }
func (p *caseStatusPage) Indicators() []string {
	return tongban.IndicatorsFor(tongban.RatingWeb).Items
}

// caseRate is the applicant's 一事一评 on the case page (channel 网站).
func (w *Web) caseRate(rw http.ResponseWriter, r *http.Request) error {
	c, err := w.caseOf(r)
	if err != nil {
		return err
	}
	level, _ := strconv.Atoi(r.FormValue("level"))
	in := rating.Input{Encounter: tongban.EncounterCase, Channel: tongban.RatingWeb, FromClient: true, Level: tongban.RatingLevel(level),
		Reasons: r.Form["reasons"], Comment: r.FormValue("comment"), Indicators: map[string]tongban.RatingLevel{}}
	for _, item := range tongban.IndicatorsFor(tongban.RatingWeb).Items {
		if v, err := strconv.Atoi(r.FormValue("ind_" + item)); err == nil && v != 0 {
			in.Indicators[item] = tongban.RatingLevel(v)
		}
	}
	if _, err := w.Ratings.Submit(r.Context(), w.request(r), c.Number, in); err != nil {
		if !userError(err) {
			return err
		}
		p, perr := w.statusPage(rw, r, c)
		if perr != nil {
			return perr
		}
		p.Form.Error, p.Form.Values["form"] = tongban.AsError(err).Message, "rating"
		p.Form.Values["comment"] = in.Comment
		return w.render(rw, r, tongban.HTTPStatus(err), "cases_status", p)
	}
	w.redirectFlash(rw, r, "/cases/"+c.Number, "感谢您的评价。")
	return nil
}
