package jsontext

import (
	"encoding/json"
	"testing"
)

// TestAppendUnquotedAsEncodingJSON: a string's text as encoding/json
// decodes it, escapes, pairs and lone surrogates included.
func TestAppendUnquotedAsEncodingJSON(t *testing.T) {
	for _, s := range []string{`plain`, `王五`, `a\"b\\c\/d`, `\b\f\n\r\t`, `\u0061\u738b`, `\ud83d\ude00`,
		`\ud800`, `\udc00x`, `\ud800\u0041`, `\ud800\ud800\udc00`, "bad\xffbyte", `\u0000`} {
		var want string
		if err := json.Unmarshal([]byte(`"`+s+`"`), &want); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if got := string(AppendUnquoted(nil, []byte(s))); got != want {
			t.Errorf("AppendUnquoted(%q) = %q, encoding/json decodes %q", s, got, want)
		}
	}
	if Hex4([]byte("00e9")) != 0xe9 || Hex4([]byte("0g00")) != -1 || Hex4([]byte("12")) != -1 {
		t.Error("Hex4")
	}
}
