package tongban

import (
	"context"
	"time"
)

// PasswordReset is a one-time link to set an applicant's password, issued
// at a counter by a clerk who checked the person's ID card. Only the hash
// of its token is stored; it expires and works once.
type PasswordReset struct {
	TokenHash string
	UserID    int64
	IssuedBy  int64
	IssuedAt  time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero until used
}

// AgreementAcceptance records that an account accepted a version of the
// 用户协议 or 隐私政策.
type AgreementAcceptance struct {
	UserID     int64     `json:"user_id"`
	Document   string    `json:"document"` // terms | privacy
	Version    string    `json:"version"`
	AcceptedAt time.Time `json:"accepted_at"`
}

// AccountRecoveryStore keeps reset links and agreement acceptances.
type AccountRecoveryStore interface {
	CreatePasswordReset(ctx context.Context, p *PasswordReset) error
	// PasswordReset returns the link with the token hash; ENotFound if none.
	PasswordReset(ctx context.Context, tokenHash string) (*PasswordReset, error)
	// UsePasswordReset marks the link used, once: EConflict if it was.
	UsePasswordReset(ctx context.Context, tokenHash string, at time.Time) error
	// RevokePasswordResets marks every unused link of the user used.
	RevokePasswordResets(ctx context.Context, userID int64, at time.Time) error
	AcceptAgreement(ctx context.Context, a *AgreementAcceptance) error
	Agreements(ctx context.Context, userID int64) ([]*AgreementAcceptance, error)
}
