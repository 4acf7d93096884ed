package tongban

import (
	"fmt"
	"strings"
)

// Necessity says whether a material is always asked for.
type Necessity string

const (
	MaterialRequired    Necessity = "required"    // 必要
	MaterialConditional Necessity = "conditional" // 依情形: asked only when a situation answer adds it
	MaterialOptional    Necessity = "optional"    // 非必要
)

var necessityLabels = map[Necessity]string{
	MaterialRequired: "必要", MaterialConditional: "依情形", MaterialOptional: "非必要",
}

func (n Necessity) Label() string { return necessityLabels[n] }
func (n Necessity) Valid() bool   { _, ok := necessityLabels[n]; return ok }

// ParseNecessity accepts the Chinese label, the value, or common synonyms.
func ParseNecessity(s string) (Necessity, bool) {
	switch strings.TrimSpace(s) {
	case "必须", "必需", "是", "必要材料":
		return MaterialRequired, true
	case "情形", "依情形提交", "容情形", "条件", "视情形":
		return MaterialConditional, true
	case "可选", "否", "非必须", "非必需":
		return MaterialOptional, true
	}
	return parseCatalogEnum(necessityLabels, s)
}

// MaterialForm is the form in which a material is handed over.
type MaterialForm string

const (
	FormOriginal        MaterialForm = "original"      // 原件
	FormCopy            MaterialForm = "copy"          // 复印件
	FormOriginalAndCopy MaterialForm = "original_copy" // 原件和复印件 (original shown, copy kept)
	FormElectronic      MaterialForm = "electronic"    // 电子
)

var materialFormLabels = map[MaterialForm]string{
	FormOriginal: "原件", FormCopy: "复印件", FormOriginalAndCopy: "原件和复印件", FormElectronic: "电子",
}

func (f MaterialForm) Label() string { return materialFormLabels[f] }
func (f MaterialForm) Valid() bool   { _, ok := materialFormLabels[f]; return ok }

// ParseMaterialForm accepts the Chinese label, the value, or common synonyms.
func ParseMaterialForm(s string) (MaterialForm, bool) {
	switch strings.TrimSpace(s) {
	case "原件及复印件", "原件、复印件", "原件+复印件":
		return FormOriginalAndCopy, true
	case "电子件", "电子版":
		return FormElectronic, true
	}
	return parseCatalogEnum(materialFormLabels, s)
}

// MaterialType classifies a material.
type MaterialType string

const (
	MaterialLicense         MaterialType = "license"     // 证照
	MaterialApplicationForm MaterialType = "form"        // 表格
	MaterialCertificate     MaterialType = "certificate" // 证明
	MaterialOther           MaterialType = "other"       // 其他
)

var materialTypeLabels = map[MaterialType]string{
	MaterialLicense: "证照", MaterialApplicationForm: "表格", MaterialCertificate: "证明", MaterialOther: "其他",
}

func (t MaterialType) Label() string { return materialTypeLabels[t] }
func (t MaterialType) Valid() bool   { _, ok := materialTypeLabels[t]; return ok }

// ParseMaterialType accepts the Chinese label or the value.
func ParseMaterialType(s string) (MaterialType, bool) { return parseCatalogEnum(materialTypeLabels, s) }

// MaterialSource says where a material comes from; everything but the
// applicant's own papers can be fetched instead of asked for (材料减少率).
type MaterialSource string

const (
	SourceApplicant  MaterialSource = "applicant"    // 申请人自备
	SourceGovernment MaterialSource = "government"   // 政府部门核发
	SourceELicense   MaterialSource = "e_license"    // 电子证照
	SourceShared     MaterialSource = "shared_data"  // 共享数据
	SourceAgency     MaterialSource = "intermediary" // 中介机构
)

var materialSourceLabels = map[MaterialSource]string{
	SourceApplicant: "申请人自备", SourceGovernment: "政府部门核发", SourceELicense: "电子证照",
	SourceShared: "共享数据", SourceAgency: "中介机构",
}

func (s MaterialSource) Label() string { return materialSourceLabels[s] }
func (s MaterialSource) Valid() bool   { _, ok := materialSourceLabels[s]; return ok }

