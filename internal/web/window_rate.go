package web

import (
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/rating"
)

// windowRatePage is the window's rating tablet: the service it is giving
// now (the latest visit, the clerk's name masked) and the 一次一评 form
// with the counter's indicators; nothing about the applicant is shown.
type windowRatePage struct {
	Base
	Encounter  *rating.WindowEncounter
	EventID    int64
	Action     string // the visit's step: 受理, 补正, 出件…
	Window     string
	Levels     []tongban.RatingLevel
	Indicators []string
	Reasons    []string
	Form       form
	Done       bool
}

func (w *Web) windowRatePageOf(rw http.ResponseWriter, r *http.Request) (*windowRatePage, *tongban.WindowDevice, error) {
	d, err := w.deviceOf(r)
	if err != nil {
		return nil, nil, err
	}
	cur, err := w.Ratings.CurrentEncounter(r.Context(), d)
	if err != nil {
		return nil, nil, err
	}
	p := &windowRatePage{Base: w.base(rw, r, "评价本次服务"), Encounter: cur, Levels: tongban.RatingLevels,
		Indicators: tongban.IndicatorsFor(tongban.RatingWindowDevice).Items, Reasons: tongban.BadRatingReasons, Form: newForm(),
		Done: r.URL.Query().Get("done") == "1"}
	if cur != nil {
		p.EventID, p.Action, p.Window = cur.Event.ID, cur.Event.Action.Label(), cur.WindowName
	}
	return p, d, nil
}

func (w *Web) windowRate(rw http.ResponseWriter, r *http.Request) error {
	p, _, err := w.windowRatePageOf(rw, r)
	if err != nil {
		return w.unpaired(rw, r, err)
	}
	return w.render(rw, r, http.StatusOK, "window_rate", p)
}

func (w *Web) windowRateSubmit(rw http.ResponseWriter, r *http.Request) error {
	p, d, err := w.windowRatePageOf(rw, r)
	if err != nil {
		return w.unpaired(rw, r, err)
	}
	level, _ := strconv.Atoi(r.PostFormValue("level"))
	in := rating.Input{Level: tongban.RatingLevel(level), Reasons: r.PostForm["reasons"], Comment: r.PostFormValue("comment"),
		Indicators: map[string]tongban.RatingLevel{}}
	for _, item := range p.Indicators {
		if v, err := strconv.Atoi(r.PostFormValue("ind_" + item)); err == nil && v != 0 {
			in.Indicators[item] = tongban.RatingLevel(v)
		}
	}
	if _, err := w.Ratings.RateAtWindow(r.Context(), d, r.PostFormValue("encounter"), in); err != nil {
		if !formError(err) {
			return err
		}
		p.Form.fail(err)
		status := http.StatusBadRequest
		if tongban.IsCode(err, tongban.EConflict) {
			status = http.StatusConflict
		}
		return w.render(rw, r, status, "window_rate", p)
	}
	http.Redirect(rw, r, "/window/rate?done=1", http.StatusSeeOther)
	return nil
}

// unpaired shows a tablet whose device is not (or no longer) registered
// the pairing form with the reason, rather than a sign-in page: a device
// has no account.
func (w *Web) unpaired(rw http.ResponseWriter, r *http.Request, err error) error {
	if !tongban.IsCode(err, tongban.EUnauthorized) {
		return err
	}
	p := windowPairPage{Base: w.base(rw, r, "评价器配对"), Form: newForm()}
	p.Form.Errors["token"] = tongban.AsError(err).Message
	return w.render(rw, r, http.StatusUnauthorized, "window_pair", p)
}
