package search

import (
	"fmt"
	"math/bits"
	"reflect"
	"testing"
)

// TestLateListsChangeNothing: reading the bits of the lists intersected
// after the walk closed with the masks (late_lists.go), not writing them
// at once, must give exactly what writing them gives, on the catalogs of
// TestUnreadCountChangesNothing, each after churn; and some walk must keep
// a list late, or the comparison proves nothing.
func TestLateListsChangeNothing(t *testing.T) {
	switchChangesNothing(t, &noLateLists, func(ix *Index) bool { return keepsLists(ix, "出生医学证明") },
		"出生医学证明 keeps no list late", "出生医学证明")
}

// keepsLists reports whether text's walk keeps a list late with some copy
// of a group touched whole taking its bit only from it.
func keepsLists(ix *Index, text string) bool { return ownedLateOnly(ix, accumulated(ix, text)) > 0 }

// ownedLateOnly counts the copies of the groups sc's walk touched whole
// whose bits of their own are all from late lists (none written).
func ownedLateOnly(ix *Index, sc *scratch) int {
	n := 0
	for _, g := range sc.gwhole {
		r := ix.granges[g]
		for i, x := range sc.ownWords(r, sc.lateFor(&sc.gmasks[g])) {
			n += bits.OnesCount64(x &^ sc.own[r.start>>6+int32(i)])
		}
	}
	return n
}

// TestLateListsWithoutGroups: a query whose tokens no name holds walks no
// group (collect's per-doc loop), and its late lists must still reach the
// docs touched on their own.
func TestLateListsWithoutGroups(t *testing.T) {
	var ds []Doc
	names := []string{"城镇污水排入排水管网许可", "公共场所卫生许可", "食品经营许可证核发", "道路货物运输经营许可"}
	withXML := 0
	for i := range 2048 { // a compaction lays out 1,024 docs or more
		d := Doc{
			ListingID:   int64(i + 1),
			ListingName: names[i%len(names)],
			ItemName:    names[i%len(names)],
			OrgID:       1,
			OrgName:     "行政审批局",
			RegionCode:  fmt.Sprintf("5116%02d%03d000", 1+i/400, 1+i/len(names)%100),
			Materials:   []string{"申请书"},
		}
		if i%3 == 0 { // across the names: no group holds it whole
			d.Materials = append(d.Materials, "PDF")
		}
		if i%5 == 0 {
			d.Materials = append(d.Materials, "XML")
			withXML++
		}
		ds = append(ds, d)
	}
	ix := New()
	ix.Upsert(ds...)
	ix.Regroup()
	if sc := accumulated(ix, "XML PDF"); sc.gused || len(sc.late) == 0 {
		t.Fatalf("XML PDF: groups walked %v, late lists %d; want none and some", sc.gused, len(sc.late))
	}
	defer func() { noLateLists = false }()
	var res [2]Result
	for i, off := range []bool{false, true} {
		noLateLists = off
		r, err := ix.search(Query{Text: "XML PDF", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		res[i] = r
	}
	if !reflect.DeepEqual(res[0], res[1]) {
		t.Errorf("XML PDF: late lists on %v (total %d), off %v (total %d)", ids(res[0]), res[0].Total, ids(res[1]), res[1].Total)
	}
	// XML, the rarer, covers enough alone: every doc with it matches.
	if res[0].Total != withXML {
		t.Errorf("XML PDF: total %d, want the %d docs with XML", res[0].Total, withXML)
	}
}
