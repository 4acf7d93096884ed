package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/httpx"
)

// exchangeApply is what 只提交一次材料 adds to the application form, online
// and at the counter: per material, the shared-data record a department
// holds (masked, to confirm; a 有条件 one after the applicant agrees), or
// the applicant's confirmed copy in the material library — each taken with
// one click and nothing uploaded. The server checks the choice again when
// the case is filed (the `shared` and `reused` resolvers).
type exchangeApply struct {
	w        *Web
	r        *http.Request
	lang     Lang
	offers   map[string]*tongban.LibraryEntry
	chosen   map[string]bool // material keys whose library copy is taken
	findings map[string]*exchange.Finding
	useData  map[string]bool // material keys whose shared record is taken
	prefill  []exchange.PrefillValue
	licences licenceChoices // 用证: valid e-licences offered, and the consent given
}

// spareView is one material's offer as the partial shows it.
type spareView struct {
	Lang       Lang
	Key        string
	Library    *tongban.LibraryEntry
	Chosen     bool
	Shared     *exchange.Finding
	SharedUsed bool
	Licence    *licenceChoice
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
	applicant, err := x.applicant(ctx, p.Counter)
	if err != nil || applicant == nil {
		return
	}
	var ms []tongban.Material
	for _, m := range p.Materials {
		ms = append(ms, m.Material)
	}
	x.offer(ctx, applicant, ms, func(string) []*tongban.Listing { return []*tongban.Listing{p.Listing} }, p.Listing.Name)
	if x.prefill, err = x.w.Exchange.Data.Prefill(ctx, x.w.request(x.r), applicant, p.Listing); err != nil {
		x.w.Log.Warn("prefilling the application form", "err", err)
	}
}

// offer finds, for the materials ms, the applicant's licences, shared
// records and library entries, and reads what a posted form chose.
// listingsOf are the listings a material is asked for (one on a listing's
// form; each component taking it on a bundle's): a 有条件 resource's
// consent is given for each. purpose names the application (用证事由).
func (x *exchangeApply) offer(ctx context.Context, applicant *tongban.User, ms []tongban.Material,
	listingsOf func(key string) []*tongban.Listing, purpose string) {
	var err error
	posted := x.r.Method == http.MethodPost
	x.chosen, x.useData, x.findings = map[string]bool{}, map[string]bool{}, map[string]*exchange.Finding{}
	if err := x.loadShared(ctx, applicant, ms, listingsOf, posted); err != nil {
		x.w.Log.Warn("shared data on the application form", "err", err)
	}
	if x.licences, err = x.w.licenceChoices(x.r, applicant, purpose, ms); err != nil {
		x.w.Log.Warn("licence offers", "err", err)
	}
	if x.offers, err = x.w.Exchange.Library.Offers(ctx, applicant, ms); err != nil {
		x.w.Log.Warn("library offers", "err", err)
		return
	}
	for k, e := range x.offers {
		if posted {
			x.chosen[k] = x.r.FormValue("reuse_"+k) == strconv.FormatInt(e.ID, 10)
		} else { // offered ticked, unless shared data spares it: one click to change
			x.chosen[k] = !x.useData[k]
		}
	}
}

// loadShared looks the applicant's shared data up, each material under
// the first listing asking it; a consent the form gives (consent_KEY) is
// recorded first, for every listing asking the material.
func (x *exchangeApply) loadShared(ctx context.Context, applicant *tongban.User, ms []tongban.Material,
	listingsOf func(key string) []*tongban.Listing, posted bool) error {
	req := x.w.request(x.r)
	var order []*tongban.Listing
	byListing := map[*tongban.Listing][]tongban.Material{}
	for _, m := range ms {
		ls := listingsOf(m.Key)
		if len(ls) == 0 {
			continue
		}
		if _, ok := byListing[ls[0]]; !ok {
			order = append(order, ls[0])
		}
		byListing[ls[0]] = append(byListing[ls[0]], m)
	}
	find := func() ([]exchange.Finding, error) {
		var out []exchange.Finding
		for _, l := range order {
			found, err := x.w.Exchange.Data.Lookup(ctx, req, applicant, l, byListing[l])
			if err != nil {
				return nil, err
			}
			out = append(out, found...)
		}
		return out, nil
	}
	found, err := find()
	if err != nil {
		return err
	}
	consented := false
	for _, f := range found {
		if posted && f.NeedsConsent && x.r.FormValue("consent_"+f.Key) != "" {
			for _, l := range listingsOf(f.Key) {
				if _, err := x.w.Exchange.Data.Consent(ctx, req, applicant, f.Resource, l); err != nil {
					return err
				}
			}
			consented = true
		}
	}
	if consented {
		if found, err = find(); err != nil {
			return err
		}
	}
	for i := range found {
		f := &found[i]
		x.findings[f.Key] = f
		if f.Found {
			x.useData[f.Key] = !posted || x.r.FormValue("share_"+f.Key) != "" || x.r.FormValue("consent_"+f.Key) != ""
		}
	}
	return nil
}

func (x *exchangeApply) applicant(ctx context.Context, counter *counterApplicant) (*tongban.User, error) {
	if counter != nil {
		return x.w.Store.User(ctx, counter.UserID)
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
	v.Shared, v.SharedUsed = x.findings[key], x.useData[key]
	v.Licence = x.licences[key]
	return v
}

// Covers reports whether the form spares the material: shared data or
// the library.
func (x *exchangeApply) Covers(key string) bool {
	return x != nil && (x.useData[key] || x.chosen[key] && x.offers[key] != nil || x.licences[key].used())
}

// material is the case material the choice makes, if any: shared data
// first, since what a department holds need not be handed over at all.
func (x *exchangeApply) material(key string) (tongban.CaseMaterial, bool) {
	switch {
	case x == nil:
	case x.licences[key].used():
		return x.licences[key].material(key), true
	case x.useData[key]:
		return tongban.CaseMaterial{Key: key, Status: tongban.MaterialShared, Claim: x.findings[key].Resource}, true
	case x.chosen[key] && x.offers[key] != nil:
		return tongban.CaseMaterial{Key: key, Status: tongban.MaterialReused, Claim: strconv.FormatInt(x.offers[key].ID, 10)}, true
	}
	return tongban.CaseMaterial{}, false
}

// prefillView is one prefilled field as the partial shows it.
type prefillView struct {
	Field, Value, Source string
}

// Prefilled are the applicant fields filled in from the account and shared
// data, personal ones masked, for the partial.
func (x *exchangeApply) Prefilled() []prefillView {
	if x == nil {
		return nil
	}
	var out []prefillView
	for _, v := range x.prefill {
		out = append(out, prefillView{Field: v.Field, Value: v.Shown(), Source: v.Source})
	}
	return out
}

// Lang is the page's locale, for the partials.
func (x *exchangeApply) Lang() Lang {
	if x == nil {
		return ZH
	}
	return x.lang
}

// applicantFields are the prefilled fields the application carries, in
// full: the server's own values, never what a form posted.
func (x *exchangeApply) applicantFields() []exchange.PrefillValue {
	if x == nil {
		return nil
	}
	return x.prefill
}
