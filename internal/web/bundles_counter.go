package web

import (
	"net/http"
	"strconv"

	"github.com/tongban/tongban/internal/identity"
)

// At the comprehensive window (一窗受理) a clerk takes a 一件事 for the
// applicant standing there — an account holder or a walk-in recorded at
// the counter — on the same form as online, ticking the papers seen (a
// scan is optional), as for a single listing at the counter. The parent
// is then followed at /console/bundle-cases/{number}.

func (w *Web) counterBundleBase(rw http.ResponseWriter, r *http.Request, applicant string) (*bundleApplyPage, error) {
	if _, err := w.staff(r, identity.PermCaseAccept); err != nil {
		return nil, err
	}
	b, err := w.bundleParam(r)
	if err != nil {
		return nil, err
	}
	ca, err := w.counterApplicantOf(r, applicant)
	if err != nil {
		return nil, err
	}
	p := w.newBundleApplyPage(rw, r, b)
	p.Title = b.Name + " · " + p.Lang.T("窗口收件")
	p.Counter, p.Action = ca, "/console/counter/bundles/"+strconv.FormatInt(b.ID, 10)
	return p, nil
}

func (w *Web) counterBundlePage(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.counterBundleBase(rw, r, r.URL.Query().Get("applicant"))
	if err != nil {
		return err
	}
	p.Key = newKey()
	if err := w.fillBundleApply(r, p, bundleAnswers(p.B, r.URL.Query().Get), nil, nil); err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "bundle_apply", p)
}

func (w *Web) counterBundleSubmit(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.counterBundleBase(rw, r, r.FormValue("applicant"))
	if err != nil {
		return err
	}
	answers, uploads, got, err := w.readBundleApply(r, p)
	if err != nil {
		return err
	}
	if err := w.fillBundleApply(r, p, answers, uploads, got); err != nil {
		return err
	}
	if r.FormValue("tailor") != "" {
		return w.render(rw, r, http.StatusOK, "bundle_apply", p)
	}
	return w.submitBundle(rw, r, p, p.Counter.UserID)
}

// consoleBundleCase is the parent as staff see it: the lead department's
// clerk sees the whole bundle, a department its own part among the rest.
func (w *Web) consoleBundleCase(rw http.ResponseWriter, r *http.Request) error {
	bc, err := w.bundleCaseOf(r)
	if err != nil {
		return err
	}
	p, err := w.bundleCasePage(rw, r, bc, true)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "bundle_case", p)
}
