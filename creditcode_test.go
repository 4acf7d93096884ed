package tongban

import (
	"strings"
	"testing"
)

// Published codes, as printed on licences and in public registries. Each is
// kept only because its check character agrees with both the implementation
// and refCreditCheck; a misremembered code would pass with odds of 1 in 31.
var realCreditCodes = []string{
	"914403001922038216", // 华为技术有限公司
	"9144030071526726XG", // 腾讯科技（深圳）有限公司
	"91110108558521630L", // 小米通讯技术有限公司
	"91110000802100433B", // 北京百度网讯科技有限公司
	"91330100716105852F", // 阿里巴巴（中国）有限公司
	"91110000100006485K",
	"9111000071093123XX", // organisation code ending in X
	"11100000000013127D", // 机关, central level (region 100000)
}

func TestRealCreditCodes(t *testing.T) {
	for _, code := range realCreditCodes {
		if got, want := code[17], refCreditCheck(code[:17]); got != want {
			t.Errorf("%s: reference check %c disagrees", code, want)
		}
		c, err := ParseCreditCode(code)
		if err != nil {
			t.Errorf("ParseCreditCode(%s): %v", code, err)
			continue
		}
		if c.String() != code || c.RegionCode() != code[2:8] || c.OrganizationCode() != code[8:17] {
			t.Errorf("%s: String %q RegionCode %q OrganizationCode %q", code, c, c.RegionCode(), c.OrganizationCode())
		}
	}
}

func TestCreditCheckWeights(t *testing.T) {
	for _, body := range []string{"91510100MA61RAXX9", "Y1110000000000000", "N2440300ABCDEFGHJ", "00000000000000000"} {
		if got, want := creditCheckChar(body), refCreditCheck(body); got != want {
			t.Errorf("creditCheckChar(%s) = %c, reference %c", body, got, want)
		}
	}
}

func TestParseCreditCodeAuthorityTable(t *testing.T) {
	// Every authority/type pair of GB 32100-2015 table 1 (with A and N), listed
	// independently of the implementation's table.
	pairs := strings.Fields("11 12 13 19 21 29 31 32 33 34 35 39 41 49 51 52 53 59 61 62 69 71 72 79 81 89 91 92 93 A1 A9 N1 N2 N3 N9 Y1")
	valid := map[string]bool{}
	for _, p := range pairs {
		valid[p] = true
		code := makeCredit(p + "510100MA61RAXX9")
		if _, err := ParseCreditCode(code); err != nil {
			t.Errorf("ParseCreditCode(%s): %v", code, err)
		}
	}
	// And nothing else: every other first/second pair is refused.
	for _, a := range creditCharset {
		for _, b := range creditCharset {
			p := string(a) + string(b)
			if valid[p] {
				continue
			}
			_, err := ParseCreditCode(makeCredit(p + "510100MA61RAXX9"))
			if err == nil {
				t.Errorf("pair %s accepted", p)
			}
		}
	}
}

func TestParseCreditCodeNormalises(t *testing.T) {
	want := CreditCode("91110108558521630L")
	for _, in := range []string{"91110108558521630L", "91110108558521630l", "  91110108558521630L\n", "９１１１０１０８５５８５２１６３０Ｌ", "\u300091110108558521630l\u3000"} {
		c, err := ParseCreditCode(in)
		if err != nil || c != want {
			t.Errorf("ParseCreditCode(%q) = %q, %v", in, c, err)
		}
	}
	c, _ := ParseCreditCode("91110108558521630L")
	if c.Authority() != "工商" || c.EntityType() != "企业" {
		t.Errorf("Authority %q EntityType %q", c.Authority(), c.EntityType())
	}
	c, _ = ParseCreditCode(makeCredit("N2510100MA61RAXX9"))
	if c.Authority() != "农业" || c.EntityType() != "村级集体经济组织" {
		t.Errorf("Authority %q EntityType %q", c.Authority(), c.EntityType())
	}
	if got := CreditCode("x").Authority() + CreditCode("x").EntityType() + CreditCode("x").RegionCode() + CreditCode("x").OrganizationCode(); got != "" {
		t.Errorf("methods on unparsed code returned %q", got)
	}
}

func TestParseCreditCodeInvalid(t *testing.T) {
	const msgChars = "统一社会信用代码只能包含数字和大写字母（不使用I、O、Z、S、V）"
	valid := "91110108558521630L"
	wrongCheck := valid[:17] + "M"
	for _, tc := range []struct{ name, in, msg string }{
		{"empty", "", "请填写统一社会信用代码"},
		{"17 chars", valid[:17], "统一社会信用代码应为18位"},
		{"19 chars", valid + "0", "统一社会信用代码应为18位"},
		{"old 15-digit registration number", "110108012345678", "统一社会信用代码应为18位"},
		{"letter I", "91110108558521630I", msgChars},
		{"letter O", "9111010855852163OL", msgChars},
		{"letter Z", "Z1110108558521630L", msgChars},
		{"letter S", "91110108S58521630L", msgChars},
		{"letter V", "91110108V58521630L", msgChars},
		{"punctuation", "91110108-58521630L", msgChars},
		{"non-ASCII", "91110108558521630中", msgChars},
		{"authority B", makeCredit("B1110108558521630"), "统一社会信用代码第1位（登记管理部门代码）无效"},
		{"authority 0", makeCredit("01110108558521630"), "统一社会信用代码第1位（登记管理部门代码）无效"},
		{"type 94", makeCredit("94110108558521630"), "统一社会信用代码第2位（机构类别代码）无效"},
		{"type 15", makeCredit("15110108558521630"), "统一社会信用代码第2位（机构类别代码）无效"},
		{"type Y9", makeCredit("Y9110108558521630"), "统一社会信用代码第2位（机构类别代码）无效"},
		{"type letter", makeCredit("9A110108558521630"), "统一社会信用代码第2位（机构类别代码）无效"},
		{"region letter", makeCredit("911101A8558521630"), "统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字"},
		{"wrong check", wrongCheck, "统一社会信用代码校验位错误"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseCreditCode(tc.in)
			if err == nil {
				t.Fatalf("ParseCreditCode(%q) = %q, want error", tc.in, c)
			}
			wantFieldError(t, err, "credit_code", tc.msg)
		})
	}
}

// Mod 31 with weights 3^i catches every single substitution and every
// adjacent transposition; check that for a real code.
func TestParseCreditCodeDetectsTypos(t *testing.T) {
	valid := "9144030071526726XG"
	for i := 0; i < 18; i++ {
		for _, c := range []byte(creditCharset) {
			if c == valid[i] {
				continue
			}
			s := valid[:i] + string(c) + valid[i+1:]
			if _, err := ParseCreditCode(s); err == nil {
				t.Errorf("substitution %s accepted", s)
			}
		}
		if i < 17 && valid[i] != valid[i+1] {
			s := valid[:i] + string(valid[i+1]) + string(valid[i]) + valid[i+2:]
			if _, err := ParseCreditCode(s); err == nil {
				t.Errorf("transposition %s accepted", s)
			}
		}
	}
}
