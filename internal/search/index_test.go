package search

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tongban/tongban"
)

func ids(res Result) []int64 {
	var out []int64
	for _, h := range res.Hits {
		out = append(out, h.ListingID)
	}
	return out
}

func mustSearch(t *testing.T, ix *Index, q Query) Result {
	t.Helper()
	res, err := ix.Search(q)
	if err != nil {
		t.Fatalf("%+v: %v", q, err)
	}
	return res
}

func TestUpsertReplacesAndDeleteRemoves(t *testing.T) {
	ix := New()
	ix.Upsert(
		Doc{ListingID: 1, ListingName: "犬类准养证核发", RegionCode: "511602000000"},
		Doc{ListingID: 2, ListingName: "普通护照签发", RegionCode: "511602000000"},
	)
	if ix.Len() != 2 {
		t.Fatalf("Len = %d", ix.Len())
	}
	if got := ids(mustSearch(t, ix, Query{Text: "护照"})); fmt.Sprint(got) != "[2]" {
		t.Fatalf("护照 → %v", got)
	}

	// Renaming listing 2 must forget its old name entirely.
	ix.Upsert(Doc{ListingID: 2, ListingName: "往来港澳通行证签发", RegionCode: "511602000000"})
	if ix.Len() != 2 {
		t.Errorf("Len after replace = %d, want 2", ix.Len())
	}
	if res := mustSearch(t, ix, Query{Text: "护照"}); res.Total != 0 {
		t.Errorf("护照 after rename → %v", ids(res))
	}
	if got := ids(mustSearch(t, ix, Query{Text: "港澳通行证"})); fmt.Sprint(got) != "[2]" {
		t.Errorf("港澳通行证 → %v", got)
	}

	ix.Delete(2, 99) // unknown IDs are ignored
	if ix.Len() != 1 {
		t.Errorf("Len after delete = %d", ix.Len())
	}
	if res := mustSearch(t, ix, Query{Text: "港澳通行证"}); res.Total != 0 {
		t.Errorf("deleted doc still found: %v", ids(res))
	}
	if res := mustSearch(t, ix, Query{}); res.Total != 1 || res.Hits[0].ListingID != 1 {
		t.Errorf("browse after delete: %v", ids(res))
	}
}

// TestCompaction churns enough updates to trigger compaction and checks that
// every doc is still found exactly once.
func TestCompaction(t *testing.T) {
	ix := New()
	const n = 600
	for round := range 8 {
		var docs []Doc
		for i := range n {
			docs = append(docs, Doc{ListingID: int64(i), ListingName: fmt.Sprintf("第%d轮测试事项%d", round, i), RegionCode: "511602000000", Popularity: int64(i)})
		}
		ix.Upsert(docs...)
	}
	ix.mu.RLock()
	slots := len(ix.docs)
	ix.mu.RUnlock()
	if slots >= 8*n {
		t.Errorf("no compaction: %d slots for %d docs", slots, n)
	}
	if ix.Len() != n {
		t.Fatalf("Len = %d", ix.Len())
	}
	for _, q := range []string{"第7轮测试事项599", "第0轮测试事项599"} {
		res := mustSearch(t, ix, Query{Text: q, Limit: MaxLimit})
		seen := 0
		for _, h := range res.Hits {
			if h.ListingID == 599 {
				seen++
				if h.ListingName != "第7轮测试事项599" {
					t.Errorf("%s: stale version %q", q, h.ListingName)
				}
			}
		}
		if seen > 1 {
			t.Errorf("%s: doc 599 seen %d times", q, seen)
		}
	}
	if res := mustSearch(t, ix, Query{Text: "第7轮测试事项599"}); len(res.Hits) == 0 || res.Hits[0].ListingID != 599 {
		t.Errorf("after compaction: %s", describe(res))
	}
	if top, _ := ix.Popular(1, ""); len(top) != 1 || top[0].ListingID != n-1 {
		t.Errorf("Popular after compaction: %+v", top)
	}
}

