package workflow

import (
	"container/list"
	"sync"

	"github.com/tongban/tongban"
)

// listingCacheSize bounds the listing versions kept in memory. A snapshot
// is a few KB; cases cluster on the current versions of the busiest
// listings, so a few thousand entries hold the working set.
const listingCacheSize = 4096

// listingCache keeps listing versions by (listing id, version), least
// recently used out first. It needs no invalidation: a listing version is
// immutable once written (database triggers refuse to update or delete
// listing_versions rows; an edit to a listing writes a new version), so an
// entry can never go stale. Only versions read outside any transaction,
// hence committed, are put in. The cached *tongban.Listing is shared by
// every reader and must not be modified. Safe for concurrent use.
type listingCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front = most recently used; values are *listingEntry
	byKey map[listingKey]*list.Element
}

type listingEntry struct {
	key listingKey
	l   *tongban.Listing
}

func (c *listingCache) get(k listingKey) (*tongban.Listing, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[k]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*listingEntry).l, true
}

func (c *listingCache) put(k listingKey, l *tongban.Listing) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byKey == nil {
		c.byKey, c.order = make(map[listingKey]*list.Element), list.New()
		if c.max <= 0 {
			c.max = listingCacheSize
		}
	}
	if e, ok := c.byKey[k]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.byKey[k] = c.order.PushFront(&listingEntry{key: k, l: l})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*listingEntry).key)
	}
}

func (c *listingCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
