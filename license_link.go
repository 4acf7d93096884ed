package tongban

import (
	"context"
	"time"
)

// LicenseLinkKind says what a licence link is for.
type LicenseLinkKind string

const (
	// LinkFace is the link in the QR code printed on a licence's face: one
	// per licence, it leads to the public verification page.
	LinkFace LicenseLinkKind = "face"
	// LinkShare is a 加注件: a link the holder makes for one stated purpose,
	// valid until a day they choose, and revocable.
	LinkShare LicenseLinkKind = "share"
)

// LicenseLink is an unguessable way to a licence: {public URL}/v/{token}.
type LicenseLink struct {
	ID         int64           `json:"id"`
	Token      string          `json:"token"` // 128 random bits, base32
	LicenseID  int64           `json:"-"`
	Identifier string          `json:"identifier"` // of the licence, read with the link
	Kind       LicenseLinkKind `json:"kind"`
	Purpose    string          `json:"purpose,omitempty"`   // a share's 用途: 仅供办理…使用
	ExpiresAt  time.Time       `json:"expires_at,omitzero"` // a share's end; zero for the face link
	RevokedAt  time.Time       `json:"revoked_at,omitzero"` // when the holder withdrew a share
	CreatedBy  int64           `json:"-"`
	CreatedAt  time.Time       `json:"created_at"`
}

// Open reports whether the link may still be followed at now.
func (l *LicenseLink) Open(now time.Time) bool {
	return l.RevokedAt.IsZero() && (l.ExpiresAt.IsZero() || now.Before(l.ExpiresAt))
}

// LicenseVisit is one visit of a licence link and what the visitor saw:
// a verdict (valid, revoked…) or why the link was refused.
type LicenseVisit struct {
	ID        int64           `json:"id"`
	LinkID    int64           `json:"link_id"`
	LicenseID int64           `json:"-"`
	Kind      LicenseLinkKind `json:"kind"`
	Outcome   string          `json:"outcome"`
	At        time.Time       `json:"at"`
}

// LicenseConsent is the holder's authorisation of one use of a licence
// for one case (用证授权): which licence and version, which case, the
// stated 用证事由, when, and who recorded it (the holder online, a clerk
// at a window).
type LicenseConsent struct {
	ID         int64     `json:"id"`
	LicenseID  int64     `json:"-"`
	Identifier string    `json:"identifier"`
	Version    int       `json:"version"`
	HolderID   int64     `json:"-"`
	CaseNumber string    `json:"case_number"`
	Reason     string    `json:"reason"`
	GivenBy    int64     `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
}

// LicenseLinkStore keeps licence links, their visits and 用证 consents.
type LicenseLinkStore interface {
	CreateLicenseLink(ctx context.Context, l *LicenseLink) error
	// FaceLink is the licence's face link (ENotFound before one is made).
	FaceLink(ctx context.Context, licenseID int64) (*LicenseLink, error)
	LicenseLinkByToken(ctx context.Context, token string) (*LicenseLink, error)
	// LicenseLinkWithLicense is the link of the token and its licence,
	// read together (ENotFound for an unknown token).
	LicenseLinkWithLicense(ctx context.Context, token string) (*LicenseLink, *License, error)
	// LicenseLinkWithMisses is LicenseLinkWithLicense with the number of
	// failures recorded under missKey after since (the limiter's count),
	// read in the same statement.
	LicenseLinkWithMisses(ctx context.Context, token, missKey string, since time.Time) (int, *LicenseLink, *License, error)
	// ShareLinks lists a licence's share links, newest first.
	ShareLinks(ctx context.Context, licenseID int64) ([]*LicenseLink, error)
	// RevokeShareLink withdraws a share link of the licence; ENotFound if
	// it has none of that id or it was withdrawn already.
	RevokeShareLink(ctx context.Context, licenseID, linkID int64, at time.Time) error
	RecordLicenseVisit(ctx context.Context, v *LicenseVisit) error
	// RecordLicenseVisits stores visits in one statement (a group commit's
	// batch); the rows' ids are not read back.
	RecordLicenseVisits(ctx context.Context, vs []*LicenseVisit) error
	// LicenseVisits lists a licence's link visits, newest first.
	LicenseVisits(ctx context.Context, licenseID int64, limit int) ([]*LicenseVisit, error)
	// CreateLicenseConsent stores c; it refuses a consent whose licence is
	// no longer 有效 (LicenceWithdrawn).
	CreateLicenseConsent(ctx context.Context, c *LicenseConsent) error
	// LicenseConsents lists a licence's consents, newest first.
	LicenseConsents(ctx context.Context, licenseID int64) ([]*LicenseConsent, error)
}