func TestFilters(t *testing.T) {
	ix := fixture(t)
	cases := []struct {
		name string
		q    Query
		ok   func(Hit, *Doc) bool
	}{
		{"region city prefix", Query{Text: "登记", Region: "5101"}, func(h Hit, _ *Doc) bool { return strings.HasPrefix(h.RegionCode, "5101") }},
		{"region city code", Query{Text: "登记", Region: "511600000000"}, func(h Hit, _ *Doc) bool { return strings.HasPrefix(h.RegionCode, "5116") }},
		{"region county code", Query{Text: "登记", Region: "511302000000"}, func(h Hit, _ *Doc) bool { return strings.HasPrefix(h.RegionCode, "511302") }},
		{"org", Query{Text: "证", OrgID: 5019}, func(h Hit, _ *Doc) bool { return h.OrgID == 5019 }},
		{"theme", Query{Text: "登记", Theme: "户籍办理"}, func(_ Hit, d *Doc) bool { return contains(d.Themes, "户籍办理") }},
		{"channel", Query{Text: "证", Channel: "邮寄办理"}, func(_ Hit, d *Doc) bool { return contains(d.Channels, "邮寄办理") }},
		{"audience 个人 includes both", Query{Text: "登记", Audience: AudiencePerson}, func(_ Hit, d *Doc) bool { return d.Audience != AudienceEntity }},
		{"audience 法人 includes both", Query{Text: "登记", Audience: AudienceEntity}, func(_ Hit, d *Doc) bool { return d.Audience != AudiencePerson }},
	}
	docs := map[int64]*Doc{}
	for i := range fixtureDocs {
		docs[fixtureDocs[i].ListingID] = &fixtureDocs[i]
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.q.Limit = MaxLimit
			res := mustSearch(t, ix, c.q)
			if res.Total == 0 {
				t.Fatal("no hits: the filter test proves nothing")
			}
			for _, h := range res.Hits {
				if !c.ok(h, docs[h.ListingID]) {
					t.Errorf("hit %d %s (%s) passes the filter", h.ListingID, h.ListingName, h.RegionCode)
				}
			}
		})
	}
	// A 个人 query still sees docs for both.
	both := mustSearch(t, ix, Query{Text: "行政复议", Audience: AudiencePerson})
	if len(both.Hits) == 0 || both.Hits[0].ListingID != 100031 {
		t.Errorf("个人 query should show 行政复议申请 (audience both): %s", describe(both))
	}
}

// TestRegionOrder: same region first, then same county, then same city, then
// the rest, among equally good matches.
func TestRegionOrder(t *testing.T) {
	ix := New()
	for i, code := range []string{"510104000000", "511602000000", "511602001000", "511603000000", "511300000000"} {
		ix.Upsert(Doc{ListingID: int64(i + 1), ListingName: "居民身份证换领", RegionCode: code, Popularity: int64(100 * (5 - i))})
	}
	res := mustSearch(t, ix, Query{Text: "居民身份证换领", UserRegion: "511602001000"})
	if got := fmt.Sprint(ids(res)); got != "[3 2 4 1 5]" {
		t.Errorf("order = %s, want town, county, city, then popularity elsewhere", got)
	}
	// Without a region, popularity decides between equal matches.
	if got := fmt.Sprint(ids(mustSearch(t, ix, Query{Text: "居民身份证换领"}))); got != "[1 2 3 4 5]" {
		t.Errorf("order = %s, want by popularity", got)
	}
}

