package web

func init() { addEnglish(catalogRowsEnglish) }

// catalogRowsEnglish is the English of the row-edited parts of the listing form.
var catalogRowsEnglish = map[string]string{
	"序号": "No.", "操作": "Actions", "上移": "Up", "下移": "Down", "删除": "Remove", "添加一行": "Add a row", "暂无。": "None yet.",
	"未填写": "Not given", "无对应标准材料": "No standard material",
	"最多 4 个环节；“另人办理”表示该环节须由上一环节办理人以外的人员办理（审核与审批分离）。": "At most 4 steps. \"Another person\" means the step must be taken by someone other than the previous step's actor (review and approval kept apart).",
	"不收费则不填任何一行。": "Leave empty if the service is free.",
	"材料编号供情形引用；选定标准材料后，同一材料在各清单间识别为同一份，可复用或以电子证照、共享数据代替。":           "Situations refer to materials by key. With a standard material chosen, the same document is recognised across listings and can be reused or replaced by an e-licence or shared data.",
	"每行一个答案；同一情形的各答案用相同的情形编号，问题和显示条件写在第一行即可。答案的效果在下面的“情形效果”表中逐条填写。": "One answer a row; the answers of one situation share its key, with the question and condition on the first row. What an answer does is listed in the \"Situation effects\" table below.",
	"每行一条：选择某情形的某个答案时，增加、删除或替换一份材料（填材料编号），或增加一条受理条件。":               "One a row: when an answer of a situation is chosen, a material is added, removed or replaced (by its key), or a condition is added.",
	"每行一问一答。": "One question and its answer a row.",
	"情形效果":    "Situation effects", "增加材料": "Add a material", "删除材料": "Remove a material", "替换材料": "Replace a material",
	"增加受理条件": "Add a condition", "材料编号": "Material key", "替换为（材料编号）": "Replaced by (key)", "解答": "Reply",
	"环节名称": "Step", "环节类型": "Kind", "时限（工作日）": "Working days", "计入时限": "Counts toward the limit",
	"办理岗位": "Post", "另人办理": "Another person", "收费项目": "Fee", "收费标准": "Amount", "收费依据": "Basis",
	"编号": "Key", "材料名称": "Material", "标准材料": "Standard material", "对应电子证照": "E-licence", "必要性": "Necessity",
	"材料形式": "Form", "份数": "Copies", "材料类型": "Type", "材料来源": "Source", "可容缺": "May follow",
	"审核准则": "Review criteria", "备注": "Note", "空白表格": "Blank form", "示例样表": "Filled-in sample",
	"情形编号": "Situation key", "问题": "Question", "显示条件（如 s1=a1）": "Shown when (e.g. s1=a1)", "答案编号": "Answer key",
	"答案": "Answer", "效果": "Effects",
	// The publication review.
	"发布审核": "Publication review", "发布申请": "Proposal", "提交第": "proposed version", "待审核": "awaiting review",
	"清单在提交后又被修改，须撤回或退回后重新提交。": "The listing changed after it was proposed: withdraw or return it, then propose again.",
	"本人提交的申请须由另一名管理员审核发布。":    "Someone other than you must review and publish your proposal.",
	"审核通过并发布": "Approve and publish", "撤回申请": "Withdraw the proposal", "退回原因": "Why it is returned", "退回": "Return",
	"申请说明": "Note for the reviewer", "提交发布申请": "Propose for publishing",
	"已启用发布审核：提交后须由另一名有发布权限的管理员审核发布。":                           "Publication review is on: another admin who may publish must review and publish it.",
	"已启用发布审核：清单须由一名管理员提交发布申请，再由另一名有发布权限的管理员审核发布；提交人不能发布本人的申请。": "Publication review is on: one admin proposes a listing and another admin who may publish reviews and publishes it. Nobody publishes their own proposal.",
	"申请": "Proposal", "审核": "Review", "提交后又被修改，须重新提交": "Changed since proposed; propose again",
	"本人提交，须由他人审核": "Yours; someone else must review it", "待有发布权限的管理员审核": "Awaiting an admin who may publish",
	"没有待审核的发布申请。": "No proposals are waiting.",
}
