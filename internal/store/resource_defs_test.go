package store

import (
	"reflect"
	"testing"

	"github.com/tongban/tongban"
)

// TestResourceDefsDecodedOnceAndCopied: a remembered definition decodes as
// encoding/json does, nil and empty kept apart, and no caller's change
// reaches another's copy.
func TestResourceDefsDecodedOnceAndCopied(t *testing.T) {
	const fields = `[{"key":"name","name":"姓名","required":true,"personal":true},{"key":"address","name":"住址"}]`
	want := []tongban.ResourceField{{Key: "name", Name: "姓名", Required: true, Personal: true}, {Key: "address", Name: "住址"}}
	for i := 0; i < 2; i++ { // decoded, then remembered
		var r tongban.DataResource
		if !decodeResourceDef(&r, fields, `["身份证"]`) {
			t.Fatalf("round %d: refused", i)
		}
		if !reflect.DeepEqual(r.Fields, want) || !reflect.DeepEqual(r.Standards, []string{"身份证"}) {
			t.Fatalf("round %d: %+v %q", i, r.Fields, r.Standards)
		}
		r.Fields[0].Name, r.Standards[0] = "changed", "changed"
		r.Fields = append(r.Fields[:1], tongban.ResourceField{Key: "appended"})
	}

	var r tongban.DataResource
	for i := 0; i < 2; i++ {
		if !decodeResourceDef(&r, `[]`, `null`) || r.Fields == nil || len(r.Fields) != 0 || r.Standards != nil {
			t.Fatalf("round %d: [] and null gave %#v and %#v", i, r.Fields, r.Standards)
		}
	}
	for _, bad := range [][2]string{{`[{"key":`, `[]`}, {`[]`, `{"a":1}`}} {
		if decodeResourceDef(&r, bad[0], bad[1]) {
			t.Errorf("%q, %q accepted", bad[0], bad[1])
		}
	}
}
