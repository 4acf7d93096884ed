package web

import (
	"slices"

	"github.com/tongban/tongban/internal/search"
)

// Bundles in search and browsing come from the search index's small list of
// published bundles (search.Index.SearchBundles), kept by the Syncer, so
// the listing search is not slowed by a database read.

// bundleHitGroup is the bundles of one life event, for browsing.
type bundleHitGroup struct {
	Subject   string
	LifeEvent string
	Bundles   []search.BundleHit
}

// groupBundleHits groups bundles by subject and life event in the portal's
// theme order.
func groupBundleHits(hs []search.BundleHit) []bundleHitGroup {
	var out []bundleHitGroup
	for _, h := range hs {
		i := slices.IndexFunc(out, func(g bundleHitGroup) bool { return g.Subject == h.Subject && g.LifeEvent == h.LifeEvent })
		if i < 0 {
			out = append(out, bundleHitGroup{Subject: h.Subject, LifeEvent: h.LifeEvent})
			i = len(out) - 1
		}
		out[i].Bundles = append(out[i].Bundles, h)
	}
	slices.SortStableFunc(out, func(a, b bundleHitGroup) int {
		return lifeEventOrder(a.Subject, a.LifeEvent) - lifeEventOrder(b.Subject, b.LifeEvent)
	})
	return out
}

// bundleHits are the bundles a results page shows above the listings: those
// the query is about, or, browsing a theme, those of that life event; both
// kept to the audience chosen.
func (w *Web) bundleHits(p *searchPage) []search.BundleHit {
	var hs []search.BundleHit
	switch {
	case p.Q != "":
		hs = w.Search.SearchBundles(p.Q)
	case p.Theme != "":
		for _, h := range w.Search.AllBundles() {
			if h.LifeEvent == p.Theme {
				hs = append(hs, h)
			}
		}
	}
	return slices.DeleteFunc(hs, func(h search.BundleHit) bool { return p.Audience != "" && h.Subject != p.Audience })
}
