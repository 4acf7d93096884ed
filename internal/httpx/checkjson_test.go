package httpx_test

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
)

// sameRefusal reports whether two CheckJSON results are the same: both nil,
// or both a *tongban.Error with the same code, field and message.
func sameRefusal(got, want error) bool {
	if got == nil || want == nil {
		return got == nil && want == nil
	}
	g, ok1 := got.(*tongban.Error)
	w, ok2 := want.(*tongban.Error)
	return ok1 && ok2 && g.Code == w.Code && g.Field == w.Field && g.Message == w.Message
}

func describe(err error) string {
	if err == nil {
		return "nil"
	}
	if e, ok := err.(*tongban.Error); ok {
		return fmt.Sprintf("%s field %q message %q", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%T %v", err, err)
}

// manyKeys is an object of n keys "k0".."k{n-1}", then extra.
func manyKeys(n int, extra string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%d":%d`, i, i)
	}
	if extra != "" {
		b.WriteString("," + extra)
	}
	b.WriteString("}")
	return b.String()
}

var checkJSONSeeds = []string{
	``, ` `, `null`, `true`, `false`, `0`, `-0.5e+3`, `1E9`, `""`, `"abc"`, `"王五"`, `[]`, `{}`, ` { } `, `[ ]`,
	`{"name":"王五"}`, `{"name":"王\u0000五"}`, "{\"name\":\"\xff\xfe\"}", `{"a":1,"a":2}`,
	`[{"k":["\u0000"]}]`, "{\"\xff\":1}", `"\ud800"`, `"\udc00\ud800"`, `"\ud83d\ude00"`, `{"\ud800":1,"\udfff":2}`,
	`{"\ud800":1,"` + "\uFFFD" + `":2}`, `{"a":{"b":[1,"x\u0000"]}}`, `{"a":1,"\u0061":2}`, `{"a\/b":1,"a/b":2}`,
	`{"":1,"":2}`, `{"x":{"":1,"":2}}`, `{"":{"":1,"":2}}`, `{"":{"a":1,"a":2}}`, `{"":"\u0000"}`, `{"x":{"":"\u0000"}}`,
	`{"a\u0000":1}`, `{"x":{"\u0000":1}}`, `[[["\u0000"]]]`, `[1,[2,{"a":[3,4,"\u0000"]}]]`, `[{"a":1},{"a":1,"a":2}]`,
	`{"a":{"b":1},"a":{"b":2}}`, `{"a":[{"b":1,"c":2,"b":3}]}`, "\t\r\n{\"a\" :\t[ 1 , 2 ] }\n",
	`{"a":"\"\\\/\b\f\n\r\t\u00e9"}`, `{"\n":1,"\u000a":2}`, `{"\u00e9":1,"é":2}`, `{"\u00E9":1,"\u00e9":2}`,
	"[\"ok\",\"\xff\",\"\u0000\"]", "[\"\\u0000\",\"\xff\"]", "[\"\\u0000\xff\"]", "{\"a\":1,\"a\\u0000\xff\":2}",
	"{\"a\":1,\"a\":\"\xff\"}", "{\"a\":\"\xff\",\"a\":1}", "{\"k\xff\":1,\"k\xff\":2}", "\"\xed\xa0\x80\"", "\"\xe4\xb8\"",
	"\"\xf4\x90\x80\x80\"", "{\"a\":\"\xc0\xaf\"}", `{"a":"\ud800\u0000"}`, `{"a":"\ud800\udc00\u0000"}`,
	manyKeys(16, `"k3":1`), manyKeys(17, `"k3":1`), manyKeys(17, `"k16":1`), manyKeys(20, `"k19":{"a":1,"a":2}`),
	manyKeys(30, `"k\u0032\u0039":1`), manyKeys(40, ""), manyKeys(18, `"":1,"":2`),
	`{"a":` + manyKeys(20, `"k0":"x"`) + `}`, `[` + manyKeys(17, `"z":1`) + `,` + manyKeys(17, `"k9":1`) + `]`,
	strings.Repeat("[", 50) + `"\u0000"` + strings.Repeat("]", 50),
	strings.Repeat(`{"a":`, 30) + `{"b":1,"b":2}` + strings.Repeat("}", 30),
	// Not JSON.
	`{"a":1,}`, `{"a"}`, `{"a":1 "b":2}`, `[1,]`, `01`, `1.`, `-`, `tru`, `"\u12"`, `"\x"`, "\"a\x00\"", `{"a":"\u0000"`,
	`{"a":1,"a":2`, `{"a":1}{"a":1,"a":2}`, `"a" "b"`, "\xff", `{"a":"b"} "\u0000"`, `]`, `}`, `[}`, `{]`, `{"":0,""0`,
	submission,
}

// FuzzCheckJSONSameAsTokenWalk: for a JSON document, CheckJSON answers as
// the token walk it replaced did (checkJSONByTokens), the same refusal or
// none; for anything else it returns nil or a field error naming a clean
// field (the decoder that follows refuses it).
func FuzzCheckJSONSameAsTokenWalk(f *testing.F) {
	for _, s := range checkJSONSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		got := httpx.CheckJSON(doc)
		if json.Valid(doc) {
			if want := checkJSONByTokens(doc); !sameRefusal(got, want) {
				t.Fatalf("%q: got %s, the token walk %s", doc, describe(got), describe(want))
			}
			return
		}
		if got != nil {
			if e, ok := got.(*tongban.Error); !ok || e.Code != tongban.EInvalid || e.Field == "" || !clean(e.Field) {
				t.Fatalf("%q: refusal %s is not a field error naming a clean field", doc, describe(got))
			}
		}
	})
}

