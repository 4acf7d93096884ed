package catalog

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tongban/tongban"
)

// rowParser turns one spreadsheet row into an item and a listing, noting
// every bad cell rather than stopping at the first.
type rowParser struct {
	num   int
	cells []string
	cols  map[string]int
	errs  []RowError
}

func (p *rowParser) cell(key string) string {
	i, ok := p.cols[key]
	if !ok || i >= len(p.cells) {
		return ""
	}
	return strings.TrimSpace(p.cells[i])
}

// badText fails every cell holding a NUL or invalid UTF-8, which no
// database text column should take (PostgreSQL refuses both).
func (p *rowParser) badText() bool {
	for _, c := range Columns {
		i, ok := p.cols[c.Key]
		if !ok || i >= len(p.cells) {
			continue
		}
		if s := p.cells[i]; strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) {
			p.fail(c.Key, "含有空字符或无效的字符编码（应为 UTF-8）")
		}
	}
	return len(p.errs) > 0
}

func (p *rowParser) fail(col, format string, args ...any) {
	p.errs = append(p.errs, RowError{Row: p.num, Column: col, Message: fmt.Sprintf(format, args...)})
}

// enumCell parses an optional enumerated cell; what lists the valid labels.
func enumCell[T any](p *rowParser, key string, parse func(string) (T, bool), what string) T {
	var zero T
	v := p.cell(key)
	if v == "" {
		return zero
	}
	t, ok := parse(v)
	if !ok {
		p.fail(key, "无法识别“%s”，应为%s", v, what)
		return zero
	}
	return t
}

func (p *rowParser) days(key string) int {
	v := p.cell(key)
	if v == "" {
		return 0
	}
	n, ok := parseDays(v)
	if !ok {
		p.fail(key, "应为非负整数")
	}
	return n
}

func (p *rowParser) count(key string) int {
	v := p.cell(key)
	if v == "" {
		return 0
	}
	n, ok := parseCount(v)
	if !ok {
		p.fail(key, "应为非负整数")
	}
	return n
}

func (p *rowParser) flag(key string) bool {
	b, ok := parseBool(p.cell(key))
	if !ok {
		p.fail(key, "应为“是”或“否”")
	}
	return b
}

func (p *rowParser) required(key string) string {
	v := p.cell(key)
	if v == "" {
		p.fail(key, "不能为空")
	}
	return v
}

func (p *rowParser) parse() (tongban.Item, tongban.Listing) {
	var it tongban.Item
	var l tongban.Listing

	it.Name = p.required(colItemName)
	l.Code = p.required(colCode)
	l.OrgName = p.required(colOrg)
	l.RegionCode = p.cell(colRegion)
	it.Code = p.cell(colItemCode)
	if it.Code == "" && l.Code != "" {
		it.Code = DeriveItemCode(l.Code, l.RegionCode)
	}
	it.MainItem = p.cell(colMainItem)
	it.Type = enumCell(p, colItemType, tongban.ParseItemType, "行政许可、行政处罚、行政强制、行政征收、行政给付、行政检查、行政确认、行政奖励、行政裁决、其他行政权力或公共服务")
	it.Levels = p.levels()
	it.LegalBasis = p.cell(colLegalBasis)
	it.StatutoryDays = p.days(colStatutoryDays)
	it.Sector = p.cell(colSector)
	it.Audience = enumCell(p, colAudience, tongban.ParseAudience, "个人、法人或个人和法人")
	it.PersonThemes = splitWords(p.cell(colPersonThemes))
	it.EnterpriseThemes = splitWords(p.cell(colEnterpriseThemes))
	it.Aliases = splitWords(p.cell(colAliases))

	l.ItemCode = it.Code
	l.Name = p.cell(colListingName)
	if l.Name == "" {
		l.Name = it.Name
	}
	l.Version = 1
	if v := p.cell(colVersion); v != "" {
		n, ok := parseCount(v)
		if !ok || n == 0 {
			p.fail(colVersion, "应为正整数")
		}
		l.Version = n
	}
	l.Status = enumCell(p, colStatus, tongban.ParseListingStatus, "草稿、已发布、已暂停或已撤销")
	if l.Status == "" {
		l.Status = tongban.ListingDraft
	}
	l.CaseType = enumCell(p, colCaseType, tongban.ParseCaseType, "即办件或承诺件")
	l.PromisedDays = p.days(colPromisedDays)
	l.Conditions = p.conditions()
	l.Steps = p.steps()
	l.Fees = p.fees()
	l.Place = p.cell(colPlace)
	l.Hours = p.cell(colHours)
	l.Phone = p.cell(colPhone)
	l.ComplaintPhone = p.cell(colComplaintPhone)
	l.Trips = p.count(colTrips)
	l.OnlineDepth = enumCell(p, colOnlineDepth, tongban.ParseOnlineDepth, "全程网办、网上申请+现场核验、网上预审或现场办理")
	l.Flags = tongban.Flags{
		MostOneTrip:        p.flag(colMostOneTrip),
		TolerantAcceptance: p.flag(colTolerant),
		Commitment:         p.flag(colCommitment),
		CrossRegion:        p.flag(colCrossRegion),
		Express:            p.flag(colExpress),
		Appointment:        p.flag(colAppointment),
	}
	l.Result = tongban.Result{
		Name:   p.cell(colResultName),
		Type:   enumCell(p, colResultType, tongban.ParseResultType, "证照、批文或其他"),
		Sample: p.cell(colResultSample),
		// 证照类型代码 are ASCII; a code pasted from a document may carry
		// full-width letters or spaces, which no code has.
		LicenseType: strings.ToUpper(p.cell(colResultLicense)),
	}
	l.Materials = p.materials()
	l.Situations = p.situations()
	l.FAQ = p.faq()
	return it, l
}

