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
	"您对答复的评价": "Your verdict on the answer", "您对部门的答复是否满意": "Are you satisfied with the department's answer",
	"评价答复": "Judge the answer", "感谢您对答复的评价。": "Thank you for judging the answer.",
	"好差评成绩单": "Service ratings", "按政务服务“好差评”制度公开：各部门当月收到的评价及差评整改情况，无需登录。": "Published under the government-service rating rules: each department's ratings of the month and how its bad ratings were put right. No sign-in needed.",
	"月份": "Month", "评价数": "Ratings", "差评": "Dissatisfied", "差评整改率": "Put right", "整改按时率": "Put right on time",
	"近12个月趋势": "The last 12 months",
	"好评率 = 满意和非常满意的评价数 ÷ 评价数；差评整改率 = 已整改或经核实无效（书面解释）的差评工单 ÷ 差评工单；整改按时率 = 在期限内办结的工单 ÷ 已办结的工单。均按评价作出的月份统计，只计申请人实际作出的评价；“—”表示暂无分母。新的评价约十秒内计入，页面数据至多每5秒重新汇总一次。": "Satisfaction = satisfied and very satisfied ratings ÷ ratings; put right = tickets of dissatisfied ratings put right or found unfounded (with a written explanation) ÷ those tickets; on time = tickets closed by their deadline ÷ tickets closed. All by the month the rating was given, counting only ratings applicants gave; “—” means nothing to divide by. A new rating counts within about ten seconds; the page reads the figures again at most every 5 seconds.",
	"数据更新于": "Figures as of",
	"评价渠道":  "Channel", "该次服务已评价，每次服务只能评价一次。": "This service has been rated; each is rated once.", "查看办件": "See the case",
	"扫码评价本次服务": "Scan to rate this service", "到场服务": "Visit", "一次一评": "This visit",
	"系统操作不便": "Hard to use", "未按时办结": "Late", "收费不合理": "Unfair fees", "其他": "Other",
}
