package tongban

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"
)

// The reference check computations below are written from the standards'
// definitions rather than copied from the implementation, so a wrong weight
// table in the implementation cannot agree with them by construction.

// refIDCheck: ISO 7064 MOD 11-2 as GB 11643 defines it. Weight of position i
// (1-based from the right, check digit at 1) is 2^(i-1) mod 11; the check
// value c makes sum + c ≡ 1 (mod 11); c = 10 is written X.
func refIDCheck(body string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		w := 1
		for j := 0; j < 17-i; j++ {
			w = w * 2 % 11
		}
		sum += int(body[i]-'0') * w
	}
	c := (12 - sum%11) % 11
	if c == 10 {
		return 'X'
	}
	return byte('0' + c)
}

// refCreditCheck: GB 32100 weights are 3^(i-1) mod 31 and the check value is
// 31 - (sum mod 31), with 31 written as 0.
func refCreditCheck(body string) byte {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		v := -1
		for j := 0; j < len(alphabet); j++ {
			if alphabet[j] == body[i] {
				v = j
			}
		}
		sum += v * w
		w = w * 3 % 31
	}
	return alphabet[(31-sum%31)%31]
}

// makeID completes a 17-digit body with its check character.
func makeID(body string) string { return body + string(refIDCheck(body)) }

// makeCredit completes a 17-character body with its check character.
func makeCredit(body string) string { return body + string(refCreditCheck(body)) }

// wantFieldError asserts err is an EInvalid *Error on field with message msg
// (any message if msg is "").
func wantFieldError(t *testing.T, err error, field, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not *Error", err, err)
	}
	if e.Code != EInvalid || e.Field != field || e.Message == "" {
		t.Fatalf("error = %+v, want code %q field %q", e, EInvalid, field)
	}
	if msg != "" && e.Message != msg {
		t.Fatalf("message = %q, want %q", e.Message, msg)
	}
}

func TestMaskName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"  ", ""},
		{"张", "*"},
		{"张三", "张*"},
		{"张小明", "张*明"},
		{"欧阳娜娜", "欧**娜"},
		{" 李四 ", "李*"},
		{"阿卜杜拉·买买提", "阿******提"},
		{"Li Lei", "L****i"},
	} {
		got := MaskName(tc.in)
		if got != tc.want {
			t.Errorf("MaskName(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if n := utf8.RuneCountInString(strings.TrimSpace(tc.in)); utf8.RuneCountInString(got) != n {
			t.Errorf("MaskName(%q) = %q changes the rune count", tc.in, got)
		}
	}
}

// holder is how personal data usually travels: inside a struct.
type holder struct {
	Name  string   `json:"name"`
	ID    IDNumber `json:"id_number"`
	Phone Phone    `json:"phone"`
	Tel   *Phone   `json:"tel,omitempty"`
}

func leakFixtures(t *testing.T) (IDNumber, Phone, Phone) {
	t.Helper()
	id, err := ParseIDNumber("11010519491231002X")
	if err != nil {
		t.Fatal(err)
	}
	mob, err := ParsePhone("13800138000")
	if err != nil {
		t.Fatal(err)
	}
	tel, err := ParsePhone("0826-2345678")
	if err != nil {
		t.Fatal(err)
	}
	return id, mob, tel
}

// assertNoLeak fails if out contains any full value; the revealed values are
// checked without separators too, since a leak may be reformatted.
func assertNoLeak(t *testing.T, what, out string, full ...string) {
	t.Helper()
	for _, f := range full {
		if strings.Contains(out, f) || strings.Contains(out, strings.ReplaceAll(f, "-", "")) {
			t.Errorf("%s leaks %q: %s", what, f, out)
		}
	}
}

