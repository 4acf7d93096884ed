package exchange

import (
	"context"
	"sync"
	"time"

	"github.com/tongban/tongban"
)

// StandardTTL is how long a standard material read from the database is
// served from memory. A save through Standards.Save forgets it at once in
// this process; another server on the same database sees the change
// within StandardTTL.
const StandardTTL = 30 * time.Second

// StandardCache serves standard materials by code from memory, so that a
// submission claiming an e-licence does not read the row the licence
// type comes from every time: the list is a few dozen rows catalog admins
// change rarely. Entries live StandardTTL at most (by Clock) and Forget
// drops one when it is saved here. Only committed reads (outside any
// transaction) are kept; a code not found is not remembered. The cached
// value is shared and must not be modified. Safe for concurrent use.
type StandardCache struct {
	Store tongban.Store
	Clock tongban.Clock

	mu    sync.Mutex
	byKey map[string]standardEntry
	// forgets counts Forget calls: a read that began before one is not
	// kept, as it may have seen the row before the save.
	forgets uint64
}

type standardEntry struct {
	m    *tongban.StandardMaterial
	read time.Time
}

// Get returns the standard material of code, from memory when read less
// than StandardTTL ago.
func (c *StandardCache) Get(ctx context.Context, code string) (*tongban.StandardMaterial, error) {
	now := c.Clock.Now()
	c.mu.Lock()
	e, ok := c.byKey[code]
	forgets := c.forgets
	c.mu.Unlock()
	if ok && now.Sub(e.read) < StandardTTL && !now.Before(e.read) {
		return e.m, nil
	}
	m, err := c.Store.StandardMaterial(ctx, code)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.byKey == nil {
		c.byKey = map[string]standardEntry{}
	}
	if c.forgets == forgets {
		c.byKey[code] = standardEntry{m: m, read: now}
	}
	c.mu.Unlock()
	return m, nil
}

// Forget drops code, after a save: the next Get reads the database.
func (c *StandardCache) Forget(code string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	delete(c.byKey, code)
	c.forgets++
	c.mu.Unlock()
}
