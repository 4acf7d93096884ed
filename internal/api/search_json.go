package api

import (
	"strconv"

	"github.com/tongban/tongban/internal/jsontext"
)

// A search's answer is encoded by hand, as a case's view is: under
// searches with no query repeated, encoding/json's reflection over the
// hits was 5 % of a server's CPU. The output is byte for byte what
// writeJSON writes; search_json_test.go holds it to that against
// encoding/json and fails when a field is added to searchHit.

// appendSearchResult appends r as writeJSON encodes it, or reports false
// for a score encoding/json refuses (NaN, ±Inf), left to it to report.
func appendSearchResult(dst []byte, r *searchResult) ([]byte, bool) {
	dst = append(dst, `{"total":`...)
	dst = strconv.AppendInt(dst, int64(r.Total), 10)
	if r.Hits == nil {
		return append(dst, ",\"hits\":null}\n"...), true
	}
	dst = append(dst, `,"hits":[`...)
	ok := true
	for i := range r.Hits {
		h := &r.Hits[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"listing_id":`...)
		dst = strconv.AppendInt(dst, h.ListingID, 10)
		dst = appendKeyString(dst, `,"listing_name":`, h.ListingName)
		dst = appendKeyString(dst, `,"item_name":`, h.ItemName)
		dst = append(dst, `,"org_id":`...)
		dst = strconv.AppendInt(dst, h.OrgID, 10)
		dst = appendKeyString(dst, `,"org_name":`, h.OrgName)
		dst = appendKeyString(dst, `,"region_code":`, h.RegionCode)
		dst = appendKeyString(dst, `,"snippet":`, h.Snippet)
		dst = append(dst, `,"score":`...)
		if dst, ok = jsontext.AppendFloat(dst, h.Score); !ok {
			return dst, false
		}
		dst = append(dst, '}')
	}
	return append(dst, "]}\n"...), true
}