// ParseMaterialSource accepts the Chinese label or the value.
func ParseMaterialSource(s string) (MaterialSource, bool) {
	return parseCatalogEnum(materialSourceLabels, s)
}

// Material is one 申请材料 of a listing.
type Material struct {
	Key            string         `json:"key"` // stable within the listing ("m1"); situations refer to it
	Name           string         `json:"name"`
	Required       Necessity      `json:"required"`
	Form           MaterialForm   `json:"form,omitempty"`
	Copies         int            `json:"copies"`
	Type           MaterialType   `json:"type,omitempty"`
	Source         MaterialSource `json:"source,omitempty"`
	Tolerant       bool           `json:"tolerant,omitempty"`        // may be owed after acceptance (容缺)
	BlankForm      string         `json:"blank_form,omitempty"`      // blob hash or URL of the empty form
	Example        string         `json:"example,omitempty"`         // blob hash or URL of a filled-in sample
	ReviewCriteria string         `json:"review_criteria,omitempty"` // 审核准则, in plain words
	Note           string         `json:"note,omitempty"`
	// Standard is the code of the standard material (标准材料) this is, so
	// the same document is recognised across listings; "" if none fits.
	// The catalog checks it against the maintained list when a listing is
	// saved or imported (a file may name the material instead of its code).
	Standard string `json:"standard,omitempty"`
}

// Validate returns the first problem of the material, or nil.
func (m *Material) Validate() error { return firstProblem(m.Problems()) }

// Problems lists the material's field errors, with fields relative to the material.
func (m *Material) Problems() []*Error {
	var errs []*Error
	add := func(field, format string, args ...any) { errs = append(errs, FieldError(field, format, args...)) }
	if strings.TrimSpace(m.Key) == "" {
		add("key", "材料编号不能为空")
	} else if strings.ContainsAny(m.Key, "|;=>:\n") {
		add("key", "材料编号不能含有 | ; = > : 或换行")
	}
	if strings.TrimSpace(m.Name) == "" {
		add("name", "材料名称不能为空")
	}
	if !m.Required.Valid() {
		add("required", "必要性应为 必要、依情形 或 非必要")
	}
	if m.Form != "" && !m.Form.Valid() {
		add("form", "材料形式无效：%s", m.Form)
	}
	if m.Copies < 0 {
		add("copies", "份数不能为负数")
	}
	if m.Type != "" && !m.Type.Valid() {
		add("type", "材料类型无效：%s", m.Type)
	}
	if m.Source != "" && !m.Source.Valid() {
		add("source", "材料来源无效：%s", m.Source)
	}
	return errs
}

// EffectOp is what an answer does to the material list or the conditions.
type EffectOp string

const (
	EffectAdd       EffectOp = "add"       // 增加 a material
	EffectRemove    EffectOp = "remove"    // 删除 a material
	EffectReplace   EffectOp = "replace"   // 替换 a material by another
	EffectCondition EffectOp = "condition" // 增加 a 受理条件
)

var effectOpLabels = map[EffectOp]string{
	EffectAdd: "增加", EffectRemove: "删除", EffectReplace: "替换", EffectCondition: "条件",
}

func (o EffectOp) Label() string { return effectOpLabels[o] }
func (o EffectOp) Valid() bool   { _, ok := effectOpLabels[o]; return ok }

// ParseEffectOp accepts the Chinese label or the value.
func ParseEffectOp(s string) (EffectOp, bool) { return parseCatalogEnum(effectOpLabels, s) }

// Effect is one consequence of choosing an answer.
//
//	add:       MaterialKey names a listing material (normally 依情形), or Material is given inline
//	remove:    MaterialKey names the material to drop
//	replace:   MaterialKey is dropped; WithKey (a listing material) or Material takes its place
//	condition: Condition is appended to the 受理条件
type Effect struct {
	Op          EffectOp  `json:"op"`
	MaterialKey string    `json:"material_key,omitempty"`
	WithKey     string    `json:"with_key,omitempty"`
	Material    *Material `json:"material,omitempty"`
	Condition   string    `json:"condition,omitempty"`
}

