package web

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
)

// The nested parts of a listing — materials, steps, fees, situations, their
// effects and the FAQ —
// are edited as table rows, one input per field, named like
// materials[3].name. Buttons post the form back to add, remove or move a
// row (row_op=materials[3].up), so the page works without JavaScript; the
// page is shown again with the rows changed and nothing is saved until the
// admin presses 保存.

// rowColumn is one field of a row. Kind: text, number, select, check, long
// (on the row's second line) or info (shown, not posted).
type rowColumn struct {
	Key, Label, Kind string
	Options          []rowOption
}

type rowOption struct{ Value, Label string }

// rowTable is one of the row-edited parts of a listing.
type rowTable struct {
	Key, Label, Help string
	Columns          []rowColumn
	Max              int // most rows the reform allows, 0: no limit
}

// rowValues is one row as typed, by column key.
type rowValues map[string]string

func labelOptions(labels ...string) []rowOption {
	out := []rowOption{{"", "未填写"}}
	for _, l := range labels {
		out = append(out, rowOption{l, l})
	}
	return out
}

// rowTables are the tables in form order; the standard-material options
// are filled in per page from the maintained list.
var rowTables = []rowTable{
	{Key: "steps", Label: "办理流程", Max: 4, Help: "最多 4 个环节；“另人办理”表示该环节须由上一环节办理人以外的人员办理（审核与审批分离）。",
		Columns: []rowColumn{
			{Key: "name", Label: "环节名称", Kind: "text"},
			{Key: "role", Label: "环节类型", Kind: "select", Options: labelOptions("受理", "审查", "决定", "办结", "特别程序")},
			{Key: "days", Label: "时限（工作日）", Kind: "number"},
			{Key: "counts_toward_limit", Label: "计入时限", Kind: "check"},
			{Key: "post", Label: "办理岗位", Kind: "text"},
			{Key: "other_actor", Label: "另人办理", Kind: "check"},
		}},
	{Key: "fees", Label: "收费", Help: "不收费则不填任何一行。",
		Columns: []rowColumn{
			{Key: "item", Label: "收费项目", Kind: "text"},
			{Key: "standard", Label: "收费标准", Kind: "text"},
			{Key: "basis", Label: "收费依据", Kind: "text"},
		}},
	{Key: "materials", Label: "申请材料", Help: "材料编号供情形引用；选定标准材料后，同一材料在各清单间识别为同一份，可复用或以电子证照、共享数据代替。",
		Columns: []rowColumn{
			{Key: "key", Label: "编号", Kind: "text"},
			{Key: "name", Label: "材料名称", Kind: "text"},
			{Key: "standard", Label: "标准材料", Kind: "select"},
			{Key: "license_type", Label: "对应电子证照", Kind: "info"},
			{Key: "required", Label: "必要性", Kind: "select", Options: []rowOption{{"必要", "必要"}, {"依情形", "依情形"}, {"非必要", "非必要"}}},
			{Key: "form", Label: "材料形式", Kind: "select", Options: labelOptions("原件", "复印件", "原件和复印件", "电子")},
			{Key: "copies", Label: "份数", Kind: "number"},
			{Key: "type", Label: "材料类型", Kind: "select", Options: labelOptions("证照", "表格", "证明", "其他")},
			{Key: "source", Label: "材料来源", Kind: "select", Options: labelOptions("申请人自备", "政府部门核发", "电子证照", "共享数据", "中介机构")},
			{Key: "tolerant", Label: "可容缺", Kind: "check"},
			{Key: "review_criteria", Label: "审核准则", Kind: "long"},
			{Key: "note", Label: "备注", Kind: "long"},
			{Key: "blank_form", Label: "空白表格", Kind: "long"},
			{Key: "example", Label: "示例样表", Kind: "long"},
		}},
	{Key: "situations", Label: "情形", Help: "每行一个答案；同一情形的各答案用相同的情形编号，问题和显示条件写在第一行即可。答案的效果在下面的“情形效果”表中逐条填写。",
		Columns: []rowColumn{
			{Key: "key", Label: "情形编号", Kind: "text"},
			{Key: "question", Label: "问题", Kind: "text"},
			{Key: "depends_on", Label: "显示条件（如 s1=a1）", Kind: "text"},
			{Key: "answer", Label: "答案编号", Kind: "text"},
			{Key: "label", Label: "答案", Kind: "text"},
		}},
	{Key: "effects", Label: "情形效果", Help: "每行一条：选择某情形的某个答案时，增加、删除或替换一份材料（填材料编号），或增加一条受理条件。",
		Columns: []rowColumn{
			{Key: "situation", Label: "情形编号", Kind: "text"},
			{Key: "answer", Label: "答案编号", Kind: "text"},
			{Key: "op", Label: "效果", Kind: "select", Options: []rowOption{{"", "未填写"}, {"增加", "增加材料"}, {"删除", "删除材料"},
				{"替换", "替换材料"}, {"条件", "增加受理条件"}}},
			{Key: "material", Label: "材料编号", Kind: "text"},
			{Key: "with", Label: "替换为（材料编号）", Kind: "text"},
			{Key: "condition", Label: "受理条件", Kind: "text"},
		}},
	{Key: "faq", Label: "常见问题", Help: "每行一问一答。",
		Columns: []rowColumn{
			{Key: "question", Label: "问题", Kind: "text"},
			{Key: "answer", Label: "解答", Kind: "long"},
		}},
}

