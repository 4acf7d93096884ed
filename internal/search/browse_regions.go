package search

import (
	"cmp"
	"slices"
)

// A browse page with a region filter (a city's or county's listings) used
// to scan every doc to find the most popular of the third or so in the
// region. So a compaction also files the ordinals below Index.ordered by
// region, most popular first (then by listing ID, as the page orders
// them). A region's docs share a tier, so their browse keys fall along its
// list: once the top-k turns one away it turns away the rest, and with no
// dead docs and no filter read per doc the region's count is its length.
// The docs appended since the layout are scanned as before. The top-k is
// a total order and the total a count, so the answers are the same
// (TestRegionListsChangeNothing). 4 bytes per doc.

// buildRegionLists files the layout's ordinals by region (write lock held).
func (ix *Index) buildRegionLists() {
	counts := make([]int32, len(ix.regions))
	for ord := range ix.ordered {
		counts[ix.hot[ord].region]++
	}
	all := make([]int32, ix.ordered) // one backing array, cut per region
	ix.byRegion = make([][]int32, len(ix.regions))
	ix.regionDead = make([]int32, len(ix.regions))
	at := int32(0)
	for r, n := range counts {
		ix.byRegion[r] = all[at : at : at+n]
		at += n
	}
	for ord := range ix.ordered {
		r := ix.hot[ord].region
		ix.byRegion[r] = append(ix.byRegion[r], int32(ord))
	}
	for _, ords := range ix.byRegion {
		slices.SortFunc(ords, func(a, b int32) int {
			if c := cmp.Compare(browsePop(ix.pop[b]), browsePop(ix.pop[a])); c != 0 {
				return c
			}
			return cmp.Compare(ix.hot[a].id, ix.hot[b].id)
		})
	}
}

// browsePop is the popularity a browse key holds: tiers sit above any
// popularity, and both stay exact in a float64.
func browsePop(pop int64) float64 { return float64(min(max(pop, 0), 1e12)) }

// browseRegions offers the docs of the layout in the regions flt admits,
// and returns how many of them it admits (read lock held).
func (ix *Index) browseRegions(flt *filter, top *topK) int {
	total := 0
	perDoc := flt.aud != 0 || flt.orgID != 0 || flt.theme != "" || flt.channel != ""
	for r, ords := range ix.byRegion {
		if !flt.regionOK[r] {
			continue
		}
		tier := int(flt.tiers[r])
		if perDoc || ix.regionDead[r] > 0 {
			for _, ord := range ords {
				if flt.admits(ix, ord) {
					total++
					ix.browseOffer(top, ord, tier)
				}
			}
			continue
		}
		total += len(ords)
		for _, ord := range ords {
			if !ix.browseOffer(top, ord, tier) {
				break // the rest of the region ranks below this one
			}
		}
	}
	return total
}

// browseOffer offers the doc at ord to the top-k, and reports whether it
// was wanted.
func (ix *Index) browseOffer(top *topK, ord int32, tier int) bool {
	h := &ix.hot[ord]
	key := float64(3-tier)*1e13 + browsePop(ix.pop[ord])
	if !top.wants(key, h.id) {
		return false
	}
	top.push(candidate{ord: ord, id: h.id, tier: tier, key: key})
	return true
}

// noRegionLists turns the region lists off, for the test that proves they
// change nothing.
var noRegionLists = false
