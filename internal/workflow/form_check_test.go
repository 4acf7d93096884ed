package workflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/tongban/tongban"
)

// benchForm is a form as an applicant fills one in (~1 KB): a small
// restaurant's food business licence.
const benchForm = `{"经营者名称":"广安区张三小吃店","统一社会信用代码":"92511602MA6AB1C2DE","经营场所":"广安区北辰路12号",` +
	`"主体业态":"小餐饮","经营项目":["热食类食品制售","冷食类食品制售","自制饮品制售"],` +
	`"从业人员":[{"姓名":"张三","健康证号":"GA2026031200123","有效期至":"2027-03-11"},` +
	`{"姓名":"李四","健康证号":"GA2026031200124","有效期至":"2027-03-11"},` +
	`{"姓名":"王五","健康证号":"GA2026031200125","有效期至":"2027-03-11"}],` +
	`"面积":120.5,"就餐座位数":40,"是否网络经营":true,"联系电话":"13800001234",` +
	`"备注":"店面位于北辰路与建设路交叉口东侧，临街一层，设有独立后厨和更衣室。",` +
	`"负责人":{"姓名":"张三","身份证号":"511602199003071232"}}`

// sameFormCheck says how two results of a form check differ, or "": the
// same bytes, or errors with the same code, field and message.
func sameFormCheck(got json.RawMessage, gotErr error, want json.RawMessage, wantErr error) string {
	switch {
	case gotErr == nil && wantErr == nil:
		if !bytes.Equal(got, want) {
			return fmt.Sprintf("got %q, before %q", got, want)
		}
		return ""
	case gotErr == nil || wantErr == nil:
		return fmt.Sprintf("got %q, %v; before %q, %v", got, gotErr, want, wantErr)
	}
	g, w := tongban.AsError(gotErr), tongban.AsError(wantErr)
	if g.Code != w.Code || g.Field != w.Field || g.Message != w.Message || got != nil {
		return fmt.Sprintf("got %q, %s [%q] %q; before %s [%q] %q", got, g.Code, g.Field, g.Message, w.Code, w.Field, w.Message)
	}
	return ""
}

func nested(open, inner, close string, n int) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

// formSeeds are forms at every edge the old check had: whitespace, null,
// what is not an object, syntax broken anywhere, trailing data, numbers
// near float64's range, escapes, surrogates, bytes that are not UTF-8,
// nesting and the byte bound.
func formSeeds() []string {
	long := strings.Repeat("长", (MaxFormBytes-10)/3)
	seeds := []string{
		``, ` `, "\t\r\n ", "\v", "\u00a0", "\u00a0{}\u00a0", `null`, ` null `, `nul`, `{}`, ` { } `, "\n{\"a\" :\t[ 1 , 2 ] }\n",
		`[]`, `[{}]`, `1`, `"x"`, `true`, `false`, `{}{}`, `{} {}`, `{}x`, `{} `, `{}` + "\x00", `{"a":1}}`, `{"a":1`,
		`{"a":1,}`, `{"a"}`, `{"a":}`, `{"a" 1}`, `{"a"::1}`, `{"a":1 "b":2}`, `{,"a":1}`, `{"a":1,,"b":2}`, `{1:2}`, `{a:1}`,
		`{"a":[1,]}`, `{"a":[,1]}`, `{"a":[1 2]}`, `{"a":[}`, `{"a":{]}`, `{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":-}`,
		`{"a":+1}`, `{"a":1e}`, `{"a":1e+}`, `{"a":tru}`, `{"a":nulls}`, `{"a":True}`, `{"a":"\x"}`, `{"a":"\u12"}`,
		`{"a":"\u12g4"}`, "{\"a\":\"\x01\"}", "{\"a\":\"\x7f\"}", `{"a":"\'"}`, `{"a":"b"`, `{"a":"b`, `{"`, `{`,
		`{"a":1,"a":2}`, `{"a":{"b":1},"a":[2]}`, `{"":""}`, `{"a":"\u0000"}`, `{"\u0000":1}`,
		`{"a":"\"\\\/\b\f\n\r\t\u00e9\u4E2D"}`, `{"\ud800":1}`, `{"a":"\ud800\udc00"}`, `{"a":"\udc00\ud800"}`,
		`{"a":"\ud83d\ude00"}`, `{"a":"\ud800\u0041"}`, `{"a":"\ud800\ud800\udc00"}`, "{\"a\":\"\xff\"}", "{\"\xfe\":1}",
		"{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"\xe4\xb8\"}", "{\"a\":\"\xf4\x90\x80\x80\"}", "{\"a\":\"\xc0\xaf\"}", "{\xff}",
		"{\"a\":1}\xff", `{"a":"<&>` + "\u2028\u2029" + `"}`,
		`{"a":0}`, `{"a":-0}`, `{"a":-0.0e-0}`, `{"a":1E+2}`, `{"a":1e308}`, `{"a":1e309}`, `{"a":-1e308}`, `{"a":-1e400}`,
		`{"a":1e-400}`, `{"a":-1e-400}`, `{"a":0.` + strings.Repeat("0", 400) + `1e-400}`, `{"a":4.9e-324}`, `{"a":2e-324}`,
		`{"a":1.7976931348623157e308}`, `{"a":1.7976931348623159e308}`, `{"a":1.797693134862315708e308}`,
		`{"a":0.00000000000000000000000000001e330}`, `{"a":1000000000e300}`, `{"a":[1,[2,{"b":1e999}]]}`,
		`{"a":1` + strings.Repeat("0", 308) + `}`, `{"a":1` + strings.Repeat("0", 307) + `.5}`,
		`{"a":179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792}`,
		`{"a":179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791}`,
		`{"a":1e309,"b":"\xff"`, `{"a":1e309}x`,
		`{"a":` + nested(`[`, `1`, `]`, 7) + `}`, `{"a":` + nested(`{"b":`, `{}`, `}`, 8) + `}`,
		nested(`{"a":`, `"\u0000"`, `}`, 9), `{"items":[{"a":1},{"b":[2,3,{"c":"x"}]}]}`,
		`{"k":"` + long + `"}`, `{"k":"` + long + `x"}`, `{"` + strings.Repeat("键", 200) + `":1}`,
		`{"` + strings.Repeat("键", 201) + `":1}`, ` ` + benchForm + ` `,
		strings.Replace(benchForm, ",", ", ", -1), strings.Replace(benchForm, ":", " : ", -1),
	}
	return seeds
}

