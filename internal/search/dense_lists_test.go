package search

import (
	"reflect"
	"testing"
)

// TestDenseListsChangeNothing: intersecting the long material, FAQ, org and
// theme lists through their bitmaps must give exactly what walking them
// gives — hits, order, scores, snippets and totals — on the real catalog
// and on a scaled one laid out by group, also once docs have been updated
// and appended after the layout (walked from the lists' tails).
func TestDenseListsChangeNothing(t *testing.T) {
	names := guanganNames(t)
	docs := ScaledCatalog(20_000, names)
	scaled := New()
	scaled.Upsert(docs...)
	scaled.Regroup()
	if !hasBitmap(scaled) {
		t.Fatal("scaled catalog: no list has a bitmap")
	}
	updated := New()
	updated.Upsert(docs...)
	updated.Regroup()
	for i := range docs[:1500] { // appended after the layout: the lists' tails
		docs[i].Materials = append(docs[i].Materials, "社会保障卡", "居民身份证复印件")
	}
	updated.Upsert(docs[:1500]...)
	for name, ix := range map[string]*Index{"fixture": fixture(t), "scaled": scaled, "updated": updated} {
		for _, q := range memoQueries() {
			dense, err := ix.search(q)
			if err != nil {
				t.Fatal(err)
			}
			noDenseLists = true
			walked, err := ix.search(q)
			noDenseLists = false
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(dense, walked) {
				t.Errorf("%s %+v:\ndense  %v (total %d)\nwalked %v (total %d)", name, q, ids(dense), dense.Total, ids(walked), walked.Total)
			}
		}
	}
}

// hasBitmap reports whether some list of the index has a bitmap.
func hasBitmap(ix *Index) bool {
	for _, l := range ix.lays {
		if l.dense != nil {
			return true
		}
	}
	return false
}
