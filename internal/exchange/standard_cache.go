package exchange

import (
	"context"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/ttlcache"
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

	kept ttlcache.Map[string, *tongban.StandardMaterial]
}

// Get returns the standard material of code, from memory when read less
// than StandardTTL ago.
func (c *StandardCache) Get(ctx context.Context, code string) (*tongban.StandardMaterial, error) {
	return c.kept.Load(code, c.Clock.Now(), StandardTTL, func() (*tongban.StandardMaterial, error) {
		return c.Store.StandardMaterial(ctx, code)
	}, nil)
}

// GetIn is Get for a caller inside a transaction, st its store: a miss is
// read through st and not kept. Read through the root store it would wait
// for a second connection while the transaction holds one, and with every
// connection held by such transactions (PostgreSQL under load) none would
// come.
func (c *StandardCache) GetIn(ctx context.Context, st tongban.Store, code string) (*tongban.StandardMaterial, error) {
	return c.kept.Load(code, c.Clock.Now(), StandardTTL, func() (*tongban.StandardMaterial, error) {
		return st.StandardMaterial(ctx, code)
	}, func(*tongban.StandardMaterial) bool { return false })
}

// Forget drops code, after a save: the next Get reads the database, and a
// read that began before the save is not kept.
func (c *StandardCache) Forget(code string) {
	if c == nil {
		return
	}
	c.kept.Forget(code)
}
