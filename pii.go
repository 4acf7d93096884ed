package tongban

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Personal-data value types (IDNumber, Phone) keep the full value private to
// Reveal: every formatting path (fmt verbs, slog, encoding/json) yields the
// masked form, so a value that reaches a log line or a page cannot leak. Note
// what this cannot protect: string(x) conversions, encoding/json map keys and
// unexported struct fields printed with %v use the raw string. database/sql
// and pgx bind the underlying string, so storage gets the full value.

// MaskName masks a personal name for lists: "张*", "张*明", "欧**娜".
// It counts runes, not bytes, so Chinese and minority names (with "·") keep
// their length. A one-rune name is fully masked since showing it shows all.
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	r := []rune(name)
	switch len(r) {
	case 0:
		return ""
	case 1:
		return "*"
	case 2:
		return string(r[0]) + "*"
	}
	return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
}

// maskMiddle keeps head leading and tail trailing runes and stars the rest.
// If nothing would be hidden it stars everything: a mask must hide something.
func maskMiddle(s string, head, tail int) string {
	n := utf8.RuneCountInString(s)
	if n <= head+tail {
		return strings.Repeat("*", n)
	}
	r := []rune(s)
	return string(r[:head]) + strings.Repeat("*", n-head-tail) + string(r[n-tail:])
}

// halfWidth folds full-width ASCII (U+FF01–U+FF5E) and the ideographic space
// to ASCII, because Chinese input methods often produce "１１０１…" or "（０８２６）".
func halfWidth(s string) string {
	if isASCII(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// allDigits reports whether s is non-empty and all ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// upperASCII upper-cases a–z only; strings.ToUpper would also turn "ı" into
// "I" and "ſ" into "S", smuggling non-ASCII input into a valid-looking code.
func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// unmarshalJSONString decodes a JSON string or null for the UnmarshalJSON
// methods. ok is false for null and "", which mean "absent", not invalid, so
// optional fields decode; required-ness is the caller's rule.
func unmarshalJSONString(data []byte, field, label string) (s string, ok bool, err error) {
	if string(data) == "null" {
		return "", false, nil
	}
	if err := json.Unmarshal(data, &s); err != nil {
		e := FieldError(field, "%s应为字符串", label)
		e.Err = err
		return "", false, e
	}
	return s, s != "", nil
}

// jsonQuote encodes s as a JSON string for the MarshalJSON methods.
func jsonQuote(s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return b
}

// formatMasked prints masked with the caller's verb, flags and width, so
// "%-20v" still lines up and "%#v" still quotes.
func formatMasked(f fmt.State, verb rune, masked string) {
	fmt.Fprintf(f, fmt.FormatString(f, verb), masked)
}
