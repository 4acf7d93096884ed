package web

func init() { addEnglish(bundleEnglish) }

// bundleEnglish is the English of the 一件事 pages.
var bundleEnglish = map[string]string{
	"一件事一次办":  "One thing, done once",
	"一件事":     "One thing",
	"一件事办事指南": "One-thing guide",
	"跨部门的几件事合成一件办：一次告知、一表申请、一套材料、一窗受理，结果一起领取。": "Services of several departments done as one: told once, one form, one set of materials, one window, results handed over together.",
	"暂无已发布的一件事。": "No one-thing services are published yet.",
	"牵头部门":       "Lead department",
	"个事项":        "services",
	"一次告知":       "Told once",
	"一表申请":       "One form",
	"一套材料":       "One set of materials",
	"一窗受理":       "One window",
	"按您的情形":      "for your situation",
	"按最长办理路径":    "along the longest path",
	"涉及部门":       "Departments",
	"回答几个问题，得到您要办的事项和材料清单": "Answer a few questions to get your services and materials",
	"生成我的清单": "Make my list",
	"您要办的事项": "Your services",
	"包含的事项":  "Services included",
	"没有前置事项的同时办理；有前置事项的，待前置事项出结果后自动开始，无需再次申请。": "Services without a prerequisite run at the same time; the others start by themselves once their prerequisites have a result, with no new application.",
	"事项":           "Service",
	"前置事项":         "Prerequisites",
	"之后":           "first",
	"立即开始":         "Starts at once",
	"一次性告知：您的材料清单": "Told once: your materials",
	"一套材料，每份只交一次":  "One set of materials, each handed in once",
	"分别办理需交":       "applying one by one takes",
	"材料":           "Material",
	"形式":           "Form",
	"用于":           "For",
	"一件事 · 跨部门联办":  "One thing · across departments",
	"按人生事件找一件事":    "One thing for a life event",
	"全部一件事":        "All one-thing services",
}
