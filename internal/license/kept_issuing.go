package license

import (
	"context"
	"sync"
	"time"

	"github.com/tongban/tongban"
)

// KeptIssuingTTL is how long the licence type, the issuing org and its
// current seal key, read before one issue, serve the issues after it of
// the same type and org. Each issue read them again (a join of three
// tables, returning the type's fields, the key's PEM and its sealed
// private half): on PostgreSQL a round trip of the nine an issue makes.
//
// Staleness: a type's fields or name changed, or an org's name or credit
// code, are used by new licences within KeptIssuingTTL. A seal key rotated
// (on this server or another) is never used after the rotation commits:
// storing a licence checks, in the same statement, that its key is not
// retired (tongban.LicenseStore.CreateLicense), and an issue refused so
// forgets what it kept and is retried once, reading afresh
// (workflow.Service.IssueWithFace).
const KeptIssuingTTL = time.Minute

// KeptIssuing keeps what readIssuing returned, by type and org, for
// KeptIssuingTTL; an org with no key yet is not kept (its first issue
// makes one). Safe for concurrent use; what it returns is shared and must
// not be changed.
type KeptIssuing struct {
	mu   sync.Mutex
	byID map[keptIssuingKey]keptIssuing
}

type keptIssuingKey struct {
	typeCode string
	orgID    int64
}

type keptIssuing struct {
	in   *tongban.LicenseIssuing
	read time.Time
}

// read returns the type, org and key kept for (typeCode, orgID) when read
// less than KeptIssuingTTL before now (and not in now's future), else
// reads them through st. A nil KeptIssuing always reads.
func (k *KeptIssuing) read(ctx context.Context, st tongban.Store, typeCode string, orgID int64, now time.Time) (*tongban.LicenseIssuing, error) {
	if k == nil {
		return readIssuing(ctx, st, typeCode, orgID)
	}
	id := keptIssuingKey{typeCode, orgID}
	k.mu.Lock()
	e, ok := k.byID[id]
	k.mu.Unlock()
	if ok && now.Sub(e.read) < KeptIssuingTTL && !now.Before(e.read) {
		return e.in, nil
	}
	in, err := readIssuing(ctx, st, typeCode, orgID)
	if err != nil || in.Key == nil {
		return in, err
	}
	k.mu.Lock()
	if k.byID == nil {
		k.byID = map[keptIssuingKey]keptIssuing{}
	}
	k.byID[id] = keptIssuing{in: in, read: now}
	k.mu.Unlock()
	return in, nil
}

// forget drops what is kept for (typeCode, orgID).
func (k *KeptIssuing) forget(typeCode string, orgID int64) {
	if k == nil {
		return
	}
	k.mu.Lock()
	delete(k.byID, keptIssuingKey{typeCode, orgID})
	k.mu.Unlock()
}