func TestPIINeverLeaksThroughFmt(t *testing.T) {
	id, mob, tel := leakFixtures(t)
	full := []string{id.Reveal(), mob.Reveal(), tel.Reveal()}
	h := holder{Name: "张三", ID: id, Phone: mob, Tel: &tel}
	// %d and %#v matter most: with only a String method, both print the raw string.
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10v", "%-30s", "%T=%v"} {
		for _, arg := range []any{id, mob, tel, h, &h, []IDNumber{id}, map[Phone]IDNumber{mob: id}, []any{id, mob}} {
			out := fmt.Sprintf(verb, arg)
			assertNoLeak(t, verb, out, full...)
		}
		if strings.Contains(verb, "T") {
			continue
		}
		// Hex verbs encode the masked string; decoding them must not leak either.
		if verb == "%x" || verb == "%X" {
			continue
		}
		if out := fmt.Sprintf(verb, id); !strings.Contains(out, "1101**********002X") {
			t.Errorf("Sprintf(%s, id) = %s, want the masked form", verb, out)
		}
	}
	if got := fmt.Sprint(id, " ", mob, " ", tel); got != "1101**********002X 138****8000 0826-***5678" {
		t.Errorf("Sprint = %q", got)
	}
	if got := fmt.Sprintf("[%-20v]", id); got != "[1101**********002X  ]" {
		t.Errorf("width not honoured: %q", got)
	}
	if got := fmt.Sprintf("%#v", id); got != `"1101**********002X"` {
		t.Errorf("%%#v = %s", got)
	}
	err := fmt.Errorf("处理 %v 失败: %w", id, errors.New("x"))
	assertNoLeak(t, "fmt.Errorf", err.Error(), full...)
}

func TestPIINeverLeaksThroughSlog(t *testing.T) {
	id, mob, tel := leakFixtures(t)
	full := []string{id.Reveal(), mob.Reveal(), tel.Reveal()}
	h := holder{Name: "张三", ID: id, Phone: mob, Tel: &tel}
	for name, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var buf bytes.Buffer
		log := slog.New(newHandler(&buf)).With("applicant", id)
		log.Info("申请已提交", "id_number", id, "phone", mob, "tel", tel, "holder", h, "ptr", &h,
			slog.Group("g", "id", id), slog.Any("any", mob))
		out := buf.String()
		assertNoLeak(t, name+" handler", out, full...)
		for _, m := range []string{"1101**********002X", "138****8000", "0826-***5678"} {
			if !strings.Contains(out, m) {
				t.Errorf("%s handler output lacks %q: %s", name, m, out)
			}
		}
	}
}

func TestPIINeverLeaksThroughJSON(t *testing.T) {
	id, mob, tel := leakFixtures(t)
	b, err := json.Marshal(holder{Name: "张三", ID: id, Phone: mob, Tel: &tel})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"name":"张三","id_number":"1101**********002X","phone":"138****8000","tel":"0826-***5678"}`
	if string(b) != want {
		t.Errorf("json = %s, want %s", b, want)
	}
	b, err = json.Marshal(map[string]any{"ids": []IDNumber{id}, "p": &mob})
	if err != nil {
		t.Fatal(err)
	}
	assertNoLeak(t, "json", string(b), id.Reveal(), mob.Reveal())
}

func TestPIIUnmarshalJSONValidates(t *testing.T) {
	var h holder
	in := `{"name":"张三","id_number":"11010519491231002x","phone":"(0826)2345678","tel":"+86 138 0013 8000"}`
	if err := json.Unmarshal([]byte(in), &h); err != nil {
		t.Fatal(err)
	}
	if h.ID.Reveal() != "11010519491231002X" || h.Phone.Reveal() != "0826-2345678" || h.Tel.Reveal() != "13800138000" {
		t.Errorf("decoded %q %q %q", h.ID.Reveal(), h.Phone.Reveal(), h.Tel.Reveal())
	}

	// Absent values decode to the zero value; required-ness is the caller's rule.
	h = holder{ID: "x"}
	if err := json.Unmarshal([]byte(`{"id_number":null,"phone":""}`), &h); err != nil {
		t.Fatal(err)
	}
	if h.ID != "" || h.Phone != "" {
		t.Errorf("null/empty decoded to %q %q", h.ID.Reveal(), h.Phone.Reveal())
	}

	for _, tc := range []struct{ in, field string }{
		{`{"id_number":"110105194912310021"}`, "id_number"},
		{`{"id_number":"1101**********002X"}`, "id_number"}, // a masked value must not round-trip silently
		{`{"id_number":110105}`, "id_number"},
		{`{"phone":"138****8000"}`, "phone"},
		{`{"phone":13800138000}`, "phone"},
	} {
		err := json.Unmarshal([]byte(tc.in), &holder{})
		wantFieldError(t, err, tc.field, "")
	}

	var c struct {
		Code CreditCode `json:"credit_code"`
	}
	if err := json.Unmarshal([]byte(`{"credit_code":"91110108558521630l"}`), &c); err != nil || c.Code != "91110108558521630L" {
		t.Errorf("credit code decoded %q, %v", c.Code, err)
	}
	err := json.Unmarshal([]byte(`{"credit_code":"91110108558521630X"}`), &c)
	wantFieldError(t, err, "credit_code", "统一社会信用代码校验位错误")
}
