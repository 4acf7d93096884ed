package api

import (
	"bytes"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// The hand-written search answer (search_json.go) against writeJSON.

// randomSearchResult is a search answer with strings holding what JSON
// escapes (quotes, backslashes, controls, <mark>, U+2028, invalid UTF-8)
// and scores of every magnitude, or nil hits.
func randomSearchResult(rnd *rand.Rand) searchResult {
	pieces := []string{"", "食品经营许可证核发", "<mark>营</mark>", `"`, `\`, "&amp;", "\n", "\x00", "\x1f", "\u2028", "\xff", "𠀀", "511602000000"}
	str := func() string {
		var b strings.Builder
		for range rnd.IntN(4) {
			b.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		return b.String()
	}
	r := searchResult{Total: rnd.IntN(100_000)}
	if rnd.IntN(8) == 0 {
		return r
	}
	r.Hits = make([]searchHit, rnd.IntN(12))
	for i := range r.Hits {
		r.Hits[i] = searchHit{ListingID: rnd.Int64N(1 << 40), ListingName: str(), ItemName: str(), OrgID: rnd.Int64N(1<<20) - 10,
			OrgName: str(), RegionCode: str(), Snippet: str(), Score: (rnd.Float64() - 0.2) * math.Pow(10, float64(rnd.IntN(50)-25))}
	}
	return r
}

// writeAppended with appendSearchResult answers as writeJSON does: status,
// headers and body, for random answers, and with writeJSON's error for a
// score it refuses.
func TestSearchAnswerAsWriteJSON(t *testing.T) {
	rnd := rand.New(rand.NewPCG(11, 12))
	var results []searchResult
	for range 3000 {
		results = append(results, randomSearchResult(rnd))
	}
	results = append(results, searchResult{Total: 1, Hits: []searchHit{{ListingName: "x", Score: math.NaN()}}},
		searchResult{Hits: []searchHit{{Score: math.Inf(1)}}}, searchResult{Hits: []searchHit{}})
	for i := range results {
		r := &results[i]
		want, got := httptest.NewRecorder(), httptest.NewRecorder()
		wantErr := writeJSON(want, http.StatusOK, *r)
		gotErr := writeAppended(got, http.StatusOK, func(b []byte) ([]byte, bool) { return appendSearchResult(b, r) }, r)
		if (wantErr == nil) != (gotErr == nil) || got.Code != want.Code || !reflect.DeepEqual(got.Header(), want.Header()) ||
			!bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
			t.Fatalf("answer %d: writeAppended %d %v %v\n%s\nwriteJSON %d %v %v\n%s", i, got.Code, got.Header(), gotErr, got.Body,
				want.Code, want.Header(), wantErr, want.Body)
		}
	}
	if err := writeAppended(httptest.NewRecorder(), http.StatusOK, func(b []byte) ([]byte, bool) { return appendSearchResult(b, &results[3000]) }, &results[3000]); err == nil {
		t.Fatal("a NaN score was answered: encoding/json refuses it")
	}
}

// A field added to the search answer must be written by hand too.
func TestSearchAnswerFieldsWritten(t *testing.T) {
	want := map[reflect.Type]string{
		reflect.TypeFor[searchResult](): `Total int "total"; Hits []api.searchHit "hits"`,
		reflect.TypeFor[searchHit](): `ListingID int64 "listing_id"; ListingName string "listing_name"; ItemName string "item_name"; ` +
			`OrgID int64 "org_id"; OrgName string "org_name"; RegionCode string "region_code"; Snippet string "snippet"; Score float64 "score"`,
	}
	checkFieldsWritten(t, want, "appendSearchResult (internal/api/search_json.go)", "randomSearchResult")
}