func rowTableByKey(key string) (rowTable, bool) {
	for _, t := range rowTables {
		if t.Key == key {
			return t, true
		}
	}
	return rowTable{}, false
}

// rowColumnLabel is the Chinese label of a table's column, or "".
func rowColumnLabel(table, col string) string {
	t, _ := rowTableByKey(table)
	for _, c := range t.Columns {
		if c.Key == col {
			return c.Label
		}
	}
	return ""
}

// rowName is a cell's form field name: materials[2].name.
func rowName(table string, i int, col string) string {
	return table + "[" + strconv.Itoa(i) + "]." + col
}

// rowPlace names a row for people: 申请材料第3行.
func rowPlace(table string, i int) string {
	t, _ := rowTableByKey(table)
	return t.Label + "第" + strconv.Itoa(i+1) + "行"
}

var rowField = regexp.MustCompile(`^([a-z_]+)\[(\d{1,3})\]\.([a-z_]+)$`)

// maxRows bounds a posted table, so a crafted form cannot make the server
// build huge pages.
const maxRows = 200

// readRows reads the posted tables in index order. Rows whose text fields
// are all empty are dropped when compact is set (a row added and left
// blank); a row operation keeps them.
func readRows(form url.Values, compact bool) map[string][]rowValues {
	byIndex := map[string]map[int]rowValues{}
	for name, vs := range form {
		m := rowField.FindStringSubmatch(name)
		if m == nil || len(vs) == 0 {
			continue
		}
		if _, ok := rowTableByKey(m[1]); !ok {
			continue
		}
		i, _ := strconv.Atoi(m[2])
		if i >= maxRows {
			continue
		}
		if byIndex[m[1]] == nil {
			byIndex[m[1]] = map[int]rowValues{}
		}
		if byIndex[m[1]][i] == nil {
			byIndex[m[1]][i] = rowValues{}
		}
		byIndex[m[1]][i][m[3]] = strings.TrimSpace(strings.ReplaceAll(vs[0], "\r\n", "\n"))
	}
	out := map[string][]rowValues{}
	for _, t := range rowTables {
		rows := byIndex[t.Key]
		idx := make([]int, 0, len(rows))
		for i := range rows {
			idx = append(idx, i)
		}
		slices.Sort(idx)
		for _, i := range idx {
			if compact && blankRow(t, rows[i]) {
				continue
			}
			out[t.Key] = append(out[t.Key], rows[i])
		}
	}
	return out
}

// blankRow reports whether none of the row's typed fields holds anything;
// choices and boxes keep their defaults in a new row and do not count.
func blankRow(t rowTable, r rowValues) bool {
	for _, c := range t.Columns {
		if (c.Kind == "text" || c.Kind == "number" || c.Kind == "long") && r[c.Key] != "" {
			return false
		}
	}
	return true
}