func TestBrowse(t *testing.T) {
	ix := fixture(t)
	res, err := ix.ByOrg(5019, 10, 0)
	if err != nil || fmt.Sprint(ids(res)) != "[100020 100019]" {
		t.Errorf("ByOrg = %v, %v; want by popularity", ids(res), err)
	}
	res, err = ix.ByTheme("出境入境", "", 10, 0)
	if err != nil || res.Total != 2 {
		t.Errorf("ByTheme = %+v, %v", res, err)
	}
	top, err := ix.Popular(3, "")
	if err != nil || fmt.Sprint(hitIDs(top)) != "[100025 100017 100015]" {
		t.Errorf("Popular = %v, %v", hitIDs(top), err)
	}
	top, err = ix.Popular(2, "5113")
	if err != nil || fmt.Sprint(hitIDs(top)) != "[100010 100006]" {
		t.Errorf("Popular in 5113 = %v, %v", hitIDs(top), err)
	}
	// Paging is stable: page 2 continues page 1.
	p1 := mustSearch(t, ix, Query{Region: "511602", Limit: 5})
	p2 := mustSearch(t, ix, Query{Region: "511602", Limit: 5, Offset: 5})
	all := mustSearch(t, ix, Query{Region: "511602", Limit: 10})
	if fmt.Sprint(append(ids(p1), ids(p2)...)) != fmt.Sprint(ids(all)) {
		t.Errorf("paging: %v + %v != %v", ids(p1), ids(p2), ids(all))
	}

	themes, err := ix.Themes("")
	if err != nil || len(themes) < 10 || themes[0].Count < themes[len(themes)-1].Count {
		t.Errorf("Themes = %v, %v", themes, err)
	}
	orgs, err := ix.Orgs("511602000000")
	if err != nil || orgs[0].Name != "广安区行政审批局" || orgs[0].Count < 300 {
		t.Errorf("Orgs = %v, %v", orgs[:min(3, len(orgs))], err)
	}
}

func hitIDs(hs []Hit) []int64 { return ids(Result{Hits: hs}) }

// TestSearchPaging: offsets page through the ranked list without overlap.
func TestSearchPaging(t *testing.T) {
	ix := fixture(t)
	all := mustSearch(t, ix, Query{Text: "许可", Limit: 30})
	var paged []int64
	for off := 0; off < 30; off += 7 {
		paged = append(paged, ids(mustSearch(t, ix, Query{Text: "许可", Limit: min(7, 30-off), Offset: off}))...)
	}
	if fmt.Sprint(paged) != fmt.Sprint(ids(all)) {
		t.Errorf("paged %v\n  all %v", paged, ids(all))
	}
	if all.Total < 100 {
		t.Errorf("Total = %d", all.Total)
	}
}

func TestSnippet(t *testing.T) {
	ix := New()
	ix.Upsert(
		Doc{ListingID: 1, ListingName: "<script>营业执照</script>变更", RegionCode: "511602000000"},
		Doc{ListingID: 2, ListingName: "企业开办", Materials: []string{"法定代表人身份证明", strings.Repeat("说明", 40) + "银行开户许可证" + strings.Repeat("附件", 40)}, RegionCode: "511602000000"},
	)
	cases := []struct{ q, want string }{
		{"营业执照", "&lt;script&gt;<mark>营业执照</mark>&lt;/script&gt;变更"},
		{"yyzz", "&lt;script&gt;<mark>营业执照</mark>&lt;/script&gt;变更"},
		{"营业执招", "&lt;script&gt;<mark>营业执</mark>照&lt;/script&gt;变更"},
		{"银行开户许可证", "…明" + strings.Repeat("说明", 7) + "<mark>银行开户许可证</mark>" + strings.Repeat("附件", 19) + "…"},
	}
	for _, c := range cases {
		res := mustSearch(t, ix, Query{Text: c.q, Limit: 1})
		if len(res.Hits) == 0 {
			t.Errorf("%q: no hit", c.q)
			continue
		}
		if got := res.Hits[0].Snippet; got != c.want {
			t.Errorf("%q: snippet\n  %s\nwant\n  %s", c.q, got, c.want)
		}
	}
}

func TestQueryValidation(t *testing.T) {
	ix := New()
	for _, c := range []struct {
		q     Query
		field string
	}{
		{Query{Limit: -1}, "limit"},
		{Query{Limit: MaxLimit + 1}, "limit"},
		{Query{Offset: MaxOffset + 1}, "offset"},
		{Query{Text: strings.Repeat("证", maxTextRunes+1)}, "text"},
		{Query{Audience: "企业"}, "audience"},
		{Query{Region: "51x6"}, "region"},
		{Query{Region: "5116020000001"}, "region"},
		{Query{UserRegion: "abc"}, "user_region"},
	} {
		_, err := ix.Search(c.q)
		if e := tongban.AsError(err); err == nil || e.Code != tongban.EInvalid || e.Field != c.field {
			t.Errorf("%+v: err = %v, want EInvalid on %s", c.q, err, c.field)
		}
	}
	if res, err := ix.Search(Query{Text: "？！、"}); err != nil || res.Total != 0 {
		t.Errorf("punctuation only: %+v, %v", res, err)
	}
}