// TestCheckJSONDeep: encoding/json decodes no deeper than 10000 objects
// and arrays; CheckJSON refuses what is wrong at that depth, as the token
// walk did, and passes anything deeper (the decoder refuses it). These are
// not fuzz seeds: the token walk spells a path at every level, and mutants
// of them slow the fuzzer down to a crawl.
func TestCheckJSONDeep(t *testing.T) {
	for _, c := range []struct {
		depth int
		inner string
	}{{10000, `"\u0000"`}, {9999, `{"a":1,"a":2}`}, {9999, "{\"\xff\":1}"}, {10000, `"x"`}} {
		doc := []byte(strings.Repeat("[", c.depth) + c.inner + strings.Repeat("]", c.depth))
		if !json.Valid(doc) {
			t.Fatalf("depth %d %s: not JSON", c.depth, c.inner)
		}
		if got, want := httpx.CheckJSON(doc), checkJSONByTokens(doc); !sameRefusal(got, want) {
			t.Errorf("depth %d %s: got %.80s, the token walk %.80s", c.depth, c.inner, describe(got), describe(want))
		}
	}
	for _, inner := range []string{`"\u0000"`, `1`, `{"a":1,"a":2}`} {
		doc := []byte(strings.Repeat("[", 10001) + inner + strings.Repeat("]", 10001))
		if json.Valid(doc) {
			t.Fatal("10001 deep is JSON")
		}
		if err := httpx.CheckJSON(doc); err != nil {
			t.Errorf("10001 deep %s: %.80s", inner, describe(err))
		}
	}
}