// maxFuzzSeed bounds the seeds of FuzzFormCheckSameAsBefore: the fuzzer
// minimizes every new input it finds, for up to a minute, and the mutants
// of a form at the byte bound stall it for most of its run. Those seeds are
// checked as they are by TestFormCheckSeedsSameAsBefore.
const maxFuzzSeed = 4 << 10

// FuzzFormCheckSameAsBefore: checkForm answers every input as the
// Unmarshal it replaced did (checkFormByUnmarshal): the same bytes or the
// same refusal.
func FuzzFormCheckSameAsBefore(f *testing.F) {
	for _, s := range formSeeds() {
		if len(s) <= maxFuzzSeed {
			f.Add([]byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, form []byte) {
		got, gotErr := checkForm(form)
		want, wantErr := checkFormByUnmarshal(form)
		if d := sameFormCheck(got, gotErr, want, wantErr); d != "" {
			t.Fatalf("%q: %s", form, d)
		}
	})
}

func TestFormCheckSeedsSameAsBefore(t *testing.T) {
	for _, s := range formSeeds() {
		got, gotErr := checkForm([]byte(s))
		want, wantErr := checkFormByUnmarshal([]byte(s))
		if d := sameFormCheck(got, gotErr, want, wantErr); d != "" {
			t.Errorf("%.200q: %s", s, d)
		}
	}
}

// TestFormCheckNumbers: a number encoding/json cannot decode into a
// float64 (out of range; an underflow is 0) is refused, as before.
func TestFormCheckNumbers(t *testing.T) {
	for num, ok := range map[string]bool{
		`1e308`: true, `1e309`: false, `-1e400`: false, `1e-400`: true, `-1e-400`: true, `4.9e-324`: true,
		`1.7976931348623157e308`: true, `1.7976931348623159e308`: false, `1` + strings.Repeat("0", 308): true,
		`2` + strings.Repeat("0", 308): false, `0.` + strings.Repeat("0", 500) + `1`: true,
		`0.` + strings.Repeat("0", 500) + `1e600`: true, `0.` + strings.Repeat("0", 500) + `1e810`: false,
	} {
		form := []byte(`{"n":[` + num + `]}`)
		_, err := checkForm(form)
		if (err == nil) != ok {
			t.Errorf("%.40s…: %v", num, err)
		}
		_, wantErr := checkFormByUnmarshal(form)
		if (err == nil) != (wantErr == nil) {
			t.Errorf("%.40s…: %v, before %v", num, err, wantErr)
		}
	}
}

// TestFormCheckDeep: encoding/json decodes 10000 nested objects and arrays
// and refuses 10001, and so does checkForm. Not fuzz seeds: the mutants of
// so deep a form slow the fuzzer to a crawl.
func TestFormCheckDeep(t *testing.T) {
	for _, form := range []string{
		`{"a":` + nested(`[`, `1`, `]`, 9998) + `}`, `{"a":` + nested(`[`, `1`, `]`, 9999) + `}`,
		`{"a":` + nested(`[`, `1`, `]`, 10000) + `}`, nested(`{"a":`, `1`, `}`, 10000), nested(`{"a":`, `{}`, `}`, 9999),
		nested(`{"a":`, `{}`, `}`, 10000), nested(`{"a":`, `[]`, `}`, 10000), `{"a":` + nested(`[`, `1e999`, `]`, 9999) + `}`,
		`{"a":` + nested(`[`, `1e999`, `]`, 20000) + `}`,
	} {
		got, gotErr := checkForm([]byte(form))
		want, wantErr := checkFormByUnmarshal([]byte(form))
		if d := sameFormCheck(got, gotErr, want, wantErr); d != "" {
			t.Errorf("%d bytes: %.200s", len(form), d)
		}
	}
}

// randomForm builds a JSON object of awkward parts, at most depth deep.
func randomForm(rng *rand.Rand, depth int) string {
	keys := []string{`a`, `\u0061`, ``, `é`, `\u00e9`, `\ud800`, `\udc00`, `\ud83d\ude00`, "😀", `\n`, `\/`, `\u0000`,
		"\xff", "k\xc3", `x\"y`, `键`, strings.Repeat("键", 199), strings.Repeat("键", 200), strings.Repeat("键", 201),
		strings.Repeat(`\u952e`, 201), strings.Repeat("k", 200) + `\ud83d\ude00`, strings.Repeat("k", 199) + `\ud800\u0041`}
	texts := []string{``, `plain`, `王五`, `\u0000`, "\xff", "\xe4\xb8", `\ud800`, `\ud800\u0000`, `\t\\\"`, "a\xed\xa0\x80",
		`\u4e2d`, "\u2028<&>"}
	numbers := []string{"1", "-2.5e3", "0.0", "-0", "1E+2", "1e308", "1e309", "-1e400", "1e-400", "4.9e-324",
		"1.7976931348623159e308", "123456789012345678901234567890"}
	spaces := []string{"", "", "", " ", "\n\t", "\r\n  "}
	sp := func() string { return spaces[rng.Intn(len(spaces))] }
	var b strings.Builder
	var value func(depth int, object bool)
	value = func(d int, object bool) {
		switch n := rng.Intn(10); {
		case object || n < 3 && d < depth:
			b.WriteString("{" + sp())
			for i, count := 0, rng.Intn(5); i < count; i++ {
				if i > 0 {
					b.WriteString(sp() + "," + sp())
				}
				b.WriteString(`"` + keys[rng.Intn(len(keys))] + `"` + sp() + ":" + sp())
				value(d+1, false)
			}
			b.WriteString(sp() + "}")
		case n < 5 && d < depth:
			b.WriteString("[" + sp())
			for i, count := 0, rng.Intn(5); i < count; i++ {
				if i > 0 {
					b.WriteString(sp() + "," + sp())
				}
				value(d+1, false)
			}
			b.WriteString(sp() + "]")
		case n < 6:
			b.WriteString(`"` + texts[rng.Intn(len(texts))] + `"`)
		case n < 7:
			b.WriteString(`"` + texts[rng.Intn(3)] + `"`)
		case n < 9:
			b.WriteString(numbers[rng.Intn(len(numbers))])
		default:
			b.WriteString([]string{"true", "false", "null"}[rng.Intn(3)])
		}
	}
	b.WriteString(sp())
	value(0, true)
	b.WriteString(sp())
	return b.String()
}

// mutate breaks a form somewhere: cuts it short, or puts a byte of JSON's
// syntax in, or takes one out.
func mutate(rng *rand.Rand, form string) string {
	i := rng.Intn(len(form) + 1)
	bytes := []string{"{", "}", "[", "]", ",", ":", `"`, `\`, " ", "x", "0", "-", ".", "e", "\x00", "\xff", "\v", "u"}
	switch rng.Intn(4) {
	case 0:
		return form[:i]
	case 1:
		return form[:i] + bytes[rng.Intn(len(bytes))] + form[i:]
	case 2:
		if i < len(form) {
			return form[:i] + form[i+1:]
		}
	}
	if i < len(form) {
		return form[:i] + bytes[rng.Intn(len(bytes))] + form[i+1:]
	}
	return form + "}"
}

// TestFormCheckRandomSameAsBefore compares checkForm with the Unmarshal it
// replaced on random forms of awkward parts, and on each of them broken.
func TestFormCheckRandomSameAsBefore(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	outcomes := map[string]int{}
	for i := 0; i < 10000; i++ {
		form := randomForm(rng, 1+rng.Intn(10))
		for j := 0; j < 4; j++ {
			got, gotErr := checkForm([]byte(form))
			want, wantErr := checkFormByUnmarshal([]byte(form))
			if d := sameFormCheck(got, gotErr, want, wantErr); d != "" {
				t.Fatalf("%q: %s", form, d)
			}
			if gotErr != nil {
				outcomes["refused"]++
			} else {
				outcomes["accepted"]++
			}
			form = mutate(rng, form)
		}
	}
	t.Logf("%v", outcomes)
}

func BenchmarkCheckForm(b *testing.B) {
	for _, c := range []struct {
		name  string
		check func(json.RawMessage) (json.RawMessage, error)
	}{{"old", checkFormByUnmarshal}, {"new", checkForm}} {
		b.Run(c.name, func(b *testing.B) {
			form := []byte(benchForm)
			b.SetBytes(int64(len(form)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.check(form); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
