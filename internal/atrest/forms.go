// Package atrest brings data written before personal data was sealed at
// rest (migration 00018) up to date at start: application forms are sealed
// and uploaded files encrypted and renamed. Every step finds its remaining
// work from the data itself, so it is idempotent and a start interrupted
// half-way simply carries on at the next one.
package atrest

import (
	"context"

	"github.com/tongban/tongban"
)

// formBatch bounds one pass over the cases table.
const formBatch = 500

// SealForms seals every application form still stored in plain JSON and
// returns how many it sealed; on an up-to-date database it costs one query.
func SealForms(ctx context.Context, st tongban.CaseStore) (int, error) {
	total := 0
	for {
		n, err := st.SealPlainForms(ctx, formBatch)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}
