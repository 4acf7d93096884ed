package store

import (
	"database/sql"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// licenceCacheSize bounds the licences kept opened for claims by
// identifier (a couple of KiB each). When full, an arbitrary entry makes
// room.
const licenceCacheSize = 4096

// licenceStampQuery is a claim's read of a licence it has kept: every
// column of the row that can change after it is written — its status and
// its face as stored (sealing a plain face rewrites it). The other columns
// are written once, with the row; TestLinkCacheStampsEveryUpdatedColumn
// holds the store's UPDATE statements to the columns read here too.
const licenceStampQuery = `SELECT id, status, status_reason, status_at, face, face_sealed FROM licenses WHERE identifier = $1`

// licenceStamp is what licenceStampQuery reads of a licence.
type licenceStamp struct {
	id               int64
	status           tongban.LicenseStatus
	reason           string
	statusAt         time.Time
	face, faceSealed string
}

func (a licenceStamp) same(b licenceStamp) bool {
	return a.id == b.id && a.status == b.status && a.reason == b.reason && a.statusAt.Equal(b.statusAt) &&
		a.face == b.face && a.faceSealed == b.faceSealed
}

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
	st := licenceStamp{id: l.ID, status: l.Status, reason: l.StatusReason, statusAt: l.StatusAt,
		face: stored.face, faceSealed: stored.sealed}
	s.licences.put(l.Identifier, &cachedLicence{stamp: st, l: copyLicence(l)}, nil)
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
		var statusAt sql.NullTime
		err := row.Scan(&st.id, &st.status, &st.reason, &statusAt, &st.face, &st.faceSealed)
		if err != nil {
			set(tongban.ClaimRow{Err: notFound(err, "电子证照 %s 不存在", identifier)})
			return
		}
		st.statusAt = statusAt.Time
		if !st.same(e.stamp) {
			changed()
			return
		}
		l := copyLicence(&e.l)
		set(tongban.ClaimRow{License: &l})
	}}, true
}
