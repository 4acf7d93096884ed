package tongban

import (
	"context"
	"time"
)

// WindowDevice is a window's rating tablet (窗口评价器): it proves itself
// with a token issued in the console, of which only the SHA-256 is kept.
// It rates, through the window_device channel, the window's current
// encounter on behalf of the applicant standing at it; never anything else.
type WindowDevice struct {
	ID        int64     `json:"id"`
	WindowID  int64     `json:"window_id"`
	Label     string    `json:"label"`
	TokenHash string    `json:"-"`
	IssuedBy  int64     `json:"issued_by"`
	IssuedAt  time.Time `json:"issued_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// WindowDeviceStore keeps the windows' rating devices.
type WindowDeviceStore interface {
	CreateWindowDevice(ctx context.Context, d *WindowDevice) error
	// WindowDeviceByToken finds the device whose token hashes to hash,
	// revoked or not; ENotFound if none.
	WindowDeviceByToken(ctx context.Context, hash string) (*WindowDevice, error)
	WindowDevice(ctx context.Context, id int64) (*WindowDevice, error)
	// WindowDevices lists the devices of the windows, newest first.
	WindowDevices(ctx context.Context, windowIDs []int64) ([]*WindowDevice, error)
	// RevokeWindowDevice marks the device revoked at; a revoked one stays so.
	RevokeWindowDevice(ctx context.Context, id int64, at time.Time) error
	// LastVisitAt returns the latest in-person visit event (Visit) received
	// at org since the time given; ENotFound if none.
	LastVisitAt(ctx context.Context, orgID int64, since time.Time) (*CaseEvent, error)
}
