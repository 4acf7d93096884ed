package tongban

import (
	"fmt"
	"strings"
	"time"
)

// ItemType is the national 事项类型. All ten kinds of administrative power
// get their own value (rather than folding 处罚/强制/征收/检查 into
// 其他行政权力) because they are separate categories in the national element
// set and the catalog must be able to report on each; 公共服务 is the eleventh.
type ItemType string

const (
	ItemLicensing     ItemType = "licensing"    // 行政许可
	ItemPenalty       ItemType = "penalty"      // 行政处罚
	ItemCoercion      ItemType = "coercion"     // 行政强制
	ItemLevy          ItemType = "levy"         // 行政征收
	ItemPayment       ItemType = "payment"      // 行政给付
	ItemInspection    ItemType = "inspection"   // 行政检查
	ItemConfirmation  ItemType = "confirmation" // 行政确认
	ItemReward        ItemType = "reward"       // 行政奖励
	ItemAdjudication  ItemType = "adjudication" // 行政裁决
	ItemOtherPower    ItemType = "other_power"  // 其他行政权力
	ItemPublicService ItemType = "public"       // 公共服务
)

var itemTypeLabels = map[ItemType]string{
	ItemLicensing: "行政许可", ItemPenalty: "行政处罚", ItemCoercion: "行政强制", ItemLevy: "行政征收",
	ItemPayment: "行政给付", ItemInspection: "行政检查", ItemConfirmation: "行政确认", ItemReward: "行政奖励",
	ItemAdjudication: "行政裁决", ItemOtherPower: "其他行政权力", ItemPublicService: "公共服务",
}

func (t ItemType) Label() string { return itemTypeLabels[t] }
func (t ItemType) Valid() bool   { _, ok := itemTypeLabels[t]; return ok }

// IsPower reports whether the item is an administrative power (not a public service).
func (t ItemType) IsPower() bool { return t.Valid() && t != ItemPublicService }

// ParseItemType accepts the Chinese label or the value.
func ParseItemType(s string) (ItemType, bool) { return parseCatalogEnum(itemTypeLabels, s) }

// ItemLevel is a 行使层级: the level of government that exercises the item.
type ItemLevel string

const (
	ItemLevelNation   ItemLevel = "nation"   // 国家级
	ItemLevelProvince ItemLevel = "province" // 省级
	ItemLevelCity     ItemLevel = "city"     // 市级
	ItemLevelCounty   ItemLevel = "county"   // 县级
	ItemLevelTown     ItemLevel = "town"     // 乡级
	ItemLevelVillage  ItemLevel = "village"  // 村级
)

var itemLevelLabels = map[ItemLevel]string{
	ItemLevelNation: "国家级", ItemLevelProvince: "省级", ItemLevelCity: "市级",
	ItemLevelCounty: "县级", ItemLevelTown: "乡级", ItemLevelVillage: "村级",
}

func (l ItemLevel) Label() string { return itemLevelLabels[l] }
func (l ItemLevel) Valid() bool   { _, ok := itemLevelLabels[l]; return ok }

// ParseItemLevel accepts the Chinese label or the value.
func ParseItemLevel(s string) (ItemLevel, bool) { return parseCatalogEnum(itemLevelLabels, s) }

// Audience says who may apply: 个人, 法人 or both.
type Audience string

const (
	AudiencePerson     Audience = "person"     // 个人 (自然人)
	AudienceEnterprise Audience = "enterprise" // 法人
	AudienceBoth       Audience = "both"       // 个人和法人
)

var audienceLabels = map[Audience]string{
	AudiencePerson: "个人", AudienceEnterprise: "法人", AudienceBoth: "个人和法人",
}

func (a Audience) Label() string { return audienceLabels[a] }
func (a Audience) Valid() bool   { _, ok := audienceLabels[a]; return ok }

// ParseAudience accepts the Chinese label, the value, or common synonyms.
func ParseAudience(s string) (Audience, bool) {
	switch strings.TrimSpace(s) {
	case "自然人":
		return AudiencePerson, true
	case "企业", "法人或其他组织", "法人和其他组织":
		return AudienceEnterprise, true
	case "个人,法人", "个人、法人", "自然人、法人", "个人/法人", "全部":
		return AudienceBoth, true
	}
	return parseCatalogEnum(audienceLabels, s)
}

