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
	"使用材料库中的": "Use from your material library:", "号办件中确认": "confirmed in case", "有效期至": "valid until",
	"，无需上传": ", nothing to upload", "材料审核通过（存入申请人材料库，以后办事免于再次提交）": "Materials passed (kept in the applicant's library, not asked again)",
	"证件有效期至": "Document valid until", "材料审核": "Material check", "审核通过": "Passed",
	"核验无误的文件存入申请人的材料库，申请人以后办理其他事项时可直接使用，无需再次提交。": "Files you pass go to the applicant's material library; other items then take them without asking again.",
	"我的材料库": "My material library", "我的数据使用记录": "Who used my data", "已过期": "expired", "删除": "Delete",
	"您提交并经工作人员审核通过的材料保存在这里。办理其他需要同一材料的事项时，可直接选用，无需再次上传。": "Files you handed in and staff passed are kept here. Any item asking the same document takes them without another upload.",
	"材料库还是空的：办件中提交的材料经审核通过后会自动存入。":                       "Your library is empty: files you hand in are kept here once staff pass them.",
	"已从材料库删除；已使用它的办件不受影响。":                               "Removed from your library; cases that used it keep their copy.",
	"材料已审核通过，已存入申请人材料库。":                                 "Passed; kept in the applicant's library.", "标准材料已保存": "Standard material saved",
	"每一次有人读取您的个人数据——部门查询共享数据、复用您材料库中的材料、使用您的电子证照、工作人员查看您的完整身份证号或手机号、接入系统获取您的信息——都记录在这里，最新的在前。": "Every read of your personal data — a department looking up shared data, reusing a file from your library, using your e-licence, staff showing your full ID number or phone, a connected system receiving your details — is listed here, newest first.",
	"导出 CSV": "Export CSV", "导出 Excel": "Export Excel", "时间": "When", "方式": "How", "使用者": "Who",
	"使用的数据": "Data used", "办件与事由": "Case and reason", "还没有人使用过您的数据。": "Nobody has used your data yet.",
	"我的数据授权": "My consents", "授权于": "granted", "已用于": "used for", "已撤回": "revoked", "撤回": "Revoke", "没有授权记录。": "No consents.",
	"有条件共享的数据须经您同意才能调取；每项授权只用于一件申请，尚未使用的可以撤回。": "Conditionally shared data is fetched only with your consent; each consent serves one application and may be revoked until used.",
	"授权已撤回。": "Consent revoked.", "共享数据查询": "Shared data lookup", "电子证照使用": "E-licence use",
	"工作人员查看完整信息": "Staff saw full details", "接入系统获取": "Released to a connected system",
	"同意调取": "I agree to fetch", "的": "'s", "有条件共享": "conditional sharing", "用于本次申请，无需上传": "for this application; nothing to upload",
	"授权只用于本次申请，24 小时内有效，可在“我的数据使用记录”中查看和撤回。": "The consent serves this application only, lasts 24 hours, and can be seen and revoked under “Who used my data”.",
	"使用": "Use", "共享的": "'s shared", "未查到您的": "No record found of your", "，请上传材料。": "; please upload the file.",
	"共享数据": "Shared data", "；提供部门已删除该记录": "; the providing department has since deleted the record",
}
