package search

import (
	"fmt"
	"testing"
	"unsafe"
)

// fresh returns s in memory of its own, as a catalog read from the database
// gives each listing its own strings.
func fresh(s string) string { return string([]byte(s)) }

func TestDocsShareOneCopyOfEachText(t *testing.T) {
	ix := New()
	var docs []Doc
	for i := range 3 {
		docs = append(docs, Doc{ListingID: int64(i + 1), ListingName: fresh("食品经营许可证核发"), ItemName: fresh("食品经营许可"),
			Aliases: []string{fresh("开饭店")}, Materials: []string{fresh("营业执照"), fresh(fmt.Sprintf("第%d区的材料", i))},
			FAQ: []string{fresh("需要哪些材料？")}, RegionCode: fmt.Sprintf("5116020%05d", i)})
	}
	ix.Upsert(docs...)
	addr := func(ord int, s func(*Doc) string) *byte { return unsafe.StringData(s(&ix.docs[ord])) }
	for _, field := range []struct {
		name string
		of   func(*Doc) string
	}{
		{"listing name", func(d *Doc) string { return d.ListingName }},
		{"item name", func(d *Doc) string { return d.ItemName }},
		{"alias", func(d *Doc) string { return d.Aliases[0] }},
		{"material", func(d *Doc) string { return d.Materials[0] }},
		{"FAQ", func(d *Doc) string { return d.FAQ[0] }},
	} {
		if addr(0, field.of) != addr(1, field.of) || addr(1, field.of) != addr(2, field.of) {
			t.Errorf("the three docs' %s %q are not one copy", field.name, field.of(&ix.docs[0]))
		}
	}
	if addr(0, func(d *Doc) string { return d.Materials[1] }) == addr(1, func(d *Doc) string { return d.Materials[1] }) {
		t.Error("two different materials share an address")
	}
	if unsafe.StringData(docs[1].Aliases[0]) == unsafe.StringData(docs[0].Aliases[0]) {
		t.Error("the caller's slices were written")
	}

	// A compaction keeps only the texts of live docs.
	ix.Delete(3)
	ix.mu.Lock()
	ix.compactLocked()
	ix.mu.Unlock()
	if _, ok := ix.texts["第2区的材料"]; ok {
		t.Error("the deleted doc's own material is still kept after a compaction")
	}
	for _, s := range []string{"食品经营许可证核发", "营业执照", "第0区的材料", "第1区的材料", "需要哪些材料？"} {
		if _, ok := ix.texts[s]; !ok {
			t.Errorf("%q of a live doc is not kept", s)
		}
	}
}

// The memo of transcribed strings answers by address: two texts of the
// same length at different addresses get their own sequences, and a text
// seen again at its address is not transcribed again.
func TestTranscribedStringsKeyedByAddress(t *testing.T) {
	var ds docStrings
	a, b := fresh("营业执照"), fresh("身份证明")
	ds.reset(&Doc{ListingName: a, ItemName: b})
	sa, sb := ds.seq(0, spaceChar), ds.seq(1, spaceChar)
	if string(runesOf(sa)) != "营业执照" || string(runesOf(sb)) != "身份证明" {
		t.Fatalf("sequences %q and %q, want the texts' own", string(runesOf(sa)), string(runesOf(sb)))
	}
	ds.reset(&Doc{ListingName: b, ItemName: a})
	if got := ds.seq(0, spaceChar); &got[0] != &sb[0] {
		t.Error("a text seen before at its address was transcribed again")
	}
	if got := ds.seq(1, spaceChar); &got[0] != &sa[0] {
		t.Error("a text seen before at its address was transcribed again")
	}
	c := fresh("营业执照")
	ds.reset(&Doc{ListingName: c})
	if got := ds.seq(0, spaceChar); string(runesOf(got)) != "营业执照" {
		t.Errorf("an equal text elsewhere: %q", string(runesOf(got)))
	}
}

func runesOf(seq []int32) []rune {
	rs := make([]rune, len(seq))
	for i, r := range seq {
		rs[i] = rune(r)
	}
	return rs
}