func (p *rowParser) levels() []tongban.ItemLevel {
	var out []tongban.ItemLevel
	for _, w := range strings.FieldsFunc(p.cell(colLevels), func(r rune) bool {
		return strings.ContainsRune("、,，;；/／ \n", r)
	}) {
		lv, ok := tongban.ParseItemLevel(w)
		if !ok {
			p.fail(colLevels, "无法识别“%s”，应为国家级、省级、市级、县级、乡级或村级", w)
			continue
		}
		out = append(out, lv)
	}
	return out
}

func (p *rowParser) conditions() []string {
	lines := cellLines(p.cell(colConditions))
	if len(lines) == 1 && (lines[0] == "无" || lines[0] == "-") {
		return nil
	}
	var out []string
	for _, line := range lines {
		out = append(out, unescapeCell(line))
	}
	return out
}

// lineFail reports a problem of one line of a multi-line cell.
func (p *rowParser) lineFail(col string, line int, format string, args ...any) {
	p.fail(col, "第%d条：%s", line+1, fmt.Sprintf(format, args...))
}

func (p *rowParser) steps() []tongban.Step {
	var out []tongban.Step
	for i, line := range cellLines(p.cell(colSteps)) {
		f := lineFields(line, 6)
		s := tongban.Step{Name: f[0], CountsTowardLimit: true, Post: f[4]}
		if f[1] != "" {
			r, ok := tongban.ParseStepRole(f[1])
			if !ok {
				p.lineFail(colSteps, i, "环节类型“%s”应为受理、审查、决定、办结或特别程序", f[1])
			}
			s.Role = r
		}
		if f[2] != "" {
			n, ok := parseDays(f[2])
			if !ok {
				p.lineFail(colSteps, i, "环节时限应为非负整数")
			}
			s.Days = n
		}
		if f[3] != "" {
			b, ok := parseBool(f[3])
			if !ok {
				p.lineFail(colSteps, i, "计入时限应为“是”或“否”")
			}
			s.CountsTowardLimit = b
		}
		if f[5] != "" {
			b, ok := parseBool(f[5])
			if !ok {
				p.lineFail(colSteps, i, "另人办理应为“是”或“否”")
			}
			s.OtherActor = b
		}
		out = append(out, s)
	}
	return out
}

func (p *rowParser) fees() []tongban.Fee {
	lines := cellLines(p.cell(colFees))
	if len(lines) == 1 && slices.Contains([]string{"不收费", "免费", "无", "否", "-"}, lines[0]) {
		return nil
	}
	var out []tongban.Fee
	for _, line := range lines {
		f := lineFields(line, 3)
		out = append(out, tongban.Fee{Item: f[0], Standard: f[1], Basis: f[2]})
	}
	return out
}

func (p *rowParser) faq() []tongban.QA {
	var out []tongban.QA
	for _, line := range cellLines(p.cell(colFAQ)) {
		f := lineFields(line, 2)
		out = append(out, tongban.QA{Question: f[0], Answer: f[1]})
	}
	return out
}

