package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// Ranks follow the codes' order as regions are added in any order, a
// prefix's run holds exactly the codes that begin with it, and tier
// (asking the city first) gives what the nearest-first definition gives.
func TestRegionRanksFollowCodes(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 8))
	ix := New()
	for i := range 300 {
		code := fmt.Sprintf("51%02d%02d%03d000", 1+rnd.IntN(4), 1+rnd.IntN(5), rnd.IntN(4))
		ix.Upsert(Doc{ListingID: int64(i + 1), ListingName: "营业执照", ItemName: "营业执照", RegionCode: code})
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if len(ix.regions) < 30 {
		t.Fatalf("only %d regions: the test needs many", len(ix.regions))
	}
	for i, a := range ix.regions {
		for j, b := range ix.regions {
			if (a < b) != (ix.regionRank[i] < ix.regionRank[j]) {
				t.Fatalf("%s ranked %d, %s ranked %d", a, ix.regionRank[i], b, ix.regionRank[j])
			}
		}
	}
	nearest := func(u, code string) int { // the definition tier must keep
		switch {
		case code == u:
			return 0
		case strings.HasPrefix(code, u[:6]):
			return 1
		case strings.HasPrefix(code, u[:4]):
			return 2
		}
		return 3
	}
	for range 200 {
		u := fmt.Sprintf("51%02d%02d%03d000", 1+rnd.IntN(5), 1+rnd.IntN(6), rnd.IntN(5))
		f := filter{user: u}
		f.prepare(ix)
		for tier, p := range []string{u, u[:6], u[:4]} {
			run := f.near[tier]
			for i, code := range ix.regions {
				if in := ix.regionRank[i] >= run.lo && ix.regionRank[i] < run.hi; in != strings.HasPrefix(code, p) {
					t.Fatalf("near %s, prefix %s: %s (rank %d) in run [%d, %d) is %v", u, p, code, ix.regionRank[i], run.lo, run.hi, in)
				}
			}
		}
		for i, code := range ix.regions {
			if got, want := int(f.tiers[i]), nearest(u, code); got != want {
				t.Fatalf("near %s, %s: tier %d, want %d", u, code, got, want)
			}
		}
	}
}
