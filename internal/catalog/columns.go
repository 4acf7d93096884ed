package catalog

import (
	"strings"
	"unicode"
)

// Column is one column of the import/export layout (docs/catalog-columns.md).
type Column struct {
	Key      string   // English name, also used in error messages: promised_days
	Header   string   // Chinese header written on export: 承诺时限
	Aliases  []string // further accepted headers
	Required bool     // the column must be present in an imported file
}

// Label is how error messages name the column: 承诺时限(promised_days).
func (c Column) Label() string { return c.Header + "(" + c.Key + ")" }

// Column keys, so code never spells a header twice.
const (
	colItemCode         = "item_code"
	colItemName         = "item_name"
	colMainItem         = "main_item"
	colItemType         = "item_type"
	colLevels           = "level"
	colLegalBasis       = "legal_basis"
	colStatutoryDays    = "statutory_days"
	colSector           = "sector"
	colAudience         = "audience"
	colPersonThemes     = "person_themes"
	colEnterpriseThemes = "enterprise_themes"
	colAliases          = "aliases"

	colCode           = "implementation_code"
	colListingName    = "listing_name"
	colOrg            = "department"
	colRegion         = "region_code"
	colVersion        = "version"
	colStatus         = "status"
	colCaseType       = "case_type"
	colPromisedDays   = "promised_days"
	colConditions     = "conditions"
	colSteps          = "steps"
	colFees           = "fees"
	colPlace          = "place"
	colHours          = "hours"
	colPhone          = "phone"
	colComplaintPhone = "complaint_phone"
	colTrips          = "trips"
	colOnlineDepth    = "online_depth"
	colMostOneTrip    = "most_one_trip"
	colTolerant       = "tolerant_acceptance"
	colCommitment     = "commitment"
	colCrossRegion    = "cross_region"
	colExpress        = "express"
	colAppointment    = "appointment"
	colResultName     = "result_name"
	colResultType     = "result_type"
	colResultSample   = "result_sample"
	colResultLicense  = "result_license_type" // 证照类型代码 of the e-licence issued
	colMaterials      = "materials"
	colSituations     = "situations"
	colFAQ            = "faq"
)

// Columns is the layout, in export order.
var Columns = []Column{
	{Key: colItemCode, Header: "基本编码", Aliases: []string{"base_code", "事项编码", "基本目录编码"}},
	{Key: colItemName, Header: "事项名称", Aliases: []string{"name"}, Required: true},
	{Key: colMainItem, Header: "主项名称", Aliases: []string{"parent_item", "主项"}},
	{Key: colItemType, Header: "事项类型", Aliases: []string{"type"}},
	{Key: colLevels, Header: "行使层级", Aliases: []string{"levels"}},
	{Key: colLegalBasis, Header: "设定依据", Aliases: []string{"basis"}},
	{Key: colStatutoryDays, Header: "法定时限", Aliases: []string{"法定办结时限", "statutory_limit"}},
	{Key: colSector, Header: "业务领域", Aliases: []string{"领域"}},
	{Key: colAudience, Header: "服务对象", Aliases: []string{"target"}},
	{Key: colPersonThemes, Header: "个人主题", Aliases: []string{"面向自然人主题"}},
	{Key: colEnterpriseThemes, Header: "法人主题", Aliases: []string{"面向法人主题"}},
	{Key: colAliases, Header: "别名", Aliases: []string{"alias", "俗称"}},

	{Key: colCode, Header: "实施编码", Aliases: []string{"listing_code", "code"}, Required: true},
	{Key: colListingName, Header: "实施名称", Aliases: []string{"实施清单名称"}},
	{Key: colOrg, Header: "实施部门", Aliases: []string{"org", "org_name", "实施主体", "部门"}, Required: true},
	{Key: colRegion, Header: "行政区划", Aliases: []string{"region", "行政区划代码", "区划代码"}},
	{Key: colVersion, Header: "版本", Aliases: []string{"版本号"}},
	{Key: colStatus, Header: "状态", Aliases: []string{"listing_status"}},
	{Key: colCaseType, Header: "办件类型", Aliases: []string{"办件类别"}},
	{Key: colPromisedDays, Header: "承诺时限", Aliases: []string{"承诺办结时限", "promised_limit"}},
	{Key: colConditions, Header: "受理条件", Aliases: []string{"condition"}},
	{Key: colSteps, Header: "办理流程", Aliases: []string{"process", "流程"}},
	{Key: colFees, Header: "收费", Aliases: []string{"收费标准", "fee"}},
	{Key: colPlace, Header: "办理地点", Aliases: []string{"address"}},
	{Key: colHours, Header: "办理时间", Aliases: []string{"office_hours"}},
	{Key: colPhone, Header: "咨询电话", Aliases: []string{"咨询方式", "consult_phone"}},
	{Key: colComplaintPhone, Header: "监督投诉电话", Aliases: []string{"投诉电话", "监督投诉方式"}},
	{Key: colTrips, Header: "到现场次数", Aliases: []string{"到办事现场次数"}},
	{Key: colOnlineDepth, Header: "办理深度", Aliases: []string{"网上办理深度", "channel"}},
	{Key: colMostOneTrip, Header: "最多跑一次", Aliases: nil},
	{Key: colTolerant, Header: "容缺受理", Aliases: []string{"tolerant"}},
	{Key: colCommitment, Header: "告知承诺", Aliases: []string{"告知承诺制"}},
	{Key: colCrossRegion, Header: "跨域通办", Aliases: []string{"跨省通办"}},
	{Key: colExpress, Header: "物流快递", Aliases: []string{"支持物流快递"}},
	{Key: colAppointment, Header: "预约办理", Aliases: []string{"支持预约"}},
	{Key: colResultName, Header: "结果名称", Aliases: []string{"办理结果", "result"}},
	{Key: colResultType, Header: "结果类型", Aliases: []string{"办理结果类型"}},
	{Key: colResultSample, Header: "结果样本", Aliases: []string{"结果样本链接"}},
	{Key: colResultLicense, Header: "结果证照类型代码", Aliases: []string{"结果证照类型"}},
	{Key: colMaterials, Header: "申请材料", Aliases: []string{"材料", "material"}},
	{Key: colSituations, Header: "情形", Aliases: []string{"情形引导", "situation"}},
	{Key: colFAQ, Header: "常见问题", Aliases: []string{"questions"}},
}

var columnByKey = func() map[string]Column {
	m := make(map[string]Column, len(Columns))
	for _, c := range Columns {
		m[c.Key] = c
	}
	return m
}()

// columnByHeader maps every normalized header name and alias to its column.
var columnByHeader = func() map[string]string {
	m := map[string]string{}
	for _, c := range Columns {
		m[normalizeHeader(c.Key)] = c.Key
		m[normalizeHeader(c.Header)] = c.Key
		for _, a := range c.Aliases {
			m[normalizeHeader(a)] = c.Key
		}
	}
	return m
}()

// ColumnForHeader returns the column a header names, if any.
func ColumnForHeader(header string) (Column, bool) {
	key, ok := columnByHeader[normalizeHeader(header)]
	if !ok {
		return Column{}, false
	}
	return columnByKey[key], true
}

// normalizeHeader folds case, spaces, '_' and '-' and full-width forms, so
// "Item Name", "item_name" and "ITEM-NAME" name one column.
func normalizeHeader(h string) string {
	var b strings.Builder
	for _, r := range strings.TrimPrefix(h, "\ufeff") {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
			r -= 0xFEE0
		}
		if unicode.IsSpace(r) || r == '_' || r == '-' || r == '*' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
