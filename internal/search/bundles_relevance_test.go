package search_test

import (
	"context"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/search"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestDemoBundleRelevance: the demo's published 一件事, loaded by the demo
// loader and picked up by the Syncer, lead the bundle hits for the words
// people use; a withdrawn one disappears on the next poll.
func TestDemoBundleRelevance(t *testing.T) {
	c := loadDemoCity(t, sqldb.SQLite)
	cases := []struct{ q, want string }{
		{"开餐馆", "开办餐饮店“一件事”"},
		{"我想开个餐饮店", "开办餐饮店“一件事”"},
		{"生孩子", "新生儿出生“一件事”"},
		{"新生儿", "新生儿出生“一件事”"},
		{"退休", "退休“一件事”"},
		{"领养老金", "退休“一件事”"},
		{"公司变更", "企业信息变更“一件事”"},
		{"丧葬费", "身后“一件事”"},
	}
	for _, tc := range cases {
		hits := c.sync.Index.SearchBundles(tc.q)
		if len(hits) == 0 || hits[0].Name != tc.want {
			t.Errorf("%s: want %s first, got %v", tc.q, tc.want, names(hits))
		}
	}
	// Words no bundle is about find none.
	for _, q := range []string{"换驾照", "身份证丢了", "x"} {
		if hits := c.sync.Index.SearchBundles(q); len(hits) != 0 {
			t.Errorf("%s: want no bundle, got %v", q, names(hits))
		}
	}

	// A withdrawn bundle leaves search with the next poll.
	ctx := context.Background()
	b, err := c.st.BundleByCode(ctx, "YJS-TX")
	if err != nil {
		t.Fatal(err)
	}
	b.Status, b.UpdatedAt = tongban.BundleWithdrawn, c.clock.Now()
	if err := c.st.SaveBundle(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := c.sync.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	for _, h := range c.sync.Index.SearchBundles("退休") {
		if h.ID == b.ID {
			t.Errorf("withdrawn %s still found", b.Name)
		}
	}
	if n := len(c.sync.Index.AllBundles()); n != 4 {
		t.Errorf("after withdrawing one: %d bundles, want 4", n)
	}
}

func names(hits []search.BundleHit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Name)
	}
	return out
}
