package search

import "testing"

// TestUnreadCountChangesNothing: counting a copy with bits of its own
// without reading its mask, when its group's mask alone matches and no
// token's cover can fall (passWeights.monotone), must give exactly what
// reading it gives, on the real catalog, a scaled one, and one whose groups
// mix audiences, each after churn (as TestPrecheckChangesNothing).
func TestUnreadCountChangesNothing(t *testing.T) {
	docs := switchCatalogs(t)
	for name, ds := range docs {
		ix := New()
		ix.Upsert(ds...)
		ix.Regroup()
		compareSwitchedOff(t, name, ix, ds, &noUnreadCount)
		churn(t, name, ix, ds, "出生医学证明")
		compareSwitchedOff(t, name+" after churn", ix, ds, &noUnreadCount)
	}
}

// TestCoverageCanFall shows why the unread count needs passWeights.monotone:
// a token whose cover in org names and themes is below its cover in
// materials loses coverage when a doc holding it in materials gains it in
// themes too (coverage takes the former first).
func TestCoverageCanFall(t *testing.T) {
	ix := New()
	p := &parsed{toks: []qtok{{bit: 1, cov: 3}}, alts: []alternative{{mask: 1, covTotal: 3, minCov: 0.6}}}
	p.toks[0].cf[fBody], p.toks[0].cf[fMeta] = 2, 1.6
	sc := &scratch{}
	pw := sc.passWeights(ix, p)
	if pw.monotone {
		t.Fatal("monotone with a theme cover below the material cover")
	}
	body := docMask{any: 1}
	body.f[fBody] = 1
	both := body
	both.f[fMeta] = 1
	if pw.guess(&body) < 0 || pw.guess(&both) >= 0 {
		t.Errorf("guess: materials only %d, with themes %d; want a match, then none", pw.guess(&body), pw.guess(&both))
	}
	p.toks[0].cf[fMeta] = 2.5
	if !sc.passWeights(ix, p).monotone {
		t.Error("not monotone with the theme cover above the material cover")
	}
}
