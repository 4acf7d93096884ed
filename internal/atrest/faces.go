package atrest

import (
	"context"

	"github.com/tongban/tongban"
)

// faceBatch bounds one pass over the licences table.
const faceBatch = 500

// SealFaces seals the 公民身份号码 items of licence faces stored in the
// clear before migration 00026 and returns how many faces it sealed. The
// rows left to look at are marked (migration 00031) and each pass clears
// the marks of its batch, so it is idempotent, and a start interrupted
// half-way carries on at the next one; on an up-to-date database it costs
// one index lookup.
func SealFaces(ctx context.Context, st tongban.LicenseStore) (int, error) {
	total := 0
	for {
		found, sealed, err := st.SealPlainFaces(ctx, faceBatch)
		total += sealed
		if err != nil || found == 0 {
			return total, err
		}
	}
}
