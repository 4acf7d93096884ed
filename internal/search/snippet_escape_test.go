package search

import (
	"html"
	"strings"
	"testing"
)

// TestWriteEscaped: the snippet's escaping is html.EscapeString's.
func TestWriteEscaped(t *testing.T) {
	for _, s := range []string{"", "申请书", `<a href="x">'&'</a>`, "a\xffb", "&amp;&#39;"} {
		var b strings.Builder
		writeEscaped(&b, []rune(s))
		if got, want := b.String(), html.EscapeString(string([]rune(s))); got != want {
			t.Errorf("writeEscaped(%q) = %q, want %q", s, got, want)
		}
	}
}
