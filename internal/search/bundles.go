package search

import (
	"slices"
	"strings"
	"sync"

	"github.com/tongban/tongban"
)

// Bundles (一件事) are few — dozens in a city, not thousands — so they are
// not put through the listing index: a plain list matched by containment is
// exact enough, costs microseconds, and leaves the listing search as it is.
// The Syncer replaces the list whenever a bundle is published, changed or
// withdrawn anywhere.

// BundleHit is a bundle found for a query.
type BundleHit struct {
	ID        int64
	Name      string
	Summary   string
	Subject   string
	LifeEvent string
	LeadOrg   string
	Score     int
}

type bundleEntry struct {
	hit   BundleHit
	name  string   // folded, without the “一件事” tag
	words []string // folded keywords
	parts string   // folded component names, one line each
}

type bundleList struct {
	mu      sync.RWMutex
	entries []bundleEntry
}

// SetBundles replaces the bundles search finds with the published ones of bs.
func (ix *Index) SetBundles(bs []*tongban.Bundle) {
	var es []bundleEntry
	for _, b := range bs {
		if b.Status != tongban.BundlePublished {
			continue
		}
		e := bundleEntry{hit: BundleHit{ID: b.ID, Name: b.Name, Summary: b.Summary, Subject: b.Subject,
			LifeEvent: b.LifeEvent, LeadOrg: b.LeadOrgName},
			name: foldText(strings.NewReplacer("“一件事”", "", "\"一件事\"", "", "一件事", "").Replace(b.Name))}
		for _, k := range b.Keywords {
			if k = foldText(k); k != "" {
				e.words = append(e.words, k)
			}
		}
		var parts []string
		for _, c := range b.Components {
			parts = append(parts, foldText(c.Name))
		}
		e.parts = strings.Join(parts, "\n")
		es = append(es, e)
	}
	ix.bundles.mu.Lock()
	ix.bundles.entries = es
	ix.bundles.mu.Unlock()
}

// AllBundles returns every published bundle the index holds, in the order
// they were given.
func (ix *Index) AllBundles() []BundleHit {
	ix.bundles.mu.RLock()
	defer ix.bundles.mu.RUnlock()
	out := make([]BundleHit, len(ix.bundles.entries))
	for i, e := range ix.bundles.entries {
		out[i] = e.hit
	}
	return out
}

// SearchBundles returns the bundles a query is about, best first: a keyword
// people say (开餐馆) or the bundle's own name weighs most, a component's
// name less. Queries of one character find nothing.
func (ix *Index) SearchBundles(text string) []BundleHit {
	q := foldText(text)
	if len([]rune(q)) < 2 {
		return nil
	}
	ix.bundles.mu.RLock()
	defer ix.bundles.mu.RUnlock()
	var out []BundleHit
	for _, e := range ix.bundles.entries {
		if s := e.score(q); s > 0 {
			h := e.hit
			h.Score = s
			out = append(out, h)
		}
	}
	slices.SortStableFunc(out, func(a, b BundleHit) int { return b.Score - a.Score })
	return out
}

func (e *bundleEntry) score(q string) int {
	best := 0
	for _, w := range e.words {
		switch {
		case w == q:
			best = max(best, 100)
		case strings.Contains(q, w): // 我想开餐馆
			best = max(best, 80)
		case strings.Contains(w, q): // 退休 in 办退休
			best = max(best, 60)
		}
	}
	switch {
	case e.name == q:
		best = max(best, 100)
	case strings.Contains(e.name, q) || len([]rune(e.name)) >= 2 && strings.Contains(q, e.name):
		best = max(best, 70)
	case strings.Contains(e.parts, q):
		best = max(best, 30)
	}
	return best
}

// foldText folds full-width and case and drops spaces and punctuation, so
// that 开 餐馆 and 开餐馆 match alike.
func foldText(s string) string {
	var b strings.Builder
	for _, r := range foldString(s) {
		if isToken(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
