package web

func init() { addEnglish(exchangeEnglish) }

// exchangeEnglish is the English of the pages of 只提交一次材料.
var exchangeEnglish = map[string]string{
	"标准材料目录": "Standard materials", "标准材料": "Standard material", "编码": "Code", "名称与别名": "Name and aliases",
	"类别 · 核发机关": "Category · issuer", "材料库复用": "Reuse from the library", "已停用": "retired", "个月": "months",
	"按证件有效期": "until the document expires", "不复用": "not reused", "修改": "Edit", "还没有标准材料。": "No standard materials yet.",
	"修改标准材料": "Edit a standard material", "新增标准材料": "Add a standard material", "新增另一项": "Add another",
	"确认后可进入材料库复用":        "A confirmed copy may be reused from the library",
	"停用（已关联的清单保留，不再供选择）": "Retired (listings that name it keep it; no longer offered)",
	"标准材料编码":             "Code", "标准材料名称": "Name", "类别": "Category", "核发机关": "Issuer", "别名（以、分隔）": "Aliases (separated by 、)",
	"复用有效期（月，0 = 按证件有效期或系统默认）": "Reuse validity (months; 0 = the document's expiry or the default)",
	"对应证照类型代码": "E-licence type code", "说明": "Note",
	"同一材料在各事项中使用同一个标准材料编码：申请人提交并经确认一次后，办理其他事项时可从材料库直接复用，也可由电子证照或共享数据代替。编辑清单时在材料行的“标准材料”一栏填写编码或名称。": "The same document carries one standard code in every listing: once an applicant's copy is confirmed, other items reuse it from the material library, or an e-licence or shared data stands in for it. When editing a listing, put the code or name in the material line's standard-material field.",
}
