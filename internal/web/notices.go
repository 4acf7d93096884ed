package web

import (
	"net/http"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/notice"
)

type noticePage struct {
	Base
	Notice notice.Notice
	Number string
	Date   string // the issue date in Chinese
	PDF    string
	// RatingQR is the image of the signed rating link (好差评, 二维码) on a
	// decision the case can be rated on; "" otherwise.
	RatingQR string
}

// caseNotice serves /cases/{number}/notices/{kind} as a printable page and
// /cases/{number}/notices/{kind}.pdf as the PDF, to whoever may see the case.
func (w *Web) caseNotice(rw http.ResponseWriter, r *http.Request) error {
	c, err := w.caseOf(r)
	if err != nil {
		return err
	}
	name, pdf := strings.CutSuffix(r.PathValue("kind"), ".pdf")
	kind := notice.Kind(name)
	if !kind.Valid() {
		return tongban.Errorf(tongban.ENotFound, "没有这种通知书")
	}
	n, err := w.composeNotice(r, c, kind)
	if err != nil {
		return err
	}
	if pdf {
		if w.ratingQROf(c, kind) != "" {
			n.Facts.RatingURL = w.Ratings.LinkURL(w.PublicURL, c.Number, tongban.RatingQR)
		}
		b, err := notice.PDF(n, notice.DefaultFont)
		if err != nil {
			w.Log.Error("notice pdf", "case", c.Number, "kind", kind, "err", err)
			return tongban.Errorf(tongban.EUnavailable, "PDF 暂时无法生成，请使用本页打印")
		}
		rw.Header().Set("Content-Type", "application/pdf")
		rw.Header().Set("Content-Disposition", `inline; filename="`+c.Number+"-"+string(kind)+`.pdf"`)
		rw.Header().Set("Cache-Control", "private, no-store")
		_, err = rw.Write(b)
		return err
	}
	p := noticePage{Base: w.base(rw, r, n.Title), Notice: n, Number: c.Number, Date: notice.DateCN(n.Facts.IssuedOn),
		PDF: "/cases/" + c.Number + "/notices/" + string(kind) + ".pdf", RatingQR: w.ratingQROf(c, kind)}
	return w.render(rw, r, http.StatusOK, "notices", p)
}

// composeNotice states the notice from the case and its events; a notice
// the case has not produced is not found.
func (w *Web) composeNotice(r *http.Request, c *tongban.Case, kind notice.Kind) (notice.Notice, error) {
	ctx := r.Context()
	evs, err := w.Store.CaseEvents(ctx, c.ID)
	if err != nil {
		return notice.Notice{}, err
	}
	if !notice.Has(c, evs, kind) {
		return notice.Notice{}, tongban.Errorf(tongban.ENotFound, "该办件没有%s", kind.Title())
	}
	f, err := notice.FactsFor(ctx, w.Store, w.Workflow.Calendar, c, evs, kind, w.PublicURL)
	if err != nil {
		return notice.Notice{}, err
	}
	return notice.Compose(kind, f)
}

// caseQR is the QR code of the case's status page, for notices.
func (w *Web) caseQR(rw http.ResponseWriter, r *http.Request) error {
	c, err := w.caseOf(r)
	if err != nil {
		return err
	}
	png, err := notice.QRPNG(notice.ProgressURL(w.PublicURL, c.Number))
	if err != nil {
		return err
	}
	rw.Header().Set("Content-Type", "image/png")
	rw.Header().Set("Cache-Control", "private, max-age=3600")
	_, err = rw.Write(png)
	return err
}
