package api

import (
	"testing"
)

// BenchmarkSearchAnswerJSON: a page of ten hits with snippets (about the
// search benchmark's mean answer) through writeJSON's encoding/json and
// through appendSearchResult into a pooled buffer.
func BenchmarkSearchAnswerJSON(b *testing.B) {
	r := searchResult{Total: 8_752}
	for i := range 10 {
		r.Hits = append(r.Hits, searchHit{ListingID: 1_000_000 + int64(i), ListingName: "食品经营许可证核发（仅销售预包装食品备案）",
			ItemName: "食品经营许可证核发", OrgID: 4_210 + int64(i), OrgName: "广安市广安区市场监督管理局", RegionCode: "511602000000",
			Snippet: "申请<mark>食品经营</mark>许可应当具备与经营的食品品种、数量相适应的场所", Score: 12.345678901234 / float64(i+1)})
	}
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			encodeAsWriteJSON(b, r)
		}
	})
	b.Run("appendSearchResult", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			bp := answerBufs.Get().(*[]byte)
			out, ok := appendSearchResult((*bp)[:0], &r)
			if !ok {
				b.Fatal("left to encoding/json")
			}
			*bp = out[:0]
			answerBufs.Put(bp)
		}
	})
}
