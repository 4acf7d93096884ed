package search

import (
	"reflect"
	"testing"
)

// TestPrecheckChangesNothing: leaving unmarked the docs the closing list
// touches first that cannot match (precheck.go) must give exactly what
// marking them gives — hits, order, scores, snippets and totals — over the
// benchmark mix from several places and with every filter, on the real
// catalog, a scaled one laid out by group, one whose groups mix audiences,
// and each after renames and deletes that leave dead docs in the layout
// and an unordered tail.
func TestPrecheckChangesNothing(t *testing.T) {
	switchChangesNothing(t, &noPrecheck, func(ix *Index) bool { return prechecks(ix, "社保") },
		"社保 leaves no doc unmarked", "社会保险登记证明")
}

// switchChangesNothing compares the answers with a path on and off (*off)
// on an index of each catalog of switchCatalogs, before and after churn
// (which gives renamed docs material). Unless fires is nil, it first
// requires the path to be taken on the scaled catalogs (why not: failure),
// or the comparison would prove nothing.
func switchChangesNothing(t *testing.T, off *bool, fires func(*Index) bool, failure, material string) {
	t.Helper()
	for name, ds := range switchCatalogs(t) {
		ix := New()
		ix.Upsert(ds...)
		ix.Regroup()
		if fires != nil && name != "real" && !fires(ix) {
			t.Fatalf("%s: %s", name, failure)
		}
		compareSwitchedOff(t, name, ix, ds, off)
		churn(t, name, ix, ds, material)
		compareSwitchedOff(t, name+" after churn", ix, ds, off)
	}
}

// accumulated is the scratch of text's first pass once accumulate has
// walked its lists, for tests to look into. It is not put back:
// accumulate leaves its masks set.
func accumulated(ix *Index, text string) *scratch {
	p := parseQuery(text, ix.syn.Load())
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	ix.resolve(p)
	sc := ix.getScratch()
	sc.accumulate(ix, p)
	return sc
}

// compareSwitchedOff compares the answers with a path on and off (*off),
// with the range visit on and off, over the filtered mix and a few more.
func compareSwitchedOff(t *testing.T, name string, ix *Index, ds []Doc, off *bool) {
	t.Helper()
	defer func() { *off, noGroupRanges = false, false }()
	for _, ranges := range []bool{true, false} {
		noGroupRanges = !ranges
		for _, q := range filteredQueries(ds, Query{Text: "社保", UserRegion: "511602101000"}, Query{Text: "社会保险 登记"},
			Query{Text: "生孩子", UserRegion: "511602101000"}, Query{Text: "许可", UserRegion: "510107000000"}) {
			*off = false
			on, err := ix.search(q)
			if err != nil {
				t.Fatal(err)
			}
			*off = true
			offAns, err := ix.search(q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(on, offAns) {
				t.Errorf("%s (ranges %v) %+v:\non  %v (total %d)\noff %v (total %d)", name, ranges, q, ids(on), on.Total, ids(offAns), offAns.Total)
			}
		}
	}
}

// prechecks reports whether text's closing list leaves some doc unmarked.
func prechecks(ix *Index, text string) bool {
	touched := func() int { return accumulated(ix, text).reach }
	defer func() { noPrecheck = false }()
	checked := touched()
	noPrecheck = true
	return checked < touched()
}
