package search

// filter holds a query's filters and the citizen's region, validated.
type filter struct {
	region   string // code prefix; "" = everywhere
	user     string // citizen's 12-digit region; "" = no preference
	orgID    int64
	theme    string
	audience string
	channel  string

	// Set by prepare under the read lock: per region id of the index,
	// whether the region filter admits it and its tier; the audience code.
	regionOK []bool
	tiers    []int8
	aud      uint8
	// near is, with a citizen's region, the run of region ranks of each
	// tier's prefix: the region itself, its county, its city
	// (region_rank.go).
	near [3]rankRun
}

// prepare evaluates the region filter and tiers once per distinct region
// code (a few hundred) instead of once per matching doc (up to all).
func (f *filter) prepare(ix *Index) {
	f.aud = audienceCode(f.audience)
	f.tiers = make([]int8, len(ix.regions))
	if f.region != "" {
		f.regionOK = make([]bool, len(ix.regions))
	}
	if f.user != "" {
		f.near = [3]rankRun{ix.prefixRun(f.user), ix.prefixRun(f.user[:6]), ix.prefixRun(f.user[:4])}
	}
	for i, code := range ix.regions {
		f.tiers[i] = int8(f.tier(code))
		if f.regionOK != nil {
			f.regionOK[i] = hasPrefixStr(code, f.region)
		}
	}
}

// admits reports whether the live doc at ord passes the filters; only the
// rare org, theme and channel filters read the Doc itself.
func (f *filter) admits(ix *Index, ord int32) bool {
	h := &ix.hot[ord]
	switch {
	case !h.alive:
		return false
	case f.regionOK != nil && !f.regionOK[h.region]:
		return false
	case f.aud != 0 && h.audience != 0 && h.audience != f.aud:
		return false
	case f.orgID == 0 && f.theme == "" && f.channel == "":
		return true
	}
	d := &ix.docs[ord]
	return (f.orgID == 0 || d.OrgID == f.orgID) &&
		(f.theme == "" || contains(d.Themes, f.theme)) &&
		(f.channel == "" || contains(d.Channels, f.channel))
}

func hasPrefixStr(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// tier orders docs by nearness to the citizen: 0 same region, 1 same county
// (first 6 digits), 2 same city (first 4 digits), 3 elsewhere.
// Most codes are of another city, so that is asked first: one comparison
// of four bytes each.
func (f *filter) tier(code string) int {
	switch u := f.user; {
	case u == "":
		return 0
	case !hasPrefixStr(code, u[:4]):
		return 3
	case !hasPrefixStr(code, u[:6]):
		return 2
	case code != u:
		return 1
	}
	return 0
}

// GB/T 2260-based 12-digit codes: province 2, city 2, county 2, town 3,
// village 3 digits. regionLevels are the prefix lengths of each level.
var regionLevels = [...]int{2, 4, 6, 9, 12}

// regionPrefix turns a filter code into the prefix it stands for. A full code
// stands for its area: 511600000000 is the city 5116, 511602000000 the county
// 511602, 511602001000 the town 511602001. Shorter codes are prefixes as
// given ("5116"). Trimming by level, not by trailing zeros, keeps town 010
// from also matching town 011.
func regionPrefix(code string) (string, bool) {
	if code == "" {
		return "", true
	}
	if !allDigits(code) || len(code) < 2 || len(code) > 12 {
		return "", false
	}
	if len(code) < 12 {
		return code, true
	}
	for _, n := range regionLevels {
		if allZeros(code[n:]) {
			return code[:n], true
		}
	}
	return code, true
}

// fullRegion pads a citizen's region code to 12 digits.
func fullRegion(code string) (string, bool) {
	if code == "" {
		return "", true
	}
	if !allDigits(code) || len(code) < 2 || len(code) > 12 {
		return "", false
	}
	for len(code) < 12 {
		code += "0"
	}
	return code, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func allZeros(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '0' {
			return false
		}
	}
	return true
}
