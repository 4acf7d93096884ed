package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLinkFromReport: the report's link to docs/benchmarks.md resolves
// from wherever the report is written.
func TestLinkFromReport(t *testing.T) {
	for _, c := range []struct{ out, want string }{
		{"BENCHMARKS.md", "docs/benchmarks.md"},
		{"docs/benchmarks-2026-12-06-morning.md", "benchmarks.md"},
		{"./docs/runs/x.md", "../benchmarks.md"},
	} {
		if got := linkFrom(c.out, filepath.Join("docs", "benchmarks.md")); got != c.want {
			t.Errorf("linkFrom(%q) = %q, want %q", c.out, got, c.want)
		}
	}
	out := filepath.Join(t.TempDir(), "report.md")
	rel := linkFrom(out, filepath.Join("docs", "benchmarks.md"))
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := filepath.Clean(filepath.Join(filepath.Dir(out), filepath.FromSlash(rel))), filepath.Join(wd, "docs", "benchmarks.md"); got != want {
		t.Errorf("from %s the link %q reaches %s, want %s", out, rel, got, want)
	}
}
