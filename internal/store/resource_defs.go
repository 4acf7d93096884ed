package store

import (
	"encoding/json"
	"sync"

	"github.com/tongban/tongban"
)

// maxResourceDefs bounds the decoded definitions kept: the catalogue's
// resources are some hundreds; past the bound the memory starts over.
const maxResourceDefs = 1024

// resourceDefText is a resource's two JSON columns as stored.
type resourceDefText struct{ fields, standards string }

// resourceDef is what they decode to.
type resourceDef struct {
	fields    []tongban.ResourceField
	standards []string
}

// resourceDefs remembers decoded resource definitions by their stored
// text. Every claim of shared data reads its resource, and decoding the
// two columns with encoding/json was about 1 % of a by-reference
// submission's CPU. Keyed by the text itself, an entry is never stale.
var resourceDefs = struct {
	mu sync.RWMutex
	m  map[resourceDefText]resourceDef
}{m: map[resourceDefText]resourceDef{}}

// decodeResourceDef sets r's Fields and Standards from their stored text,
// each a copy of its own (callers may change theirs); false when the text
// is not what SaveDataResource writes.
func decodeResourceDef(r *tongban.DataResource, fields, standards string) bool {
	key := resourceDefText{fields, standards}
	resourceDefs.mu.RLock()
	d, ok := resourceDefs.m[key]
	resourceDefs.mu.RUnlock()
	if !ok {
		if json.Unmarshal([]byte(fields), &d.fields) != nil || json.Unmarshal([]byte(standards), &d.standards) != nil {
			return false
		}
		resourceDefs.mu.Lock()
		if len(resourceDefs.m) >= maxResourceDefs {
			clear(resourceDefs.m)
		}
		resourceDefs.m[key] = d
		resourceDefs.mu.Unlock()
	}
	r.Fields, r.Standards = cloneNil(d.fields), cloneNil(d.standards)
	return true
}

// cloneNil copies s, keeping nil nil and empty empty, as decoding gives
// them ("null" and "[]").
func cloneNil[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}
