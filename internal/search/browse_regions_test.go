package search

import (
	"reflect"
	"testing"
)

// TestRegionListsChangeNothing: a browse page with a region filter scans
// the admitted regions' ordinals and the docs appended since the layout,
// and must answer exactly as the scan of every doc — hits, order, scores,
// totals — with every filter, before and after churn that leaves dead docs
// in the layout, an unordered tail and a region new since the layout.
func TestRegionListsChangeNothing(t *testing.T) {
	docs := ScaledCatalog(20_000, guanganNames(t))
	ix := New()
	ix.Upsert(docs...)
	ix.Regroup()
	if len(ix.byRegion) == 0 {
		t.Fatal("no region lists after the layout")
	}
	compareRegionLists(t, "laid out", ix)

	var changed []Doc
	var gone []int64
	for i := 0; i < len(docs) && len(changed) < 300; i += 7 {
		d := docs[i]
		d.Popularity += 1000
		if i%2 == 0 {
			d.RegionCode = "511602999000" // a town not in the layout
		}
		changed = append(changed, d)
		gone = append(gone, docs[i+1].ListingID)
	}
	ix.Upsert(changed...)
	ix.Delete(gone...)
	if ix.ordered == len(ix.docs) || len(ix.byRegion) == len(ix.regions) {
		t.Fatal("churn left no unordered tail or no new region")
	}
	compareRegionLists(t, "after churn", ix)
}

func compareRegionLists(t *testing.T, name string, ix *Index) {
	t.Helper()
	for _, q := range []Query{
		{Region: "5116"}, {Region: "5116", UserRegion: "511602000000"}, {Region: "511602", Limit: MaxLimit, Offset: 40},
		{Region: "511602999000"}, {Region: "5101", Audience: AudiencePerson, UserRegion: "510104000000"},
		{Region: "5113", Theme: "社会保障"}, {Region: "5107", Channel: "全程网办", Limit: MaxLimit},
		{Region: "52"}, {}, {Audience: AudienceEntity},
	} {
		lists, err := ix.search(q)
		if err != nil {
			t.Fatal(err)
		}
		noRegionLists = true
		all, err := ix.search(q)
		noRegionLists = false
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(lists, all) {
			t.Errorf("%s %+v:\nlists %v (total %d)\nall   %v (total %d)", name, q, ids(lists), lists.Total, ids(all), all.Total)
		}
		if q.Region == "5116" && lists.Total == 0 {
			t.Errorf("%s %+v: nothing found", name, q)
		}
	}
}
