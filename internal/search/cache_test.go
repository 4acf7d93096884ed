package search

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
)

// A remembered answer is exactly what a fresh search would return, is never
// served after the docs or synonyms change, and cannot be altered through a
// caller's copy.
func TestResultCache(t *testing.T) {
	ix := New()
	ix.Upsert(
		Doc{ListingID: 1, ListingName: "食品经营许可证核发", RegionCode: "511602000000"},
		Doc{ListingID: 2, ListingName: "餐饮服务食品安全等级评定", RegionCode: "511602000000"},
	)
	q := Query{Text: "摆夜宵摊"}
	if res := mustSearch(t, ix, q); res.Total != 0 {
		t.Fatalf("摆夜宵摊 before the synonym: %v", ids(res))
	}
	ix.SetSynonyms(map[string][]string{"摆夜宵摊": {"食品经营许可"}})
	if got := ids(mustSearch(t, ix, q)); fmt.Sprint(got) != "[1]" {
		t.Fatalf("摆夜宵摊 after the synonym → %v: an answer from before the change was served", got)
	}

	first := mustSearch(t, ix, Query{Text: "食品"})
	first.Hits[0].ListingName = "改过"
	again := mustSearch(t, ix, Query{Text: "食品"})
	if again.Hits[0].ListingName == "改过" {
		t.Error("a caller's edit reached the remembered answer")
	}
	fresh, _ := ix.search(Query{Text: "食品", Limit: DefaultLimit})
	if !reflect.DeepEqual(again, fresh) {
		t.Errorf("remembered %+v, fresh %+v", again, fresh)
	}

	ix.Upsert(Doc{ListingID: 3, ListingName: "小餐饮经营许可（食品小作坊）", RegionCode: "511602000000"})
	if res := mustSearch(t, ix, Query{Text: "食品"}); res.Total != fresh.Total+1 {
		t.Errorf("after adding a listing 食品 finds %d, want %d", res.Total, fresh.Total+1)
	}
	ix.Delete(1)
	if got := ids(mustSearch(t, ix, q)); slices.Contains(got, 1) {
		t.Errorf("deleted listing still found: %v", got)
	}
}

// The cache keeps at most cacheSize answers.
func TestResultCacheBounded(t *testing.T) {
	var c resultCache
	for i := range cacheSize + 50 {
		c.put(Query{Text: fmt.Sprint(i)}, 1, Result{Total: i})
	}
	if len(c.entries) != cacheSize {
		t.Errorf("%d answers kept, want %d", len(c.entries), cacheSize)
	}
	if _, ok := c.get(Query{Text: fmt.Sprint(cacheSize + 49)}, 1); !ok {
		t.Error("the newest answer was evicted")
	}
	if _, ok := c.get(Query{Text: fmt.Sprint(cacheSize + 49)}, 2); ok {
		t.Error("an answer of an older generation was served")
	}
}

// Searches racing updates never leave a stale answer behind: once the
// writers stop, every remembered answer equals a fresh search.
func TestResultCacheUnderConcurrentUpdates(t *testing.T) {
	ix := fixture(t)
	docs := fixtureDocs[:200]
	qs := []Query{{Text: "营业执照"}, {Text: "yyzz"}, {Text: "社保卡丢了"}, {Text: "开饭店"}, {}, {Text: "出生医证明", UserRegion: "511602000000"}}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for r := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := ix.Search(qs[(i+r)%len(qs)]); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for round := range 15 {
		changed := make([]Doc, len(docs))
		for i, d := range docs {
			d.Popularity = int64(round*7919+i*31) % 1000
			changed[i] = d
		}
		ix.Upsert(changed...)
		ix.Delete(docs[round].ListingID)
		ix.SetSynonyms(map[string][]string{"开饭店": {fmt.Sprint([]string{"食品经营许可", "餐饮"}[round%2])}})
	}
	close(stop)
	wg.Wait()
	for _, q := range qs {
		got := mustSearch(t, ix, q)
		fq := q
		fq.Limit = DefaultLimit
		fresh, err := ix.search(fq)
		if err != nil || !reflect.DeepEqual(got, fresh) {
			t.Errorf("%+v: served %v (total %d), fresh %v (total %d)", q, ids(got), got.Total, ids(fresh), fresh.Total)
		}
	}
}
