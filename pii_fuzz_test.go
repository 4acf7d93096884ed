package tongban

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The fuzz targets check the parsers' contracts on arbitrary input: no
// panic; rejections are EInvalid field errors; acceptance yields a canonical
// value that re-parses to itself, carries a correct check character, and
// masks without leaking.

func FuzzParseIDNumber(f *testing.F) {
	for _, s := range []string{
		"11010519491231002X", "11010519491231002x", " 11010519491231002X\t", "１１０１０５１９４９１２３１００２Ｘ",
		makeID("32010220000229003"), makeID("83000019900101124"), makeID("65010120991231999"),
		"110105194912310021", "11010519490231001X", "110105491231002", "11010519491231002",
		"00010519491231002X", "11010519491231002中", "110105194912310\x002X", "", "XXXXXXXXXXXXXXXXXX",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseIDNumber(s)
		if err != nil {
			wantFieldError(t, err, "id_number", "")
			return
		}
		full := id.Reveal()
		if len(full) != 18 {
			t.Fatalf("accepted %q has length %d", full, len(full))
		}
		if want := refIDCheck(full[:17]); full[17] != want {
			t.Fatalf("accepted %q, check digit should be %c", full, want)
		}
		again, err := ParseIDNumber(full)
		if err != nil || again != id {
			t.Fatalf("re-parse of %q = %q, %v", full, again.Reveal(), err)
		}
		if low, err := ParseIDNumber(strings.ToLower(full)); err != nil || low != id {
			t.Fatalf("lower-case %q = %q, %v", full, low.Reveal(), err)
		}
		m := id.Masked()
		if utf8.RuneCountInString(m) != utf8.RuneCountInString(full) || m == full || m != full[:4]+"**********"+full[14:] {
			t.Fatalf("Masked(%q) = %q", full, m)
		}
		if out := fmt.Sprintf("%v %s %#v %d %+v", id, id, id, id, struct{ ID IDNumber }{id}); strings.Contains(out, full) {
			t.Fatalf("fmt leaks %q: %s", full, out)
		}
		y, mo, d := id.BirthDate()
		if bd := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC); bd.Year() != y || int(bd.Month()) != mo || bd.Day() != d || y < 1900 || y > 2099 {
			t.Fatalf("%q has birth date %d-%d-%d", full, y, mo, d)
		}
		if g := id.Gender(); g != "男" && g != "女" {
			t.Fatalf("Gender(%q) = %q", full, g)
		}
	})
}

func FuzzParseCreditCode(f *testing.F) {
	for _, s := range realCreditCodes {
		f.Add(s)
	}
	for _, s := range []string{
		"91110108558521630l", " 91110108558521630L ", "９１１１０１０８５５８５２１６３０Ｌ", makeCredit("N2510100MA61RAXX9"),
		makeCredit("Y1510100MA61RAXX9"), "91510100MA61RAXX9X", "91110108558521630I", "ıı110108558521630L",
		"B1110108558521630L", "911101A8558521630L", "", "000000000000000000",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCreditCode(s)
		if err != nil {
			wantFieldError(t, err, "credit_code", "")
			return
		}
		full := c.String()
		if len(full) != 18 || strings.Trim(full, creditCharset) != "" {
			t.Fatalf("accepted %q outside the charset", full)
		}
		if want := refCreditCheck(full[:17]); full[17] != want {
			t.Fatalf("accepted %q, check character should be %c", full, want)
		}
		again, err := ParseCreditCode(full)
		if err != nil || again != c {
			t.Fatalf("re-parse of %q = %q, %v", full, again, err)
		}
		if low, err := ParseCreditCode(strings.ToLower(full)); err != nil || low != c {
			t.Fatalf("lower-case %q = %q, %v", full, low, err)
		}
		if c.Authority() == "" || c.EntityType() == "" || !allDigits(c.RegionCode()) {
			t.Fatalf("%q: authority %q type %q region %q", full, c.Authority(), c.EntityType(), c.RegionCode())
		}
	})
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{
		"13800138000", "138 0013 8000", "+86 138-0013-8000", "008613800138000", "１３８００１３８０００",
		"0826-2345678", "(0826)2345678", "（0826）2345678", "08262345678", "010-65529988", "075588888888",
		"082-62345678", "0826-0345678", "0826-2345678-801", "12345678901", "2345678", "+86 0826-2345678",
		"(0826", "()", "(", "+86", "-", "", "0", "1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePhone(s)
		if err != nil {
			wantFieldError(t, err, "phone", "")
			return
		}
		full := p.Reveal()
		again, err := ParsePhone(full)
		if err != nil || again != p {
			t.Fatalf("re-parse of %q = %q, %v", full, again.Reveal(), err)
		}
		m := p.Masked()
		if utf8.RuneCountInString(m) != utf8.RuneCountInString(full) || m == full || !strings.Contains(m, "***") {
			t.Fatalf("Masked(%q) = %q", full, m)
		}
		if p.IsMobile() {
			if len(full) != 11 || full[1] < '3' || m != full[:3]+"****"+full[7:] {
				t.Fatalf("mobile %q masked %q", full, m)
			}
		} else {
			area, local, ok := strings.Cut(full, "-")
			if !ok || !allDigits(area) || !allDigits(local) || area[0] != '0' || len(area) < 3 || len(area) > 4 ||
				len(local) < 7 || len(local) > 8 || !strings.HasPrefix(m, area+"-") || !strings.HasSuffix(m, local[len(local)-4:]) {
				t.Fatalf("landline %q masked %q", full, m)
			}
		}
		if out := fmt.Sprintf("%v %s %#v %d %+v", p, p, p, p, struct{ P Phone }{p}); strings.Contains(out, full) {
			t.Fatalf("fmt leaks %q: %s", full, out)
		}
	})
}
