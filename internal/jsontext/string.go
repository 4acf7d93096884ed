// Package jsontext appends JSON strings by hand, byte for byte as
// encoding/json writes them, for the few payloads encoded on every
// request or event (the case answer, the case announcement), where the
// reflective encoder's cost showed in profiles.
package jsontext

import "unicode/utf8"

// safe marks the ASCII bytes encoding/json writes as they are with
// EscapeHTML off (all but control characters, '"' and '\\'); htmlSafe with
// it on (<, > and & escaped too).
var safe, htmlSafe = func() (t, h [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
		h[c] = t[c] && c != '<' && c != '>' && c != '&'
	}
	return t, h
}()

const hexDigits = "0123456789abcdef"

// AppendString is encoding/json's string encoding, with html as its
// EscapeHTML: \" \\ \b \f \n \r \t, other control characters as \u00XX
// (and with html, <, > and & as \u003c, \u003e, \u0026), a byte that is
// not UTF-8 as \ufffd, U+2028 and U+2029 escaped, the rest as it is.
func AppendString(dst []byte, s string, html bool) []byte {
	plain := &safe
	if html {
		plain = &htmlSafe
	}
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if plain[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		if b >= 0xE1 && b <= 0xEF && b != 0xE2 && b != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			i += 3 // a character of three bytes (Chinese), neither U+2028 nor U+2029 (0xE2), a surrogate (0xED) nor overlong (0xE0)
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
