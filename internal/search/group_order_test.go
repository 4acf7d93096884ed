package search

import (
	"reflect"
	"testing"
)

// TestGroupOrderChangesNothing: laying the docs out in group order (Regroup,
// at the end of a rebuild), and so walking the name and alias lists by
// group (group_lists.go), must give exactly the results
// of the load order — hits, order, scores, snippets, totals — on the real
// catalog and on a scaled one filed region by region, before and after
// updates and deletes that leave dead entries and a new unordered tail.
func TestGroupOrderChangesNothing(t *testing.T) {
	names := guanganNames(t)
	fixture(t) // reads fixtureDocs
	docs := map[string][]Doc{"real": fixtureDocs, "scaled": ScaledCatalog(20_000, names)}
	for name, ds := range docs {
		grouped := New()
		grouped.Upsert(ds...)
		grouped.Regroup()
		loaded := New()
		loaded.Upsert(ds...)
		if grouped.ordered != len(grouped.docs) || loaded.ordered != 0 {
			t.Fatalf("%s: ordered %d of %d (load order %d): not laid out as meant", name, grouped.ordered, len(grouped.docs), loaded.ordered)
		}
		assertGroupOrder(t, name, grouped)
		compareIndexes(t, name, grouped, loaded)

		// Churn without compaction (fewer than 1024 dead): renames move
		// docs to other groups at the tail, deletes leave dead entries.
		var renamed []Doc
		var gone []int64
		for i := 0; i < len(ds) && len(renamed) < 300; i += 7 {
			d := ds[i]
			d.ListingName += "（变更）"
			renamed = append(renamed, d)
			gone = append(gone, ds[i+1].ListingID)
		}
		grouped.Upsert(renamed...)
		grouped.Delete(gone...)
		loaded.Upsert(renamed...)
		loaded.Delete(gone...)
		if grouped.ordered == len(grouped.docs) {
			t.Fatalf("%s: churn left no unordered tail", name)
		}
		compareIndexes(t, name+" after churn", grouped, loaded)
	}
}

func compareIndexes(t *testing.T, name string, a, b *Index) {
	t.Helper()
	qs := append(memoQueries(), Query{Text: "变更", Limit: MaxLimit}, Query{Region: "5101", Limit: MaxLimit, Offset: 40})
	for _, q := range qs {
		ra, err := a.search(q)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := b.search(q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ra, rb) {
			t.Errorf("%s %+v:\ngroup order %v (total %d)\nload order  %v (total %d)", name, q, ids(ra), ra.Total, ids(rb), rb.Total)
		}
	}
}

// assertGroupOrder checks that each name group's docs are neighbours, in
// region then ListingID order.
func assertGroupOrder(t *testing.T, name string, ix *Index) {
	t.Helper()
	done := map[uint32]bool{}
	for ord := 1; ord < len(ix.hot); ord++ {
		a, b := &ix.hot[ord-1], &ix.hot[ord]
		if a.group == b.group {
			ra, rb := ix.regions[a.region], ix.regions[b.region]
			if ra > rb || ra == rb && a.id >= b.id {
				t.Fatalf("%s: ordinals %d, %d of group %d out of order: %s/%d, %s/%d", name, ord-1, ord, a.group, ra, a.id, rb, b.id)
			}
			continue
		}
		done[a.group] = true
		if done[b.group] {
			t.Fatalf("%s: group %d split at ordinal %d", name, b.group, ord)
		}
	}
	// The group lists the search walks instead of the name lists.
	if len(ix.lays) == 0 {
		t.Fatalf("%s: no group lists", name)
	}
	for ord, h := range ix.hot {
		if r := ix.granges[h.group]; int32(ord) < r.start || int32(ord) >= r.end {
			t.Fatalf("%s: ordinal %d outside its group's range %v", name, ord, r)
		}
	}
}
