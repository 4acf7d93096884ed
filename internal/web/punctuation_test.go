package web

import (
	"strings"
	"testing"
)

// No English text of a UI string carries a full-width mark, and P turns
// the marks templates put between translated words into half-width ones.
func TestEnglishHasNoFullWidthPunctuation(t *testing.T) {
	t.Parallel()
	for zh, en := range english {
		if i := strings.IndexAny(en, "，。：；（）！？、【】《》「」"); i >= 0 {
			t.Errorf("English of %q is %q", zh, en)
		}
	}
	for mark, half := range halfWidth {
		if EN.P(mark) != half || ZH.P(mark) != mark {
			t.Errorf("P(%q): en %q, zh %q", mark, EN.P(mark), ZH.P(mark))
		}
	}
}
