package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/workflow"
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

// formSeeds are forms at every edge the token walk had: whitespace (the
// walk trimmed Unicode's), null, what is not an object, syntax broken
// anywhere, trailing data, escapes, surrogates, NUL, bytes that are not
// UTF-8, each before and after another problem, nesting at the bound,
// keys at 200 characters and forms at the byte bound.
func formSeeds() []string {
	const max = workflow.MaxFormBytes
	pad := func(n int) string { return strings.Repeat("x", n) }
	k := func(s string, n int) string { return strings.Repeat(s, n) }
	seeds := []string{
		``, ` `, "\t\r\n ", "\v", "\u00a0", "\u00a0{}\u00a0", "\u3000{\"a\":1}\u2028", "\v{}\f", `null`, ` null `, "\vnull",
		`nul`, `nulll`, `{}`, ` { } `, "\n{\"a\" :\t[ 1 , 2 ] }\n", `[]`, `[{}]`, `1`, `"x"`, `true`, `{}{}`, `{} {}`,
		`{}x`, `{} ` + "\x00", `{"a":1}}`, `{"a":1`, `{"a":1,}`, `{"a"}`, `{"a":}`, `{"a" 1}`, `{"a"::1}`,
		`{"a":1 "b":2}`, `{,"a":1}`, `{"a":1,,"b":2}`, `{1:2}`, `{a:1}`, `{"a":1:2}`, `{"a":[1,]}`, `{"a":[,1]}`,
		`{"a":[1 2]}`, `{"a":[1:2]}`, `{"a":[}`, `{"a":{]}`, `{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":-}`, `{"a":+1}`,
		`{"a":1e}`, `{"a":1x}`, `{"a":tru}`, `{"a":nulls}`, `{"a":"\x"}`, `{"a":"\u12"}`, `{"a":"\u12g4"}`,
		"{\"a\":\"\x01\"}", "{\"a\":\"\x7f\"}", `{"a":"\'"}`, `{"a":"b"`, `{"a":"b`, `{"`, `{`, `{"a":1,"a":2}`,
		`{"":""}`, `{"":{"":[""]}}`, `{"a":"\"\\\/\b\f\n\r\t\u00e9\u4E2D"}`, `{"a":"<&>` + "\u2028" + `"}`,
		// NUL, by its place and against other problems.
		`{"a":"\u0000"}`, `{"\u0000":1}`, `{"a\u0000b":"\u0000"}`, `{"a":[1,{"b":["x","\u0000"]}]}`,
		`{"a":"\u0000","b":x}`, `{"a":x,"b":"\u0000"}`, `{"a\u0000"`, `{"a\u0000":`, `{"a\u0000" 1}`, `{"a\u0000":x}`,
		`{"a":"\u0000\x"}`, `{"a":"\u0000"` + "\xff}", `{"a":"\u0000"} x`, `{"a\/\n\u00e9\ud800":{"b":"\u0000"}}`,
		`{"a":"\ud800\u0000"}`, `{"\ud800\udc00\u0000":1}`,
		// Surrogates and bytes that are not UTF-8.
		`{"\ud800":1}`, `{"a":"\ud800\udc00"}`, `{"a":"\udc00\ud800"}`, `{"\ud83d\ude00":"\ud83d\ude00"}`,
		`{"a":"\ud800\u0041"}`, `{"a":"\ud800\ud800\udc00"}`, "{\"a\":\"\xff\"}", "{\"\xfe\":1}", "{\"a\":\"\xed\xa0\x80\"}",
		"{\"a\":\"\xe4\xb8\"}", "{\"a\":\"\xf4\x90\x80\x80\"}", "{\"a\":\"\xc0\xaf\"}", "{\xff}", "{\"a\":1}\xff",
		"{\"a\":x}\xff", "{\"a\":\"\\u0000\",\"b\":\"\xff\"}", "\xff{}",
		// Numbers: the walk never decoded them into a float64 (the workflow refuses 1e309).
		`{"a":0}`, `{"a":-0.0e-0}`, `{"a":1E+2}`, `{"a":1e308}`, `{"a":1e309}`, `{"a":-1e400}`, `{"a":1e-400}`,
		`{"a":0.` + k("0", 400) + `1e-400}`, `{"a":1` + k("0", 400) + `}`,
		// Nesting: the form is the first of 8.
		nested(`{"a":`, `1`, `}`, 7), nested(`{"a":`, `1`, `}`, 8), nested(`{"a":`, `1`, `}`, 9),
		nested(`{"a":`, `{}`, `}`, 7), nested(`{"a":`, `[]`, `}`, 8), nested(`{"a":`, `"\u0000"`, `}`, 9),
		`{"a":` + nested(`[`, `1`, `]`, 6) + `}`, `{"a":` + nested(`[`, `1`, `]`, 7) + `}`,
		`{"a":` + nested(`[`, `1`, `]`, 8) + `}`, `{"a":` + nested(`[`, `"\u0000"`, `]`, 7) + `}`,
		`{"a":[0,1,` + nested(`[`, `[x`, `]`, 7) + `]}`, `{"a":[0,1,[2,` + nested(`{"b":`, `{`, `}`, 5) + `]]}`,
		`{"a":[0,` + nested(`{"\u00e9":[`, `1`, `]}`, 4) + `]}`, nested(`{"a":`, `{"\u0000":1}`, `}`, 7),
		nested(`{"a":`, `{"\u0000":1}`, `}`, 8), nested(`{"a":`, `{"b":1`, `}`, 8), nested(`{"a":`, `{"b":1`, `}`, 7),
		// Keys at 200 characters, as decoded.
		`{"` + k("键", 200) + `":1}`, `{"` + k("键", 201) + `":1}`, `{"` + k(`\u952e`, 200) + `":1}`,
		`{"` + k(`\u952e`, 201) + `":1}`, `{"` + k(`\ud83d\ude00`, 200) + `":1}`, `{"` + k(`\ud83d\ude00`, 201) + `":1}`,
		`{"` + k(`\ud800`, 200) + `":1}`, `{"` + k(`\ud800`, 201) + `":1}`, `{"` + k("k", 199) + `\ud800\u0041":1}`,
		`{"` + k("k", 198) + `\ud800\u0041":1}`, `{"` + k("k", 201) + `\u0000":1}`, `{"` + k("k", 201) + `":x}`,
		`{"` + k("k", 201) + `\x":1}`, `{"a":{"` + k("😀", 201) + `":1}}`, `{"a":["` + k("k", 201) + `"]}`,
		// The byte bound, trimmed.
		`{"k":"` + pad(max-10) + `"}`, `{"k":"` + pad(max-9) + `"}`, ` {"k":"` + pad(max-10) + `"} `,
		`{"k":"` + k("长", (max-10)/3) + `"}`, "{\"k\":\"" + pad(max-10) + "\"}\u3000", `{"k":"` + pad(max-9) + `"}x`,
		` ` + benchForm + ` `, strings.Replace(benchForm, ",", ", ", -1), strings.Replace(benchForm, ":", " : ", -1),
	}
	return seeds
}

