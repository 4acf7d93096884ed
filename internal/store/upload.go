package store

import (
	"context"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

func (s *Store) RecordUpload(ctx context.Context, u *tongban.Upload) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO uploads (account_id, hash, size, at) VALUES ($1, $2, $3, $4)`,
		u.AccountID, u.Hash, u.Size, utc(u.At))
	return classify(err)
}

func (s *Store) UploadedBytes(ctx context.Context, accountID int64, since time.Time) (int64, error) {
	var n int64
	err := s.q.QueryRowContext(ctx, `SELECT COALESCE(SUM(size), 0) FROM uploads WHERE account_id = $1 AND at >= $2`,
		accountID, utc(since)).Scan(&n)
	return n, classify(err)
}

func (s *Store) UnsweptUploads(ctx context.Context, before time.Time, limit int) ([]tongban.Upload, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, account_id, hash, size, at FROM uploads
		WHERE NOT swept AND at < $1 ORDER BY at, id LIMIT $2`, utc(before), limit)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []tongban.Upload
	for rows.Next() {
		var u tongban.Upload
		if err := rows.Scan(&u.ID, &u.AccountID, &u.Hash, &u.Size, &u.At); err != nil {
			return nil, classify(err)
		}
		out = append(out, u)
	}
	return out, classify(rows.Err())
}

// UploadInUse looks for the hash in materials JSON by text: a 64-digit hash
// cannot occur there by chance, and only rows written since the upload can
// name it.
func (s *Store) UploadInUse(ctx context.Context, hash string, since, newer time.Time) (bool, error) {
	like := `%"` + hash + `"%`
	var one int
	err := s.q.QueryRowContext(ctx, `SELECT 1 FROM uploads WHERE hash = $1 AND at >= $2
		UNION ALL SELECT 1 FROM library_entries WHERE blob_hash = $1
		UNION ALL SELECT 1 FROM cases WHERE updated_at >= $3 AND materials LIKE $4
		UNION ALL SELECT 1 FROM case_events WHERE at >= $3 AND materials LIKE $4
		LIMIT 1`, hash, utc(newer), utc(since), like).Scan(&one)
	if err == nil {
		return true, nil
	}
	if sqldb.IsNoRows(err) {
		return false, nil
	}
	return false, classify(err)
}

func (s *Store) MarkUploadsSwept(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	_, err := s.q.ExecContext(ctx, `UPDATE uploads SET swept = TRUE WHERE id IN `+placeholders(1, len(ids)), args...)
	return classify(err)
}
