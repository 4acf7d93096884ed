package catalog

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
)

// Export writes listings in the layout Import reads, one row per listing,
// with the item columns taken from items (matched by ItemID, else by
// ItemCode). A listing whose item is missing is an error: the row would
// not import again.
func Export(w io.Writer, format string, items []tongban.Item, listings []tongban.Listing) error {
	if format != FormatCSV && format != FormatXLSX {
		return tongban.FieldError("format", "不支持的文件格式“%s”，应为 xlsx 或 csv", format)
	}
	byID := map[int64]tongban.Item{}
	byCode := map[string]tongban.Item{}
	for _, it := range items {
		if it.ID != 0 {
			byID[it.ID] = it
		}
		byCode[it.Code] = it
	}
	header := make([]string, len(Columns))
	for i, c := range Columns {
		header[i] = c.Header
	}
	rows := [][]string{header}
	for i, l := range listings {
		it, ok := byID[l.ItemID]
		if !ok || l.ItemID == 0 {
			it, ok = byCode[l.ItemCode]
		}
		if !ok {
			return tongban.Errorf(tongban.EInvalid, "第%d个实施清单（%s）找不到所属事项", i+1, l.Code)
		}
		cells := itemCells(it)
		for k, v := range listingCells(it, flattenInlineMaterials(l)) {
			cells[k] = v
		}
		row := make([]string, len(Columns))
		for j, c := range Columns {
			row[j] = cells[c.Key]
		}
		rows = append(rows, row)
	}
	return writeTable(w, format, rows)
}

// itemCells renders an item's columns; also used to spot rows that disagree.
func itemCells(it tongban.Item) map[string]string {
	levels := make([]string, len(it.Levels))
	for i, l := range it.Levels {
		levels[i] = l.Label()
	}
	statutory := ""
	if it.StatutoryDays != 0 {
		statutory = strconv.Itoa(it.StatutoryDays)
	}
	return map[string]string{
		colItemCode:         it.Code,
		colItemName:         it.Name,
		colMainItem:         it.MainItem,
		colItemType:         it.Type.Label(),
		colLevels:           strings.Join(levels, "、"),
		colLegalBasis:       it.LegalBasis,
		colStatutoryDays:    statutory,
		colSector:           it.Sector,
		colAudience:         it.Audience.Label(),
		colPersonThemes:     strings.Join(it.PersonThemes, "、"),
		colEnterpriseThemes: strings.Join(it.EnterpriseThemes, "、"),
		colAliases:          strings.Join(it.Aliases, "、"),
	}
}

func listingCells(it tongban.Item, l tongban.Listing) map[string]string {
	name := l.Name
	if name == it.Name {
		name = "" // empty means "as the item"
	}
	return map[string]string{
		colCode:           l.Code,
		colListingName:    name,
		colOrg:            l.OrgName,
		colRegion:         l.RegionCode,
		colVersion:        strconv.Itoa(max(l.Version, 1)),
		colStatus:         l.Status.Label(),
		colCaseType:       l.CaseType.Label(),
		colPromisedDays:   strconv.Itoa(l.PromisedDays),
		colConditions:     conditionsCell(l.Conditions),
		colSteps:          stepsCell(l.Steps),
		colFees:           feesCell(l.Fees),
		colPlace:          l.Place,
		colHours:          l.Hours,
		colPhone:          l.Phone,
		colComplaintPhone: l.ComplaintPhone,
		colTrips:          strconv.Itoa(l.Trips),
		colOnlineDepth:    l.OnlineDepth.Label(),
		colMostOneTrip:    formatBool(l.Flags.MostOneTrip),
		colTolerant:       formatBool(l.Flags.TolerantAcceptance),
		colCommitment:     formatBool(l.Flags.Commitment),
		colCrossRegion:    formatBool(l.Flags.CrossRegion),
		colExpress:        formatBool(l.Flags.Express),
		colAppointment:    formatBool(l.Flags.Appointment),
		colResultName:     l.Result.Name,
		colResultType:     l.Result.Type.Label(),
		colResultSample:   l.Result.Sample,
		colResultLicense:  l.Result.LicenseType,
		colMaterials:      materialsCell(l.Materials),
		colSituations:     situationsCell(l.Situations),
		colFAQ:            faqCell(l.FAQ),
	}
}

