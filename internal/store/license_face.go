package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/tongban/tongban"
)

// sealFace splits a licence's face for storage: an item whose value is a
// 公民身份号码 is personal data, so it goes sealed into face_sealed (a
// sealed JSON object by printed name) and licenses.face keeps it masked;
// every other item stays in the clear in licenses.face.
func (s *Store) sealFace(face map[string]string) (clear, sealed string, err error) {
	shown := make(map[string]string, len(face))
	hidden := map[string]string{}
	for name, v := range face {
		if id, err := tongban.ParseIDNumber(v); err == nil {
			hidden[name], shown[name] = v, id.Masked()
			continue
		}
		shown[name] = v
	}
	if len(hidden) > 0 {
		raw, err := json.Marshal(hidden)
		if err != nil {
			return "", "", err
		}
		sealed = s.sealer.Seal(string(raw))
	}
	return jsonText(shown), sealed, nil
}

// openFace is the face as the licence states it: the clear items with the
// sealed ones put back.
func (s *Store) openFace(clear, sealed string) (map[string]string, error) {
	var face map[string]string
	if err := json.Unmarshal([]byte(clear), &face); err != nil {
		return nil, err
	}
	if sealed == "" {
		return face, nil
	}
	raw, err := s.sealer.Open(sealed)
	if err != nil {
		return nil, err
	}
	var hidden map[string]string
	if err := json.Unmarshal([]byte(raw), &hidden); err != nil {
		return nil, fmt.Errorf("sealed face: %w", err)
	}
	if face == nil {
		face = map[string]string{}
	}
	for name, v := range hidden {
		face[name] = v
	}
	return face, nil
}

// SealPlainFaces seals, in up to limit licences marked face_unchecked
// (stored before migration 00026, see 00031), the face items that hold a
// 公民身份号码, and clears the mark; it returns how many rows it found and
// how many had such items. Each row is rewritten only if it still holds
// the face read and is still marked (compare-and-set), so it is safe
// beside live writes and on several servers at once; the licence's content
// and signature are unchanged (the face reads back whole).
func (s *Store) SealPlainFaces(ctx context.Context, limit int) (found, sealed int, err error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, face FROM licenses WHERE face_unchecked AND face_sealed = '' ORDER BY id LIMIT $1`, limit)
	if err != nil {
		return 0, 0, classify(err)
	}
	type plainFace struct {
		id   int64
		face string
	}
	var batch []plainFace
	for rows.Next() {
		var p plainFace
		if err := rows.Scan(&p.id, &p.face); err != nil {
			rows.Close()
			return 0, 0, classify(err)
		}
		batch = append(batch, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, classify(err)
	}
	for _, p := range batch {
		face, err := s.openFace(p.face, "")
		if err != nil {
			return found, sealed, fmt.Errorf("licence %d: %w", p.id, err)
		}
		clear, hidden, err := s.sealFace(face)
		if err != nil {
			return found, sealed, err
		}
		if hidden == "" {
			clear = p.face // nothing personal: the row stays as it is
		}
		res, err := s.q.ExecContext(ctx, `UPDATE licenses SET face = $1, face_sealed = $2, face_unchecked = FALSE
			WHERE id = $3 AND face = $4 AND face_sealed = '' AND face_unchecked`, clear, hidden, p.id, p.face)
		if err != nil {
			return found, sealed, classify(err)
		}
		found++
		if n, _ := res.RowsAffected(); n > 0 && hidden != "" {
			sealed++
		}
	}
	return found, sealed, nil
}
