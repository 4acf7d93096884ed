package store

import (
	"context"
	"encoding/json"
	"strings"
)

// Application forms hold family members' names, addresses, phones and ID
// numbers, so they are sealed at rest like the user fields (SM4-GCM with the
// store's sealer). A sealed form is stored as formSealPrefix + ciphertext; a
// form still in plain JSON (written before migration 00018) reads as it is
// until SealPlainForms seals it at the next start.
const formSealPrefix = "sm4:"

// emptyForm is stored plain: "no fields" tells nothing about anyone.
const emptyForm = "{}"

func (s *Store) sealForm(f json.RawMessage) string {
	if len(f) == 0 || string(f) == emptyForm {
		return emptyForm
	}
	return formSealPrefix + s.sealer.Seal(string(f))
}

func (s *Store) openForm(stored string) (json.RawMessage, error) {
	sealed, ok := strings.CutPrefix(stored, formSealPrefix)
	if !ok {
		return json.RawMessage(stored), nil
	}
	plain, err := s.sealer.Open(sealed)
	return json.RawMessage(plain), err
}

// SealPlainForms seals up to limit forms still stored in plain JSON and
// returns how many it found (a row a concurrent write sealed first counts). Each row is rewritten only if it still holds
// the plain text read, so it is safe beside live writes and on several
// servers at once; the version is not bumped, the form's content is unchanged.
func (s *Store) SealPlainForms(ctx context.Context, limit int) (int, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, form FROM cases
		WHERE form NOT LIKE $1 AND form <> $2 ORDER BY id LIMIT $3`, formSealPrefix+"%", emptyForm, limit)
	if err != nil {
		return 0, classify(err)
	}
	type plainForm struct {
		id   int64
		form string
	}
	var batch []plainForm
	for rows.Next() {
		var p plainForm
		if err := rows.Scan(&p.id, &p.form); err != nil {
			rows.Close()
			return 0, classify(err)
		}
		batch = append(batch, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, classify(err)
	}
	for _, p := range batch {
		_, err := s.q.ExecContext(ctx, `UPDATE cases SET form = $1 WHERE id = $2 AND form = $3`,
			s.sealForm(json.RawMessage(p.form)), p.id, p.form)
		if err != nil {
			return 0, classify(err)
		}
	}
	return len(batch), nil
}