// materials reads 编号|名称|必要性|形式|份数|类型|来源|容缺|审核准则|备注|空白表格|示例样表|标准材料.
// 标准材料 is a standard material's code or name; the catalog service checks
// it against the maintained list when the listing is stored.
func (p *rowParser) materials() []tongban.Material {
	var out []tongban.Material
	for i, line := range cellLines(p.cell(colMaterials)) {
		f := lineFields(line, 13)
		m := tongban.Material{Key: f[0], Name: f[1], Required: tongban.MaterialRequired, Copies: 1,
			ReviewCriteria: f[8], Note: f[9], BlankForm: f[10], Example: f[11], Standard: f[12]}
		if m.Key == "" {
			m.Key = fmt.Sprintf("m%d", i+1)
		}
		bad := func(what, v string) { p.lineFail(colMaterials, i, "%s“%s”无法识别", what, v) }
		var ok bool
		if f[2] != "" {
			if m.Required, ok = tongban.ParseNecessity(f[2]); !ok {
				bad("必要性", f[2])
			}
		}
		if f[3] != "" {
			if m.Form, ok = tongban.ParseMaterialForm(f[3]); !ok {
				bad("材料形式", f[3])
			}
		}
		if f[4] != "" {
			if m.Copies, ok = parseCount(strings.TrimSuffix(f[4], "份")); !ok {
				p.lineFail(colMaterials, i, "份数应为非负整数")
			}
		}
		if f[5] != "" {
			if m.Type, ok = tongban.ParseMaterialType(f[5]); !ok {
				bad("材料类型", f[5])
			}
		}
		if f[6] != "" {
			if m.Source, ok = tongban.ParseMaterialSource(f[6]); !ok {
				bad("材料来源", f[6])
			}
		}
		if m.Tolerant, ok = parseBool(f[7]); !ok {
			p.lineFail(colMaterials, i, "容缺应为“是”或“否”")
		}
		out = append(out, m)
	}
	return out
}

// situations reads one answer per line: 情形编号|问题|答案编号|答案|效果|显示条件.
func (p *rowParser) situations() []tongban.Situation {
	var out []tongban.Situation
	index := map[string]int{}
	for i, line := range cellLines(p.cell(colSituations)) {
		raw := splitRaw(line, '|')
		for len(raw) < 6 {
			raw = append(raw, "")
		}
		key, question := unescapeCell(raw[0]), unescapeCell(raw[1])
		a := tongban.Answer{Key: unescapeCell(raw[2]), Label: unescapeCell(raw[3])}
		a.Effects = p.effects(i, raw[4])
		var dep *tongban.AnswerRef
		if d := unescapeCell(raw[5]); d != "" {
			s, ans, ok := strings.Cut(strings.ReplaceAll(d, "＝", "="), "=")
			if !ok || strings.TrimSpace(s) == "" || strings.TrimSpace(ans) == "" {
				p.lineFail(colSituations, i, "显示条件“%s”应写作 情形编号=答案编号", d)
			} else {
				dep = &tongban.AnswerRef{Situation: strings.TrimSpace(s), Answer: strings.TrimSpace(ans)}
			}
		}
		if key == "" {
			p.lineFail(colSituations, i, "缺少情形编号")
			continue
		}
		j, seen := index[key]
		if !seen {
			index[key] = len(out)
			out = append(out, tongban.Situation{Key: key, Question: question, DependsOn: dep, Answers: []tongban.Answer{a}})
			continue
		}
		s := &out[j]
		if question != "" && question != s.Question {
			p.lineFail(colSituations, i, "情形“%s”的问题与前文不一致", key)
		}
		if dep != nil && (s.DependsOn == nil || *dep != *s.DependsOn) {
			p.lineFail(colSituations, i, "情形“%s”的显示条件与前文不一致", key)
		}
		s.Answers = append(s.Answers, a)
	}
	return out
}

// effects reads 增加:m3;删除:m2;替换:m2>m5;条件:文字 (raw, still escaped).
func (p *rowParser) effects(line int, raw string) []tongban.Effect {
	var out []tongban.Effect
	for _, part := range splitRaw(raw, ';') {
		text := unescapeCell(part)
		if text == "" {
			continue
		}
		opText, arg, ok := strings.Cut(strings.Replace(text, "：", ":", 1), ":")
		op, known := tongban.ParseEffectOp(opText)
		if !ok || !known {
			p.lineFail(colSituations, line, "效果“%s”应写作 增加:编号、删除:编号、替换:编号>编号 或 条件:文字", text)
			continue
		}
		arg = strings.TrimSpace(arg)
		e := tongban.Effect{Op: op}
		switch op {
		case tongban.EffectCondition:
			e.Condition = arg
		case tongban.EffectReplace:
			from, to, ok := strings.Cut(strings.NewReplacer("＞", ">", "→", ">").Replace(arg), ">")
			if !ok {
				p.lineFail(colSituations, line, "替换应写作 替换:原材料编号>新材料编号")
			}
			e.MaterialKey, e.WithKey = strings.TrimSpace(from), strings.TrimSpace(to)
		default:
			e.MaterialKey = arg
		}
		out = append(out, e)
	}
	return out
}
