package catalog

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban"
)

// sameListing reports whether a saved edit changes nothing of cur: the
// content alike, whatever the version and times, an empty list counting as
// no list (a form sends the one, the database gives the other).
func sameListing(cur, edited tongban.Listing) bool {
	return reflect.DeepEqual(listingContent(cur), listingContent(edited))
}

func listingContent(l tongban.Listing) any {
	l.Version, l.UpdatedAt, l.PublishedAt = 0, time.Time{}, time.Time{}
	b, err := json.Marshal(l)
	if err != nil {
		return nil
	}
	var v any
	if json.Unmarshal(b, &v) != nil {
		return nil
	}
	return pruneZero(v)
}

// pruneZero drops zero values from decoded JSON, so absent and empty agree.
func pruneZero(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e = pruneZero(e); e == nil {
				delete(x, k)
			} else {
				x[k] = e
			}
		}
		if len(x) == 0 {
			return nil
		}
		return x
	case []any:
		for i := range x {
			x[i] = pruneZero(x[i])
		}
		if len(x) == 0 {
			return nil
		}
		return x
	case string:
		if x == "" {
			return nil
		}
	case bool:
		if !x {
			return nil
		}
	case float64:
		if x == 0 {
			return nil
		}
	}
	return v
}

// FieldLabel names a listing field as the edit form and the import layout
// do, for messages: 承诺时限 for promised_days, 申请材料第2项 for
// materials[1].name. A field of no column keeps its name.
func FieldLabel(field string) string {
	key := listingFieldColumn(field)
	if key == "" {
		return field
	}
	label := columnByKey[key].Header
	if i := strings.IndexByte(field, '['); i >= 0 {
		if j := strings.IndexByte(field[i:], ']'); j > 0 {
			if n, err := strconv.Atoi(field[i+1 : i+j]); err == nil {
				label += "第" + strconv.Itoa(n+1) + "项"
			}
		}
	}
	return label
}
