package workflow

import (
	"context"
	"sync"
	"time"
)

// OrgNameTTL is how long a department's name read from the database is
// served from memory. Tongban never renames a department (orgs are
// created, not edited); a name changed directly in the database shows in
// new data-use records within OrgNameTTL.
const OrgNameTTL = 5 * time.Minute

// orgNameCache serves departments' names by id from memory, for the
// data-use records of a submission claiming references (its listing's
// department reads), so such a submission does not read the org row every
// time. Entries live OrgNameTTL at most (by the Service's clock); an org
// not found is not remembered. Safe for concurrent use.
type orgNameCache struct {
	mu   sync.Mutex
	byID map[int64]orgNameEntry
}

type orgNameEntry struct {
	name string
	read time.Time
}

// orgName returns the name of org id, from memory when read less than
// OrgNameTTL ago (and not in the clock's future).
func (s *Service) orgName(ctx context.Context, id int64) (string, error) {
	c := &s.orgNames
	now := s.Clock.Now()
	c.mu.Lock()
	e, ok := c.byID[id]
	c.mu.Unlock()
	if ok && now.Sub(e.read) < OrgNameTTL && !now.Before(e.read) {
		return e.name, nil
	}
	org, err := s.Store.Org(ctx, id)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	if c.byID == nil {
		c.byID = map[int64]orgNameEntry{}
	}
	c.byID[id] = orgNameEntry{name: org.Name, read: now}
	c.mu.Unlock()
	return org.Name, nil
}
