package identity

import (
	"sync"
	"time"

	"github.com/tongban/tongban"
)

// AuthCacheTTL is how long a server trusts a token it has checked without
// asking the database again. Every request carries a token, and checking
// it costs three queries (token, user, roles): about a fifth of the CPU of
// a case-status read (docs/benchmarks.md). Sign-out, password changes, token
// revocation and role changes made through this server take effect at
// once; made through another server, within this long.
const AuthCacheTTL = 5 * time.Second

// authCacheMax bounds the entries kept; past it the cache starts afresh.
const authCacheMax = 20000

// Every request reads the cache and few write it, so readers share the
// lock: under a plain mutex it was the most contended lock of case-status
// reads (docs/benchmarks.md).
type authCache struct {
	mu      sync.RWMutex
	entries map[string]authEntry // by token hash, prefixed by kind
}

type authEntry struct {
	user    *tongban.User
	expires time.Time
}

// get returns a copy of the cached user for key, if still fresh at now.
func (c *authCache) get(key string, now time.Time) (*tongban.User, bool) {
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if !ok || !now.Before(e.expires) {
		return nil, false
	}
	return cloneUser(e.user), true
}

// put keeps u for key until now+AuthCacheTTL, or until limit if sooner
// (a session's own expiry).
func (c *authCache) put(key string, u *tongban.User, now, limit time.Time) {
	expires := now.Add(AuthCacheTTL)
	if !limit.IsZero() && limit.Before(expires) {
		expires = limit
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= authCacheMax {
		c.entries = map[string]authEntry{}
	}
	c.entries[key] = authEntry{user: cloneUser(u), expires: expires}
}

// forget drops one token.
func (c *authCache) forget(key string) {
	c.mu.Lock()
	delete(c.entries, key)
	c.mu.Unlock()
}

// forgetUser drops every token of a user, after a change to the account
// or its roles.
func (c *authCache) forgetUser(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if e.user.ID == id {
			delete(c.entries, k)
		}
	}
}

// cloneUser copies u and its roles, so no caller can change what another
// request reads.
func cloneUser(u *tongban.User) *tongban.User {
	c := *u
	c.Roles = append([]tongban.RoleGrant(nil), u.Roles...)
	return &c
}

func sessionKey(hash string) string { return "s:" + hash }
func tokenKey(hash string) string   { return "t:" + hash }

// forgetAll drops every entry, after a change that may touch accounts the
// cache cannot name.
func (c *authCache) forgetAll() {
	c.mu.Lock()
	c.entries = nil
	c.mu.Unlock()
}
