package search

import (
	"bufio"
	"crypto/sha256"
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// TestAnswersUnchanged pins the whole pipeline's answers — hits, order,
// scores to the bit, snippets, totals, paging, filters — on the 100,000-doc
// scaled catalog, on the real one, and on a scaled one with mixed audiences
// after churn (dead docs in the layout, an unordered tail), against
// testdata/golden_answers.txt, recorded before the speed-ups that must
// change nothing. Each line is one answer's digest; regenerate only for a
// change meant to alter answers:
//
//	go test ./internal/search/ -run TestAnswersUnchanged -update-golden
func TestAnswersUnchanged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 100,000-doc index")
	}
	names := guanganNames(t)
	fixture(t) // reads fixtureDocs
	mixed := mixedAudiences(names)
	churned := New()
	churned.Upsert(mixed...)
	churned.Regroup()
	churn(t, "churned", churned, mixed, "")

	var got []string
	for _, c := range []struct {
		name string
		ix   *Index
		docs []Doc
	}{{"scaled100k", benchIndex(t), nil}, {"real", fixture(t), fixtureDocs}, {"churned", churned, mixed}} {
		for i, q := range goldenQueries(c.docs) {
			res, err := c.ix.search(q)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprintf("%s %d %d %s", c.name, i, res.Total, digest(res)))
		}
	}

	const path = "testdata/golden_answers.txt"
	if *updateGolden {
		if err := os.WriteFile(path, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	for s := bufio.NewScanner(f); s.Scan(); {
		want = append(want, s.Text())
	}
	if len(want) != len(got) {
		t.Fatalf("%d answers, golden file has %d", len(got), len(want))
	}
	bad := 0
	for i := range got {
		if got[i] != want[i] {
			if bad++; bad <= 20 {
				t.Errorf("answer changed: got %q, want %q", got[i], want[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d answers changed", bad, len(got))
	}
}

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden_answers.txt")

// goldenQueries: the benchmark mix from several places and pages
// (memoQueries), near many towns as the load test sends it, and with every
// filter; docs (nil for the scaled catalog) give an org to filter by.
func goldenQueries(docs []Doc) []Query {
	qs := append(memoQueries(), Query{Text: "变更", Limit: MaxLimit})
	org := int64(500)
	if len(docs) > 0 {
		org = docs[len(docs)/2].OrgID
	}
	for i, q := range benchQueries {
		for n := range 4 {
			q := q
			q.UserRegion = nearTown(i, n)
			qs = append(qs, q)
		}
		for _, f := range []Query{
			{Audience: AudiencePerson}, {Audience: AudienceEntity, UserRegion: "511602000000"},
			{Region: "5116"}, {Region: "511602", UserRegion: "511602101000", Limit: MaxLimit},
			{OrgID: org}, {Theme: "社会保障"}, {Channel: "全程网办", Offset: 20},
			{Limit: MaxLimit, Offset: MaxOffset - 50, UserRegion: "510104000000"},
		} {
			f.Text = q.Text
			qs = append(qs, f)
		}
	}
	return qs
}

// digest is a hash of everything an answer shows, scores by their bits.
func digest(res Result) string {
	h := sha256.New()
	for _, x := range res.Hits {
		fmt.Fprintf(h, "%d\x00%s\x00%s\x00%d\x00%s\x00%s\x00%s\x00%x\n", x.ListingID, x.ListingName, x.ItemName,
			x.OrgID, x.OrgName, x.RegionCode, x.Snippet, math.Float64bits(x.Score))
	}
	return fmt.Sprintf("%d:%x", len(res.Hits), h.Sum(nil)[:12])
}
