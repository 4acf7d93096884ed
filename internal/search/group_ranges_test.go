package search

import (
	"reflect"
	"testing"
)

// TestGroupRangesChangeNothing: visiting the touched name groups as ranges,
// first, and bounding the keys of the docs matched on their own
// (group_ranges.go) must give exactly what the per-doc walk gives — hits,
// order, scores, snippets and totals — over the benchmark mix from several
// places and with every filter, on the real catalog, a scaled one laid out
// by group, one whose groups mix audiences, and each after renames and
// deletes that leave dead docs in the layout and an unordered tail.
func TestGroupRangesChangeNothing(t *testing.T) {
	docs := switchCatalogs(t)
	for name, ds := range docs {
		ix := New()
		ix.Upsert(ds...)
		ix.Regroup()
		if !usesGroupRanges(ix, "许可") {
			t.Fatalf("%s: 许可 visits no group as a range", name)
		}
		compareGroupRanges(t, name, ix, ds)
		churn(t, name, ix, ds, "")
		compareGroupRanges(t, name+" after churn", ix, ds)
	}
}

func compareGroupRanges(t *testing.T, name string, ix *Index, ds []Doc) {
	t.Helper()
	qs := filteredQueries(ds)
	for _, q := range qs {
		ranges, err := ix.search(q)
		if err != nil {
			t.Fatal(err)
		}
		noGroupRanges = true
		each, err := ix.search(q)
		noGroupRanges = false
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ranges, each) {
			t.Errorf("%s %+v:\nranges %v (total %d)\neach   %v (total %d)", name, q, ids(ranges), ranges.Total, ids(each), each.Total)
		}
	}
}

// usesGroupRanges reports whether text touches some group as a range.
func usesGroupRanges(ix *Index, text string) bool {
	return len(accumulated(ix, text).gwhole) > 0
}

// filteredQueries are the memo's queries, 变更 and each text query of the
// mix under every filter, plus extra: what the *ChangeNothing tests
// compare with a path on and off.
func filteredQueries(ds []Doc, extra ...Query) []Query {
	qs := append(memoQueries(), Query{Text: "变更", Limit: MaxLimit})
	qs = append(qs, extra...)
	for _, q := range benchQueries {
		if q.Text == "" {
			continue
		}
		for _, f := range []Query{
			{Audience: AudiencePerson}, {Audience: AudienceEntity, UserRegion: "511602000000"},
			{Region: "5116"}, {Region: "511602", UserRegion: "511602101000", Limit: MaxLimit},
			{OrgID: ds[len(ds)/2].OrgID}, {Theme: "社会保障"}, {Channel: "全程网办", Offset: 20},
		} {
			f.Text = q.Text
			qs = append(qs, f)
		}
	}
	return qs
}
