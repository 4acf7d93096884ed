package tongban

import (
	"strings"
	"testing"
)

func TestParsePhoneValid(t *testing.T) {
	for _, tc := range []struct {
		in, want, masked string
		mobile           bool
	}{
		{"13800138000", "13800138000", "138****8000", true},
		{"  13800138000\n", "13800138000", "138****8000", true},
		{"138 0013 8000", "13800138000", "138****8000", true},
		{"138-0013-8000", "13800138000", "138****8000", true},
		{"+86 13800138000", "13800138000", "138****8000", true},
		{"+86-138-0013-8000", "13800138000", "138****8000", true},
		{"+8613800138000", "13800138000", "138****8000", true},
		{"008613800138000", "13800138000", "138****8000", true},
		{"１３８００１３８０００", "13800138000", "138****8000", true},
		{"19912345678", "19912345678", "199****5678", true},
		{"0826-2345678", "0826-2345678", "0826-***5678", false},
		{"(0826)2345678", "0826-2345678", "0826-***5678", false},
		{"（０８２６）２３４５６７８", "0826-2345678", "0826-***5678", false},
		{"(0826) 234-5678", "0826-2345678", "0826-***5678", false},
		{"0826 2345678", "0826-2345678", "0826-***5678", false},
		{"08262345678", "0826-2345678", "0826-***5678", false},
		{"010-65529988", "010-65529988", "010-****9988", false},
		{"01065529988", "010-65529988", "010-****9988", false},
		{"(010)6552-9988", "010-65529988", "010-****9988", false},
		{"02168888888", "021-68888888", "021-****8888", false},
		{"029-8765432", "029-8765432", "029-***5432", false},
		{"0755-88888888", "0755-88888888", "0755-****8888", false},
		{"075588888888", "0755-88888888", "0755-****8888", false},
	} {
		p, err := ParsePhone(tc.in)
		if err != nil {
			t.Errorf("ParsePhone(%q): %v", tc.in, err)
			continue
		}
		if p.Reveal() != tc.want || p.Masked() != tc.masked || p.String() != tc.masked || p.IsMobile() != tc.mobile {
			t.Errorf("ParsePhone(%q) = %q masked %q mobile %v; want %q %q %v",
				tc.in, p.Reveal(), p.Masked(), p.IsMobile(), tc.want, tc.masked, tc.mobile)
		}
	}
}

func TestParsePhoneInvalid(t *testing.T) {
	const (
		msgArea  = "固定电话区号无效"
		msgLocal = "固定电话号码应为7至8位（不含区号）"
		msgBad   = "电话号码格式无效"
	)
	for _, tc := range []struct{ name, in, msg string }{
		{"empty", "", "请填写电话号码"},
		{"10-digit mobile", "1380013800", "手机号码应为11位"},
		{"12-digit mobile", "138001380001", "手机号码应为11位"},
		{"second digit 2", "12345678901", "手机号码无效"},
		{"second digit 0", "10086100861", "手机号码无效"},
		{"no area code", "2345678", "固定电话请加区号，如0826-2345678"},
		{"no area code 8", "65529988", "固定电话请加区号，如0826-2345678"},
		{"area split wrong", "082-62345678", msgArea},
		{"area split wrong parens", "(08)262345678", msgArea},
		{"3-digit area written as 4", "0106-5529988", msgArea},
		{"area 00xx", "0026-2345678", msgArea},
		{"area 01xx", "0126-2345678", msgArea},
		{"local 6 digits", "0826-234567", msgLocal},
		{"local 9 digits", "0826-234567890", msgLocal},
		{"extension", "0826-2345678-801", msgLocal},
		{"local starts 0", "0826-0345678", "固定电话号码无效"},
		{"local starts 1", "010-12345678", "固定电话号码无效"},
		{"+86 landline", "+86 0826-2345678", msgBad},
		{"+86 nothing", "+86", msgBad},
		{"letters", "138abc00000", "电话号码只能包含数字、空格、短横线和括号"},
		{"unclosed paren", "(0826 2345678", msgBad},
		{"bad paren content", "(08a6)2345678", msgBad},
		{"only separators", "- -", msgBad},
		{"too many digits", strings.Repeat("1", 40), "电话号码位数过多"},
		{"starts with 5", "55555", msgBad},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParsePhone(tc.in)
			if err == nil {
				t.Fatalf("ParsePhone(%q) = %q, want error", tc.in, p.Reveal())
			}
			wantFieldError(t, err, "phone", tc.msg)
		})
	}
}

func TestPhoneUnparsedNeverLeaks(t *testing.T) {
	// Values made by conversion rather than ParsePhone must still not leak.
	for _, raw := range []string{"1", "1380", "0826-1234", "hello world", "+8613800138000", "电话一二三四五六七八"} {
		m := Phone(raw).Masked()
		if m == raw || len([]rune(m)) != len([]rune(raw)) {
			t.Errorf("Masked(%q) = %q", raw, m)
		}
	}
	if m := Phone("0826-1234").Masked(); m != "0826-****" {
		t.Errorf("short local part: %q", m)
	}
	if m := Phone("hello").Masked(); m != "*****" {
		t.Errorf("unparsed: %q", m)
	}
}
