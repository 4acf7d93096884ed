package web

import (
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/notice"
)

// walletPage is 我的证照: the account's e-licences (a citizen's or an
// enterprise's) with their status, the face PDF, the signed form, the
// QR code's verification link, share links (加注件) to make and withdraw,
// and 用证记录 — every consent, use and link visit of each licence.
type walletPage struct {
	Base
	Licenses []walletLicense
	Form     form
	Today    string // the earliest last day of a share, for the date input
}

type walletLicense struct {
	*tongban.License
	V        *license.Verification
	Valid    bool
	Verify   string // the face link's URL
	Shares   []walletShare
	Consents []*tongban.LicenseConsent
	Uses     []*tongban.DataUse
	Visits   []walletVisit
}

type walletShare struct {
	*tongban.LicenseLink
	URL, Note string
	Open      bool
}

type walletVisit struct {
	*tongban.LicenseVisit
	What string
}

func (w *Web) registerWallet(mux *http.ServeMux) {
	mux.HandleFunc("GET /account/licenses", w.handle(w.walletPage))
	mux.HandleFunc("GET /account/licenses/{identifier}/pdf", w.handle(w.walletPDF))
	mux.HandleFunc("GET /account/licenses/{identifier}/qr.png", w.handle(w.walletQR))
	mux.HandleFunc("POST /account/licenses/{identifier}/shares", w.handle(w.walletShare))
	mux.HandleFunc("POST /account/licenses/{identifier}/shares/{id}/revoke", w.handle(w.walletShareRevoke))
}

// maxWalletVisits bounds the visits listed per licence.
const maxWalletVisits = 50

func (w *Web) walletPage(rw http.ResponseWriter, r *http.Request) error {
	p := &walletPage{Base: w.base(rw, r, "我的证照"), Form: newForm()}
	return w.renderWallet(rw, r, http.StatusOK, p)
}

func (w *Web) renderWallet(rw http.ResponseWriter, r *http.Request, status int, p *walletPage) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	ctx, now := r.Context(), w.Workflow.Clock.Now()
	p.Today = now.In(calendar.Location()).Format("2006-01-02")
	ls, err := w.Store.LicensesOfHolder(ctx, u.ID)
	if err != nil {
		return err
	}
	uses, err := w.Store.DataUses(ctx, u.ID, 500, 0)
	if err != nil {
		return err
	}
	for _, l := range ls {
		wl := walletLicense{License: l}
		if wl.V, err = license.Verify(ctx, w.Store, l.Identifier, now); err != nil {
			return err
		}
		wl.Valid = wl.V.Verdict == license.VerdictValid
		face, err := license.FaceLinkOf(ctx, w.Store, l, now)
		if err != nil {
			return err
		}
		wl.Verify = w.PublicURL + license.VerifyPath(face.Token)
		shares, err := w.Store.ShareLinks(ctx, l.ID)
		if err != nil {
			return err
		}
		for _, s := range shares {
			wl.Shares = append(wl.Shares, walletShare{LicenseLink: s, URL: w.PublicURL + license.VerifyPath(s.Token),
				Note: license.Annotation(s), Open: s.Open(now)})
		}
		if wl.Consents, err = w.Store.LicenseConsents(ctx, l.ID); err != nil {
			return err
		}
		for _, u := range uses {
			if u.Resource == l.Identifier {
				wl.Uses = append(wl.Uses, u)
			}
		}
		visits, err := w.Store.LicenseVisits(ctx, l.ID, maxWalletVisits)
		if err != nil {
			return err
		}
		for _, v := range visits {
			what := "扫描证照二维码"
			if v.Kind == tongban.LinkShare {
				what = "打开加注件"
			}
			wl.Visits = append(wl.Visits, walletVisit{LicenseVisit: v, What: what + "，" + license.VisitOutcomeLabel(v.Outcome)})
		}
		p.Licenses = append(p.Licenses, wl)
	}
	return w.render(rw, r, status, "licenses_wallet", p)
}

// ownLicense is the signed-in holder's licence named in the path; anyone
// else's is not found, not forbidden, so its existence stays private.
func (w *Web) ownLicense(r *http.Request) (*tongban.User, *tongban.License, error) {
	u, err := w.signedIn(r)
	if err != nil {
		return nil, nil, err
	}
	l, err := w.Store.LicenseByIdentifier(r.Context(), r.PathValue("identifier"))
	if err == nil && l.HolderID != u.ID {
		err = tongban.Errorf(tongban.ENotFound, "电子证照 %s 不存在", r.PathValue("identifier"))
	}
	return u, l, err
}

func (w *Web) walletPDF(rw http.ResponseWriter, r *http.Request) error {
	_, l, err := w.ownLicense(r)
	if err != nil {
		return err
	}
	f, err := license.FaceOf(r.Context(), w.Store, l, w.PublicURL, w.Workflow.Clock.Now())
	if err != nil {
		return err
	}
	return w.writeFacePDF(rw, f, "license-"+l.Number+".pdf")
}

func (w *Web) walletQR(rw http.ResponseWriter, r *http.Request) error {
	_, l, err := w.ownLicense(r)
	if err != nil {
		return err
	}
	face, err := license.FaceLinkOf(r.Context(), w.Store, l, w.Workflow.Clock.Now())
	if err != nil {
		return err
	}
	b, err := notice.QRPNG(w.PublicURL + license.VerifyPath(face.Token))
	if err != nil {
		return tongban.Wrap(tongban.EInternal, err, "生成二维码失败")
	}
	rw.Header().Set("Content-Type", "image/png")
	rw.Header().Set("Cache-Control", "private, no-store")
	_, err = rw.Write(b)
	return err
}

func (w *Web) walletShare(rw http.ResponseWriter, r *http.Request) error {
	u, l, err := w.ownLicense(r)
	if err != nil {
		return err
	}
	k, err := license.Share(r.Context(), w.Store, u, l, license.ShareRequest{Purpose: r.FormValue("purpose"),
		Until: r.FormValue("until")}, w.Workflow.Clock.Now())
	if e := tongban.AsError(err); err != nil && e.Code == tongban.EInvalid {
		p := &walletPage{Base: w.base(rw, r, "我的证照"), Form: newForm()}
		p.Form.Values = map[string]string{"identifier": l.Identifier, "purpose": r.FormValue("purpose"), "until": r.FormValue("until")}
		p.Form.fail(err)
		return w.renderWallet(rw, r, http.StatusUnprocessableEntity, p)
	} else if err != nil {
		return err
	}
	w.redirectFlash(rw, r, "/account/licenses#share-"+strconv.FormatInt(k.ID, 10), "加注件已生成："+license.Annotation(k))
	return nil
}

func (w *Web) walletShareRevoke(rw http.ResponseWriter, r *http.Request) error {
	_, l, err := w.ownLicense(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return tongban.Errorf(tongban.ENotFound, "没有该加注件")
	}
	if _, err := license.RevokeShare(r.Context(), w.Store, w.request(r), l, id, w.Workflow.Clock.Now()); err != nil {
		return err
	}
	w.redirectFlash(rw, r, "/account/licenses", "加注件已撤销，链接不能再打开。")
	return nil
}
