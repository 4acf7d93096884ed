package tongban

import (
	"strings"
	"testing"
)

func TestRefIDCheckAgreesWithKnownSample(t *testing.T) {
	// 11010519491231002X is the sample number printed in GB 11643-1999.
	if c := refIDCheck("11010519491231002"); c != 'X' {
		t.Fatalf("reference check digit = %c, want X", c)
	}
	for _, body := range []string{"11010519491231002", "44030819990110151", "32010219800229000", "65010120991231999"} {
		if got, want := idCheckDigit(body), refIDCheck(body); got != want {
			t.Errorf("idCheckDigit(%s) = %c, reference %c", body, got, want)
		}
	}
}

func TestParseIDNumberValid(t *testing.T) {
	for _, tc := range []struct {
		in, want, masked, gender, region string
		y, m, d                          int
	}{
		{"11010519491231002X", "11010519491231002X", "1101**********002X", "女", "110105", 1949, 12, 31},
		{"11010519491231002x", "11010519491231002X", "1101**********002X", "女", "110105", 1949, 12, 31},
		{" \t11010519491231002X \n", "11010519491231002X", "1101**********002X", "女", "110105", 1949, 12, 31},
		{"１１０１０５１９４９１２３１００２ｘ", "11010519491231002X", "1101**********002X", "女", "110105", 1949, 12, 31},
		{makeID("44030819990110151"), makeID("44030819990110151"), "4403**********151" + string(refIDCheck("44030819990110151")), "男", "440308", 1999, 1, 10},
		{makeID("32010220000229003"), makeID("32010220000229003"), "", "男", "320102", 2000, 2, 29}, // 2000 is a leap year
		{makeID("15010219000101004"), makeID("15010219000101004"), "", "女", "150102", 1900, 1, 1},
		{makeID("65010120991231999"), makeID("65010120991231999"), "", "男", "650101", 2099, 12, 31},
		{makeID("81000019900101123"), makeID("81000019900101123"), "", "男", "810000", 1990, 1, 1}, // 港澳居民居住证
		{makeID("83000019900101124"), makeID("83000019900101124"), "", "女", "830000", 1990, 1, 1}, // 台湾居民居住证
	} {
		id, err := ParseIDNumber(tc.in)
		if err != nil {
			t.Errorf("ParseIDNumber(%q): %v", tc.in, err)
			continue
		}
		if id.Reveal() != tc.want {
			t.Errorf("ParseIDNumber(%q) = %q, want %q", tc.in, id.Reveal(), tc.want)
		}
		masked := tc.masked
		if masked == "" {
			masked = tc.want[:4] + strings.Repeat("*", 10) + tc.want[14:]
		}
		if id.Masked() != masked || id.String() != masked {
			t.Errorf("Masked = %q, String = %q, want %q", id.Masked(), id.String(), masked)
		}
		if y, m, d := id.BirthDate(); y != tc.y || m != tc.m || d != tc.d {
			t.Errorf("BirthDate(%s) = %d-%d-%d", tc.want, y, m, d)
		}
		if id.Gender() != tc.gender || id.RegionPrefix() != tc.region {
			t.Errorf("%s: Gender %q RegionPrefix %q", tc.want, id.Gender(), id.RegionPrefix())
		}
	}
}

func TestParseIDNumberInvalid(t *testing.T) {
	const (
		msgLen    = "身份证号应为18位"
		msgDigits = "身份证号前17位应为数字"
		msgRegion = "身份证号中的地区代码无效"
		msgDate   = "身份证号中的出生日期无效"
		msgCheck  = "身份证号校验位错误"
	)
	for _, tc := range []struct{ name, in, msg string }{
		{"empty", "", "请填写身份证号"},
		{"spaces only", "   ", "请填写身份证号"},
		{"17 digits", "11010519491231002", msgLen},
		{"19 chars", "11010519491231002X1", msgLen},
		{"15-digit old number", "110105491231002", "不支持15位旧身份证号，请填写18位身份证号"},
		{"inner space", "110105 19491231002X", msgLen},
		{"letter in body", "1101051949123100AX", msgDigits},
		{"X in body", "X10105194912310021", msgDigits},
		{"bad last char", "11010519491231002Y", "身份证号最后一位应为数字或X"},
		{"non-ASCII", "11010519491231002中", "身份证号只能包含数字和字母X"},
		{"wrong check digit", "110105194912310021", msgCheck},
		{"wrong check X", "11010519491231003X", msgCheck},
		{"check X vs 0", makeID("11010519491231002")[:17] + "0", msgCheck},
		{"Feb 31", makeID("11010519490231001"), msgDate},
		{"Feb 29 non-leap", makeID("11010520230229001"), msgDate},
		{"Feb 29 1900", makeID("11010519000229001"), msgDate},
		{"month 13", makeID("11010519491301001"), msgDate},
		{"month 00", makeID("11010519490001001"), msgDate},
		{"day 00", makeID("11010519491200001"), msgDate},
		{"Apr 31", makeID("11010519490431001"), msgDate},
		{"before 1900", makeID("11010518991231001"), msgDate},
		{"after 2099", makeID("11010521000101001"), msgDate},
		{"province 00", makeID("00010519491231002"), msgRegion},
		{"province 10", makeID("10010519491231002"), msgRegion},
		{"province 16", makeID("16010519491231002"), msgRegion},
		{"province 47", makeID("47010519491231002"), msgRegion},
		{"province 72", makeID("72010519491231002"), msgRegion},
		{"province 99", makeID("99010519491231002"), msgRegion},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, err := ParseIDNumber(tc.in)
			if err == nil {
				t.Fatalf("ParseIDNumber(%q) = %q, want error", tc.in, id.Reveal())
			}
			wantFieldError(t, err, "id_number", tc.msg)
			if len(tc.in) >= 15 && strings.Contains(err.Error(), strings.TrimSpace(tc.in)) {
				t.Errorf("error echoes the input: %v", err)
			}
		})
	}
}

// Every single-digit substitution and every adjacent transposition in the
// body must be caught: that is what MOD 11-2 guarantees.
func TestParseIDNumberDetectsTypos(t *testing.T) {
	valid := "11010519491231002X"
	for i := 0; i < 17; i++ {
		for c := byte('0'); c <= '9'; c++ {
			if c == valid[i] {
				continue
			}
			s := valid[:i] + string(c) + valid[i+1:]
			if _, err := ParseIDNumber(s); err == nil {
				t.Errorf("substitution %s accepted", s)
			}
		}
		if i < 16 && valid[i] != valid[i+1] {
			s := valid[:i] + string(valid[i+1]) + string(valid[i]) + valid[i+2:]
			if _, err := ParseIDNumber(s); err == nil {
				t.Errorf("transposition %s accepted", s)
			}
		}
	}
}

func TestIDNumberUnparsedNeverLeaks(t *testing.T) {
	// Values made by conversion rather than ParseIDNumber must still not leak.
	for _, raw := range []string{"", "1234", "11010519491231", "11010519491231002X99", "abcdefghijklmnopqr", "身份证号码一二三四五六七八九十"} {
		id := IDNumber(raw)
		m := id.Masked()
		if strings.Trim(m, "*") != "" {
			t.Errorf("Masked(%q) = %q, want all asterisks", raw, m)
		}
		if y, mo, d := id.BirthDate(); y != 0 || mo != 0 || d != 0 || id.Gender() != "" || id.RegionPrefix() != "" {
			t.Errorf("methods on %q returned data", raw)
		}
	}
}