// applyRowOp adds, removes or moves a row: op is materials.add or
// materials[2].up / .down / .remove. It reports whether op was one.
func applyRowOp(rows map[string][]rowValues, op string) bool {
	if table, ok := strings.CutSuffix(op, ".add"); ok {
		if _, known := rowTableByKey(table); !known || len(rows[table]) >= maxRows {
			return false
		}
		rows[table] = append(rows[table], newRow(table, rows[table]))
		return true
	}
	m := rowField.FindStringSubmatch(op)
	if m == nil {
		return false
	}
	table, what := m[1], m[3]
	i, _ := strconv.Atoi(m[2])
	rs := rows[table]
	if i >= len(rs) {
		return false
	}
	switch {
	case what == "remove":
		rows[table] = slices.Delete(rs, i, i+1)
	case what == "up" && i > 0:
		rs[i-1], rs[i] = rs[i], rs[i-1]
	case what == "down" && i+1 < len(rs):
		rs[i], rs[i+1] = rs[i+1], rs[i]
	default:
		return false
	}
	return true
}

// newRow is an empty row with the defaults a new entry has: a material
// gets the next free key, is 必要 and counts one copy; a step counts
// toward the limit.
func newRow(table string, have []rowValues) rowValues {
	r := rowValues{}
	switch table {
	case "materials":
		used := map[string]bool{}
		for _, h := range have {
			used[h["key"]] = true
		}
		n := len(have) + 1
		for used["m"+strconv.Itoa(n)] {
			n++
		}
		r["key"], r["required"], r["copies"] = "m"+strconv.Itoa(n), "必要", "1"
	case "steps":
		r["counts_toward_limit"] = "是"
	}
	return r
}

// rowError records a problem of one cell, by its field name, and in the
// list of the form's problems naming the row and the field in Chinese.
type rowErrors struct {
	cells map[string]string
	list  []string
}

func (e *rowErrors) add(table string, i int, col, msg string) {
	name := rowName(table, i, col)
	if e.cells == nil {
		e.cells = map[string]string{}
	}
	if e.cells[name] != "" {
		e.cells[name] += "；"
	}
	e.cells[name] += msg
	place := rowPlace(table, i)
	if label := rowColumnLabel(table, col); label != "" {
		place += "“" + label + "”"
	}
	e.list = append(e.list, place+"："+msg)
}

// tableError adds a problem of a whole table (too many steps…).
func (e *rowErrors) table(table, msg string) {
	t, _ := rowTableByKey(table)
	if e.cells == nil {
		e.cells = map[string]string{}
	}
	e.cells[table] = msg
	e.list = append(e.list, t.Label+"："+msg)
}

func (e *rowErrors) empty() bool { return len(e.list) == 0 }

// listingRows renders the listing's nested parts as rows.
func listingRows(l tongban.Listing) map[string][]rowValues {
	out := map[string][]rowValues{}
	yes := func(b bool) string {
		if b {
			return "是"
		}
		return ""
	}
	for _, s := range l.Steps {
		out["steps"] = append(out["steps"], rowValues{"name": s.Name, "role": s.Role.Label(), "days": strconv.Itoa(s.Days),
			"counts_toward_limit": yes(s.CountsTowardLimit), "post": s.Post, "other_actor": yes(s.OtherActor)})
	}
	for _, f := range l.Fees {
		out["fees"] = append(out["fees"], rowValues{"item": f.Item, "standard": f.Standard, "basis": f.Basis})
	}
	for _, m := range l.Materials {
		out["materials"] = append(out["materials"], rowValues{"key": m.Key, "name": m.Name, "standard": m.Standard,
			"required": m.Required.Label(), "form": m.Form.Label(), "copies": strconv.Itoa(m.Copies), "type": m.Type.Label(),
			"source": m.Source.Label(), "tolerant": yes(m.Tolerant), "review_criteria": m.ReviewCriteria, "note": m.Note,
			"blank_form": m.BlankForm, "example": m.Example})
	}
	for _, s := range l.Situations {
		for j, a := range s.Answers {
			r := rowValues{"key": s.Key, "answer": a.Key, "label": a.Label}
			for _, e := range a.Effects {
				er := rowValues{"situation": s.Key, "answer": a.Key, "op": e.Op.Label(), "material": e.MaterialKey,
					"with": e.WithKey, "condition": e.Condition}
				if e.Material != nil && e.MaterialKey == "" {
					er["material"] = e.Material.Key // given inline (a file): shown by its key
				}
				out["effects"] = append(out["effects"], er)
			}
			if j == 0 {
				r["question"] = s.Question
				if s.DependsOn != nil {
					r["depends_on"] = s.DependsOn.String()
				}
			}
			out["situations"] = append(out["situations"], r)
		}
	}
	for _, q := range l.FAQ {
		out["faq"] = append(out["faq"], rowValues{"question": q.Question, "answer": q.Answer})
	}
	return out
}
