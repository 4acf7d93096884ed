package sealer

import (
	"bytes"
	"strings"
	"testing"
)

// BenchmarkSealOpenForm is the cost sealing adds to writing and reading one
// case: an application form of about 1 KB sealed and opened once.
func BenchmarkSealOpenForm(b *testing.B) {
	s, err := New(bytes.Repeat([]byte{1}, KeySize))
	if err != nil {
		b.Fatal(err)
	}
	form := `{"家庭成员":[{"姓名":"欧阳秀娜","身份证号":"51160219800101002X"}],"住址":"` + strings.Repeat("北辰路", 100) + `"}`
	b.SetBytes(int64(len(form)))
	for b.Loop() {
		if _, err := s.Open(s.Seal(form)); err != nil {
			b.Fatal(err)
		}
	}
}
