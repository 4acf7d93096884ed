package store

import (
	"database/sql"
	"time"

	"github.com/tongban/tongban"
)

// licenceStamp is every column of a licence's row that can change after
// it is written — its status and its face as stored (sealing a plain face
// rewrites it); the other columns are written once, with the row. The
// caches that keep licences opened (the verify links', the claims') use a
// kept licence only while its stamp, read again, is the same.
// TestLinkCacheStampsEveryUpdatedColumn holds the store's UPDATE
// statements to these columns.
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

// licenceStampOf is the stamp of l, read whole with its face as stored.
func licenceStampOf(l *tongban.License, stored *storedFace) licenceStamp {
	return licenceStamp{id: l.ID, status: l.Status, reason: l.StatusReason, statusAt: l.StatusAt,
		face: stored.face, faceSealed: stored.sealed}
}

// scanTo is the stamp's scan destinations, in the order id, status,
// status_reason, status_at, face, face_sealed; done sets what needs the
// scanned values.
func (st *licenceStamp) scanTo() (dest []any, done func()) {
	var statusAt sql.NullTime
	return []any{&st.id, &st.status, &st.reason, &statusAt, &st.face, &st.faceSealed},
		func() { st.statusAt = statusAt.Time }
}
