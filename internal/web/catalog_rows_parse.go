package web

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
)

// listingParts are a listing's row-edited parts read from the form, with
// where each situation answer came from (its row), so problems found later
// on the listing are shown on the row the admin typed.
type listingParts struct {
	Steps      []tongban.Step
	Fees       []tongban.Fee
	Materials  []tongban.Material
	Situations []tongban.Situation
	FAQ        []tongban.QA
	answerRow  map[[2]int]int // situation, answer → row
	effectRow  map[[3]int]int // situation, answer, effect → row of the effects table
}

// parseRows reads the tables. Each bad cell is reported on its row and
// field; the listing's own rules (Listing.Problems) run on the result.
func parseRows(rows map[string][]rowValues) (listingParts, rowErrors) {
	var p listingParts
	var errs rowErrors
	count := func(table string, i int, col, v string, def int) int {
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), "份"))
		if err != nil || n < 0 || n > 100000 {
			errs.add(table, i, col, rowColumnLabel(table, col)+"应为非负整数")
			return def
		}
		return n
	}
	enum := func(table string, i int, col, v string, ok bool) {
		if v != "" && !ok {
			errs.add(table, i, col, "无法识别“"+v+"”")
		}
	}
	checked := func(v string) bool { return v != "" }

	for i, r := range rows["steps"] {
		s := tongban.Step{Name: r["name"], Post: r["post"], CountsTowardLimit: checked(r["counts_toward_limit"]),
			OtherActor: checked(r["other_actor"])}
		var ok bool
		s.Role, ok = tongban.ParseStepRole(r["role"])
		enum("steps", i, "role", r["role"], ok)
		s.Days = count("steps", i, "days", r["days"], 0)
		p.Steps = append(p.Steps, s)
	}
	if t, _ := rowTableByKey("steps"); len(p.Steps) > t.Max {
		errs.table("steps", "办理流程最多 "+strconv.Itoa(t.Max)+" 个环节，现有 "+strconv.Itoa(len(p.Steps))+" 个")
	}
	for _, r := range rows["fees"] {
		p.Fees = append(p.Fees, tongban.Fee{Item: r["item"], Standard: r["standard"], Basis: r["basis"]})
	}
	for i, r := range rows["materials"] {
		m := tongban.Material{Key: r["key"], Name: r["name"], Standard: r["standard"], Tolerant: checked(r["tolerant"]),
			ReviewCriteria: r["review_criteria"], Note: r["note"], BlankForm: r["blank_form"], Example: r["example"],
			Required: tongban.MaterialRequired}
		var ok bool
		if r["required"] != "" {
			m.Required, ok = tongban.ParseNecessity(r["required"])
			enum("materials", i, "required", r["required"], ok)
		}
		m.Form, ok = tongban.ParseMaterialForm(r["form"])
		enum("materials", i, "form", r["form"], ok)
		m.Type, ok = tongban.ParseMaterialType(r["type"])
		enum("materials", i, "type", r["type"], ok)
		m.Source, ok = tongban.ParseMaterialSource(r["source"])
		enum("materials", i, "source", r["source"], ok)
		m.Copies = count("materials", i, "copies", r["copies"], 1)
		p.Materials = append(p.Materials, m)
	}
	p.answerRow = map[[2]int]int{}
	index := map[string]int{}
	for i, r := range rows["situations"] {
		a := tongban.Answer{Key: r["answer"], Label: r["label"]}
		var dep *tongban.AnswerRef
		if d := r["depends_on"]; d != "" {
			s, ans, ok := strings.Cut(strings.ReplaceAll(d, "＝", "="), "=")
			if !ok || strings.TrimSpace(s) == "" || strings.TrimSpace(ans) == "" {
				errs.add("situations", i, "depends_on", "应写作 情形编号=答案编号")
			} else {
				dep = &tongban.AnswerRef{Situation: strings.TrimSpace(s), Answer: strings.TrimSpace(ans)}
			}
		}
		key := r["key"]
		if key == "" {
			errs.add("situations", i, "key", "情形编号不能为空")
			continue
		}
		j, seen := index[key]
		if !seen {
			index[key] = len(p.Situations)
			p.answerRow[[2]int{len(p.Situations), 0}] = i
			p.Situations = append(p.Situations, tongban.Situation{Key: key, Question: r["question"], DependsOn: dep,
				Answers: []tongban.Answer{a}})
			continue
		}
		s := &p.Situations[j]
		if q := r["question"]; q != "" && q != s.Question {
			errs.add("situations", i, "question", "与情形“"+key+"”前面的问题不一致")
		}
		if dep != nil && (s.DependsOn == nil || *dep != *s.DependsOn) {
			errs.add("situations", i, "depends_on", "与情形“"+key+"”前面的显示条件不一致")
		}
		p.answerRow[[2]int{j, len(s.Answers)}] = i
		s.Answers = append(s.Answers, a)
	}
	p.effects(rows["effects"], index, &errs)
	for _, r := range rows["faq"] {
		p.FAQ = append(p.FAQ, tongban.QA{Question: r["question"], Answer: r["answer"]})
	}
	return p, errs
}

