package httpx_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
)

// checkJSONByTokens is CheckJSON as it was before the single-pass scanner:
// a walk over encoding/json's tokens, kept as the reference the scanner is
// fuzzed against (FuzzCheckJSONSameAsTokenWalk) and benchmarked with.
func checkJSONByTokens(doc []byte) error {
	bad := -1
	if !utf8.Valid(doc) {
		bad = oldFirstInvalid(doc)
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	w := oldJSONWalker{dec: dec, bad: bad}
	err := w.value("")
	if e, ok := err.(*tongban.Error); ok {
		return e
	}
	return nil // a syntax error: the decoder reports it
}

type oldJSONWalker struct {
	dec *json.Decoder
	bad int // offset of the first invalid UTF-8 byte, or -1
}

// next reads a token and reports whether it holds the first invalid byte.
func (w *oldJSONWalker) next() (json.Token, bool, error) {
	start := w.dec.InputOffset()
	tok, err := w.dec.Token()
	if err != nil {
		return nil, false, err
	}
	end := w.dec.InputOffset()
	return tok, w.bad >= 0 && int64(w.bad) >= start && int64(w.bad) < end, nil
}

func (w *oldJSONWalker) value(path string) error {
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
			return httpx.CheckText(name, "\xff")
		}
		return httpx.CheckText(name, v)
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
					return httpx.CheckText(name, "\xff")
				}
				if err := httpx.CheckText(name, key); err != nil {
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

func oldFirstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}