// Answer is one choice of a situation.
type Answer struct {
	Key     string   `json:"key"`
	Label   string   `json:"label"`
	Effects []Effect `json:"effects,omitempty"`
}

// AnswerRef points at one answer of one situation.
type AnswerRef struct {
	Situation string `json:"situation"`
	Answer    string `json:"answer"`
}

func (r AnswerRef) String() string { return r.Situation + "=" + r.Answer }

// Situation (情形) is a question whose answer tailors the material list.
// DependsOn, when set, shows the question only after that answer was chosen;
// it must point at an earlier situation, so a listing's questions are asked
// in one pass and can never depend on each other in a cycle.
type Situation struct {
	Key       string     `json:"key"`
	Question  string     `json:"question"`
	DependsOn *AnswerRef `json:"depends_on,omitempty"`
	Answers   []Answer   `json:"answers"`
}

// Problems lists the situation's structural errors, with fields relative to it.
// References to materials and other situations are checked by the catalog's
// quality rules, which see the whole listing.
func (s *Situation) Problems() []*Error {
	var errs []*Error
	add := func(field, format string, args ...any) { errs = append(errs, FieldError(field, format, args...)) }
	if strings.TrimSpace(s.Key) == "" {
		add("key", "情形编号不能为空")
	} else if strings.ContainsAny(s.Key, "|;=>:\n") {
		add("key", "情形编号不能含有 | ; = > : 或换行")
	}
	if strings.TrimSpace(s.Question) == "" {
		add("question", "情形问题不能为空")
	}
	if len(s.Answers) == 0 {
		add("answers", "情形至少应有一个答案")
	}
	seen := map[string]bool{}
	for i, a := range s.Answers {
		p := fmt.Sprintf("answers[%d]", i)
		switch {
		case strings.TrimSpace(a.Key) == "":
			add(p+".key", "答案编号不能为空")
		case strings.ContainsAny(a.Key, "|;=>:\n"):
			add(p+".key", "答案编号不能含有 | ; = > : 或换行")
		case seen[a.Key]:
			add(p+".key", "答案编号重复：%s", a.Key)
		}
		seen[a.Key] = true
		if strings.TrimSpace(a.Label) == "" {
			add(p+".label", "答案不能为空")
		}
		for j, e := range a.Effects {
			errs = append(errs, prefixProblems(fmt.Sprintf("%s.effects[%d]", p, j), e.problems())...)
		}
	}
	return errs
}

func (e *Effect) problems() []*Error {
	var errs []*Error
	add := func(field, format string, args ...any) { errs = append(errs, FieldError(field, format, args...)) }
	switch e.Op {
	case EffectAdd:
		if e.MaterialKey == "" && e.Material == nil {
			add("material_key", "增加材料须指明材料编号")
		}
	case EffectRemove:
		if e.MaterialKey == "" {
			add("material_key", "删除材料须指明材料编号")
		}
	case EffectReplace:
		if e.MaterialKey == "" {
			add("material_key", "替换材料须指明被替换的材料编号")
		}
		if e.WithKey == "" && e.Material == nil {
			add("with_key", "替换材料须指明替换后的材料编号")
		}
	case EffectCondition:
		if strings.TrimSpace(e.Condition) == "" {
			add("condition", "增加的受理条件不能为空")
		}
	default:
		add("op", "情形效果应为 增加、删除、替换 或 条件")
	}
	if e.Material != nil {
		errs = append(errs, prefixProblems("material", e.Material.Problems())...)
	}
	return errs
}

// parseCatalogEnum finds an enum value by its Chinese label or its value.
func parseCatalogEnum[T ~string](labels map[T]string, s string) (T, bool) {
	s = strings.TrimSpace(s)
	for v, label := range labels {
		if s == label || strings.EqualFold(s, string(v)) {
			return v, true
		}
	}
	return "", false
}

// prefixProblems turns errors relative to a part into errors of the whole.
func prefixProblems(prefix string, errs []*Error) []*Error {
	for _, e := range errs {
		e.Field = prefix + "." + e.Field
	}
	return errs
}

func firstProblem(errs []*Error) error {
	if len(errs) == 0 {
		return nil
	}
	return errs[0]
}
