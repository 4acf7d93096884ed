package jsontext

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// marshal is what encoding/json writes for s, with EscapeHTML as html.
func marshal(t testing.TB, s string, html bool) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// AppendString writes every string as encoding/json does, with and
// without HTML escaping: pieces with each escape it makes, three- and
// four-byte characters, overlong and truncated sequences, surrogates.
func TestAppendStringAsEncodingJSON(t *testing.T) {
	pieces := []string{"", "社会保障卡申领", "a", `"`, `\`, "<b>", "&", "\n", "\r\t", "\b\f", "\x00", "\x1f", "\x7f",
		"\u2028", "\u2029", "\u2027", "\xff", "\xe4\xb8", "\xe0\x80\x80", "\xed\xa0\x80", "𠀀", "é", "'", "/", " "}
	rnd := rand.New(rand.NewPCG(3, 4))
	for i := range 20000 {
		var b strings.Builder
		for range rnd.IntN(5) {
			b.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		s := b.String()
		for _, html := range []bool{false, true} {
			if got, want := AppendString([]byte("x"), s, html), append([]byte("x"), marshal(t, s, html)...); !bytes.Equal(got, want) {
				t.Fatalf("string %d %q, html %v:\n got %s\nwant %s", i, s, html, got, want)
			}
		}
	}
}