// maxFuzzSeed bounds the seeds of FuzzFormCheckSameAsBefore: the fuzzer
// minimizes every new input it finds, for up to a minute, and the mutants
// of a form at the byte bound stall it for most of its run. Those seeds are
// checked as they are by TestFormCheckSeedsSameAsBefore.
const maxFuzzSeed = 4 << 10

// FuzzFormCheckSameAsBefore: checkForm answers every input as the token
// walk it replaced did (checkFormByTokens): the same bytes or the same
// refusal (code, field and message).
func FuzzFormCheckSameAsBefore(f *testing.F) {
	for _, s := range formSeeds() {
		if len(s) <= maxFuzzSeed {
			f.Add([]byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, form []byte) {
		got, gotErr := checkForm(form)
		want, wantErr := checkFormByTokens(form)
		if d := sameFormCheck(got, gotErr, want, wantErr); d != "" {
			t.Fatalf("%q: %s", form, d)
		}
	})
}

func TestFormCheckSeedsSameAsBefore(t *testing.T) {
	for _, s := range formSeeds() {
		got, gotErr := checkForm([]byte(s))
		want, wantErr := checkFormByTokens([]byte(s))
		if d := sameFormCheck(got, gotErr, want, wantErr); d != "" {
			t.Errorf("%.200q: %s", s, d)
		}
	}
}

// TestFormCheckRefusals spells out what the refusals say, and which of two
// problems is named: a byte that is not UTF-8 anywhere first, then the
// first problem in the form's order, a key's before its colon.
func TestFormCheckRefusals(t *testing.T) {
	const (
		syntax = "申请表 JSON 格式错误"
		object = "申请表应为 JSON 对象"
		nul    = "不能包含空字符"
		deep   = "申请表嵌套不能超过 8 层"
		long   = "内容过长，不能超过 200 个字符"
		utf    = "申请表含有无效字符"
	)
	for _, c := range []struct{ form, field, message string }{
		{`{"a":"\u0000","b":x}`, "form.a", nul},
		{`{"a":x,"b":"\u0000"}`, "form", syntax},
		{`{"a\u0000"`, "form.a\x00", nul},
		{`{"a":[1,{"b\u00e9\ud800":"\u0000"}]}`, "form.a[1].bé\uFFFD", nul},
		{"{\"a\":x}\xff", "form", utf},
		{`{"a":"\u0000\x"}`, "form", syntax},
		{nested(`{"a":`, `"\u0000"`, `}`, 8), "form.a.a.a.a.a.a.a.a", nul},
		{nested(`{"a":`, `"\u0000"`, `}`, 9), "form.a.a.a.a.a.a.a.a", deep},
		{nested(`{"a":`, `x`, `}`, 9), "form.a.a.a.a.a.a.a.a", deep},
		{`{"a":[0,` + nested(`[`, `x`, `]`, 7) + `]}`, "form.a[1][0][0][0][0][0][0]", deep},
		{`{"` + strings.Repeat("键", 201) + `":x}`, "form." + strings.Repeat("键", 201), long},
		{`{"a":"\u0000"} x`, "form.a", nul},
		{`{"a":1} x`, "form", object},
		{` [] `, "form", object},
		{`{"a":1e999}`, "", ""},
	} {
		_, err := checkForm([]byte(c.form))
		e := tongban.AsError(err)
		if err == nil && c.message == "" {
			continue
		}
		if err == nil || e.Code != tongban.EInvalid || e.Field != c.field || e.Message != c.message {
			t.Errorf("%.80s: %v, want [%q] %s", c.form, err, c.field, c.message)
		}
	}
}

// TestFormCheckLongText: a string is never refused for its length, since
// the form's byte bound keeps it far below MaxFormBytes characters (the
// walk's bound for a string), and the scanner does not count them.
func TestFormCheckLongText(t *testing.T) {
	form := `{"":"` + strings.Repeat("x", workflow.MaxFormBytes-len(`{"":""}`)) + `"}`
	if len(form) != workflow.MaxFormBytes {
		t.Fatal(len(form))
	}
	for _, check := range []func(json.RawMessage) (json.RawMessage, error){checkForm, checkFormByTokens} {
		if _, err := check([]byte(form)); err != nil {
			t.Fatal(err)
		}
		if _, err := check([]byte(form + "x")); err == nil || !strings.Contains(err.Error(), "过大") {
			t.Fatal(err)
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
	numbers := []string{"1", "-2.5e3", "0.0", "-0", "1E+2", "1e308", "1e309", "-1e400", "1e-400", "123456789012345678901234567890"}
	spaces := []string{"", "", "", " ", "\n\t", "\r\n  "}
	sp := func() string { return spaces[rng.Intn(len(spaces))] }
	var b strings.Builder
	var value func(depth int, object bool)
	value = func(d int, object bool) {
		switch n := rng.Intn(10); {
		case !object && d < depth && rng.Intn(20) == 0: // a chain of containers, to reach the bound
			open, close := "", ""
			for i := 6 + rng.Intn(4); i > 0; i-- {
				if rng.Intn(2) == 0 {
					open, close = open+`[`+sp(), sp()+`]`+close
				} else {
					k := keys[rng.Intn(len(keys)/3)]
					open, close = open+`{"`+k+`":`+sp(), sp()+`}`+close
				}
			}
			b.WriteString(open)
			value(depth, false)
			b.WriteString(close)
		case object || n < 3 && d < depth:
			b.WriteString("{" + sp())
			for i, count := 0, rng.Intn(5); i < count; i++ {
				if i > 0 {
					b.WriteString(sp() + "," + sp())
				}
				key := keys[rng.Intn(len(keys))]
				if rng.Intn(3) > 0 {
					key = keys[rng.Intn(len(keys))/3] // mostly the short ones
				}
				b.WriteString(`"` + key + `"` + sp() + ":" + sp())
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
		case n < 6 && rng.Intn(4) == 0:
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
	bytes := []string{"{", "}", "[", "]", ",", ":", `"`, `\`, " ", "x", "0", "-", ".", "e", "\x00", "\v", "u", `\u0000`, "{", "[", `"`}
	if rng.Intn(10) == 0 {
		bytes = []string{"\xff", "\xe4"}
	}
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

// TestFormCheckRandomSameAsBefore compares checkForm with the token walk
// it replaced on random forms of awkward parts, and on each of them broken.
func TestFormCheckRandomSameAsBefore(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	outcomes := map[string]int{}
	for i := 0; i < 10000; i++ {
		form := randomForm(rng, 1+rng.Intn(10))
		for j := 0; j < 4; j++ {
			got, gotErr := checkForm([]byte(form))
			want, wantErr := checkFormByTokens([]byte(form))
			if d := sameFormCheck(got, gotErr, want, wantErr); d != "" {
				t.Fatalf("%q: %s", form, d)
			}
			if gotErr != nil {
				outcomes[tongban.AsError(gotErr).Message]++
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
	}{{"old", checkFormByTokens}, {"new", checkForm}} {
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