// TestCheckJSONRandomSameAsTokenWalk compares CheckJSON with the token walk
// on random JSON documents built from awkward parts: keys that repeat, often
// only once decoded, escapes, surrogates, NUL escapes and bytes that are not
// UTF-8.
func TestCheckJSONRandomSameAsTokenWalk(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	keys := []string{`a`, `\u0061`, `b`, ``, `a.b`, `é`, `\u00e9`, `\ud800`, `\udc00`, "\uFFFD", `\ud83d\ude00`, "😀",
		`\n`, `\u000a`, `\/`, `/`, `\u0000`, "\xff", "k\xc3", `x\"y`}
	texts := []string{``, `plain`, `王五`, `\u0000`, "\xff", "\xe4\xb8", `\ud800`, `\ud800\u0000`, `\t\\\"`, "a\xed\xa0\x80", `\u4e2d`}
	var value func(b *strings.Builder, depth int)
	value = func(b *strings.Builder, depth int) {
		switch n := rng.Intn(10); {
		case n < 3 && depth < 6:
			b.WriteString("{")
			count := rng.Intn(5)
			if rng.Intn(8) == 0 {
				count = 15 + rng.Intn(6)
			}
			for i := 0; i < count; i++ {
				if i > 0 {
					b.WriteString(",")
				}
				if count > 10 && rng.Intn(3) > 0 {
					fmt.Fprintf(b, `"k%d"`, rng.Intn(40))
				} else {
					b.WriteString(`"` + keys[rng.Intn(len(keys))] + `"`)
				}
				b.WriteString(" : "[rng.Intn(2):2])
				value(b, depth+1)
			}
			b.WriteString("}")
		case n < 5 && depth < 6:
			b.WriteString("[")
			for i, count := 0, rng.Intn(5); i < count; i++ {
				if i > 0 {
					b.WriteString(", "[:1+rng.Intn(2)])
				}
				value(b, depth+1)
			}
			b.WriteString("]")
		case n < 8 && rng.Intn(4) == 0:
			b.WriteString(`"` + texts[rng.Intn(len(texts))] + `"`)
		case n < 8:
			b.WriteString(`"` + texts[rng.Intn(3)] + `"`) // clean
		default:
			b.WriteString([]string{"1", "-2.5e3", "true", "false", "null", "0.0", "-0", "1E+2"}[rng.Intn(8)])
		}
	}
	refused := map[string]int{}
	for i := 0; i < 50000; i++ {
		var b strings.Builder
		value(&b, 0)
		doc := []byte(b.String())
		if !json.Valid(doc) {
			t.Fatalf("built %q, not JSON", doc)
		}
		got, want := httpx.CheckJSON(doc), checkJSONByTokens(doc)
		if !sameRefusal(got, want) {
			t.Fatalf("%q: got %s, the token walk %s", doc, describe(got), describe(want))
		}
		switch e, _ := got.(*tongban.Error); {
		case e == nil:
			refused["none"]++
		case strings.Contains(e.Message, "重复"):
			refused["repeat"]++
		case strings.Contains(e.Message, "空字符"):
			refused["NUL"]++
		default:
			refused["UTF-8"]++
		}
	}
	t.Logf("of 50000: %v", refused)
}

