package search

import (
	"html"
	"strings"
	"unicode/utf8"
)

// snippetRunes bounds a snippet taken from a long material or FAQ entry.
const snippetRunes = 60

func (ix *Index) hit(p *parsed, ds *docStrings, c candidate) Hit {
	d := &ix.docs[c.ord]
	return Hit{
		ListingID:   d.ListingID,
		ListingName: d.ListingName,
		ItemName:    d.ItemName,
		OrgID:       d.OrgID,
		OrgName:     d.OrgName,
		RegionCode:  d.RegionCode,
		Snippet:     ds.snippet(ix, c.ord, &p.alts[c.alt], c.where),
		Score:       c.score,
	}
}

// snippet shows the string where the best alternative matched (or else the
// first string with any matched characters, names first), HTML-escaped,
// with matched characters in <mark>.
func (ds *docStrings) snippet(ix *Index, ord int32, a *alternative, w matchWhere) string {
	ds.reset(ix, ord)
	for i := -1; i < ds.count(); i++ {
		si := i
		if i < 0 {
			if si = w.str; si < 0 {
				continue
			}
		}
		if marks := ds.marks(si, a); marks != nil {
			return render(ds.str(si), marks)
		}
	}
	return html.EscapeString(ds.d.ListingName)
}

// marks returns which runes of string si to mark, or nil if none. Han text
// and pinyin mark every adjacent pair of symbols that is also adjacent in a
// query part (or a lone symbol equal to a one-symbol part): this marks the
// right characters even around a typo. Initials are too ambiguous for pairs
// and mark only whole-part occurrences.
func (ds *docStrings) marks(si int, a *alternative) []bool {
	if a.space != spaceChar && ds.field(si) == fBody {
		return nil
	}
	t := ds.transcribe(si, a.space)
	seq, pos := t.seq, t.pos
	var marks []bool
	mark := func(j int) {
		if marks == nil {
			marks = make([]bool, utf8.RuneCountInString(ds.str(si)))
		}
		marks[pos[j]] = true
	}
	for _, part := range a.parts {
		switch {
		case a.space == spaceIni:
			for j := 0; j+len(part) <= len(seq); j++ {
				if indexSeq(seq[j:j+len(part)], part) == 0 {
					for k := range part {
						mark(j + k)
					}
				}
			}
		case len(part) == 1:
			for j, s := range seq {
				if s == part[0] {
					mark(j)
				}
			}
		default:
			for j := 1; j < len(seq); j++ {
				if hasPair(part, seq[j-1], seq[j]) {
					mark(j - 1)
					mark(j)
				}
			}
		}
	}
	return marks
}

func hasPair(part []int32, x, y int32) bool {
	for i := 1; i < len(part); i++ {
		if part[i-1] == x && part[i] == y {
			return true
		}
	}
	return false
}

// render escapes s and wraps marked runes in <mark>, cutting long text to a
// window around the first mark.
func render(s string, marks []bool) string {
	rs := []rune(s)
	start, end := 0, len(rs)
	if len(rs) > snippetRunes {
		first := 0
		for first < len(marks) && !marks[first] {
			first++
		}
		start = max(0, min(first-snippetRunes/4, len(rs)-snippetRunes))
		end = start + snippetRunes
	}
	var b strings.Builder
	b.Grow(len(s) + 64)
	if start > 0 {
		b.WriteString("…")
	}
	for i := start; i < end; {
		j := i + 1
		for j < end && marks[j] == marks[i] {
			j++
		}
		if marks[i] {
			b.WriteString("<mark>")
			writeEscaped(&b, rs[i:j])
			b.WriteString("</mark>")
		} else {
			writeEscaped(&b, rs[i:j])
		}
		i = j
	}
	if end < len(rs) {
		b.WriteString("…")
	}
	return b.String()
}

// writeEscaped writes rs as html.EscapeString would escape them, without
// building the string first.
func writeEscaped(b *strings.Builder, rs []rune) {
	for _, r := range rs {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '\'':
			b.WriteString("&#39;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&#34;")
		default:
			b.WriteRune(r)
		}
	}
}
