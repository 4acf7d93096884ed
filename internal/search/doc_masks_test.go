package search

import (
	"math/bits"
	"testing"
)

// TestMasksDroppedAfterCollect shows that collect drops every mask a walk
// made, read or skipped, so that the next walk starts with no slot set
// (doc_masks.go): a slot left over would give the next query's doc at that
// ordinal another doc's bits. Over the three catalogs (after churn too)
// and the benchmark's 100,000 docs, the range visit on and off. Only the
// last has copies counted unread with masks written (the mix's 残疾人证 and
// 食品经营 near a town): without their drop in visitRange, only it fails.
func TestMasksDroppedAfterCollect(t *testing.T) {
	defer func() { noGroupRanges = false }()
	check := func(name string, ix *Index, qs []Query) {
		for _, ranges := range []bool{true, false} {
			noGroupRanges = !ranges
			made := 0
			for _, q := range qs {
				n, left := masksLeft(t, ix, q)
				made += n
				if left != 0 {
					t.Errorf("%s (ranges %v) %+v: %d slots or own bits left of %d masks", name, ranges, q, left, n)
				}
			}
			if made == 0 {
				t.Fatalf("%s: no query made a mask", name)
			}
		}
	}
	for name, ds := range switchCatalogs(t) {
		ix := New()
		ix.Upsert(ds...)
		ix.Regroup()
		qs := filteredQueries(ds, Query{Text: "社保", UserRegion: "511602101000"}, Query{Text: "生孩子"})
		check(name, ix, qs)
		churn(t, name, ix, ds, "社会保险登记表")
		check(name+" after churn", ix, qs)
	}
	var qs []Query
	for n := range 3 * len(benchQueries) {
		q := benchQueries[n%len(benchQueries)]
		q.UserRegion = nearTown(1, n)
		qs = append(qs, q)
	}
	check("scaled100k", benchIndex(t), qs)
}

// masksLeft runs q's first pass on a scratch of its own and returns how
// many masks it made and how many slots and own bits it left set.
func masksLeft(t *testing.T, ix *Index, q Query) (made, left int) {
	t.Helper()
	flt, err := q.validate()
	if err != nil {
		t.Fatal(err)
	}
	p := parseQuery(q.Text, ix.syn.Load())
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	flt.prepare(ix)
	if len(p.alts) == 0 {
		return 0, 0
	}
	ix.resolve(p)
	sc := ix.getScratch()
	ix.collect(p, flt, sc, q.Offset+q.Limit+rerankMargin)
	for _, s := range sc.slot {
		if s != 0 {
			left++
		}
	}
	for _, w := range sc.own {
		left += bits.OnesCount64(w)
	}
	return len(sc.tm), left
}
