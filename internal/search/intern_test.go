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

// Each text is transcribed once per index: the docs sharing it get the one
// sequence, an equal text in another space gets its own, a different text
// its own, and a compaction keeps what was transcribed of a live text.
func TestTextsTranscribedOncePerIndex(t *testing.T) {
	ix := New()
	ix.Upsert(Doc{ListingID: 1, ListingName: fresh("营业执照"), ItemName: fresh("身份证明"), RegionCode: "511602000000"},
		Doc{ListingID: 2, ListingName: fresh("身份证明"), ItemName: fresh("营业执照"), RegionCode: "511603000000"},
		Doc{ListingID: 3, ListingName: fresh("营业执照"), ItemName: fresh("开饭店"), RegionCode: "511621000000"})
	ix.mu.RLock()
	var ds docStrings
	ds.reset(ix, ix.byID[1])
	sa, sb := ds.seq(0, spaceChar), ds.seq(1, spaceChar)
	if string(runesOf(sa)) != "营业执照" || string(runesOf(sb)) != "身份证明" {
		t.Fatalf("sequences %q and %q, want the texts' own", string(runesOf(sa)), string(runesOf(sb)))
	}
	if syl := ds.seq(0, spaceSyl); len(syl) != 4 || syl[0] == sa[0] {
		t.Errorf("营业执照 in syllables: %v, want its four syllable ids", syl)
	}
	ds.reset(ix, ix.byID[2])
	if got := ds.seq(0, spaceChar); &got[0] != &sb[0] {
		t.Error("身份证明 was transcribed again for another doc")
	}
	if got := ds.seq(1, spaceChar); &got[0] != &sa[0] {
		t.Error("营业执照 was transcribed again for another doc")
	}
	ds.reset(ix, ix.byID[3])
	if got := ds.seq(1, spaceChar); string(runesOf(got)) != "开饭店" {
		t.Errorf("a text of its own: %q", string(runesOf(got)))
	}
	ix.mu.RUnlock()

	ix.Delete(2)
	ix.mu.Lock()
	ix.compactLocked()
	ix.mu.Unlock()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	ds.reset(ix, ix.byID[3])
	if got := ds.seq(0, spaceChar); &got[0] != &sa[0] {
		t.Error("a compaction dropped what was transcribed of a live text")
	}
	if len(ix.trans) != len(ix.texts) || len(ix.textIDs) != len(ix.docs) {
		t.Errorf("%d transcriptions for %d texts, %d docs' ids for %d docs", len(ix.trans), len(ix.texts), len(ix.textIDs), len(ix.docs))
	}
}

func runesOf(seq []int32) []rune {
	rs := make([]rune, len(seq))
	for i, r := range seq {
		rs[i] = rune(r)
	}
	return rs
}
