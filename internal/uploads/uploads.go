// Package uploads holds the rules around uploaded materials that the blob
// store does not know: who uploaded what when, a per-account daily quota,
// and deleting files that nothing uses once their grace period is over.
package uploads

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/blob"
)

// Defaults: 500 MB a day per account (a large application is tens of MB),
// and 7 days for an upload to be used by a case or a draft.
const (
	DefaultDailyQuota = 500_000_000
	DefaultGrace      = 7 * 24 * time.Hour
)

// Service stores uploads for accounts.
type Service struct {
	Store      tongban.Store
	Blobs      *blob.Store
	Clock      tongban.Clock
	Log        *slog.Logger
	DailyQuota int64         // bytes per account per China day
	Grace      time.Duration // how long an unused upload is kept
}

var chinaTime = time.FixedZone("CST", 8*3600)

// dayStart is the start of t's day in China, when quotas reset.
func dayStart(t time.Time) time.Time {
	c := t.In(chinaTime)
	return time.Date(c.Year(), c.Month(), c.Day(), 0, 0, 0, 0, chinaTime)
}

// Put stores r for account and records it. An applicant account that has
// uploaded its daily quota is refused with 429 until the next China day (the
// last file accepted may cross the quota by at most one file); staff, who
// upload for the applicants at their window, are recorded but not limited.
func (s *Service) Put(ctx context.Context, account *tongban.User, field string, r io.Reader) (blob.Info, error) {
	now := s.Clock.Now()
	used, err := s.Store.UploadedBytes(ctx, account.ID, dayStart(now))
	if err != nil {
		return blob.Info{}, err
	}
	if used >= s.DailyQuota && account.Kind != tongban.UserStaff { // window clerks scan for every applicant they serve

		return blob.Info{}, &tongban.Error{Code: tongban.ETooManyTries, Field: field,
			Message: "今日上传已达上限（" + megabytes(s.DailyQuota) + "），请明天再上传；如确需更多，请联系窗口工作人员"}
	}
	info, err := s.Blobs.Put(ctx, field, r)
	if err != nil {
		return info, err
	}
	err = s.Store.RecordUpload(ctx, &tongban.Upload{AccountID: account.ID, Hash: info.Hash, Size: info.Size, At: now})
	return info, err
}

func megabytes(n int64) string {
	return strconv.FormatInt(n/1_000_000, 10) + " MB"
}

// sweepBatch bounds one sweep's records.
const sweepBatch = 200

// Sweep deletes files uploaded before the grace period that no case, case
// event or material-library entry names and that nobody uploaded again
// within it, and returns how many files went. Every record it looked at is
// marked so it is not looked at again.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	cutoff := s.Clock.Now().Add(-s.Grace)
	deleted := 0
	for {
		batch, err := s.Store.UnsweptUploads(ctx, cutoff, sweepBatch)
		if err != nil || len(batch) == 0 {
			return deleted, err
		}
		ids := make([]int64, 0, len(batch))
		for _, u := range batch {
			inUse, err := s.Store.UploadInUse(ctx, u.Hash, u.At, cutoff)
			if err != nil {
				return deleted, err
			}
			if !inUse && s.Blobs.Exists(u.Hash) {
				if err := s.Blobs.Delete(u.Hash); err != nil {
					return deleted, err
				}
				deleted++
			}
			ids = append(ids, u.ID)
		}
		if err := s.Store.MarkUploadsSwept(ctx, ids); err != nil {
			return deleted, err
		}
		if len(batch) < sweepBatch {
			return deleted, nil
		}
	}
}
