package tongban

import (
	"context"
	"time"
)

// Upload records one file an account uploaded: what the daily quota sums
// and what the janitor looks at when it deletes files nothing uses.
type Upload struct {
	ID        int64
	AccountID int64
	Hash      string
	Size      int64
	At        time.Time
}

// UploadStore keeps the upload records (table uploads, migration 00010).
type UploadStore interface {
	RecordUpload(ctx context.Context, u *Upload) error
	// UploadedBytes sums what account uploaded at or after since.
	UploadedBytes(ctx context.Context, accountID int64, since time.Time) (int64, error)
	// UnsweptUploads returns up to limit records older than before that no
	// sweep has looked at yet, oldest first.
	UnsweptUploads(ctx context.Context, before time.Time, limit int) ([]Upload, error)
	// UploadInUse reports whether a case (updated at or after since), a case
	// event (at or after since) or a material-library entry names hash, or
	// an upload of it is at or after newer (still in its grace period).
	UploadInUse(ctx context.Context, hash string, since, newer time.Time) (bool, error)
	// MarkUploadsSwept records that a sweep looked at these records.
	MarkUploadsSwept(ctx context.Context, ids []int64) error
}
