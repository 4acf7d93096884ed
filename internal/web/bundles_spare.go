package web

import (
	"net/http"

	"github.com/tongban/tongban"
)

// loadBundleSpare offers, for each line of a bundle's one material list
// (merged by standard material code), what the single-listing form offers:
// the applicant's valid licences of the material's licence type (用证, with
// consent), a valid library entry of the same standard code, a shared-data
// record (masked; a 有条件 one after consent, given for every component
// listing that takes the material). The choice travels to bundle.Apply as
// a claim, which each sub-case's resolvers check: nothing here spares a
// paper by itself.
func (w *Web) loadBundleSpare(r *http.Request, p *bundleApplyPage) {
	if p.Checklist == nil {
		return
	}
	x := p.Spare
	ctx := r.Context()
	applicant, err := x.applicant(ctx, p.Counter)
	if err != nil || applicant == nil {
		return
	}
	ls, err := w.Bundles.Listings(ctx, p.B)
	if err != nil {
		w.Log.Warn("bundle listings for the material offers", "err", err)
		return
	}
	listingsOf := map[string][]*tongban.Listing{}
	var ms []tongban.Material
	for _, n := range p.Checklist.Materials {
		if n.Standard == "" {
			continue // only a standard material has licences, entries or resources
		}
		ms = append(ms, tongban.Material{Key: n.Key, Name: n.Name, Standard: n.Standard})
		for _, c := range p.Checklist.Components {
			if _, takes := n.ByListing[c.Key]; takes && ls[c.Key] != nil {
				listingsOf[n.Key] = append(listingsOf[n.Key], ls[c.Key])
			}
		}
	}
	x.offer(ctx, applicant, ms, func(key string) []*tongban.Listing { return listingsOf[key] }, p.B.Name)
}
