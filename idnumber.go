package tongban

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"
)

// IDNumber is an 18-character 居民身份证号 (GB 11643-1999). It is personal
// data: String, Format, LogValue and MarshalJSON all give the masked form
// "1101**********002X"; Reveal is the only way to read the full value.
//
// Obtain one from ParseIDNumber; the methods assume a parsed value and return
// zero results (never the raw string) for anything else.
type IDNumber string

const idNumberField = "id_number"

// idWeights are 2^(17-i) mod 11, the ISO 7064 MOD 11-2 weights of GB 11643.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps (weighted sum mod 11) to the check character.
const idCheckChars = "10X98765432"

// ParseIDNumber validates a 居民身份证号 and returns it normalised: spaces
// trimmed, full-width digits folded, a trailing "x" upper-cased. Errors are
// *Error with Code EInvalid and Field "id_number"; they never echo the input,
// since it is personal data.
func ParseIDNumber(s string) (IDNumber, error) {
	s = strings.TrimSpace(halfWidth(s))
	fail := func(msg string) (IDNumber, error) { return "", FieldError(idNumberField, "%s", msg) }
	if s == "" {
		return fail("请填写身份证号")
	}
	if n := utf8.RuneCountInString(s); n != 18 {
		if n == 15 && allDigits(s) {
			// First-generation numbers were replaced in 2013; say so rather than "wrong length".
			return fail("不支持15位旧身份证号，请填写18位身份证号")
		}
		return fail("身份证号应为18位")
	}
	if !isASCII(s) {
		return fail("身份证号只能包含数字和字母X")
	}
	if !allDigits(s[:17]) {
		return fail("身份证号前17位应为数字")
	}
	last := s[17]
	if last == 'x' {
		last = 'X'
		s = s[:17] + "X"
	}
	if !isDigit(last) && last != 'X' {
		return fail("身份证号最后一位应为数字或X")
	}
	if !validProvince(atoi2(s[0:2])) {
		return fail("身份证号中的地区代码无效")
	}
	if !validBirthDate(atoi(s[6:10]), atoi2(s[10:12]), atoi2(s[12:14])) {
		return fail("身份证号中的出生日期无效")
	}
	if idCheckDigit(s[:17]) != last {
		return fail("身份证号校验位错误")
	}
	return IDNumber(s), nil
}

// idCheckDigit computes the GB 11643 check character of 17 ASCII digits.
func idCheckDigit(body string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// validProvince reports whether p is a GB/T 2260 province-level code. 83 is
// included beyond the classic list because 台湾居民居住证 numbers use 830000
// (as 港澳居民居住证 use 810000/820000) and they are accepted where 身份证 is.
func validProvince(p int) bool {
	switch {
	case p >= 11 && p <= 15, p >= 21 && p <= 23, p >= 31 && p <= 37,
		p >= 41 && p <= 46, p >= 50 && p <= 54, p >= 61 && p <= 65,
		p == 71, p == 81, p == 82, p == 83:
		return true
	}
	return false
}

// validBirthDate accepts real calendar dates in 1900–2099. The bound is
// fixed rather than "not after today" so parsing stays a pure function;
// age rules belong to the service that needs them, with an injected Clock.
func validBirthDate(y, m, d int) bool {
	if y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 {
		return false
	}
	// Day 0 of the next month is the last day of this one.
	return d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// atoi parses ASCII digits already checked by the caller.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func atoi2(s string) int { return atoi(s[:2]) }

// parsed reports whether id has the shape ParseIDNumber produces, so methods
// on a raw conversion like IDNumber("abc") neither panic nor leak.
func (id IDNumber) parsed() bool {
	s := string(id)
	return len(s) == 18 && allDigits(s[:17]) && (isDigit(s[17]) || s[17] == 'X')
}

// Reveal returns the full number. Call it only where the full value is
// needed (storage, data exchange with its consent and access log).
func (id IDNumber) Reveal() string { return string(id) }

// Masked keeps the first 4 and last 4 characters: "1101**********002X".
// A value of any other shape is fully starred.
func (id IDNumber) Masked() string {
	if !id.parsed() {
		return strings.Repeat("*", utf8.RuneCountInString(string(id)))
	}
	return maskMiddle(string(id), 4, 4)
}

// String returns the masked form so that fmt and log output never leak.
func (id IDNumber) String() string { return id.Masked() }

// Format masks every fmt verb. String alone is not enough: %#v and verbs
// that are invalid for strings (%d) print the underlying string raw.
func (id IDNumber) Format(f fmt.State, verb rune) { formatMasked(f, verb, id.Masked()) }

// LogValue makes slog log the masked form.
func (id IDNumber) LogValue() slog.Value { return slog.StringValue(id.Masked()) }

// MarshalJSON emits the masked form: JSON goes to pages and logs. Anything
// that must persist the full value has to call Reveal explicitly.
func (id IDNumber) MarshalJSON() ([]byte, error) { return jsonQuote(id.Masked()), nil }

// UnmarshalJSON parses and validates, so request bodies cannot smuggle in an
// unchecked number. null and "" leave the zero value (field absent). A masked
// value fails to parse, which makes an accidental JSON round trip loud.
func (id *IDNumber) UnmarshalJSON(data []byte) error {
	s, ok, err := unmarshalJSONString(data, idNumberField, "身份证号")
	if err != nil {
		return err
	}
	if !ok {
		*id = ""
		return nil
	}
	v, err := ParseIDNumber(s)
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// BirthDate returns the date of birth encoded in digits 7–14.
func (id IDNumber) BirthDate() (y, m, d int) {
	if !id.parsed() {
		return 0, 0, 0
	}
	s := string(id)
	return atoi(s[6:10]), atoi2(s[10:12]), atoi2(s[12:14])
}

// Gender returns "男" for an odd 17th digit and "女" for an even one.
func (id IDNumber) Gender() string {
	if !id.parsed() {
		return ""
	}
	if (id[16]-'0')%2 == 1 {
		return "男"
	}
	return "女"
}

// RegionPrefix returns the 6-digit administrative division code where the
// number was first issued (GB/T 2260); it may be a since-abolished code.
func (id IDNumber) RegionPrefix() string {
	if !id.parsed() {
		return ""
	}
	return string(id[:6])
}
