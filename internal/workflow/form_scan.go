package workflow

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tongban/tongban/internal/jsontext"
)

// An application's form is checked twice on its way in: by the door it
// came through (the API bounds its depth and its text, naming the place at
// fault) and by the submission itself (it must be one JSON object that
// encoding/json decodes). Both are CompactForm, one pass over the bytes
// that copies the form without its whitespace as it checks it and
// allocates nothing else for a clean form; the place at fault is spelt out
// only for a refusal.

// FormRules say what CompactForm refuses beyond a form that is not one
// JSON object.
type FormRules struct {
	// MaxDepth bounds the objects and arrays open at once, the form's own
	// included; 0 is encoding/json's bound, 10000.
	MaxDepth int
	// Text refuses a byte that is not UTF-8 anywhere in the form, before
	// any other problem; a NUL (the escape \u0000) in a string or a key;
	// and, if MaxKeyRunes > 0, a key of more characters than that, counted
	// as encoding/json decodes it.
	Text        bool
	MaxKeyRunes int
	// Numbers refuses a number that a float64 cannot hold, as
	// encoding/json does when it decodes one into an any: it refuses what
	// strconv.ParseFloat(s, 64) refuses, which for a JSON number is only
	// one out of range (1e309, not 1e-400, which is 0).
	Numbers bool
}

// A FormFault is what CompactForm found wrong with a form.
type FormFault uint8

const (
	FormSyntax    FormFault = iota + 1 // not JSON (nothing at all, or broken where the object is read)
	FormNotObject                      // it does not begin with an object
	FormTrailing                       // something other than whitespace after the object
	FormTooDeep                        // an object or array at Place opens more than MaxDepth deep
	FormBadUTF8                        // a byte that is not UTF-8 (Text)
	FormNUL                            // the string at Place, or the key Place ends with, holds a NUL (Text)
	FormLongKey                        // the key Place ends with is longer than MaxKeyRunes (Text)
	FormNumber                         // the number at Place does not fit a float64 (Numbers)
)

// A FormProblem is the first problem of a form in its order (but a byte
// that is not UTF-8 comes first of all with Text): Fault, and for
// FormTooDeep, FormNUL, FormLongKey and FormNumber the place, the form
// being "form", an object's value "form.applicant.address" and an array's
// element "form.items[2]"; a key's place is that of its value. A zero
// FormProblem is none.
type FormProblem struct {
	Fault FormFault
	Place string
}

// formMaxDepth is the deepest nesting encoding/json decodes.
const formMaxDepth = 10000

// CompactForm checks that f is one JSON object, with whitespace around it
// if any, and obeys r; it returns the object without whitespace outside its
// strings, as json.Compact writes it, or the first problem.
func CompactForm(f []byte, r FormRules) ([]byte, FormProblem) {
	maxDepth := r.MaxDepth
	if maxDepth <= 0 {
		maxDepth = formMaxDepth
	}
	plain := &formPlainAny
	if r.Text {
		plain = &formPlainASCII // and the rest decoded, to find bytes that are not UTF-8
	}
	var frameBuf [16]formFrame
	frames := frameBuf[:0] // the objects and arrays open around i
	const (
		valueOrClose = iota // after '['
		value
		keyOrClose // after '{'
		key        // after an object's ','
		colon
		next // after a value
	)
	fail := func(fault FormFault, place bool) FormProblem {
		p := FormProblem{Fault: fault}
		if place {
			p.Place = formPlace(f, frames)
		}
		if r.Text && fault != FormBadUTF8 && !utf8.Valid(f) {
			p = FormProblem{Fault: FormBadUTF8}
		}
		return p
	}
	i := 0
	for i < len(f) && formSpace(f[i]) {
		i++
	}
	if i >= len(f) {
		return nil, fail(FormSyntax, false)
	}
	if f[i] != '{' {
		return nil, fail(FormNotObject, false)
	}
	out := make([]byte, 0, len(f)-i)
	from := i // the first byte of f not yet in out or skipped
	state := value
	for {
		if i < len(f) && formSpace(f[i]) {
			out = append(out, f[from:i]...)
			for i++; i < len(f) && formSpace(f[i]); i++ {
			}
			from = i
		}
		if i >= len(f) {
			break
		}
		c := f[i]
		switch state {
		case valueOrClose:
			if c == ']' {
				frames = frames[:len(frames)-1]
				i, state = i+1, next
				continue
			}
			fallthrough
		case value:
			switch {
			case c == '"':
				end, st := scanFormString(f, i+1, plain)
				switch {
				case end < 0:
					return nil, fail(FormSyntax, false)
				case st&formBadUTF8 != 0:
					return nil, fail(FormBadUTF8, false)
				case st&formNUL != 0 && r.Text:
					return nil, fail(FormNUL, true)
				}
				i, state = end, next
			case c == '{' || c == '[':
				if len(frames) >= maxDepth {
					return nil, fail(FormTooDeep, true)
				}
				frames = append(frames, formFrame{object: c == '{'})
				i++
				if state = valueOrClose; c == '{' {
					state = keyOrClose
				}
			case c == '-' || '0' <= c && c <= '9':
				end, big := jsontext.Number(f, i)
				if end < 0 {
					return nil, fail(FormSyntax, false)
				}
				if r.Numbers && big {
					if _, err := strconv.ParseFloat(string(f[i:end]), 64); err != nil {
						return nil, fail(FormNumber, true)
					}
				}
				i, state = end, next
			case c == 't' && formWord(f[i:], "true"), c == 'n' && formWord(f[i:], "null"):
				i, state = i+4, next
			case c == 'f' && formWord(f[i:], "false"):
				i, state = i+5, next
			default:
				return nil, fail(FormSyntax, false)
			}
		case keyOrClose:
			if c == '}' {
				frames = frames[:len(frames)-1]
				i, state = i+1, next
				continue
			}
			fallthrough
		case key:
			if c != '"' {
				return nil, fail(FormSyntax, false)
			}
			end, st := scanFormString(f, i+1, plain)
			if end < 0 {
				return nil, fail(FormSyntax, false)
			}
			fr := &frames[len(frames)-1]
			fr.key, fr.keyEnd, fr.escaped = i+1, end-1, st&formEscaped != 0
			switch {
			case st&formBadUTF8 != 0:
				return nil, fail(FormBadUTF8, false)
			case !r.Text:
			case st&formNUL != 0:
				return nil, fail(FormNUL, true)
			case r.MaxKeyRunes > 0 && fr.keyEnd-fr.key > r.MaxKeyRunes && formRunes(f[fr.key:fr.keyEnd]) > r.MaxKeyRunes:
				return nil, fail(FormLongKey, true)
			}
			i, state = end, colon
		case colon:
			if c != ':' {
				return nil, fail(FormSyntax, false)
			}
			i, state = i+1, value
		case next:
			if len(frames) == 0 {
				return nil, fail(FormTrailing, false)
			}
			fr := &frames[len(frames)-1]
			switch {
			case c == ',' && fr.object:
				i, state = i+1, key
			case c == ',':
				fr.index++
				i, state = i+1, value
			case c == '}' && fr.object, c == ']' && !fr.object:
				frames = frames[:len(frames)-1]
				i++
			default:
				return nil, fail(FormSyntax, false)
			}
		}
	}
	if state != next || len(frames) > 0 {
		return nil, fail(FormSyntax, false)
	}
	return append(out, f[from:]...), FormProblem{}
}