func TestRegionPrefix(t *testing.T) {
	for in, want := range map[string]string{
		"":             "",
		"51":           "51",
		"5116":         "5116",
		"510000000000": "51",
		"511600000000": "5116",
		"511602000000": "511602",
		"511602010000": "511602010",
		"511602010203": "511602010203",
	} {
		if got, ok := regionPrefix(in); !ok || got != want {
			t.Errorf("regionPrefix(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// TestConcurrentSearchDuringUpsert is meant for -race: readers search while a
// writer replaces, deletes and re-adds docs and an admin swaps synonyms.
func TestConcurrentSearchDuringUpsert(t *testing.T) {
	ix := fixture(t)
	docs := fixtureDocs[:300]
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for r := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			qs := []string{"营业执照", "yyzz", "社保卡丢了", "hunyin dengji", "", "出生医证明"}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				res, err := ix.Search(Query{Text: qs[(i+r)%len(qs)], UserRegion: "511602000000"})
				if err != nil {
					t.Error(err)
					return
				}
				for _, h := range res.Hits {
					if h.ListingID == 0 || h.ListingName == "" {
						t.Errorf("torn hit %+v", h)
						return
					}
				}
			}
		}()
	}
	for round := range 20 {
		changed := make([]Doc, len(docs))
		for i, d := range docs {
			d.Popularity = int64(round * i)
			changed[i] = d
		}
		ix.Upsert(changed...)
		ix.Delete(docs[round].ListingID)
		ix.SetSynonyms(map[string][]string{"开饭店": {"食品经营许可"}})
		ix.Upsert(docs[round])
	}
	close(stop)
	wg.Wait()
	if ix.Len() != len(fixtureDocs) {
		t.Errorf("Len = %d, want %d", ix.Len(), len(fixtureDocs))
	}
}

func TestGallop(t *testing.T) {
	long := []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29}
	for _, c := range []struct {
		list []int32
		x    int32
	}{
		{long, -1}, {long, 0}, {long, 1}, {long, 5}, {long, 9}, {long, 29}, {long, 30},
		{[]int32{1, 4, 7}, 3}, {[]int32{1, 4, 7}, 4}, {[]int32{1, 4, 7}, 8}, {nil, 2},
	} {
		want, _ := slices.BinarySearch(c.list, c.x)
		if got := gallop(c.list, c.x); got != want {
			t.Errorf("gallop(%v, %d) = %d, want %d", c.list, c.x, got, want)
		}
	}
}

// TestPruningChangesNothing: skipping docs that can no longer reach the
// coverage threshold must give exactly the results of the full walk.
func TestPruningChangesNothing(t *testing.T) {
	ix := fixture(t)
	var qs []Query
	for _, q := range benchQueries {
		qs = append(qs, q, Query{Text: q.Text, Limit: MaxLimit})
	}
	// ix.search, not Search: the second answer must not come from the
	// remembered first one.
	search := func(q Query) Result {
		res, err := ix.search(q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		return res
	}
	for _, q := range qs {
		pruned := search(q)
		noPruning = true
		full := search(q)
		noPruning = false
		if !reflect.DeepEqual(pruned, full) {
			t.Errorf("%+v: pruned %v (total %d) != full %v (total %d)", q, ids(pruned), pruned.Total, ids(full), full.Total)
		}
	}
}

// TestUnknownAudienceIsBoth: a malformed audience reads as "both", whether
// or not another filter makes the doc itself be read.
func TestUnknownAudienceIsBoth(t *testing.T) {
	ix := New()
	ix.Upsert(Doc{ListingID: 1, ListingName: "犬类准养证核发", Audience: "居民", Themes: []string{"公共安全"}, RegionCode: "511602000000"})
	for _, q := range []Query{
		{Text: "犬类", Audience: AudiencePerson},
		{Text: "犬类", Audience: AudienceEntity, Theme: "公共安全"},
	} {
		if res := mustSearch(t, ix, q); res.Total != 1 {
			t.Errorf("%+v: total %d, want 1", q, res.Total)
		}
	}
}
