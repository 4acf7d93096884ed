package store

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"time"

	"github.com/tongban/tongban"
)

// linkCacheSize bounds the links LicenseLinkWithMisses keeps with their
// licences, opened (a couple of KiB each). When full, an arbitrary entry
// makes room.
const linkCacheSize = 4096

// linkStampQuery is the verify page's read of a link it has kept: the
// address's misses (the limiter's count, never kept) and every column of
// the link and its licence that can change after they are written — the
// link's withdrawal and end, the licence's status, and its face as stored
// (sealing a plain face rewrites it). The other columns are written once,
// with the row. TestLinkCacheStampsEveryUpdatedColumn holds the store's
// UPDATE statements to that.
const linkStampQuery = `SELECT (SELECT COUNT(*) FROM login_failures WHERE key = $2 AND at > $3),
	k.id, k.revoked_at, k.expires_at, l.id, l.status, l.status_reason, l.status_at, l.face, l.face_sealed
	FROM license_links k JOIN licenses l ON l.id = k.license_id WHERE k.token = $1`

// linkStamp is what linkStampQuery reads of a link and its licence.
type linkStamp struct {
	linkID           int64
	revoked, expires time.Time
	licence          licenceStamp
}

func (a linkStamp) same(b linkStamp) bool {
	return a.linkID == b.linkID && a.revoked.Equal(b.revoked) && a.expires.Equal(b.expires) && a.licence.same(b.licence)
}

// linkCache keeps verify links read with their licences, opened (holder
// code unsealed, face parsed), for the verify page: a QR code is scanned
// again and again, and reading and opening the licence's forty columns
// was most of a page's database time. It is never stale: a kept link is
// used only when linkStampQuery, read at each visit, finds its stamp
// unchanged. Only reads outside a transaction use or fill it (as
// caseCache).
type linkCache = keptMap[cachedLink]

type cachedLink struct {
	stamp linkStamp
	k     tongban.LicenseLink
	l     tongban.License
}

func newLinkCache() *linkCache { return newKeptMap[cachedLink](linkCacheSize) }

// putLink keeps copies of k and l under the stamp they were read with.
func putLink(c *linkCache, st linkStamp, k *tongban.LicenseLink, l *tongban.License) {
	c.put(k.Token, &cachedLink{stamp: st, k: *k, l: copyLicence(l)}, nil)
}

// copyLicence copies l deeply enough that a caller may change what it got.
func copyLicence(l *tongban.License) tongban.License {
	out := *l
	out.Face = maps.Clone(l.Face)
	out.Signature = slices.Clone(l.Signature)
	return out
}

// cachedLinkWithMisses is LicenseLinkWithMisses from the kept link of
// token when its stamp is current; ok is false when there is none or it
// has changed. An unknown token is ENotFound.
func (s *Store) cachedLinkWithMisses(ctx context.Context, token, missKey string, since time.Time) (misses int, k *tongban.LicenseLink, l *tongban.License, ok bool, err error) {
	e := s.links.get(token)
	if e == nil {
		return 0, nil, nil, false, nil
	}
	st, err := s.readLinkStamp(s.q.QueryRowContext(ctx, linkStampQuery, token, missKey, utc(since)), &misses)
	if err != nil {
		return 0, nil, nil, false, notFound(err, "核验码不存在")
	}
	if !st.same(e.stamp) {
		return 0, nil, nil, false, nil
	}
	kc, lc := e.k, copyLicence(&e.l)
	return misses, &kc, &lc, true, nil
}

// readLinkStamp scans linkStampQuery's row, its first column into misses.
func (s *Store) readLinkStamp(row *sql.Row, misses *int) (linkStamp, error) {
	var st linkStamp
	var revoked, expires sql.NullTime
	ldest, done := st.licence.scanTo()
	if err := row.Scan(append([]any{misses, &st.linkID, &revoked, &expires}, ldest...)...); err != nil {
		return st, err
	}
	st.revoked, st.expires = revoked.Time, expires.Time
	done()
	return st, nil
}
