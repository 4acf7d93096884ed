package search

import (
	"slices"
	"sort"
	"strings"
)

// A counted group's range is in region-code order (compactLocked), and
// nearCopies finds in it, by binary search, the copies of the citizen's
// region, county or city. Comparing the codes themselves there was 1.6 %
// of a server's CPU under searches with no query repeated (each probe
// reads a string through two indirections and compares its bytes). So each
// region id has its rank in code order, and a query turns each of its
// three prefixes into the run of ranks that hold it once, in prepare: a
// probe is then an integer comparison.

// rankRegionsLocked ranks the index's region codes after one was added
// (write lock held). Regions are few (hundreds) and rarely added.
func (ix *Index) rankRegionsLocked() {
	ix.regionSorted = append(ix.regionSorted[:0], ix.regions...)
	slices.Sort(ix.regionSorted)
	ix.regionRank = slices.Grow(ix.regionRank[:0], len(ix.regions))[:len(ix.regions)]
	for i, code := range ix.regions {
		r, _ := slices.BinarySearch(ix.regionSorted, code)
		ix.regionRank[i] = uint32(r)
	}
}

// rankRun is the ranks [lo, hi) of the region codes that begin with a
// prefix.
type rankRun struct{ lo, hi uint32 }

// prefixRun returns the run of ranks of the codes that begin with p (read
// lock held).
func (ix *Index) prefixRun(p string) rankRun {
	s := ix.regionSorted
	lo := sort.SearchStrings(s, p)
	hi := lo + sort.Search(len(s)-lo, func(i int) bool { return !strings.HasPrefix(s[lo+i], p) })
	return rankRun{uint32(lo), uint32(hi)}
}
