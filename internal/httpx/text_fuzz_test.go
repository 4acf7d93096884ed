package httpx_test

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
)

func clean(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// strings walks a decoded JSON value and reports whether every key and
// string is clean.
func allClean(v any) bool {
	switch v := v.(type) {
	case string:
		return clean(v)
	case []any:
		for _, x := range v {
			if !allClean(x) {
				return false
			}
		}
	case map[string]any:
		for k, x := range v {
			if !clean(k) || !allClean(x) {
				return false
			}
		}
	}
	return true
}

// FuzzJSONText: a JSON document CheckJSON passes and encoding/json decodes
// was valid UTF-8 and holds no NUL anywhere; a refusal is a field error.
func FuzzJSONText(f *testing.F) {
	for _, s := range []string{`{"name":"王五"}`, `{"name":"王\u0000五"}`, "{\"name\":\"\xff\xfe\"}", `{"a":1,"a":2}`,
		`[{"k":["\u0000"]}]`, "{\"\xff\":1}", `"\ud800"`, `{"a":{"b":[1,"x\u0000"]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		err := httpx.CheckJSON(doc)
		if err != nil {
			if e := tongban.AsError(err); e.Code != tongban.EInvalid || e.Field == "" || !clean(e.Field) {
				t.Fatalf("refusal %v is not a field error naming a clean field", err)
			}
			return
		}
		var v any
		if json.Unmarshal(doc, &v) != nil {
			return
		}
		if !utf8.Valid(doc) || !allClean(v) {
			t.Fatalf("passed %q", doc)
		}
	})
}

// FuzzRequestText: a request whose path, query, form and stored headers
// pass CheckRequest and CheckForm carries only clean text.
func FuzzRequestText(f *testing.F) {
	for _, s := range []string{"abc", "%00", "%ff%fe", "a=b&c=%00", "\xff", "王五"} {
		f.Add(s, s, s, s)
	}
	f.Fuzz(func(t *testing.T, segment, query, form, header string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(form))
		r.URL.Path = "/api/v1/items/" + segment
		r.URL.RawQuery = query
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header["Idempotency-Key"] = []string{header}
		err := httpx.CheckRequest(r, "GET /api/v1/items/{code}")
		if err == nil {
			q, _ := url.ParseQuery(query)
			if !clean(r.URL.Path) || !clean(header) || !valuesClean(q) {
				t.Fatalf("passed path %q query %q header %q", segment, query, header)
			}
			if r.ParseForm() == nil {
				if err := httpx.CheckForm(r); err == nil && !valuesClean(r.Form) {
					t.Fatalf("passed form %q", form)
				}
			}
		} else if e := tongban.AsError(err); e.Code != tongban.EInvalid || !clean(e.Field) {
			t.Fatalf("refusal %v", err)
		}
	})
}

func valuesClean(v url.Values) bool {
	for k, vs := range v {
		if !clean(k) {
			return false
		}
		for _, s := range vs {
			if !clean(s) {
				return false
			}
		}
	}
	return true
}
