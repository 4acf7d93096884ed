package httpx

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/jsontext"
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
//
// It reads every request body, so it is one pass over the bytes that
// allocates nothing for a clean document of ordinary shape: the place is a
// stack of keys (as ranges of doc) and indexes, spelt out only for a
// refusal; the keys of an object are compared with its earlier keys, not
// put in a map, until it has more than jsonFewKeys of them. The first
// problem in the document's order is the one refused: for a string, bad
// UTF-8 before NUL; for a key, bad UTF-8, then NUL, then a repeat. Keys are
// compared as encoding/json decodes them ("a" repeats "\u0061"; an unpaired
// surrogate escape is U+FFFD, valid text).
func CheckJSON(doc []byte) error {
	var (
		frameBuf [16]jsonFrame
		keyBuf   [64]jsonKey
		arenaBuf [128]byte
	)
	frames := frameBuf[:0] // the objects and arrays open around i
	keys := keyBuf[:0]     // the keys read so far of the open objects
	arena := arenaBuf[:0]  // those keys with escapes, decoded
	const (
		wantValue = iota
		wantKey   // after '{' or an object's ','
		afterValue
	)
	state := wantValue
	for i := 0; ; {
		for i < len(doc) && jsonSpace(doc[i]) {
			i++
		}
		if i >= len(doc) {
			return nil
		}
		c := doc[i]
		switch state {
		case wantValue:
			switch {
			case c == '{' || c == '[':
				if len(frames) == jsonMaxDepth {
					return nil // encoding/json refuses it
				}
				frames = append(frames, jsonFrame{object: c == '{', keys: len(keys), arena: len(arena)})
				i++
				for i < len(doc) && jsonSpace(doc[i]) {
					i++
				}
				if i < len(doc) && doc[i] == c+2 { // '}' or ']'
					i++
					frames = frames[:len(frames)-1]
					state = afterValue
				} else if c == '{' {
					state = wantKey
				}
			case c == '"':
				end, st := scanJSONString(doc, i+1)
				switch {
				case end < 0:
					return nil
				case st&jsonBadUTF8 != 0:
					return CheckText(jsonName(doc, arena, frames), "\xff")
				case st&jsonNUL != 0:
					return CheckText(jsonName(doc, arena, frames), "\x00")
				}
				i, state = end, afterValue
			case c == '-' || '0' <= c && c <= '9':
				if i, _ = jsontext.Number(doc, i); i < 0 {
					return nil
				}
				state = afterValue
			case c == 't' && hasJSONWord(doc[i:], "true"),
				c == 'n' && hasJSONWord(doc[i:], "null"):
				i, state = i+4, afterValue
			case c == 'f' && hasJSONWord(doc[i:], "false"):
				i, state = i+5, afterValue
			default:
				return nil
			}
		case wantKey:
			if c != '"' {
				return nil
			}
			end, st := scanJSONString(doc, i+1)
			if end < 0 {
				return nil
			}
			f := &frames[len(frames)-1]
			// A bad key is named by where it stands, never echoed.
			switch {
			case st&jsonBadUTF8 != 0:
				return CheckText(jsonName(doc, arena, frames[:len(frames)-1]), "\xff")
			case st&jsonNUL != 0:
				return CheckText(jsonName(doc, arena, frames[:len(frames)-1]), "\x00")
			}
			key := jsonKey{start: i + 1, end: end - 1}
			if st&jsonEscaped != 0 {
				n := len(arena)
				arena = jsontext.AppendUnquoted(arena, doc[key.start:key.end])
				key = jsonKey{start: n, end: len(arena), decoded: true}
			}
			f.key = key
			k := key.text(doc, arena)
			dup := false
			if f.many != nil {
				_, dup = f.many[string(k)]
				f.many[string(k)] = struct{}{}
			} else {
				for _, earlier := range keys[f.keys:] {
					if bytes.Equal(earlier.text(doc, arena), k) {
						dup = true
						break
					}
				}
				if len(keys)-f.keys < jsonFewKeys {
					keys = append(keys, key)
				} else {
					f.many = make(map[string]struct{}, 2*jsonFewKeys)
					for _, earlier := range keys[f.keys:] {
						f.many[string(earlier.text(doc, arena))] = struct{}{}
					}
					f.many[string(k)] = struct{}{}
					keys = keys[:f.keys]
				}
			}
			if dup {
				name := jsonName(doc, arena, frames[:len(frames)-1])
				if len(k) > 0 {
					name = jsonName(doc, arena, frames)
				}
				return tongban.FieldError(name, "字段“%s”重复出现", string(k))
			}
			for i = end; i < len(doc) && jsonSpace(doc[i]); i++ {
			}
			if i >= len(doc) || doc[i] != ':' {
				return nil
			}
			i, state = i+1, wantValue
		case afterValue:
			if len(frames) == 0 {
				return nil // the document's value is read; the decoder refuses what follows
			}
			f := &frames[len(frames)-1]
			switch {
			case c == ',' && f.object:
				i, state = i+1, wantKey
			case c == ',':
				f.index++
				i, state = i+1, wantValue
			case c == '}' && f.object, c == ']' && !f.object:
				keys, arena = keys[:f.keys], arena[:f.arena]
				frames = frames[:len(frames)-1]
				i++
			default:
				return nil
			}
		}
	}
}