// A formFrame is an object or an array open around the place CompactForm
// reads: an object's key being read (a range of the form, without its
// quotes) or an array's element.
type formFrame struct {
	object      bool
	escaped     bool // the key holds escapes
	key, keyEnd int
	index       int
}

// formPlace spells the place the frames lead to.
func formPlace(f []byte, frames []formFrame) string {
	b := append(make([]byte, 0, 64), "form"...)
	for _, fr := range frames {
		switch {
		case !fr.object:
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(fr.index), 10)
			b = append(b, ']')
		case fr.escaped:
			b = jsontext.AppendUnquoted(append(b, '.'), f[fr.key:fr.keyEnd])
		default:
			b = append(append(b, '.'), f[fr.key:fr.keyEnd]...)
		}
	}
	return string(b)
}

func formSpace(c byte) bool { return c <= ' ' && (c == ' ' || c == '\n' || c == '\r' || c == '\t') }

func formWord(b []byte, word string) bool {
	return len(b) >= len(word) && string(b[:len(word)]) == word
}

// What scanFormString found in a string.
const (
	formEscaped = 1 << iota
	formNUL     // a \u0000 escape
	formBadUTF8 // a byte that is not UTF-8
)

// formPlainASCII marks the ASCII bytes that stand for themselves in a JSON
// string; formPlainAny those and every byte from 0x80, unchecked.
var formPlainASCII, formPlainAny = func() (ascii, all [256]bool) {
	for c := 0x20; c < 256; c++ {
		all[c] = c != '"' && c != '\\'
		ascii[c] = all[c] && c < utf8.RuneSelf
	}
	return
}()

// scanFormString reads the string whose text begins at f[i] and returns
// the offset after its closing quote, or -1 if it is not a JSON string,
// and what it holds. A byte that plain does not mark from 0x80 is decoded
// as UTF-8.
func scanFormString(f []byte, i int, plain *[256]bool) (int, uint8) {
	var st uint8
	for {
		for i < len(f) && plain[f[i]] {
			i++
		}
		if i >= len(f) {
			return -1, 0
		}
		switch c := f[i]; {
		case c == '"':
			return i + 1, st
		case c == '\\':
			st |= formEscaped
			if i+1 >= len(f) {
				return -1, 0
			}
			switch f[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				r := jsontext.Hex4(f[i+2:])
				if r < 0 {
					return -1, 0
				}
				if r == 0 {
					st |= formNUL
				}
				i += 6
			default:
				return -1, 0
			}
		case c < 0x20:
			return -1, 0 // a control character
		case 0xE1 <= c && c <= 0xEF && c != 0xED && i+2 < len(f) && f[i+1]&0xC0 == 0x80 && f[i+2]&0xC0 == 0x80:
			i += 3 // a character of three bytes, as Chinese is, not a surrogate's (0xED) nor overlong (0xE0)
		default:
			r, size := utf8.DecodeRune(f[i:])
			if r == utf8.RuneError && size == 1 {
				st |= formBadUTF8
			}
			i += size
		}
	}
}

// formRunes counts the characters of a string scanFormString accepted (s,
// without its quotes) as encoding/json decodes it.
func formRunes(s []byte) int {
	n := 0
	for i := 0; i < len(s); n++ {
		switch c := s[i]; {
		case c == '\\' && s[i+1] == 'u':
			r := jsontext.Hex4(s[i+2:])
			i += 6
			if utf16.IsSurrogate(r) {
				if _, ok := jsontext.SurrogatePair(r, s[i:]); ok {
					i += 6
				}
			}
		case c == '\\':
			i += 2
		case c < utf8.RuneSelf:
			i++
		default:
			_, size := utf8.DecodeRune(s[i:])
			i += size
		}
	}
	return n
}
