package web

func init() { addEnglish(scorecardEnglish) }

// scorecardEnglish is the English of the supervisor's 成绩单.
var scorecardEnglish = map[string]string{
	"成绩单": "Scorecard", "各部门、各区县按本市公布的权重计分排名。": "Departments and districts ranked by the city's published weighting.",
	"起始日": "From", "截止日": "To", "计分公式": "Formula", "得分": "Score", "计入的权重之和": "the weights counted",
	"名次": "Rank", "计入权重": "Weights counted", "部门排名": "Departments", "区县排名": "Districts", "暂无数据": "No data yet",
	"按时办结率": "Closed on time", "好评率": "Satisfaction", "整改按时率": "Put right on time", "一窗受理率": "One-window acceptance",
	"网上可办率": "Available online",
	"本地区近12个月：办结数与按时办结率按办件事件，评价数、好评率、差评整改（已办结的差评工单）与整改按时率按评价作出的月份；“—”表示暂无分母。":                                                                    "The region's last 12 months: cases closed and closed on time by case events; ratings, satisfaction, rectifications (tickets of dissatisfied ratings closed) and put right on time by the month the rating was given; “—” means nothing to divide by.",
	"各项比率为计数之比（区县为其所属部门计数之和，不是比率的平均）；某项在期间内无分母（如无办结、无评价）时不计入得分，其权重也不计入分母，“计入权重”列出得分所依据的权重。按时办结率、一窗受理率按办件事件，好评率、整改按时率按期间内作出的评价，网上可办率按当前已发布的实施清单。": "Each rate is a ratio of counts (a district's are the sums of its departments' counts, not an average of rates). A measure with nothing to divide by in the period (no case closed, no rating) leaves the score, and its weight leaves the divisor; “Weights counted” says what the score stands on. Closed on time and one-window acceptance count case events; satisfaction and put right on time count the ratings given in the period; available online counts the listings published now.",
	"投诉指标": "Complaints", "派单": "Dispatched", "回复": "Replied", "按时回复率": "Replied on time", "评价": "Rated",
	"满意率": "Satisfied", "退单": "Returned", "重办": "Reopened", "未派单": "Not dispatched", "合计": "Total",
	"期间内无投诉工单事件。": "No complaint steps in the period.", "退单理由": "Why it is returned",
	"如：不属本部门职责，应由何部门办理": "e.g. not this department's duty; which department should handle it",
	"投诉指标（12345热线、办不成事反映）按期间内的工单事件计，按事件所涉承办部门列出（受理时尚未派单的列为“未派单”）：按时回复率 = 期限内回复 ÷ 回复，满意率 = 满意 ÷ 评价；退单为承办部门退回的派单，重办为首次评价不满意后退回承办部门重新办理。不按事项或办理渠道筛选。": "Complaints (12345 hotline, can't-get-it-done reports) count the steps taken in the period, by the department each names (those taken but not dispatched as “Not dispatched”): replied on time = replies by the deadline ÷ replies, satisfied = satisfied ÷ rated; returned counts dispatches a department sent back, reopened the complaints sent back to the department after a first dissatisfied rating. Not filtered by item or channel.",
}
