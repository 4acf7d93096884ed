package httpx

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tongban/tongban"
)

// Text reaches Tongban through many doors: JSON bodies, forms, the query,
// path values and a few headers that are stored. Each door checks once, at
// the edge, that the text is valid UTF-8 without NUL characters: PostgreSQL
// refuses both (an error that used to become a 500), SQLite stores them,
// and neither is anything a person types. The refusal is a 400 naming the
// field, the same on both engines.

// CheckText refuses s if it holds a NUL or is not valid UTF-8.
func CheckText(field, s string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return tongban.FieldError(field, "%s不能包含空字符", fieldLabel(field))
	}
	if !utf8.ValidString(s) {
		return tongban.FieldError(field, "%s含有无效的字符编码（应为 UTF-8）", fieldLabel(field))
	}
	return nil
}

func fieldLabel(field string) string {
	if field == "" {
		return "内容"
	}
	return "“" + field + "”"
}

// CheckValues checks the names and values of a query or form.
func CheckValues(v url.Values) error {
	for name, values := range v {
		if err := CheckText("query", name); err != nil {
			return err
		}
		for _, s := range values {
			if err := CheckText(name, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// CheckForm checks a form that has been parsed (by the CSRF check or the
// handler): its fields, multipart text fields and uploaded file names.
func CheckForm(r *http.Request) error {
	if err := CheckValues(r.Form); err != nil {
		return err
	}
	if r.MultipartForm == nil {
		return nil
	}
	if err := CheckValues(r.MultipartForm.Value); err != nil {
		return err
	}
	for name, files := range r.MultipartForm.File {
		for _, f := range files {
			if err := CheckText(name, f.Filename); err != nil {
				return err
			}
		}
	}
	return nil
}

// TextHeaders are the request headers whose values are stored or echoed.
var TextHeaders = []string{"Idempotency-Key", "If-Match"}

// CheckRequest checks what every request carries before any handler reads
// it: the path (naming the wildcard of pattern that holds the bad segment),
// the query and TextHeaders.
func CheckRequest(r *http.Request, pattern string) error {
	if err := CheckText("path", r.URL.Path); err != nil {
		return tongban.FieldError(pathField(r.URL.Path, pattern), "%s", strings.Replace(tongban.AsError(err).Message, "“path”", "路径", 1))
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return tongban.FieldError("query", "查询参数格式错误")
	}
	if err := CheckValues(query); err != nil {
		return err
	}
	for _, h := range TextHeaders {
		for _, v := range r.Header.Values(h) {
			if err := CheckText(h, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// pathField names the wildcard of pattern ("GET /api/v1/items/{code}") that
// matched the first bad segment of path, or "path".
func pathField(path, pattern string) string {
	if _, p, ok := strings.Cut(pattern, " "); ok {
		pattern = p
	}
	got, want := strings.Split(path, "/"), strings.Split(pattern, "/")
	for i, seg := range got {
		if CheckText("", seg) == nil {
			continue
		}
		if i >= len(want) {
			if n := len(want) - 1; n >= 0 && strings.HasSuffix(want[n], "...}") {
				return strings.TrimSuffix(strings.TrimPrefix(want[n], "{"), "...}")
			}
			return "path"
		}
		w := want[i]
		if strings.HasPrefix(w, "{") && strings.HasSuffix(w, "}") {
			return strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(w, "{"), "}"), "...")
		}
		return "path"
	}
	return "path"
}

// CleanInput refuses a request whose path, query or stored headers hold NUL
// or invalid UTF-8, before routing. pattern names the route a request would
// take, to name the path wildcard at fault; onError writes the refusal.
func CleanInput(pattern func(*http.Request) string, onError func(http.ResponseWriter, *http.Request, error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// The route is looked up only for a refusal, to name its
			// wildcard: routing every clean request twice costs them all.
			if err := CheckRequest(r, ""); err != nil {
				onError(w, r, CheckRequest(r, pattern(r)))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// CheckJSON walks a JSON document and refuses, naming the place
// ("materials[1].name"), a string or key with NUL or invalid UTF-8, and an
// object that repeats a key (two decoders could read different values from
// it: encoding/json keeps the last, others the first). A document that is
// not JSON passes: the decoder that follows says what is wrong with it.
func CheckJSON(doc []byte) error {
	bad := -1
	if !utf8.Valid(doc) {
		bad = firstInvalid(doc)
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	w := jsonWalker{dec: dec, bad: bad}
	err := w.value("")
	if e, ok := err.(*tongban.Error); ok {
		return e
	}
	return nil // a syntax error: the decoder reports it
}

type jsonWalker struct {
	dec *json.Decoder
	bad int // offset of the first invalid UTF-8 byte, or -1
}

// next reads a token and reports whether it holds the first invalid byte.
func (w *jsonWalker) next() (json.Token, bool, error) {
	start := w.dec.InputOffset()
	tok, err := w.dec.Token()
	if err != nil {
		return nil, false, err
	}
	end := w.dec.InputOffset()
	return tok, w.bad >= 0 && int64(w.bad) >= start && int64(w.bad) < end, nil
}

func (w *jsonWalker) value(path string) error {
	tok, invalid, err := w.next()
	if err != nil {
		return err
	}
	name := path
	if name == "" {
		name = "body"
	}
	switch v := tok.(type) {
	case string:
		if invalid {
			return CheckText(name, "\xff")
		}
		return CheckText(name, v)
	case json.Delim:
		switch v {
		case '{':
			seen := map[string]bool{}
			for w.dec.More() {
				k, invalid, err := w.next()
				if err != nil {
					return err
				}
				key, _ := k.(string)
				sub := key
				if path != "" {
					sub = path + "." + key
				}
				// A bad key is named by where it stands, never echoed.
				if invalid {
					return CheckText(name, "\xff")
				}
				if err := CheckText(name, key); err != nil {
					return err
				}
				if seen[key] {
					dup := sub
					if key == "" {
						dup = name
					}
					return tongban.FieldError(dup, "字段“%s”重复出现", key)
				}
				seen[key] = true
				if err := w.value(sub); err != nil {
					return err
				}
			}
		case '[':
			for i := 0; w.dec.More(); i++ {
				if err := w.value(path + "[" + strconv.Itoa(i) + "]"); err != nil {
					return err
				}
			}
		}
		_, _, err := w.next() // the closing delimiter
		return err
	}
	return nil
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}