func TestCheckJSON(t *testing.T) {
	const (
		nul = "不能包含空字符"
		bad = "含有无效的字符编码（应为 UTF-8）"
	)
	for _, c := range []struct {
		doc, field, message string
	}{
		{`{"name":"王五","materials":[{"code":"m1"},{"name":"营业执照"}]}`, "", ""},
		{`"\ud800"`, "", ""}, // an unpaired surrogate decodes to U+FFFD
		{`{"a":{"a":1},"b":[{"a":1}]}`, "", ""},
		{`{"a":1,"b":"\u0000"}`, "b", "“b”" + nul},
		{`"\u0000"`, "body", "“body”" + nul},
		{"\"\xff\"", "body", "“body”" + bad},
		{`{"materials":[{"code":"m1"},{"code":"m2","name":"x\u0000"}]}`, "materials[1].name", "“materials[1].name”" + nul},
		{"{\"materials\":[{\"name\":\"\xe4\xb8\"}]}", "materials[0].name", "“materials[0].name”" + bad},
		{"[\"\\u0000\xff\"]", "[0]", "“[0]”" + bad}, // bad UTF-8 before NUL in one string
		{`[1,[2,{"a":[3,"\u0000"]}]]`, "[1][1].a[1]", "“[1][1].a[1]”" + nul},
		{`{"a":{"b\u0000":1}}`, "a", "“a”" + nul},   // a bad key is named by its object
		{"{\"a\":{\"b\xff\":1}}", "a", "“a”" + bad}, // and not echoed
		{`{"k\u0000":1}`, "body", "“body”" + nul},   // the top object is the body
		{`{"a":1,"a":2}`, "a", "字段“a”重复出现"},         //
		{`{"a":1,"\u0061":2}`, "a", "字段“a”重复出现"},    // keys compare decoded
		{`{"\ud800":1,"\udc00":2}`, "\uFFFD", "字段“\uFFFD”重复出现"},
		{`{"x":{"y":[{"k":1,"k":2}]}}`, "x.y[0].k", "字段“k”重复出现"},
		{`{"":1,"":2}`, "body", "字段“”重复出现"}, // a repeated "" is named by its object
		{`{"x":{"":1,"":2}}`, "x", "字段“”重复出现"},
		{`{"":{"a":1,"a":2}}`, "a", "字段“a”重复出现"}, // a path through "" spells nothing for it
		{`{"x":{"":{"a":"\u0000"}}}`, "x..a", "“x..a”" + nul},
		{"{\"a\":1,\"a\":\"\xff\"}", "a", "字段“a”重复出现"}, // the repeat comes first
		{"{\"a\":\"\xff\",\"a\":1}", "a", "“a”" + bad}, // the bad text comes first
		{manyKeys(20, `"k7":1`), "k7", "字段“k7”重复出现"},
		{`{"m":` + manyKeys(17, `"k\u0031\u0036":1`) + `}`, "m.k16", "字段“k16”重复出现"},
		{`[` + manyKeys(30, "") + `,` + manyKeys(30, `"":1,"":2`) + `]`, "[1]", "字段“”重复出现"},
		// Not JSON: the decoder says so.
		{`{"a":1,`, "", ""},
		{"\"a\x00\"", "", ""},
		{strings.Repeat("[", 10001) + `"\u0000"` + strings.Repeat("]", 10001), "", ""},
	} {
		err := httpx.CheckJSON([]byte(c.doc))
		if c.field == "" {
			if err != nil {
				t.Errorf("%.60q: %s", c.doc, describe(err))
			}
			continue
		}
		e, ok := err.(*tongban.Error)
		if !ok || e.Code != tongban.EInvalid || e.Field != c.field || e.Message != c.message {
			t.Errorf("%.60q: %s, want field %q message %q", c.doc, describe(err), c.field, c.message)
		}
		if old := checkJSONByTokens([]byte(c.doc)); !sameRefusal(err, old) {
			t.Errorf("%.60q: the token walk says %s", c.doc, describe(old))
		}
	}
}

// submission is a realistic body of POST /api/v1/submissions, about 1 KB.
var submission = `{"listing_id":5,"listing_version":0,"channel":"online","delivery":"pickup",` +
	`"applicant_id_number":"511602199003071232","contact":"张三","phone":"13800000000",` +
	`"form":{"field1":"值","field2":"广安市广安区建设路 12 号","field3":"2024-03-01","field4":"个体工商户",` +
	`"field5":"餐饮服务","field6":"120","field7":"否","field8":"经营面积含后厨与仓库，共三层。"},` +
	`"materials":[` +
	`{"code":"m1","name":"营业执照","status":"uploaded","file_id":"f3a9c1e2-7b4d-4e8a-9f10-2c5d6e7f8a90"},` +
	`{"code":"m2","name":"法定代表人身份证","status":"uploaded","file_id":"0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"},` +
	`{"code":"m3","name":"食品经营场所平面图","status":"uploaded","file_id":"9e8d7c6b-5a49-4382-b716-05f4e3d2c1b0"},` +
	`{"code":"m4","name":"卫生管理制度","status":"pending","file_id":""}]}`

func BenchmarkCheckJSON(b *testing.B) {
	doc := []byte(submission)
	if !json.Valid(doc) {
		b.Fatal("the submission is not JSON")
	}
	for _, c := range []struct {
		name  string
		check func([]byte) error
	}{{"scan", httpx.CheckJSON}, {"tokens", checkJSONByTokens}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			for b.Loop() {
				if err := c.check(doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
