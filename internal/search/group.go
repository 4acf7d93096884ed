package search

import (
	"strings"

	"github.com/tongban/tongban"
)

// A city runs one item through the city bureau and every district, so a raw
// result list repeats each item five times. Results pages show items: the
// listing that serves the citizen leads, the others follow as 其他地区.

// Group is one item on a results page.
type Group struct {
	Hit          // the listing nearest the citizen
	Others []Hit // the same item's other listings, best first
}

// Serves reports whether a listing in region code serves people of region r:
// r's own listings, those of its city and province (a city bureau serves
// every district), and those of the places inside r. "" serves everybody.
func Serves(code, r string) bool {
	if r == "" {
		return true
	}
	return tongban.RegionContains(code, r) || tongban.RegionContains(r, code)
}

// SearchItems runs q for a results page. It ranks up to MaxLimit hits from
// q.Offset, keeps those that serve region serves ("" keeps all), and folds
// each item's hits into one Group, placed where its best hit ranked and led
// by the listing nearest q.UserRegion. total is the index's count of
// matching listings, before folding.
func (ix *Index) SearchItems(q Query, serves string) (groups []Group, total int, err error) {
	return groupItems(ix.Search, q, serves)
}

func groupItems(search func(Query) (Result, error), q Query, serves string) (groups []Group, total int, err error) {
	q.Limit = MaxLimit
	res, err := search(q)
	if err != nil {
		return nil, 0, err
	}
	at := map[string]int{}
	for _, h := range res.Hits {
		if !Serves(h.RegionCode, serves) {
			continue
		}
		i, ok := at[h.ItemName]
		if !ok {
			at[h.ItemName] = len(groups)
			groups = append(groups, Group{Hit: h})
			continue
		}
		g := &groups[i]
		if nearness(h.RegionCode, q.UserRegion) < nearness(g.RegionCode, q.UserRegion) {
			g.Others = append([]Hit{g.Hit}, g.Others...)
			g.Hit = h
		} else {
			g.Others = append(g.Others, h)
		}
	}
	return groups, res.Total, nil
}

// nearness orders an item's listings for a citizen of region user: their
// own region's, then the nearest enclosing one's (district, city,
// province), then those inside their region, then anywhere else.
func nearness(code, user string) int {
	switch {
	case user == "":
		return 0
	case code == user:
		return 0
	case tongban.RegionContains(code, user):
		return 10 - len(tongban.RegionPrefix(code)) // a longer prefix is a nearer ancestor
	case tongban.RegionContains(user, code):
		return 20
	}
	return 30
}

// CitizenRegion is where a signed-in applicant most likely does things: the
// county an ID number was issued in (户籍地), or the county of an
// enterprise's registering authority. It orders results, never filters
// them: the code may be out of date or of another province. Staff and
// anonymous visitors have none.
func CitizenRegion(u *tongban.User) string {
	var six string
	switch {
	case u == nil || u.Kind == tongban.UserStaff:
		return ""
	case u.Kind == tongban.UserEnterprise:
		six = u.CreditCode.RegionCode()
	default:
		six = u.IDNumber.RegionPrefix()
	}
	if len(six) != 6 || strings.Trim(six, "0123456789") != "" {
		return ""
	}
	return six + "000000"
}
