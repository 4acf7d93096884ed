package search

import "sync"

// Citizens' searches repeat: a city's day is mostly 身份证, 社保, 公积金,
// 营业执照 and their pinyin. So the index remembers its recent answers, each
// tagged with the index generation it was computed against; any change to
// the docs or the synonyms starts a new generation, and answers of an older
// one are never served. A miss costs one map look-up.

// cacheSize bounds the remembered answers (each a page of hits, a few KiB).
const cacheSize = 4096

type resultCache struct {
	mu      sync.Mutex
	entries map[Query]cachedResult
}

type cachedResult struct {
	gen uint64
	res Result
}

// get returns the answer to q computed at generation gen, if remembered.
func (c *resultCache) get(q Query, gen uint64) (Result, bool) {
	c.mu.Lock()
	e, ok := c.entries[q]
	c.mu.Unlock()
	if !ok || e.gen != gen {
		return Result{}, false
	}
	return e.res.clone(), true
}

func (c *resultCache) put(q Query, gen uint64, res Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[Query]cachedResult, cacheSize)
	}
	if _, ok := c.entries[q]; !ok && len(c.entries) >= cacheSize {
		for k := range c.entries { // map order is random: a random victim
			delete(c.entries, k)
			break
		}
	}
	c.entries[q] = cachedResult{gen: gen, res: res.clone()}
}

// clone copies the hits, so no caller can change a remembered answer.
func (r Result) clone() Result {
	r.Hits = append([]Hit(nil), r.Hits...)
	return r
}
