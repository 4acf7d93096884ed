package web

import (
	"slices"

	"github.com/tongban/tongban/internal/search"
)

// Bundles in search and browsing come from the search index's small list of
// published bundles (search.Index.SearchBundles), kept by the Syncer, so
// the listing search is not slowed by a database read.

// bundleHitGroup is the bundles of one life event, for browsing.
type bundleHitGroup = lifeEventGroup[search.BundleHit]

// groupBundleHits groups bundles by subject and life event in the portal's
// theme order.
func groupBundleHits(hs []search.BundleHit) []bundleHitGroup {
	return groupByLifeEvent(hs, func(h search.BundleHit) (string, string) { return h.Subject, h.LifeEvent })
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
