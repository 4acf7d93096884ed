package workflow

import "testing"

// TestCompactFormPlace: the place of a problem is spelt as the API names a
// form's fields, keys decoded.
func TestCompactFormPlace(t *testing.T) {
	text := FormRules{MaxDepth: 3, Text: true, MaxKeyRunes: 3}
	for _, c := range []struct {
		form  string
		rules FormRules
		want  FormProblem
	}{
		{`{"a":[1,{"b\u00e9":"\u0000"}]}`, text, FormProblem{FormNUL, `form.a[1].bé`}},
		{`{"a":[1,2,{"b":{}}]}`, text, FormProblem{FormTooDeep, `form.a[2].b`}},
		{`{"a\ud800":{"\u0000x":1}}`, text, FormProblem{FormNUL, "form.a\uFFFD.\x00x"}},
		{`{"":{"abcd":1}}`, text, FormProblem{FormLongKey, "form..abcd"}},
		{`{"":{"\ud83d\ude00\u00e9\t":1}}`, text, FormProblem{}},
		{`{"":{"\ud83d\ude00\u00e9\t\/":1}}`, text, FormProblem{FormLongKey, "form..😀é\t/"}},
		{`{"a":[[1e999]]}`, FormRules{Numbers: true}, FormProblem{FormNumber, "form.a[0][0]"}},
		{`{"a":[[1e999]]}`, text, FormProblem{}},
		{"{\"a\":[\"\\u0000\"],\"b\":\"\xff\"}", text, FormProblem{FormBadUTF8, ""}},
		{"{\"a\":[\"\\u0000\"],\"b\":\"\xff\"}", FormRules{}, FormProblem{}},
		{`{"a":1} x`, text, FormProblem{FormTrailing, ""}},
		{` [] `, text, FormProblem{FormNotObject, ""}},
		{`  `, text, FormProblem{FormSyntax, ""}},
		{`{"a":[1,}`, text, FormProblem{FormSyntax, ""}},
	} {
		out, p := CompactForm([]byte(c.form), c.rules)
		if p != c.want || (p.Fault == 0) != (out != nil) {
			t.Errorf("%s: %q, %+v, want %+v", c.form, out, p, c.want)
		}
	}
}

// TestCompactFormAllocs: a clean form costs one allocation, the compacted
// copy, whatever its shape and rules.
func TestCompactFormAllocs(t *testing.T) {
	spaced := []byte(` { "a" : [ 1 , { "b" : "\u00e9" } , 1e300 ] , "c\n" : null } `)
	for _, r := range []FormRules{{Numbers: true}, {MaxDepth: 8, Text: true, MaxKeyRunes: 200}} {
		for _, form := range [][]byte{[]byte(benchForm), spaced} {
			if n := testing.AllocsPerRun(100, func() {
				if _, p := CompactForm(form, r); p.Fault != 0 {
					t.Fatal(p)
				}
			}); n != 1 {
				t.Errorf("%+v %.20s…: %v allocations", r, form, n)
			}
		}
	}
}
