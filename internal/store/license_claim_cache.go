package store

import (
	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// licenceCacheSize bounds the licences kept opened for claims by
// identifier (a couple of KiB each). When full, an arbitrary entry makes
// room.
const licenceCacheSize = 4096

// licenceStampQuery is a claim's read of a licence it has kept: its
// stamp (licenceStamp).
const licenceStampQuery = `SELECT id, status, status_reason, status_at, face, face_sealed FROM licenses WHERE identifier = $1`

// licenceCache keeps licences read by identifier, opened (holder code
// unsealed, face parsed), for the claims of a submission that hands one
// over by reference (ReadClaims): the same licences are claimed case after
// case, and reading and opening the row's twenty-nine columns was a
// tenth of such a submission's CPU. It is never stale: a kept licence is
// used only when licenceStampQuery, read at each claim, finds its stamp
// unchanged. Only reads outside a transaction use or fill it (as
// caseCache).
type licenceCache = keptMap[cachedLicence]

type cachedLicence struct {
	stamp licenceStamp
	l     tongban.License
}

func newLicenceCache() *licenceCache { return newKeptMap[cachedLicence](licenceCacheSize) }

// keepLicence keeps a copy of l, read whole with its face as stored.
func (s *Store) keepLicence(l *tongban.License, stored *storedFace) {
	if s.licences == nil || s.inTx {
		return
	}
	s.licences.put(l.Identifier, &cachedLicence{stamp: licenceStampOf(l, stored), l: copyLicence(l)}, nil)
}

// keptLicenceRead is the stamp read of the licence kept under identifier,
// handing set the kept licence's copy when its stamp is unchanged, and
// calling changed otherwise (the row must be read whole); false when none
// is kept, or this store may not use the cache.
func (s *Store) keptLicenceRead(identifier string, set func(tongban.ClaimRow), changed func()) (sqldb.RowQuery, bool) {
	if s.licences == nil || s.inTx || identifier == "" {
		return sqldb.RowQuery{}, false
	}
	e := s.licences.get(identifier)
	if e == nil {
		return sqldb.RowQuery{}, false
	}
	return sqldb.RowQuery{SQL: licenceStampQuery, Args: []any{identifier}, Row: func(row sqldb.Row) {
		var st licenceStamp
		dest, done := st.scanTo()
		if err := row.Scan(dest...); err != nil {
			set(tongban.ClaimRow{Err: licenceNotFound(err, identifier)})
			return
		}
		done()
		if !st.same(e.stamp) {
			changed()
			return
		}
		l := copyLicence(&e.l)
		set(tongban.ClaimRow{License: &l})
	}}, true
}
