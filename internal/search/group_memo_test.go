package search

import (
	"reflect"
	"testing"
)

// memoQueries are the benchmark mix, each also from a few places (towns,
// counties and cities of the scaled catalog and none), with deeper pages,
// so that docs of one name group fall in different tiers and pages.
func memoQueries() []Query {
	nears := []string{"", "511602000000", "510107000000", "511602101000", "511300000000", "519999001000"}
	var qs []Query
	for i, q := range benchQueries {
		for j, near := range nears {
			q := q
			q.UserRegion = near
			if (i+j)%3 == 0 {
				q.Limit, q.Offset = MaxLimit, 20*(j%3)
			}
			qs = append(qs, q)
		}
	}
	return qs
}

// TestGroupMemoChangesNothing: computing once per name group what only the
// names decide must give exactly what computing it for every doc gives —
// the same hits in the same order, scores, snippets and totals — on the
// real catalog and on a scaled one where every name is filed ~18 times.
func TestGroupMemoChangesNothing(t *testing.T) {
	names := guanganNames(t)
	scaled := New()
	scaled.Upsert(ScaledCatalog(20_000, names)...)
	if groups := len(scaled.groups); groups > 2*len(names) {
		t.Fatalf("scaled catalog: %d name groups for %d names", groups, len(names))
	}
	for name, ix := range map[string]*Index{"fixture": fixture(t), "scaled": scaled} {
		for _, q := range memoQueries() {
			compareMemo(t, name, ix, q)
		}
	}
}

// compareMemo compares q's answer with the group memos on and off
// (noGroupMemo).
func compareMemo(t *testing.T, name string, ix *Index, q Query) {
	t.Helper()
	memo, err := ix.search(q)
	if err != nil {
		t.Fatal(err)
	}
	noGroupMemo = true
	each, err := ix.search(q)
	noGroupMemo = false
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(memo, each) {
		t.Errorf("%s %+v:\nmemo %v (total %d)\neach %v (total %d)", name, q, ids(memo), memo.Total, ids(each), each.Total)
	}
}

// TestGroupKeyKeepsListsApart: names and aliases that concatenate alike are
// different groups.
func TestGroupKeyKeepsListsApart(t *testing.T) {
	docs := []Doc{
		{ListingName: "ab", ItemName: "c"},
		{ListingName: "a", ItemName: "bc"},
		{ListingName: "a", ItemName: "bc", Aliases: []string{""}},
		{ListingName: "a", ItemName: "b", Aliases: []string{"c"}},
	}
	seen := map[string]int{}
	for i, d := range docs {
		k := groupKey(&d)
		if j, ok := seen[k]; ok {
			t.Errorf("docs %d and %d share key %q", j, i, k)
		}
		seen[k] = i
	}
	if a, b := groupKey(&Doc{ListingName: "x", ItemName: "y", OrgName: "1"}), groupKey(&Doc{ListingName: "x", ItemName: "y", OrgName: "2"}); a != b {
		t.Errorf("org name changed the group key: %q %q", a, b)
	}
}
