package tongban

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// StandardMaterial (标准材料) is one kind of document as the whole city
// names it — 居民身份证, 营业执照, 结婚证 — so that the same paper asked by
// different listings is recognised as the same, handed over once and
// reused (材料库), fetched from a licence or a shared-data resource, and
// compared across districts (三统一). Catalog admins keep the list; a
// listing's material points at one by Code.
type StandardMaterial struct {
	Code     string   `json:"code"`               // BZ0101
	Name     string   `json:"name"`               // 居民身份证
	Category string   `json:"category,omitempty"` // 身份与户籍, 婚姻与生育, 市场主体…
	Issuer   string   `json:"issuer,omitempty"`   // who issues it: 公安机关
	Aliases  []string `json:"aliases,omitempty"`  // other names listings use: 身份证, 二代身份证
	// Reusable says whether a confirmed copy may serve later cases (材料库);
	// per-case papers (申请书, 授权委托书) are not.
	Reusable bool `json:"reusable"`
	// ValidMonths is how long a confirmed copy stays reusable when the
	// document names no expiry of its own; 0 = the platform's default.
	ValidMonths int `json:"valid_months,omitempty"`
	// LicenseType is the e-licence type (证照类型代码) that stands for it, if any.
	LicenseType string    `json:"license_type,omitempty"`
	Retired     bool      `json:"retired,omitempty"` // 停用: kept for listings that name it, offered to none
	Note        string    `json:"note,omitempty"`
	UpdatedBy   int64     `json:"-"`
	UpdatedAt   time.Time `json:"updated_at"`
}

var standardCodePattern = regexp.MustCompile(`^[A-Z][A-Z0-9]{3,15}$`)

// ValidStandardCode reports whether s has the form of a standard material
// code: an upper-case letter, then 3 to 15 upper-case letters or digits.
func ValidStandardCode(s string) bool { return standardCodePattern.MatchString(s) }

// Problems lists the standard material's field errors.
func (m *StandardMaterial) Problems() []*Error {
	var errs []*Error
	add := func(field, format string, args ...any) { errs = append(errs, FieldError(field, format, args...)) }
	if !ValidStandardCode(m.Code) {
		add("code", "标准材料编码应为大写字母开头的4至16位大写字母或数字，如 BZ0101")
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(m.Name)); {
	case n == 0:
		add("name", "标准材料名称不能为空")
	case n > 60:
		add("name", "标准材料名称不能超过60个字")
	}
	if utf8.RuneCountInString(m.Category) > 30 || utf8.RuneCountInString(m.Issuer) > 60 {
		add("category", "类别不超过30个字，核发机关不超过60个字")
	}
	if len(m.Aliases) > 20 {
		add("aliases", "别名不能超过20个")
	}
	for _, a := range m.Aliases {
		if strings.TrimSpace(a) == "" || utf8.RuneCountInString(a) > 60 || strings.ContainsAny(a, "|\n") {
			add("aliases", "别名应为1至60个字，不含 | 或换行")
			break
		}
	}
	if m.ValidMonths < 0 || m.ValidMonths > 600 {
		add("valid_months", "复用有效期应为0至600个月")
	}
	if m.LicenseType != "" && (utf8.RuneCountInString(m.LicenseType) > 40 || strings.ContainsAny(m.LicenseType, " \n|")) {
		add("license_type", "证照类型代码无效")
	}
	if utf8.RuneCountInString(m.Note) > 500 {
		add("note", "说明不能超过500个字")
	}
	return errs
}

// Names lists the name and every alias, for matching a listing's wording.
func (m *StandardMaterial) Names() []string { return append([]string{m.Name}, m.Aliases...) }

// StandardMaterialStore keeps the list of standard materials.
type StandardMaterialStore interface {
	// SaveStandardMaterial inserts m, or updates the one with its code. A
	// name another code already has is an EConflict on "name".
	SaveStandardMaterial(ctx context.Context, m *StandardMaterial) error
	// StandardMaterial returns the one with the code (ENotFound if none).
	StandardMaterial(ctx context.Context, code string) (*StandardMaterial, error)
	// StandardMaterials lists them all, by code.
	StandardMaterials(ctx context.Context) ([]*StandardMaterial, error)
}
