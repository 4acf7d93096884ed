package search

import (
	"cmp"
	"html"
	"slices"
	"strings"
)

// Browse pages list docs without a search text: by org, by theme, or the most
// popular. They are Search with empty Text, ordered by the citizen's region
// first and then by popularity; the helpers below name the common cases.

// ByOrg lists an org's docs, most popular first.
func (ix *Index) ByOrg(orgID int64, limit, offset int) (Result, error) {
	return ix.Search(Query{OrgID: orgID, Limit: limit, Offset: offset})
}

// ByTheme lists a theme's docs within a region (code or prefix; "" for
// everywhere), most popular first.
func (ix *Index) ByTheme(theme, region string, limit, offset int) (Result, error) {
	return ix.Search(Query{Theme: theme, Region: region, Limit: limit, Offset: offset})
}

// Popular returns the n most popular docs within a region ("" for everywhere).
func (ix *Index) Popular(n int, region string) ([]Hit, error) {
	res, err := ix.Search(Query{Region: region, Limit: n})
	return res.Hits, err
}

// browseLocked scans every doc, or those of the regions a region filter
// admits (browse_regions.go): a filter-and-top-k pass over 100,000 docs
// costs about a millisecond, less than keeping per-org and per-theme lists
// in step with every update.
func (ix *Index) browseLocked(flt *filter, limit, offset int) Result {
	var top topK
	top.reset(offset + limit)
	total, from := 0, 0
	if flt.regionOK != nil && !noRegionLists {
		total, from = ix.browseRegions(flt, &top), ix.ordered
	}
	for ord := from; ord < len(ix.docs); ord++ {
		if !flt.admits(ix, int32(ord)) {
			continue
		}
		total++
		ix.browseOffer(&top, int32(ord), int(flt.tiers[ix.hot[ord].region]))
	}
	items := top.cands
	slices.SortFunc(items, func(a, b candidate) int {
		switch {
		case a.key != b.key:
			if a.key > b.key {
				return -1
			}
			return 1
		case a.id < b.id:
			return -1
		case a.id > b.id:
			return 1
		}
		return 0
	})
	res := Result{Total: total}
	for i := offset; i < len(items); i++ {
		d := &ix.docs[items[i].ord]
		res.Hits = append(res.Hits, Hit{
			ListingID: d.ListingID, ListingName: d.ListingName, ItemName: d.ItemName,
			OrgID: d.OrgID, OrgName: d.OrgName, RegionCode: d.RegionCode,
			Snippet: html.EscapeString(d.ListingName), Score: float64(d.Popularity),
		})
	}
	return res
}

// Facet is one entry of a browse menu: a theme or an org, with how many docs
// it has.
type Facet struct {
	Name  string
	OrgID int64 // for org facets
	Count int
}

// Themes lists the themes used by docs within a region ("" for everywhere),
// largest first.
func (ix *Index) Themes(region string) ([]Facet, error) {
	return ix.facets(region, func(d *Doc, add func(Facet)) {
		for _, t := range d.Themes {
			add(Facet{Name: t})
		}
	})
}

// Orgs lists the orgs that have docs within a region, largest first.
func (ix *Index) Orgs(region string) ([]Facet, error) {
	return ix.facets(region, func(d *Doc, add func(Facet)) {
		add(Facet{Name: d.OrgName, OrgID: d.OrgID})
	})
}

func (ix *Index) facets(region string, each func(*Doc, func(Facet))) ([]Facet, error) {
	flt, err := (&Query{Region: region}).validate()
	if err != nil {
		return nil, err
	}
	counts := map[Facet]int{}
	add := func(f Facet) { counts[f]++ }
	ix.mu.RLock()
	flt.prepare(ix)
	for ord := range ix.docs {
		if flt.admits(ix, int32(ord)) {
			each(&ix.docs[ord], add)
		}
	}
	ix.mu.RUnlock()
	out := make([]Facet, 0, len(counts))
	for f, n := range counts {
		f.Count = n
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b Facet) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.OrgID, b.OrgID)
	})
	return out, nil
}