// PersonThemes and EnterpriseThemes are the life events used to browse the
// catalog. Items may name others; these are the ones the portal shows first.
var (
	PersonThemes = []string{"出生", "上学", "就业", "婚育", "住房", "户籍", "社保", "医疗",
		"养老", "退休", "身后", "出行", "残疾人", "退役军人", "司法公证"}
	EnterpriseThemes = []string{"开办", "经营", "变更", "注销", "投资建设", "招聘用工",
		"纳税缴费", "资质认证", "知识产权", "破产"}
)

// Item is a 基本目录事项: the national definition of one service, shared by
// every org that implements it through a Listing.
type Item struct {
	ID               int64       `json:"id"`
	Code             string      `json:"code"`                  // 基本编码
	Name             string      `json:"name"`                  // 事项名称
	MainItem         string      `json:"main_item,omitempty"`   // 主项名称, for 业务办理项
	Type             ItemType    `json:"type"`                  // 事项类型
	Levels           []ItemLevel `json:"levels,omitempty"`      // 行使层级; several are common (市级、县级)
	LegalBasis       string      `json:"legal_basis,omitempty"` // 设定依据
	StatutoryDays    int         `json:"statutory_days"`        // 法定办结时限, working days; 0 = none or 即办
	Sector           string      `json:"sector,omitempty"`      // 业务领域, routes to a back-office board
	Audience         Audience    `json:"audience,omitempty"`
	PersonThemes     []string    `json:"person_themes,omitempty"`
	EnterpriseThemes []string    `json:"enterprise_themes,omitempty"`
	Aliases          []string    `json:"aliases,omitempty"` // colloquial names, for search
	UpdatedAt        time.Time   `json:"updated_at"`
}

// Validate returns the first problem of the item, or nil.
func (it *Item) Validate() error { return firstProblem(it.Problems()) }

// Problems lists every field error of the item. An item read from a bare
// portal list (code, name, type) is valid; completeness is a quality matter.
func (it *Item) Problems() []*Error {
	var errs []*Error
	add := func(field, format string, args ...any) { errs = append(errs, FieldError(field, format, args...)) }
	if strings.TrimSpace(it.Code) == "" {
		add("code", "基本编码不能为空")
	} else if len(it.Code) > 64 {
		add("code", "基本编码不能超过64个字符")
	}
	if strings.TrimSpace(it.Name) == "" {
		add("name", "事项名称不能为空")
	}
	if it.Type != "" && !it.Type.Valid() {
		add("type", "事项类型无效：%s", it.Type)
	}
	for i, l := range it.Levels {
		if !l.Valid() {
			add(fmt.Sprintf("levels[%d]", i), "行使层级无效：%s", l)
		}
	}
	if it.StatutoryDays < 0 {
		add("statutory_days", "法定时限不能为负数")
	}
	if it.Audience != "" && !it.Audience.Valid() {
		add("audience", "服务对象无效：%s", it.Audience)
	}
	for _, list := range []struct {
		field  string
		values []string
	}{{"person_themes", it.PersonThemes}, {"enterprise_themes", it.EnterpriseThemes}, {"aliases", it.Aliases}} {
		for i, s := range list.values {
			if strings.TrimSpace(s) == "" {
				add(fmt.Sprintf("%s[%d]", list.field, i), "不能为空")
			}
		}
	}
	return errs
}

// Claim records that an org has claimed (认领) an item of the base catalog,
// which lets it write a Listing for that item.
type Claim struct {
	ID         int64     `json:"id"`
	ItemID     int64     `json:"item_id"`
	OrgID      int64     `json:"org_id"`
	RegionCode string    `json:"region_code"`
	ClaimedBy  int64     `json:"claimed_by"` // user id
	ClaimedAt  time.Time `json:"claimed_at"`
}

// FillEmpty sets every element of it that is empty from other, so that an
// import carrying only some columns keeps what is already known.
func (it *Item) FillEmpty(other *Item) {
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&it.Name, other.Name}, {&it.MainItem, other.MainItem}, {&it.LegalBasis, other.LegalBasis}, {&it.Sector, other.Sector},
	} {
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
	if it.Type == "" {
		it.Type = other.Type
	}
	if it.Audience == "" {
		it.Audience = other.Audience
	}
	if it.StatutoryDays == 0 {
		it.StatutoryDays = other.StatutoryDays
	}
	if len(it.Levels) == 0 {
		it.Levels = other.Levels
	}
	if len(it.PersonThemes) == 0 {
		it.PersonThemes = other.PersonThemes
	}
	if len(it.EnterpriseThemes) == 0 {
		it.EnterpriseThemes = other.EnterpriseThemes
	}
	if len(it.Aliases) == 0 {
		it.Aliases = other.Aliases
	}
}