// effects reads the effects table into the answers it names (index: a
// situation's key → its place); the listing's rules check the rest (a
// material that does not exist, a missing key).
func (p *listingParts) effects(rows []rowValues, index map[string]int, errs *rowErrors) {
	p.effectRow = map[[3]int]int{}
	for i, r := range rows {
		op, ok := tongban.ParseEffectOp(r["op"])
		if r["op"] == "" {
			errs.add("effects", i, "op", "请选择效果")
			continue
		} else if !ok {
			errs.add("effects", i, "op", "无法识别“"+r["op"]+"”")
			continue
		}
		si, found := index[r["situation"]]
		if !found {
			errs.add("effects", i, "situation", "情形表中没有编号为“"+r["situation"]+"”的情形")
			continue
		}
		s := &p.Situations[si]
		ai := slices.IndexFunc(s.Answers, func(a tongban.Answer) bool { return a.Key == r["answer"] })
		if ai < 0 {
			errs.add("effects", i, "answer", "情形“"+s.Key+"”没有编号为“"+r["answer"]+"”的答案")
			continue
		}
		e := tongban.Effect{Op: op}
		switch op {
		case tongban.EffectCondition:
			e.Condition = r["condition"]
		case tongban.EffectReplace:
			e.MaterialKey, e.WithKey = r["material"], r["with"]
		default:
			e.MaterialKey = r["material"]
		}
		a := &s.Answers[ai]
		p.effectRow[[3]int{si, ai, len(a.Effects)}] = i
		a.Effects = append(a.Effects, e)
	}
}

// set puts the parts into l.
func (p listingParts) set(l *tongban.Listing) {
	l.Steps, l.Fees, l.Materials, l.Situations, l.FAQ = p.Steps, p.Fees, p.Materials, p.Situations, p.FAQ
}

var (
	partField      = regexp.MustCompile(`^(steps|fees|materials|faq)\[(\d+)\]\.([a-z_]+)`)
	effectField    = regexp.MustCompile(`^situations\[(\d+)\]\.answers\[(\d+)\]\.effects\[(\d+)\]\.?([a-z_]*)`)
	situationField = regexp.MustCompile(`^situations\[(\d+)\](?:\.answers\[(\d+)\])?\.?([a-z_]*)`)
)

// cellOf finds the row and column a listing field path is about:
// materials[1].review_criteria, situations[0].answers[2].label.
func (p listingParts) cellOf(field string) (table string, row int, col string, ok bool) {
	if m := partField.FindStringSubmatch(field); m != nil {
		i, _ := strconv.Atoi(m[2])
		return m[1], i, m[3], true
	}
	if m := effectField.FindStringSubmatch(field); m != nil {
		si, _ := strconv.Atoi(m[1])
		ai, _ := strconv.Atoi(m[2])
		ei, _ := strconv.Atoi(m[3])
		col := map[string]string{"material_key": "material", "with_key": "with", "condition": "condition"}[m[4]]
		if col == "" {
			col = "op"
		}
		row, found := p.effectRow[[3]int{si, ai, ei}]
		return "effects", row, col, found
	}
	m := situationField.FindStringSubmatch(field)
	if m == nil {
		return "", 0, "", false
	}
	si, _ := strconv.Atoi(m[1])
	ai := 0
	col = map[string]string{"key": "key", "question": "question", "depends_on": "depends_on", "answers": "answer"}[m[3]]
	if m[2] != "" {
		ai, _ = strconv.Atoi(m[2])
		col = map[string]string{"key": "answer", "label": "label"}[m[3]]
	}
	row, found := p.answerRow[[2]int{si, ai}]
	if col == "" {
		col = "label"
	}
	return "situations", row, col, found
}

// problems reports the listing's structural problems in its parts on the
// rows they are about.
func (p listingParts) problems(l tongban.Listing, errs *rowErrors) {
	for _, e := range l.Problems() {
		if table, row, col, ok := p.cellOf(e.Field); ok {
			errs.add(table, row, col, e.Message)
		}
	}
}