const (
	// jsonFewKeys is how many keys an object has before CheckJSON puts
	// them in a map rather than comparing each new one with them all.
	jsonFewKeys = 16
	// jsonMaxDepth is the deepest nesting encoding/json decodes.
	jsonMaxDepth = 10000
)

// A jsonFrame is an object or an array open around the place CheckJSON reads.
type jsonFrame struct {
	object bool
	index  int     // an array's element being read
	key    jsonKey // an object's key being read
	keys   int     // where an object's keys begin in keys
	arena  int     // the length of arena when the object opened
	many   map[string]struct{}
}

// A jsonKey is a key as decoded: a range of doc (a key without escapes) or
// of arena.
type jsonKey struct {
	start, end int
	decoded    bool
}

func (k jsonKey) text(doc, arena []byte) []byte {
	if k.decoded {
		return arena[k.start:k.end]
	}
	return doc[k.start:k.end]
}

// jsonName spells the place the frames lead to, as the refusal names it.
func jsonName(doc, arena []byte, frames []jsonFrame) string {
	var b []byte
	for _, f := range frames {
		if f.object {
			if len(b) > 0 {
				b = append(b, '.')
			}
			b = append(b, f.key.text(doc, arena)...)
		} else {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(f.index), 10)
			b = append(b, ']')
		}
	}
	if len(b) == 0 {
		return "body"
	}
	return string(b)
}

func jsonSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

func hasJSONWord(b []byte, word string) bool {
	return len(b) >= len(word) && string(b[:len(word)]) == word
}

// What scanJSONString found in a string.
const (
	jsonEscaped = 1 << iota
	jsonNUL     // a \u0000 escape
	jsonBadUTF8 // a byte that is not UTF-8
)

// jsonPlain marks the bytes that stand for themselves in a JSON string.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// scanJSONString reads the string whose text begins at doc[i] and returns
// the offset after its closing quote, or -1 if it is not a JSON string, and
// what it holds.
func scanJSONString(doc []byte, i int) (int, uint8) {
	var st uint8
	for {
		for i < len(doc) && jsonPlain[doc[i]] {
			i++
		}
		if i >= len(doc) {
			return -1, 0
		}
		switch c := doc[i]; {
		case c == '"':
			return i + 1, st
		case c == '\\':
			st |= jsonEscaped
			if i+1 >= len(doc) {
				return -1, 0
			}
			switch doc[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				r := jsontext.Hex4(doc[i+2:])
				if r < 0 {
					return -1, 0
				}
				if r == 0 {
					st |= jsonNUL
				}
				i += 6
			default:
				return -1, 0
			}
		case c < 0x20:
			return -1, 0 // a control character
		default:
			r, size := utf8.DecodeRune(doc[i:])
			if r == utf8.RuneError && size == 1 {
				st |= jsonBadUTF8
			}
			i += size
		}
	}
}
