package jsontext

import (
	"encoding/json"
	"reflect"
	"testing"
)

// readValues reads an array of strings, integers and booleans, as the
// store's column readers combine them.
func readValues(text string) ([]any, bool) {
	r := NewReader(text)
	r.Open('[')
	out := []any{}
	for r.More(']') {
		switch {
		case r.i < len(r.s) && r.s[r.i] == '"':
			out = append(out, r.String())
		case r.i < len(r.s) && (r.s[r.i] == 't' || r.s[r.i] == 'f'):
			out = append(out, r.Bool())
		default:
			out = append(out, float64(r.Int64())) // as encoding/json reads a number into any
		}
	}
	return out, r.OK()
}

// The Reader takes json.Marshal's form and reads it as encoding/json does;
// it refuses anything outside that form rather than read it differently.
func TestReaderAsEncodingJSON(t *testing.T) {
	for _, c := range []struct {
		text string
		take bool
	}{
		{`[]`, true}, {`["a","营业执照",1,-2,0,true,false]`, true},
		{`["\"\\\/\b\f\n\r\t\u00e9\u003c\ud83d\ude00"]`, true}, {`["\ud800","\udc00x","\ud800\u0041"]`, true},
		{"[\"\xff\"]", true}, {`[9223372036854775807,-9223372036854775808]`, true},
		{`[ ]`, false}, {`[1,]`, false}, {`[,1]`, false}, {`[01]`, false}, {`[1.0]`, false}, {`[1e2]`, false}, {`[-]`, false},
		{`[9223372036854775808]`, false}, {`["\x"]`, false}, {`["\u12"]`, false}, {"[\"\x1f\"]", false}, {`["a"`, false},
		{`[tru]`, false}, {`[null]`, false}, {`[]x`, false}, {`[1]]`, false}, {``, false},
	} {
		got, ok := readValues(c.text)
		if ok != c.take {
			t.Errorf("%q: taken %v, want %v", c.text, ok, c.take)
			continue
		}
		if !ok {
			continue
		}
		var want []any
		if err := json.Unmarshal([]byte(c.text), &want); err != nil {
			t.Fatalf("%q: encoding/json refuses it: %v", c.text, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\nread          %#v\nencoding/json %#v", c.text, got, want)
		}
	}
}
