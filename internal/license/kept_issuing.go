package license

import (
	"context"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/ttlcache"
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
	kept ttlcache.Map[keptIssuingKey, *tongban.LicenseIssuing]
}

type keptIssuingKey struct {
	typeCode string
	orgID    int64
}

// read returns the type, org and key kept for (typeCode, orgID) when read
// less than KeptIssuingTTL before now (and not in now's future), else
// reads them through st. A nil KeptIssuing always reads.
func (k *KeptIssuing) read(ctx context.Context, st tongban.Store, typeCode string, orgID int64, now time.Time) (*tongban.LicenseIssuing, error) {
	if k == nil {
		return readIssuing(ctx, st, typeCode, orgID)
	}
	return k.kept.Load(keptIssuingKey{typeCode, orgID}, now, KeptIssuingTTL, func() (*tongban.LicenseIssuing, error) {
		return readIssuing(ctx, st, typeCode, orgID)
	}, func(in *tongban.LicenseIssuing) bool { return in.Key != nil })
}

// forget drops what is kept for (typeCode, orgID).
func (k *KeptIssuing) forget(typeCode string, orgID int64) {
	if k != nil {
		k.kept.Forget(keptIssuingKey{typeCode, orgID})
	}
}
