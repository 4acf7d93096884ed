package api

import (
	"bytes"
	"encoding/json"
	"testing"
)

// BenchmarkCaseViewJSON: a polled case (five events, a form of about
// 800 bytes) through writeJSON's encoding/json and through appendCaseView
// into a pooled buffer; and the form alone, checked and copied or
// compacted.
func BenchmarkCaseViewJSON(b *testing.B) {
	v := demoCaseView()
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			encodeAsWriteJSON(b, *v)
		}
	})
	b.Run("appendCaseView", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			bp := answerBufs.Get().(*[]byte)
			out, ok := appendCaseView((*bp)[:0], v)
			if !ok {
				b.Fatal("left to encoding/json")
			}
			*bp = out[:0]
			answerBufs.Put(bp)
		}
	})
	dst := make([]byte, 0, 4096)
	b.Run("form-compactJSON", func(b *testing.B) {
		b.SetBytes(int64(len(v.Form)))
		for b.Loop() {
			if !compactJSON(v.Form) {
				b.Fatal("not compact")
			}
			dst = append(dst[:0], v.Form...)
		}
	})
	b.Run("form-json.Compact", func(b *testing.B) {
		b.SetBytes(int64(len(v.Form)))
		for b.Loop() {
			buf := bytes.NewBuffer(dst[:0])
			if err := json.Compact(buf, v.Form); err != nil {
				b.Fatal(err)
			}
		}
	})
}
