package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
)

// exchangeApply is what 只提交一次材料 adds to the application form, online
// and at the counter: per material, the applicant's confirmed copy in the
// material library, taken with one click and nothing uploaded. The server
// checks the choice again when the case is filed (the `reused` resolver).
type exchangeApply struct {
	w       *Web
	r       *http.Request
	lang    Lang
	offers  map[string]*tongban.LibraryEntry
	chosen  map[string]bool // material keys whose library copy is taken
	loadErr error
}

// spareView is one material's offer as the partial shows it.
type spareView struct {
	Lang    Lang
	Key     string
	Library *tongban.LibraryEntry
	Chosen  bool
}

func (w *Web) newExchangeApply(r *http.Request, l Lang) *exchangeApply {
	return &exchangeApply{w: w, r: r, lang: l}
}

// load finds the offers for the page's materials, for the applicant the
// page is for (the signed-in one online, the identified one at a window),
// and what the posted form chose. A failure to read the library leaves the
// form without offers rather than without a form.
func (x *exchangeApply) load(p *applyPage) {
	if x == nil {
		return
	}
	ctx := x.r.Context()
	applicant, err := x.applicant(ctx, p)
	if err != nil || applicant == nil {
		x.loadErr = err
		return
	}
	var ms []tongban.Material
	for _, m := range p.Materials {
		ms = append(ms, m.Material)
	}
	if x.offers, err = x.w.Exchange.Library.Offers(ctx, applicant, ms); err != nil {
		x.loadErr = err
		x.w.Log.Warn("library offers", "err", err)
		return
	}
	x.chosen = map[string]bool{}
	if x.r.Method == http.MethodPost {
		for k, e := range x.offers {
			x.chosen[k] = x.r.FormValue("reuse_"+k) == strconv.FormatInt(e.ID, 10)
		}
	} else {
		for k := range x.offers { // offered ticked: one click to untick and upload instead
			x.chosen[k] = true
		}
	}
}

func (x *exchangeApply) applicant(ctx context.Context, p *applyPage) (*tongban.User, error) {
	if p.Counter != nil {
		return x.w.Store.User(ctx, p.Counter.UserID)
	}
	u := httpx.User(ctx)
	if u == nil || u.Kind == tongban.UserStaff {
		return nil, nil
	}
	return u, nil
}

// For is the view of a material's offer, for the partial.
func (x *exchangeApply) For(key string) spareView {
	v := spareView{Key: key}
	if x == nil {
		return v
	}
	v.Lang, v.Library, v.Chosen = x.lang, x.offers[key], x.chosen[key]
	return v
}

// Covers reports whether the form takes the material from the library.
func (x *exchangeApply) Covers(key string) bool {
	return x != nil && x.chosen[key] && x.offers[key] != nil
}

// material is the case material the choice makes, if any.
func (x *exchangeApply) material(key string) (tongban.CaseMaterial, bool) {
	if !x.Covers(key) {
		return tongban.CaseMaterial{}, false
	}
	return tongban.CaseMaterial{Key: key, Status: tongban.MaterialReused, Claim: strconv.FormatInt(x.offers[key].ID, 10)}, true
}
