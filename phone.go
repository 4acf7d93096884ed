package tongban

import (
	"fmt"
	"log/slog"
	"strings"
	"unicode/utf8"
)

// Phone is a mainland phone number: a mobile "13800138000" or a landline
// "0826-2345678" (area code, hyphen, local number). It is personal data:
// String, Format, LogValue and MarshalJSON give the masked form
// ("138****5678", "0826-***5678"); Reveal is the only way to read it.
type Phone string

const phoneField = "phone"

// ParsePhone validates and normalises a phone number. Accepted forms:
//
//	13800138000, 138 0013 8000, 138-0013-8000, +86 13800138000, 008613800138000
//	0826-2345678, (0826)2345678, 0826 2345678, 08262345678, 010-12345678
//
// A landline's area code length is not guessed from how it was written but
// derived from the numbering plan: 010 and 02X are 3 digits, 03XX–09XX are 4.
// If the input groups the digits, its first group must be that area code, so
// a mistyped "082-62345678" is refused rather than silently regrouped.
// Extensions and international landlines are not supported. Errors are
// *Error with Code EInvalid and Field "phone" and never echo the input.
func ParsePhone(s string) (Phone, error) {
	s = strings.TrimSpace(halfWidth(s))
	fail := func(msg string) (Phone, error) { return "", FieldError(phoneField, "%s", msg) }
	if s == "" {
		return fail("请填写电话号码")
	}
	intl := false
	for _, prefix := range []string{"+86", "0086"} {
		if strings.HasPrefix(s, prefix) {
			s = strings.TrimLeft(s[len(prefix):], " -")
			intl = true
			break
		}
	}

	// Collect the digits and the first group as written (in parentheses, or
	// before the first separator), to check it against the area code.
	var digits []byte
	group, grouped := "", false
	if strings.HasPrefix(s, "(") {
		end := strings.IndexByte(s, ')')
		if end < 0 || !allDigits(s[1:end]) {
			return fail("电话号码格式无效")
		}
		group, grouped = s[1:end], true
		digits = append(digits, group...)
		s = s[end+1:]
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c):
			digits = append(digits, c)
		case c == ' ' || c == '-':
			if !grouped && len(digits) > 0 {
				group, grouped = string(digits), true
			}
		default:
			return fail("电话号码只能包含数字、空格、短横线和括号")
		}
		if len(digits) > 16 {
			return fail("电话号码位数过多")
		}
	}
	d := string(digits)

	switch {
	case d == "":
		return fail("电话号码格式无效")
	case d[0] == '1':
		if len(d) != 11 {
			return fail("手机号码应为11位")
		}
		if d[1] < '3' {
			return fail("手机号码无效")
		}
		return Phone(d), nil
	case d[0] == '0' && !intl:
		areaLen := 4
		if strings.HasPrefix(d, "010") || strings.HasPrefix(d, "02") {
			areaLen = 3
		}
		// 00 is the international prefix and 01 is only used by 010.
		if len(d) < areaLen || (areaLen == 4 && d[1] < '3') || (grouped && group != d[:areaLen]) {
			return fail("固定电话区号无效")
		}
		local := d[areaLen:]
		if len(local) < 7 || len(local) > 8 {
			return fail("固定电话号码应为7至8位（不含区号）")
		}
		// Local numbers never start with 0 (trunk prefix) or 1 (service numbers).
		if local[0] < '2' {
			return fail("固定电话号码无效")
		}
		return Phone(d[:areaLen] + "-" + local), nil
	case !intl && (len(d) == 7 || len(d) == 8):
		return fail("固定电话请加区号，如0826-2345678")
	}
	return fail("电话号码格式无效")
}

// IsMobile reports whether p is a mobile number rather than a landline.
func (p Phone) IsMobile() bool {
	return len(p) == 11 && p[0] == '1' && allDigits(string(p))
}

// Reveal returns the full number. Call it only where it is needed (storage,
// sending an SMS, a caseworker calling the applicant).
func (p Phone) Reveal() string { return string(p) }

// Masked hides the middle: "138****5678" for a mobile, "0826-***5678" for a
// landline (area code and last 4 kept). Any other shape is fully starred.
func (p Phone) Masked() string {
	s := string(p)
	if p.IsMobile() {
		return maskMiddle(s, 3, 4)
	}
	if i := strings.IndexByte(s, '-'); i > 0 && allDigits(s[:i]) && allDigits(s[i+1:]) {
		return s[:i+1] + maskMiddle(s[i+1:], 0, 4)
	}
	return strings.Repeat("*", utf8.RuneCountInString(s))
}

// String returns the masked form so that fmt and log output never leak.
func (p Phone) String() string { return p.Masked() }

// Format masks every fmt verb. String alone is not enough: %#v and verbs
// that are invalid for strings (%d) print the underlying string raw.
func (p Phone) Format(f fmt.State, verb rune) { formatMasked(f, verb, p.Masked()) }

// LogValue makes slog log the masked form.
func (p Phone) LogValue() slog.Value { return slog.StringValue(p.Masked()) }

// MarshalJSON emits the masked form; persist the full value via Reveal.
func (p Phone) MarshalJSON() ([]byte, error) { return jsonQuote(p.Masked()), nil }

// UnmarshalJSON parses and validates; null and "" leave the zero value.
func (p *Phone) UnmarshalJSON(data []byte) error {
	s, ok, err := unmarshalJSONString(data, phoneField, "电话号码")
	if err != nil {
		return err
	}
	if !ok {
		*p = ""
		return nil
	}
	v, err := ParsePhone(s)
	if err != nil {
		return err
	}
	*p = v
	return nil
}
