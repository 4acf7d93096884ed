package api

import (
	"bytes"
	"encoding/json"

	"github.com/tongban/tongban/internal/jsontext"
)

// appendRawJSON writes a json.RawMessage (a case's form) as encoding/json
// does: nil as null, anything else compacted, and false for what is not
// valid JSON (encoding/json fails there). A stored form was compacted on
// its way in (workflow.CompactForm), so it is checked and copied as it is,
// four times or more cheaper than json.Compact (BenchmarkCaseViewJSON);
// anything else goes to json.Compact.
func appendRawJSON(dst []byte, m json.RawMessage) ([]byte, bool) {
	if m == nil {
		return append(dst, "null"...), true
	}
	if compactJSON(m) {
		return append(dst, m...), true
	}
	buf := bytes.NewBuffer(dst)
	if err := json.Compact(buf, m); err != nil {
		return dst, false
	}
	return buf.Bytes(), true
}

// compactMaxDepth bounds the nesting compactJSON follows; a deeper value
// is left to json.Compact (whose own bound is 10000).
const compactMaxDepth = 128

// compactJSON reports whether b is one valid JSON value, as encoding/json's
// scanner reads it, with no whitespace at all outside its strings: then
// json.Compact would copy it unchanged. False may also mean "not sure"
// (nesting deeper than compactMaxDepth).
func compactJSON(b []byte) bool {
	var inObject [compactMaxDepth]bool // what each open container is
	depth := 0
	i := 0
	for {
		// A value at b[i].
		if i >= len(b) {
			return false
		}
		switch c := b[i]; {
		case c == '{' || c == '[':
			if depth == compactMaxDepth {
				return false
			}
			inObject[depth] = c == '{'
			depth++
			i++
			if i < len(b) && (b[i] == '}' || b[i] == ']') {
				if (b[i] == '}') != (c == '{') {
					return false
				}
				depth--
				i++
				break
			}
			if c == '{' {
				if i = compactKey(b, i); i < 0 {
					return false
				}
			}
			continue
		case c == '"':
			if i = compactString(b, i+1); i < 0 {
				return false
			}
		case c == '-' || '0' <= c && c <= '9':
			if i, _ = jsontext.Number(b, i); i < 0 {
				return false
			}
		case c == 't' && bytes.HasPrefix(b[i:], []byte("true")), c == 'n' && bytes.HasPrefix(b[i:], []byte("null")):
			i += 4
		case c == 'f' && bytes.HasPrefix(b[i:], []byte("false")):
			i += 5
		default:
			return false
		}
		// After a value: close containers, or go on to the next value.
		for {
			if depth == 0 {
				return i == len(b)
			}
			if i >= len(b) {
				return false
			}
			obj := inObject[depth-1]
			switch b[i] {
			case ',':
				i++
				if obj {
					if i = compactKey(b, i); i < 0 {
						return false
					}
				}
			case '}', ']':
				if (b[i] == '}') != obj {
					return false
				}
				depth--
				i++
				continue
			default:
				return false
			}
			break
		}
	}
}

// compactKey reads `"key":` at b[i] and returns the offset after the
// colon, or -1.
func compactKey(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	if i = compactString(b, i+1); i < 0 || i >= len(b) || b[i] != ':' {
		return -1
	}
	return i + 1
}

// compactString reads a string whose text begins at b[i] and returns the
// offset after its closing quote, or -1. As encoding/json's scanner, it
// takes any byte from 0x20 (UTF-8 or not) but '"' and '\\'.
func compactString(b []byte, i int) int {
	for i < len(b) {
		for i < len(b) && jsonPlain[b[i]] {
			i++
		}
		if i >= len(b) {
			break
		}
		switch c := b[i]; {
		case c == '"':
			return i + 1
		case c == '\\':
			if i+1 >= len(b) {
				return -1
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) {
					return -1
				}
				for _, h := range b[i+2 : i+6] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return -1
					}
				}
				i += 6
			default:
				return -1
			}
		default:
			return -1 // a control character
		}
	}
	return -1
}

// jsonPlain marks the bytes that stand for themselves in a JSON string.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()
