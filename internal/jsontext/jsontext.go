// Package jsontext holds what the single-pass JSON scanners share
// (httpx.CheckJSON, workflow.CompactForm): reading a string's escapes as
// encoding/json decodes them, on strings a scanner already accepted.
package jsontext

import (
	"unicode/utf16"
	"unicode/utf8"
)

// Hex4 reads the four hex digits of a \u escape, or returns -1.
func Hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// SurrogatePair decodes the surrogate r with the escape s (the rest of the
// string) begins with, if they are a pair; encoding/json decodes any other
// surrogate as U+FFFD, which it returns with false.
func SurrogatePair(r rune, s []byte) (rune, bool) {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return utf8.RuneError, false
	}
	pair := utf16.DecodeRune(r, Hex4(s[2:]))
	return pair, pair != utf8.RuneError
}

// AppendUnquoted appends the text of an accepted JSON string (s, without
// its quotes, every escape well formed) as encoding/json decodes it: a
// byte that is not UTF-8 and a surrogate escape that is not half of a pair
// become U+FFFD.
func AppendUnquoted(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			switch c = s[i+1]; c {
			case 'b':
				dst, i = append(dst, '\b'), i+2
			case 'f':
				dst, i = append(dst, '\f'), i+2
			case 'n':
				dst, i = append(dst, '\n'), i+2
			case 'r':
				dst, i = append(dst, '\r'), i+2
			case 't':
				dst, i = append(dst, '\t'), i+2
			case 'u':
				r := Hex4(s[i+2:])
				i += 6
				if utf16.IsSurrogate(r) {
					pair, ok := SurrogatePair(r, s[i:])
					if ok {
						i += 6
					}
					r = pair // U+FFFD if not a pair
				}
				dst = utf8.AppendRune(dst, r)
			default: // '"', '\\', '/'
				dst, i = append(dst, c), i+2
			}
		case c < utf8.RuneSelf:
			dst, i = append(dst, c), i+1
		default:
			r, size := utf8.DecodeRune(s[i:])
			dst, i = utf8.AppendRune(dst, r), i+size
		}
	}
	return dst
}
