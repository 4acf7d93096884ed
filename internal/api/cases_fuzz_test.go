package api

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// FuzzDecodeApplication: decoding and checking a submission body never
// panics, and a body it accepts re-encodes to one that decodes to the same
// value (the form is kept compacted, so nothing is lost or reinterpreted).
func FuzzDecodeApplication(f *testing.F) {
	seeds := []string{
		`{"listing_id": 1}`,
		`{"listing_id": 7, "channel": "online", "form": {"经营者名称": "张三小吃店", "项目": ["热食", {"a": 1.50}]},
		  "materials": [{"key": "m1", "blob_hash": "sha256:` + strings.Repeat("ab", 32) + `"}, {"key": "m2", "status": "e_license"}],
		  "delivery": "express"}`,
		`{"listing_id": 3, "applicant_id_number": "511602199003071232", "channel": "counter"}`,
		`{"listing_id": 3, "applicant_credit_code": "91511602MA6AB1C2DE", "commitment": true,
		  "materials": [{"key": "m10", "status": "commitment"}]}`,
		`{"listing_id": 1, "form": {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {}}}}}}}}}}`,
		`{"listing_id": 1, "form": {"x": "<&>\u2028", "y": null, "z": [true, false, -0, 1e999]}}`,
		`{"listing_id": 1, "form": "not an object"}`,
		`{"listing_id": 1, "form": {"k": "\u0000"}}`,
		`{"listing_id": -1}`,
		`{"listing_id": 1, "materials": [{"key": " m1 ", "blob_hash": " sha256:00 "}]}`,
		`{"listing_id": 1} trailing`,
		`[]`,
		``,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := decodeBody(body)
		if err != nil {
			return
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(in); err != nil {
			t.Fatalf("accepted %q but cannot encode it: %v", body, err)
		}
		again, err := decodeBody(b.Bytes())
		if err != nil {
			t.Fatalf("accepted %q, re-encoded as %s, refused: %v", body, b.Bytes(), err)
		}
		if !reflect.DeepEqual(in, again) {
			t.Fatalf("accepted %q as %+v; re-encoded %s decodes as %+v", body, in, b.Bytes(), again)
		}
	})
}

func decodeBody(body []byte) (applicationInput, error) {
	r := httptest.NewRequest("POST", "/api/v1/cases", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return decodeApplication(httptest.NewRecorder(), r)
}
