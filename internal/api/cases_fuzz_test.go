package api

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
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

// FuzzDecodeText: decode, the one JSON door of the API, never hands a
// handler a string with NUL or invalid UTF-8, at any depth.
func FuzzDecodeText(f *testing.F) {
	for _, s := range []string{`{"name":"王五","tags":["a"],"sub":{"note":"x"}}`, `{"name":"\u0000"}`,
		"{\"tags\":[\"\xff\"]}", `{"sub":{"note":"a\u0000"}}`, `{"name":"a","name":"b"}`} {
		f.Add([]byte(s))
	}
	type sub struct {
		Note string `json:"note"`
	}
	type input struct {
		Name string            `json:"name"`
		Tags []string          `json:"tags"`
		Sub  *sub              `json:"sub"`
		More map[string]string `json:"more"`
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/x", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var in input
		if decode(httptest.NewRecorder(), r, &in) != nil {
			return
		}
		texts := append([]string{in.Name}, in.Tags...)
		if in.Sub != nil {
			texts = append(texts, in.Sub.Note)
		}
		for k, v := range in.More {
			texts = append(texts, k, v)
		}
		for _, s := range texts {
			if strings.ContainsRune(s, 0) || !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) && !bytes.Contains(body, []byte(s)) && !bytes.Contains(body, []byte(`\ufffd`)) && !bytes.Contains(body, []byte(`\uFFFD`)) {
				t.Fatalf("decoded %q from %q", s, body)
			}
		}
	})
}
