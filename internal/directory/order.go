package directory

import (
	"cmp"
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/tongban/tongban"
)

// Departments are listed as the people who supervise them read lists: the
// higher level first (the city's bureaus, then each district's), then by
// name in pinyin order (公安 before 民政 before 市场监管), never by the
// character codes of the names, which scatter them.

// SortByLevelAndName sorts xs by the level of region(x), province first,
// then by name(x) in Chinese (pinyin) collation. The sort is stable.
func SortByLevelAndName[T any](xs []T, region, name func(T) string) {
	c := collate.New(language.Chinese) // not safe for concurrent use: one per sort
	slices.SortStableFunc(xs, func(a, b T) int {
		return cmp.Or(cmp.Compare(levelRank(region(a)), levelRank(region(b))), c.CompareString(name(a), name(b)))
	})
}

// SortOrgs sorts orgs by their region's level, then by name.
func SortOrgs(orgs []*tongban.Org) {
	SortByLevelAndName(orgs, func(o *tongban.Org) string { return o.RegionCode }, func(o *tongban.Org) string { return o.Name })
}

// levelRank puts a code of no known level last.
func levelRank(code string) int {
	if l := tongban.RegionCodeLevel(code); l != 0 {
		return int(l)
	}
	return 99
}
