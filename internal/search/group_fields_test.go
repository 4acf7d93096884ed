package search

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestFieldGroupsChangeNothing: walking the org-name, theme, material and
// FAQ lists by the name groups wholly holding a key (group_fields.go) must
// give exactly what walking them doc by doc gives — hits, order, scores,
// snippets and totals — over the benchmark mix from several places and
// with every filter, with the group ranges and with the per-doc walk, on a
// scaled catalog and one whose groups mix audiences, and each after
// renames, edits of themes and org names that keep a doc in its group, and
// deletes (dead docs in the layout, an unordered tail).
func TestFieldGroupsChangeNothing(t *testing.T) {
	names := guanganNames(t)
	mixed := ScaledCatalog(20_000, names)
	for i := range mixed {
		if i%5 == 0 {
			mixed[i].Audience = []string{"", AudiencePerson, AudienceEntity}[i%3]
		}
	}
	for name, ds := range map[string][]Doc{"scaled": ScaledCatalog(20_000, names), "mixed": mixed} {
		ix := New()
		ix.Upsert(ds...)
		ix.Regroup()
		if !splitsFields(ix) {
			t.Fatalf("%s: no theme or org list is split by group", name)
		}
		if !touchesFieldGroups(ix, "社保") {
			t.Fatalf("%s: 社保 touches no group through its themes or org names", name)
		}
		compareFieldGroups(t, name, ix, ds)

		// Renames move docs to other groups; edits of themes and org
		// names keep them in theirs, appended after the layout without
		// the keys their group holds there.
		var changed []Doc
		var gone []int64
		for i := 0; i < len(ds) && len(changed) < 600; i += 7 {
			d := ds[i]
			switch i % 3 {
			case 0:
				d.ListingName += "（变更）"
			case 1:
				d.Themes = []string{"其他"}
			default:
				d.OrgName = "行政审批局"
			}
			changed = append(changed, d)
			gone = append(gone, ds[i+1].ListingID)
		}
		ix.Upsert(changed...)
		ix.Delete(gone...)
		if ix.ordered == len(ix.docs) || ix.live == len(ix.docs)-len(changed) {
			t.Fatalf("%s: churn left no unordered tail or no dead docs", name)
		}
		compareFieldGroups(t, name+" after churn", ix, ds)
	}
}

func compareFieldGroups(t *testing.T, name string, ix *Index, ds []Doc) {
	t.Helper()
	qs := filteredQueries(ds, Query{Text: "社会保障 其他", Limit: MaxLimit})
	defer func() { noGroupRanges, noFieldGroups = false, false }()
	for _, ranges := range []bool{true, false} {
		noGroupRanges = !ranges
		for _, q := range qs {
			noFieldGroups = false
			split, err := ix.search(q)
			if err != nil {
				t.Fatal(err)
			}
			noFieldGroups = true
			walked, err := ix.search(q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(split, walked) {
				t.Errorf("%s (ranges %v) %+v:\nsplit  %v (total %d)\nwalked %v (total %d)", name, ranges, q, ids(split), split.Total, ids(walked), walked.Total)
			}
		}
	}
}

// splitsFields reports whether some list of the fields other than names
// and aliases is split by group.
func splitsFields(ix *Index) bool {
	for k, p := range ix.post {
		if ix.layoutOf(p).split(field(k >> 62)) {
			return true
		}
	}
	return false
}

// touchesFieldGroups reports whether text sets some group's bits in a field
// other than names and aliases.
func touchesFieldGroups(ix *Index, text string) bool {
	for _, gm := range accumulated(ix, text).gmasks {
		if gm.f[fBody]|gm.f[fMeta] != 0 {
			return true
		}
	}
	return false
}

// TestOwnLengthsOnlyWhereRead: a mask whose materials, FAQ and org bits are
// all tokens its names also hold scores the same whatever those fields'
// lengths (a token counts once, in its best field), so ownLengths may call
// such a group's copies alike; one with a token in those fields alone may
// not be. Random masks over the benchmark mix's queries, random lengths.
func TestOwnLengthsOnlyWhereRead(t *testing.T) {
	ix := New()
	ix.Upsert(ScaledCatalog(5_000, guanganNames(t))...)
	ix.Regroup()
	rng := rand.New(rand.NewPCG(7, 7))
	sc := ix.getScratch()
	alike, differ := 0, 0
	for _, q := range benchQueries {
		if q.Text == "" {
			continue
		}
		p := parseQuery(q.Text, ix.syn.Load())
		ix.mu.RLock()
		ix.resolve(p)
		pw := sc.passWeights(ix, p)
		ix.mu.RUnlock()
		var all uint64
		for i := range p.toks {
			all |= p.toks[i].bit
		}
		for range 2000 {
			var m docMask
			for f := range numFields {
				m.f[f] = all & rng.Uint64() & rng.Uint64()
				m.any |= m.f[f]
			}
			lens := [numFields]uint16{uint16(1 + rng.IntN(30)), uint16(rng.IntN(10)), uint16(1 + rng.IntN(400)), uint16(1 + rng.IntN(40))}
			other := lens
			other[fBody], other[fMeta] = uint16(1+rng.IntN(400)), uint16(1+rng.IntN(40))
			a, b := pw.of(&m, &lens), pw.of(&m, &other)
			if !m.ownLengths() {
				alike++
				if a != b {
					t.Fatalf("%s: mask %+v scores %v with lengths %v and %v with %v, yet ownLengths is false", q.Text, m, a, lens, b, other)
				}
			} else if a != b {
				differ++
			}
		}
	}
	if alike == 0 || differ == 0 {
		t.Fatalf("the masks tried were too narrow: %d alike, %d differing with their lengths", alike, differ)
	}
}
