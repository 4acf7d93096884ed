package store

import (
	"strings"

	"github.com/tongban/tongban"
)

// scope adds an OrgScope condition: a row matches when its org_id is
// listed or its region_code lies in one of the regions or below. Nothing
// is added when both are empty.
func (w *where) scope(orgIDs []int64, regions []string) {
	if len(orgIDs) == 0 && len(regions) == 0 {
		return
	}
	var any []string
	for _, id := range orgIDs {
		any = append(any, "org_id = "+w.arg(id))
	}
	for _, code := range regions {
		any = append(any, "region_code LIKE "+w.arg(tongban.RegionPrefix(code)+"%"))
	}
	w.conds = append(w.conds, "("+strings.Join(any, " OR ")+")")
}

// in adds "col IN (…)" for a non-empty list of values.
func in[T ~string](w *where, col string, vals []T) {
	if len(vals) == 0 {
		return
	}
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = w.arg(string(v))
	}
	w.conds = append(w.conds, col+" IN ("+strings.Join(ph, ", ")+")")
}

// limitOf clamps a listing's limit to (0, 500].
func limitOf(n int) int {
	if n <= 0 || n > 500 {
		return 500
	}
	return n
}
