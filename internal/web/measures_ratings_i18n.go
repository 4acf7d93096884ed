package web

func init() { addEnglish(measuresRatingsEnglish) }

// measuresRatingsEnglish is the English of the 好差评指标 table on the
// measures page.
var measuresRatingsEnglish = map[string]string{
	"好差评指标": "Service ratings", "申诉成立不计": "out by upheld appeal", "分组": "Group by",
	"按部门": "By department", "按地区": "By region", "按实施清单": "By listing", "按评价渠道": "By rating channel", "按月份": "By month",
	"差评工单": "Tickets", "差评率": "Dissatisfied", "实名差评回访率": "Called back", "差评整改按时率": "Put right on time",
	"答复满意率": "Satisfied with the answer", "暂无评价数据": "No ratings yet",
	"好差评指标按评价作出的日期计，由评价事件汇总而来：好评率、差评率 = 满意（含非常满意）、不满意（含非常不满意）的评价 ÷ 评价数；申诉成立的评价不计入二者，单列；实名差评回访率 = 已回访核实 ÷ 差评工单；差评整改率 = 已整改或核实无效（书面解释）÷ 差评工单；差评整改按时率 = 期限内办结 ÷ 已办结；答复满意率 = 评价人对答复满意 ÷ 已评价的答复。评价不按事项或办理渠道筛选。": "Ratings count by the day they were given, summed from the rating events: satisfied and dissatisfied = satisfied (or very) and dissatisfied (or very) ratings ÷ ratings; a rating whose appeal was upheld is in neither and shown apart; called back = tickets verified ÷ tickets of dissatisfied ratings; put right = tickets put right or found unfounded (with a written explanation) ÷ those tickets; on time = tickets closed by their deadline ÷ tickets closed; satisfied with the answer = answers the rater judged satisfactory ÷ answers judged. Ratings are not filtered by item or application channel.",
}
