package web

func init() { addEnglish(ratingEnglish) }

// ratingEnglish is the English of 好差评 on the case page.
var ratingEnglish = map[string]string{
	"您的评价": "Your rating", "差评整改": "Rectification", "回访核实期限": "call-back due", "整改期限": "rectification due",
	"核实情况": "Finding", "部门答复": "The department's answer", "评价本次服务": "Rate this service",
	"评价为实名，工作人员看不到评价人；不满意、非常不满意须说明原因，部门须回访核实并限期整改。": "Ratings carry your name, but the staff rated never see who rated; a dissatisfied rating needs a reason, and the department must call back and put it right in time.",
	"总体评价": "Overall", "评价指标": "Aspects", "差评原因": "Reasons (for a dissatisfied rating)", "评价内容": "Comment",
	"选填；选择“其他”时必填": "optional; required with “other”", "提交评价": "Submit rating", "感谢您的评价。": "Thank you for your rating.",
	"非常满意": "Very satisfied", "满意": "Satisfied", "基本满意": "Fair", "不满意": "Dissatisfied", "非常不满意": "Very dissatisfied",
	"网站": "Website", "移动端": "Mobile", "窗口评价器": "Window device", "二维码": "QR code", "短信": "SMS",
	"待核实": "Awaiting call-back", "整改中": "Being put right", "已整改": "Put right", "核实无效": "Unfounded",
	"办事效率": "Speed", "指南准确": "Accurate guide", "办事便捷": "Convenience", "平台操作": "Ease of use",
	"服务效率": "Speed of service", "服务水平": "Competence", "服务态度": "Courtesy",
	"办事指南不准确": "Inaccurate guide", "材料要求反复变化": "Changing requirements", "办理时间过长": "Too slow",
	"多次跑动": "Several trips", "服务态度差": "Discourteous", "政策解释不清": "Unclear explanation",
	"条评价": "ratings", "评价数据不按事项或办理渠道筛选": "ratings are not counted by item or channel",
	"系统操作不便": "Hard to use", "未按时办结": "Late", "收费不合理": "Unfair fees", "其他": "Other",
}