func conditionsCell(cs []string) string {
	lines := make([]string, len(cs))
	for i, c := range cs {
		lines[i] = escapeCell(c)
	}
	return strings.Join(lines, "\n")
}

func stepsCell(steps []tongban.Step) string {
	lines := make([]string, len(steps))
	for i, s := range steps {
		other := ""
		if s.OtherActor {
			other = formatBool(true)
		}
		lines[i] = joinLine(s.Name, s.Role.Label(), strconv.Itoa(s.Days), formatBool(s.CountsTowardLimit), s.Post, other)
	}
	return strings.Join(lines, "\n")
}

func feesCell(fees []tongban.Fee) string {
	if len(fees) == 0 {
		return "不收费"
	}
	lines := make([]string, len(fees))
	for i, f := range fees {
		lines[i] = joinLine(f.Item, f.Standard, f.Basis)
	}
	return strings.Join(lines, "\n")
}

func faqCell(faq []tongban.QA) string {
	lines := make([]string, len(faq))
	for i, q := range faq {
		lines[i] = joinLine(q.Question, q.Answer)
	}
	return strings.Join(lines, "\n")
}

func materialsCell(ms []tongban.Material) string {
	lines := make([]string, len(ms))
	for i, m := range ms {
		lines[i] = joinLine(m.Key, m.Name, m.Required.Label(), m.Form.Label(), strconv.Itoa(m.Copies),
			m.Type.Label(), m.Source.Label(), formatBool(m.Tolerant), m.ReviewCriteria, m.Note, m.BlankForm, m.Example, m.Standard)
	}
	return strings.Join(lines, "\n")
}

// situationsCell writes one line per answer; the question and display
// condition only on a situation's first line.
func situationsCell(ss []tongban.Situation) string {
	var lines []string
	for _, s := range ss {
		dep := ""
		if s.DependsOn != nil {
			dep = s.DependsOn.String()
		}
		for i, a := range s.Answers {
			q, d := s.Question, dep
			if i > 0 {
				q, d = "", ""
			}
			fields := []string{escapeCell(s.Key), escapeCell(q), escapeCell(a.Key), escapeCell(a.Label), effectsCell(a.Effects), escapeCell(d)}
			for len(fields) > 1 && fields[len(fields)-1] == "" {
				fields = fields[:len(fields)-1]
			}
			lines = append(lines, strings.Join(fields, "|"))
		}
	}
	return strings.Join(lines, "\n")
}

// effectsCell returns the effects already escaped, joined by ';'.
func effectsCell(es []tongban.Effect) string {
	parts := make([]string, len(es))
	for i, e := range es {
		arg := e.MaterialKey
		switch e.Op {
		case tongban.EffectCondition:
			arg = e.Condition
		case tongban.EffectReplace:
			arg = e.MaterialKey + ">" + e.WithKey
		}
		parts[i] = escapeCell(e.Op.Label() + ":" + arg)
	}
	return strings.Join(parts, ";")
}

// flattenInlineMaterials moves materials given inline in effects into the
// listing's list as 依情形 materials, so the file only needs keys.
func flattenInlineMaterials(l tongban.Listing) tongban.Listing {
	inline := false
	for _, s := range l.Situations {
		for _, a := range s.Answers {
			for _, e := range a.Effects {
				inline = inline || e.Material != nil
			}
		}
	}
	if !inline {
		return l
	}
	l = l.Clone()
	keys := map[string]bool{}
	for _, m := range l.Materials {
		keys[m.Key] = true
	}
	for si := range l.Situations {
		for ai := range l.Situations[si].Answers {
			for ei := range l.Situations[si].Answers[ai].Effects {
				e := &l.Situations[si].Answers[ai].Effects[ei]
				if e.Material == nil {
					continue
				}
				m := *e.Material
				for n := len(l.Materials) + 1; m.Key == "" || keys[m.Key]; n++ {
					m.Key = fmt.Sprintf("m%d", n)
				}
				m.Required = tongban.MaterialConditional
				keys[m.Key] = true
				l.Materials = append(l.Materials, m)
				if e.Op == tongban.EffectReplace {
					e.WithKey = m.Key
				} else {
					e.MaterialKey = m.Key
				}
				e.Material = nil
			}
		}
	}
	return l
}
