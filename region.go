package tongban

import (
	"context"
	"strings"
)

// RegionLevel is the administrative level of a region (GB/T 2260 and the
// statistical division codes below the county).
type RegionLevel int

const (
	LevelProvince RegionLevel = 1 // 省
	LevelCity     RegionLevel = 2 // 市
	LevelCounty   RegionLevel = 3 // 区县
	LevelTown     RegionLevel = 4 // 乡镇街道
	LevelVillage  RegionLevel = 5 // 村社区
)

var regionLevelNames = map[RegionLevel]string{
	LevelProvince: "省", LevelCity: "市", LevelCounty: "区县", LevelTown: "乡镇街道", LevelVillage: "村社区",
}

func (l RegionLevel) String() string { return regionLevelNames[l] }

// Region is an administrative division identified by its 12-digit code
// (6-digit GB/T 2260 code padded with the town and village digits).
type Region struct {
	Code       string      `json:"code"`
	Name       string      `json:"name"`
	Level      RegionLevel `json:"level"`
	ParentCode string      `json:"parent_code,omitempty"`
}

// RegionCodeLevel derives the level a 12-digit code encodes: the trailing
// zero groups say how deep it is.
func RegionCodeLevel(code string) RegionLevel {
	switch {
	case len(code) != 12:
		return 0
	case code[2:] == "0000000000":
		return LevelProvince
	case code[4:] == "00000000":
		return LevelCity
	case code[6:] == "000000":
		return LevelCounty
	case code[9:] == "000":
		return LevelTown
	default:
		return LevelVillage
	}
}

// RegionCodeParent derives the parent code from a 12-digit code.
func RegionCodeParent(code string) string {
	switch RegionCodeLevel(code) {
	case LevelCity:
		return code[:2] + "0000000000"
	case LevelCounty:
		return code[:4] + "00000000"
	case LevelTown:
		return code[:6] + "000000"
	case LevelVillage:
		return code[:9] + "000"
	}
	return ""
}

// RegionPrefix is the significant prefix of a code: every code inside the
// region starts with it. Used for "this region and below" filters.
func RegionPrefix(code string) string {
	switch RegionCodeLevel(code) {
	case LevelProvince:
		return code[:2]
	case LevelCity:
		return code[:4]
	case LevelCounty:
		return code[:6]
	case LevelTown:
		return code[:9]
	}
	return code
}

// RegionContains reports whether inner lies in (or is) outer.
func RegionContains(outer, inner string) bool {
	return strings.HasPrefix(inner, RegionPrefix(outer))
}

// Validate checks the code's shape and its consistency with the level and parent.
func (r *Region) Validate() error {
	if len(r.Code) != 12 || strings.Trim(r.Code, "0123456789") != "" {
		return FieldError("code", "行政区划代码应为12位数字")
	}
	if strings.TrimSpace(r.Name) == "" {
		return FieldError("name", "行政区划名称不能为空")
	}
	lvl := RegionCodeLevel(r.Code)
	if r.Level == 0 {
		r.Level = lvl
	}
	if r.Level != lvl {
		return FieldError("level", "行政区划级别与代码不符（代码表示%s）", lvl)
	}
	if r.ParentCode == "" {
		r.ParentCode = RegionCodeParent(r.Code)
	}
	if r.ParentCode != RegionCodeParent(r.Code) {
		return FieldError("parent_code", "上级行政区划应为 %s", RegionCodeParent(r.Code))
	}
	return nil
}

// RegionStore persists regions.
type RegionStore interface {
	CreateRegion(ctx context.Context, r *Region) error
	Region(ctx context.Context, code string) (*Region, error)
	// Regions lists regions under (and including) the prefix of code; "" lists all.
	Regions(ctx context.Context, within string) ([]*Region, error)
}
