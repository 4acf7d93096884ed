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
}
