package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/notice"
)

// licenseVerifyPage is /v/{token}: what the QR code on a licence, or a
// share link (加注件), shows anyone without signing in — the status, the
// issuer, the holder masked and whether the signature verifies; a share
// also its purpose, last day and face items. Every visit is recorded.
type licenseVerifyPage struct {
	Base
	Visit    *license.Visit
	V        *license.Verification
	Facts    template.HTML // V's verdict and facts (verifyFacts)
	Share    bool
	Note     string // 仅供办理…使用，有效期至…
	NotFound string
}

func (w *Web) registerLicenses(mux *http.ServeMux) {
	mux.HandleFunc("GET /v/{token}", w.handle(w.licenseVerify))
	mux.HandleFunc("GET /v/{token}/pdf", w.handle(w.licenseSharePDF))
	w.registerWallet(mux)
}

func (w *Web) licenseVerify(rw http.ResponseWriter, r *http.Request) error {
	rw.Header().Set("Cache-Control", "no-store")
	rw.Header().Set("X-Robots-Tag", "noindex")
	p := &licenseVerifyPage{Base: w.base(rw, r, "电子证照核验")}
	v, err := license.OpenLinkFrom(r.Context(), w.Store, w.visits(), httpx.ClientIP(r, w.Proxies), r.PathValue("token"), w.Workflow.Clock.Now())
	switch tongban.ErrorCodeOf(err) {
	case tongban.ENotFound:
		w.Log.Info("licence link visited", "outcome", "unknown_token")
		p.NotFound = tongban.AsError(err).Message
		return w.render(rw, r, http.StatusNotFound, "licenses_verify", p)
	case tongban.ETooManyTries:
		w.Log.Info("licence link visited", "outcome", "too_many_misses")
		rw.Header().Set("Retry-After", strconv.Itoa(int(license.VerifyWindow.Seconds())))
		p.NotFound = tongban.AsError(err).Message
		return w.render(rw, r, http.StatusTooManyRequests, "licenses_verify", p)
	}
	if err != nil {
		return err
	}
	p.Visit, p.V, p.Share = v, v.Verification, v.Link.Kind == tongban.LinkShare
	w.Log.Info("licence link visited", "link", v.Link.ID, "kind", v.Link.Kind, "identifier", v.Link.Identifier,
		"outcome", outcomeOf(v))
	if p.V != nil && !p.Share && v.Refused == "" && p.User == nil && p.Flash == "" {
		if kept, err := w.verifyPages.write(w, rw, p); kept || err != nil {
			return err // the QR's visit: the page as kept
		}
	}
	if p.V != nil {
		if p.Facts, err = w.verifyFacts.html(w, p.Lang, p.V); err != nil {
			return err
		}
	}
	if p.Share {
		p.Note = license.Annotation(v.Link)
	}
	status := http.StatusOK
	if v.Refused != "" {
		status = http.StatusGone
	}
	return w.render(rw, r, status, "licenses_verify", p)
}

// visits is where verify-page visits are recorded.
func (w *Web) visits() license.VisitRecorder {
	if w.LicenseVisits != nil {
		return w.LicenseVisits
	}
	return w.Store
}

func outcomeOf(v *license.Visit) string {
	if v.Verification != nil {
		return v.Verification.Verdict
	}
	return v.Refused
}

// licenseSharePDF is a share's 加注件: the licence face with the purpose
// and last day printed across it and a QR code of the share link. Only
// an open share of a valid licence has one.
func (w *Web) licenseSharePDF(rw http.ResponseWriter, r *http.Request) error {
	now := w.Workflow.Clock.Now()
	v, err := license.OpenLinkFrom(r.Context(), w.Store, w.visits(), httpx.ClientIP(r, w.Proxies), r.PathValue("token"), now)
	if err != nil {
		return err
	}
	switch {
	case v.Link.Kind != tongban.LinkShare:
		return tongban.Errorf(tongban.ENotFound, "核验码只用于核验，不提供证照文件")
	case v.Refused != "":
		return tongban.Errorf(tongban.ENotFound, "%s", v.Refused)
	case v.Verification.Verdict != license.VerdictValid:
		return tongban.Errorf(tongban.ENotFound, "该电子证照%s，加注件不再有效", v.Verification.Label)
	}
	l, err := w.Store.LicenseByIdentifier(r.Context(), v.Link.Identifier)
	if err != nil {
		return err
	}
	f, err := license.FaceOf(r.Context(), w.Store, l, w.PublicURL, now)
	if err != nil {
		return err
	}
	f.VerifyURL, f.Annotation = w.PublicURL+license.VerifyPath(v.Link.Token), license.Annotation(v.Link)
	return w.writeFacePDF(rw, f, "share-"+l.Number+".pdf")
}

// writeFacePDF renders a licence face and sends it as a download.
func (w *Web) writeFacePDF(rw http.ResponseWriter, f license.Face, filename string) error {
	b, err := license.FacePDF(f, notice.DefaultFont)
	if err != nil {
		return tongban.Wrap(tongban.EInternal, err, "生成证照文件失败")
	}
	rw.Header().Set("Content-Type", "application/pdf")
	rw.Header().Set("Content-Disposition", `inline; filename="`+filename+`"`)
	rw.Header().Set("Cache-Control", "private, no-store")
	_, err = rw.Write(b)
	return err
}
