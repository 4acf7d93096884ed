package web

import (
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/notice"
	"github.com/tongban/tongban/internal/rating"
)

// ratingLinkPage rates one encounter from a signed link: the QR code on a
// decision notice (二维码) or the link in the notification (短信). The link
// names the case, the encounter and the channel; the applicant signs in to
// rate, so the link proves the channel and the encounter, the session who
// rates (docs/ratings.md).
type ratingLinkPage struct {
	Base
	Token, Number, ItemName string
	Channel                 tongban.RatingChannel
	// Visit describes the visit a 一次一评 link rates ("" for the case):
	// what was done at the window and when, so the form is plainly for
	// that visit alone.
	Visit          string
	Rated          bool
	Error, Comment string
}

func (p *ratingLinkPage) RatingLevels() []tongban.RatingLevel { return tongban.RatingLevels }
func (p *ratingLinkPage) BadReasons() []string                { return tongban.BadRatingReasons }
func (p *ratingLinkPage) Indicators() []string                { return tongban.IndicatorsFor(p.Channel).Items }

func (w *Web) registerRatingLinks(mux *http.ServeMux) {
	mux.HandleFunc("GET "+rating.LinkPath+"{token}", w.handle(w.ratingLink))
	mux.HandleFunc("POST "+rating.LinkPath+"{token}", w.handle(w.ratingLinkSubmit))
}

// ratingLinkOf checks the link (a forged or expired one is refused before
// anything else), then that the signed-in account is the case's applicant.
func (w *Web) ratingLinkOf(rw http.ResponseWriter, r *http.Request) (*ratingLinkPage, *rating.Link, error) {
	if w.Ratings == nil || w.Ratings.Links == nil {
		return nil, nil, tongban.Errorf(tongban.ENotFound, "页面不存在")
	}
	l, err := w.Ratings.Links.Verify(r.PathValue("token"))
	if err != nil {
		return nil, nil, err
	}
	if _, err := w.signedIn(r); err != nil {
		return nil, nil, err
	}
	mine, err := w.Ratings.Mine(r.Context(), w.request(r), l.Number)
	if err != nil {
		return nil, nil, err
	}
	c, err := w.Store.CaseByNumber(r.Context(), l.Number)
	if err != nil {
		return nil, nil, err
	}
	p := &ratingLinkPage{Base: w.base(rw, r, "评价本次服务"), Token: r.PathValue("token"), Number: c.Number,
		ItemName: c.ListingName, Channel: l.Channel}
	for _, x := range mine {
		p.Rated = p.Rated || x.Rating.Encounter == l.Encounter
	}
	if l.Encounter != tongban.EncounterCase {
		if p.Visit, err = w.visitOf(r, c, l.Encounter); err != nil {
			return nil, nil, err
		}
	}
	return p, l, nil
}

// visitOf describes the visit of c a link names; a link naming no visit
// of c is refused like an altered one.
func (w *Web) visitOf(r *http.Request, c *tongban.Case, encounter string) (string, error) {
	evs, err := w.Store.CaseEvents(r.Context(), c.ID)
	if err != nil {
		return "", err
	}
	for _, e := range evs {
		if e.Visit && strconv.FormatInt(e.ID, 10) == encounter {
			return e.Action.Label() + " · " + e.At.In(calendar.Location()).Format("2006-01-02 15:04"), nil
		}
	}
	return "", tongban.FieldError("link", "评价链接无效：该办件没有这次到场服务")
}

func (w *Web) ratingLink(rw http.ResponseWriter, r *http.Request) error {
	p, _, err := w.ratingLinkOf(rw, r)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "ratings_link", p)
}

func (w *Web) ratingLinkSubmit(rw http.ResponseWriter, r *http.Request) error {
	p, l, err := w.ratingLinkOf(rw, r)
	if err != nil {
		return err
	}
	level, _ := strconv.Atoi(r.FormValue("level"))
	in := rating.Input{Encounter: l.Encounter, Channel: l.Channel, Level: tongban.RatingLevel(level),
		Reasons: r.Form["reasons"], Comment: r.FormValue("comment"), Indicators: map[string]tongban.RatingLevel{},
		Link: r.PathValue("token"), FromClient: true}
	for _, item := range p.Indicators() {
		if v, err := strconv.Atoi(r.FormValue("ind_" + item)); err == nil && v != 0 {
			in.Indicators[item] = tongban.RatingLevel(v)
		}
	}
	if _, err := w.Ratings.Submit(r.Context(), w.request(r), l.Number, in); err != nil {
		if !userError(err) {
			return err
		}
		p.Error, p.Comment = tongban.AsError(err).Message, in.Comment
		return w.render(rw, r, tongban.HTTPStatus(err), "ratings_link", p)
	}
	w.redirectFlash(rw, r, "/cases/"+l.Number, "感谢您的评价。")
	return nil
}

// ratingQROf is the rating QR image of a decision notice (不予受理,
// 办结, 不予办理) once the case can be rated; "" for other notices.
func (w *Web) ratingQROf(c *tongban.Case, kind notice.Kind) string {
	if w.Ratings == nil || w.Ratings.Links == nil || !rating.Decided(c) ||
		(kind != notice.Rejection && kind != notice.Completion && kind != notice.Denial) {
		return ""
	}
	return "/cases/" + c.Number + "/rating-qr.png"
}

// caseRatingQR is the QR code of the case's signed rating link (channel
// 二维码), printed on its decision notice, to whoever may see the case.
func (w *Web) caseRatingQR(rw http.ResponseWriter, r *http.Request) error {
	c, err := w.caseOf(r)
	if err != nil {
		return err
	}
	if w.Ratings == nil || w.Ratings.Links == nil || !rating.Decided(c) {
		return tongban.Errorf(tongban.ENotFound, "该办件尚不能评价")
	}
	png, err := notice.QRPNG(w.Ratings.LinkURL(w.PublicURL, c.Number, tongban.RatingQR))
	if err != nil {
		return err
	}
	rw.Header().Set("Content-Type", "image/png")
	rw.Header().Set("Cache-Control", "private, no-store")
	_, err = rw.Write(png)
	return err
}

// visitRatingQR is the QR code of a visit's signed rating link (一次一评,
// channel 二维码): the clerk prints it for the applicant at the window, who
// scans it to rate that visit. To whoever may see the case; 404 for an
// event that is not a visit of it.
func (w *Web) visitRatingQR(rw http.ResponseWriter, r *http.Request) error {
	c, err := w.caseOf(r)
	if err != nil {
		return err
	}
	if w.Ratings == nil || w.Ratings.Links == nil {
		return tongban.Errorf(tongban.ENotFound, "评价链接未启用")
	}
	link, err := w.Ratings.VisitLinkURL(r.Context(), w.PublicURL, c, r.PathValue("event"), tongban.RatingQR)
	if err != nil {
		return err
	}
	png, err := notice.QRPNG(link)
	if err != nil {
		return err
	}
	rw.Header().Set("Content-Type", "image/png")
	rw.Header().Set("Cache-Control", "private, no-store")
	_, err = rw.Write(png)
	return err
}
