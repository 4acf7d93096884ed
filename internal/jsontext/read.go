package jsontext

import (
	"strconv"
	"unicode/utf8"
)

// Reader reads, value by value and without reflection, JSON as
// encoding/json's Marshal writes it: no space between tokens, an integer
// with no fraction or exponent. The store decodes a few JSON columns on
// every case read (a case's materials, an event's facts), where
// encoding/json's reflection and its separate validating pass showed in
// profiles. A Reader accepts only that narrow form and reports false for
// anything else (space, null, a key its caller does not know), and the
// caller then decodes the text with encoding/json: so a Reader never reads
// a text differently from encoding/json; it only reads some texts sooner.
//
// Each method does nothing once the Reader has failed; OK reports, at the
// end, whether every step succeeded and nothing is left over.
type Reader struct {
	s   string
	i   int
	bad bool
}

// NewReader reads s.
func NewReader(s string) *Reader { return &Reader{s: s} }

// Fail marks the text as not the Reader's to read (its caller met a key
// or value it does not take).
func (r *Reader) Fail() { r.bad = true }

// OK reports whether every step succeeded and the text was read to its end.
func (r *Reader) OK() bool { return !r.bad && r.i == len(r.s) }

// Open consumes the opening byte c ('[' or '{').
func (r *Reader) Open(c byte) {
	if r.bad || r.i >= len(r.s) || r.s[r.i] != c {
		r.bad = true
		return
	}
	r.i++
}

// More reports whether another element or member follows in the array or
// object being read, consuming the comma before it; at the closing byte
// (']' or '}') it consumes it and reports false.
func (r *Reader) More(closing byte) bool {
	if r.bad || r.i >= len(r.s) {
		r.bad = true
		return false
	}
	switch c := r.s[r.i]; {
	case c == closing:
		r.i++
		return false
	case r.s[r.i-1] == '[' || r.s[r.i-1] == '{': // the first: no comma
		return true
	case c == ',':
		r.i++
		if r.i < len(r.s) && r.s[r.i] != closing { // a comma before the end is invalid
			return true
		}
	}
	r.bad = true
	return false
}

// Key reads an object member's name and the colon after it.
func (r *Reader) Key() string {
	k := r.String()
	if r.bad || r.i >= len(r.s) || r.s[r.i] != ':' {
		r.bad = true
		return ""
	}
	r.i++
	return k
}

// String reads a string, its escapes decoded as encoding/json decodes them
// (a surrogate that is not half of a pair, and a byte that is not UTF-8,
// become U+FFFD). Text without escapes is not copied.
func (r *Reader) String() string {
	raw, escaped := r.quoted()
	if r.bad {
		return ""
	}
	text := raw[1 : len(raw)-1]
	if !escaped && utf8.ValidString(text) {
		return text
	}
	return string(AppendUnquoted(make([]byte, 0, len(text)), []byte(text)))
}

// Quoted reads a string and returns it as written, quotes and escapes
// included, for a type's own UnmarshalJSON (time.Time's).
func (r *Reader) Quoted() []byte {
	raw, _ := r.quoted()
	if r.bad {
		return nil
	}
	return []byte(raw)
}

// quoted reads a string token, checking each escape, and reports whether
// it has any.
func (r *Reader) quoted() (raw string, escaped bool) {
	if r.bad || r.i >= len(r.s) || r.s[r.i] != '"' {
		r.bad = true
		return "", false
	}
	start := r.i
	for i := r.i + 1; i < len(r.s); i++ {
		switch c := r.s[i]; {
		case c == '"':
			r.i = i + 1
			return r.s[start:r.i], escaped
		case c == '\\':
			if i+1 >= len(r.s) {
				r.bad = true
				return "", false
			}
			escaped = true
			switch r.s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if Hex4([]byte(r.s[i+2:min(i+6, len(r.s))])) < 0 {
					r.bad = true
					return "", false
				}
				i += 5
			default:
				r.bad = true
				return "", false
			}
		case c < 0x20: // a control character must be escaped
			r.bad = true
			return "", false
		}
	}
	r.bad = true // no closing quote
	return "", false
}

// Int reads an integer that fits an int, written as encoding/json writes
// one: no fraction, no exponent, no leading zero.
func (r *Reader) Int() int { return int(r.integer(strconv.IntSize)) }

// Int64 is Int for an int64.
func (r *Reader) Int64() int64 { return r.integer(64) }

func (r *Reader) integer(bits int) int64 {
	if r.bad || r.i >= len(r.s) {
		r.bad = true
		return 0
	}
	end := r.i
	if r.s[end] == '-' {
		end++
	}
	digits := end
	for end < len(r.s) && '0' <= r.s[end] && r.s[end] <= '9' {
		end++
	}
	switch {
	case end == digits, // no digit
		r.s[digits] == '0' && end > digits+1, // a leading zero
		end < len(r.s) && (r.s[end] == '.' || r.s[end] == 'e' || r.s[end] == 'E'):
		r.bad = true
		return 0
	}
	n, err := strconv.ParseInt(r.s[r.i:end], 10, bits)
	if err != nil {
		r.bad = true
		return 0
	}
	r.i = end
	return n
}

// Bool reads true or false.
func (r *Reader) Bool() bool {
	switch {
	case r.bad:
	case len(r.s)-r.i >= 4 && r.s[r.i:r.i+4] == "true":
		r.i += 4
		return true
	case len(r.s)-r.i >= 5 && r.s[r.i:r.i+5] == "false":
		r.i += 5
		return false
	}
	r.bad = true
	return false
}
