package tongban

import (
	"context"
	"strings"
)

// OrgKind says what an org is in a service centre.
type OrgKind string

const (
	OrgDepartment OrgKind = "department" // 部门
	OrgHall       OrgKind = "hall"       // 政务服务大厅
	OrgWindow     OrgKind = "window"     // 综合窗口 (前台综合受理 / 统一出件)
	OrgBoard      OrgKind = "board"      // 后台分类审批 board (投资建设, 市场准入…)
)

var orgKindNames = map[OrgKind]string{
	OrgDepartment: "部门", OrgHall: "政务服务大厅", OrgWindow: "综合窗口", OrgBoard: "后台审批专区",
}

// Label is the Chinese name of the kind.
func (k OrgKind) Label() string { return orgKindNames[k] }

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool { _, ok := orgKindNames[k]; return ok }

// Org is a department, service hall, window or back-office board inside a region.
type Org struct {
	ID         int64   `json:"id"`
	Code       string  `json:"code"` // stable short code, unique, e.g. "gas-scjgj"
	Name       string  `json:"name"`
	ShortName  string  `json:"short_name,omitempty"`
	Kind       OrgKind `json:"kind"`
	RegionCode string  `json:"region_code"`
	ParentID   int64   `json:"parent_id,omitempty"` // the hall of a window, the department of a unit
	Sector     string  `json:"sector,omitempty"`    // the board's sector (投资建设, 市场准入…)
	// CreditCode is the org's 统一社会信用代码, needed to issue e-licences
	// (it is part of a licence's GB/T 36904 identifier).
	CreditCode CreditCode `json:"credit_code,omitempty"`
	Phone      string     `json:"phone,omitempty"`
	Address    string     `json:"address,omitempty"`
	// ReviewBody is the 复议机关 a refusal or denial by this department names:
	// the people's government at the same level, or the department above
	// where the department is under vertical management (公安, 税务…).
	ReviewBody string `json:"review_body,omitempty"`
	// Court is the people's court that hears 行政诉讼 against the department.
	Court string `json:"court,omitempty"`
	// ResultWindowID is, for a hall, the window it designates for handing
	// out results and decisions (统一出件); 0 if none.
	ResultWindowID int64 `json:"result_window_id,omitempty"`
}

// Validate checks an org's fields.
func (o *Org) Validate() error {
	o.Code = strings.TrimSpace(o.Code)
	o.Name = strings.TrimSpace(o.Name)
	switch {
	case o.Code == "":
		return FieldError("code", "机构代码不能为空")
	case len(o.Code) > 64:
		return FieldError("code", "机构代码不能超过64个字符")
	case o.Name == "":
		return FieldError("name", "机构名称不能为空")
	case !o.Kind.Valid():
		return FieldError("kind", "机构类型应为 department、hall、window 或 board")
	case len(o.RegionCode) != 12:
		return FieldError("region_code", "所属行政区划代码应为12位数字")
	case o.Kind == OrgBoard && o.Sector == "":
		return FieldError("sector", "后台审批专区须填写所属领域")
	}
	if o.CreditCode != "" {
		c, err := ParseCreditCode(string(o.CreditCode))
		if err != nil {
			return err
		}
		o.CreditCode = c
	}
	return nil
}

// OrgFilter narrows an org listing.
type OrgFilter struct {
	Within string  // region code: this region and below
	Kind   OrgKind // "" for any
	Name   string  // exact name, for imports that name departments
}

// OrgStore persists orgs.
type OrgStore interface {
	CreateOrg(ctx context.Context, o *Org) error
	// SetResultWindow designates the hall's result window (0 clears it).
	SetResultWindow(ctx context.Context, hallID, windowID int64) error
	Org(ctx context.Context, id int64) (*Org, error)
	OrgByCode(ctx context.Context, code string) (*Org, error)
	Orgs(ctx context.Context, f OrgFilter) ([]*Org, error)
}
