package search

import "testing"

// TestUnreadCountChangesNothing: counting a copy with bits of its own
// without reading its mask, when its group's mask alone matches and no
// token's cover can fall (passWeights.monotone), must give exactly what
// reading it gives, on the real catalog, a scaled one, and one whose groups
// mix audiences, each after churn (as TestPrecheckChangesNothing).
func TestUnreadCountChangesNothing(t *testing.T) {
	switchChangesNothing(t, &noUnreadCount, nil, "", "出生医学证明")
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

// TestOwnUnionChangesNothing: skipping a group's copies with bits of their
// own when its names and all their own bits together cannot match
// (ownCannotMatch) must give exactly what judging each gives, on the
// catalogs of TestUnreadCountChangesNothing, each after churn; and the skip
// must happen, or the comparison proves nothing.
func TestOwnUnionChangesNothing(t *testing.T) {
	switchChangesNothing(t, &noOwnUnion, func(ix *Index) bool { return skipsOwnCopies(ix, "出生医学证明") },
		"出生医学证明 skips no group's own copies", "出生医学证明")
}

// skipsOwnCopies reports whether some group text touches as a range has
// copies with bits of their own that ownCannotMatch would skip.
func skipsOwnCopies(ix *Index, text string) bool {
	sc := accumulated(ix, text)
	pw := &sc.pw
	for _, g := range sc.gwhole {
		gm, r := &sc.gmasks[g], ix.granges[g]
		use := sc.lateFor(gm)
		if ownedIn(sc.ownWords(r, use)) > 0 && pw.monotone && pw.guess(gm) < 0 && sc.ownCannotMatch(pw, gm, r, use) {
			return true
		}
	}
	return false
}
