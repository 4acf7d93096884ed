package search

import "slices"

// A name group's copies are filed by one kind of department, so all of them
// share its themes (and, in a real catalog, often its materials and most of
// its org name's words). A query for 社保, 证 or 婚姻登记 touched thousands of
// docs through the theme lists alone, each walked, marked, visited and
// counted on its own. So a compaction also splits each org-name, theme,
// material and FAQ list into the name groups all of whose docs hold the key
// (walked as groups: the bit is set on the group's mask, as for the names,
// group_lists.go) and the rest of the list, walked doc by doc. A doc whose
// bits all come from its group is then visited with its group's range
// (group_ranges.go): counted from its group's mask, and scored on its own
// only while the top-k could still take it, since the first pass of a
// match in these fields reads the doc's own field lengths.
//
// A list is split only when its whole groups hold at least half of its
// entries and are at most an eighth as many: the rest and the group list,
// kept beside the full list (IDF and the docs appended since still read
// it), then cost at most 5/8 of what the list costs.

// noFieldGroups turns the split off, for the test that proves it changes
// nothing.
var noFieldGroups = false

// buildFieldGroups splits the lists of the fields other than names and
// aliases, into their keys' layouts, for the layout compactLocked has
// just made (every doc alive and below Index.ordered; group ranges built;
// write lock held).
func (ix *Index) buildFieldGroups() {
	var groups []uint32
	var rest []int32
	for k, p := range ix.post {
		list := p.list
		if f := field(k >> 62); f == fName || f == fAlias || len(list) < 16 {
			continue
		}
		groups, rest = groups[:0], rest[:0]
		for i := 0; i < len(list); {
			// A group's docs are neighbours, so its entries are a run.
			g := ix.gof[list[i]]
			j := i + 1
			for j < len(list) && ix.gof[list[j]] == g {
				j++
			}
			if r := ix.granges[g]; int32(j-i) == r.end-r.start {
				groups = append(groups, g)
			} else {
				rest = append(rest, list[i:j]...)
			}
			i = j
		}
		if len(rest)*2 > len(list) || len(groups)*8 > len(list) {
			continue
		}
		l := keyLayout{groups: slices.Clone(groups)}
		if len(rest) > 0 {
			l.rest = slices.Clone(rest)
		}
		ix.setLayout(k, l)
	}
}

// splitList is the part of groupList for a key of the other fields: the
// groups wholly holding it, the rest of its list below Index.ordered, and
// the part from Index.ordered on; ok is false when the list is not split.
func (ix *Index) splitList(f field, l *keyLayout, list []int32) (groups []uint32, rest, tail []int32, ok bool) {
	if noFieldGroups || !l.split(f) {
		return nil, nil, nil, false
	}
	return l.groups, l.rest, list[ix.tailStart(list):], true
}

// ownLengths reports whether the first pass of a doc with these bits reads
// the doc's own field lengths: those of its materials, FAQ and org name
// differ from copy to copy, its names' and aliases' are the group's. A
// token counts once, in its best field (passWeights.of), so a token the
// names hold never reads the other fields' lengths: 证 in every copy's
// materials and in the name leaves the copies alike.
func (m *docMask) ownLengths() bool {
	return (m.f[fBody]|m.f[fMeta])&^(m.f[fName]|m.f[fAlias]) != 0
}

// addGroupBits adds to m the bits doc ord has through its name group: the
// names' and aliases' for any doc of the group, the other fields' only for
// the docs of the layout, which the split lists describe (a doc appended
// since may hold other themes or materials).
func (ix *Index) addGroupBits(m *docMask, gmasks []docMask, ord int32) {
	g := int(ix.gof[ord])
	if g >= len(gmasks) {
		return // groups made since the layout have none
	}
	gm := &gmasks[g]
	if int(ord) < ix.ordered {
		m.or(gm)
		return
	}
	m.f[fName] |= gm.f[fName]
	m.f[fAlias] |= gm.f[fAlias]
	m.any |= gm.f[fName] | gm.f[fAlias]
}
