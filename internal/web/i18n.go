package web

import (
	"net/http"
	"strings"
)

// Lang is a page locale. Chinese is the default; English is the second.
type Lang string

const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

const langCookie = "tongban_lang"

// langOf picks the locale from ?lang=, then the cookie, then Chinese.
func langOf(r *http.Request) Lang {
	if q := r.URL.Query().Get("lang"); q != "" {
		return parseLang(q)
	}
	if c, err := r.Cookie(langCookie); err == nil {
		return parseLang(c.Value)
	}
	return ZH
}

func parseLang(s string) Lang {
	if strings.HasPrefix(strings.ToLower(s), "en") {
		return EN
	}
	return ZH
}

// english holds the English text of every Chinese UI string. Keys are the
// Chinese text itself, so templates stay readable and a missing entry
// degrades to Chinese rather than to a key.
var english = map[string]string{
	// 一窗受理 walk-ins (cases_walkin.go)
	"登记申请人（无需注册账号）": "Record the applicant (no account needed)", "姓名（与身份证一致）": "Name (as on the ID card)",
	"企业名称（与营业执照一致）":     "Enterprise name (as on the licence)",
	"申请人日后注册时凭此手机号认领办件": "the applicant claims these cases with this phone when registering",
	"登记并继续受理":           "Record and continue",
	// 统一出件 (cases_handout.go)
	"办件编号、身份证号或姓名": "Case number, ID number or name", "待领取": "Waiting", "不予许可（办理）": "Refused",
	"窗口领取并签收": "Collected at the window, signed for", "本人领取": "By the applicant", "已核验本人身份证件": "ID card checked",
	"代领": "By a proxy", "代领人姓名": "Proxy's name", "代领人身份证号": "Proxy's ID number", "已收取授权委托书": "Power of attorney received",
	"或快递邮寄": "Or by express", "签收并办结": "Sign for and close", "今日已领取": "Collected today", "已领取": "Collected",
	"签收": "Signed", "凭授权委托书": "with power of attorney",
	// 全市通办, 就近取件 (cases_apply.go)
	"领取地点": "Collect at", "全市通办": "Citywide", "由承办部门安排（就近大厅）": "Arranged by the department (nearest hall)",
	// the case's step bar (cases_status.go)
	"申请": "Applied", "审查": "Review", "决定": "Decision", "办结": "Closed", "次": "", "跑动次数": "Trips",
	"您已有一件该事项的申请正在办理：": "You already have an open application for this item: ", "我确认需要再次申请": "I do need to apply again",
	// 办件查询 (progress.go)
	"办件查询": "Case progress", "无需登录：输入办件编号和申请人姓名（或身份证号、统一社会信用代码后6位）。": "No sign-in needed: enter the case number and the applicant's name (or the last 6 characters of their ID number or credit code).",
	"申请人姓名或证件号码后6位": "Applicant's name or last 6 characters of the ID", "查询": "Look up", "承办部门": "Department",
	"当前状态": "Status", "申请时间": "Applied", "受理时间": "Accepted", "决定时间": "Decided", "办结时间": "Closed",
	"暂停计时": "clock paused", "结果领取": "Collection", "待补正材料": "Materials to correct", "请于": "by", "前补正": "",
	"容缺待补材料": "Materials still owed", "前补齐": "", "办理过程": "Timeline",
	"通办": "Tongban",
	"一网通办 · 一窗受理 · 最多跑一次": "One network · One window · At most one trip",
	"首页":   "Home",
	"登录":   "Sign in",
	"注册":   "Register",
	"退出":   "Sign out",
	"我的账户": "My account",
	"工作台":  "Console",
	"语言":   "Language",
	"账号":   "Account",
	"密码":   "Password",
	"身份证号、统一社会信用代码、手机号或用户名": "ID number, credit code, phone or username",
	"个人注册":      "Register as a person",
	"法人注册":      "Register as an enterprise",
	"姓名":        "Name",
	"居民身份证号":    "Resident ID number",
	"手机号":       "Mobile phone",
	"企业名称":      "Enterprise name",
	"统一社会信用代码":  "Unified social credit code",
	"法定代表人姓名":   "Legal representative",
	"法定代表人身份证号": "Legal representative's ID number",
	"联系电话":      "Phone",
	"设置密码":      "Choose a password",
	"至少8位，包含字母、数字、符号中的两类": "At least 8 characters, two of letters, digits, symbols",
	"提交注册":      "Register",
	"已有账号？":     "Already registered?",
	"还没有账号？":    "No account yet?",
	"一地注册、全省通用": "Register once, sign in anywhere in the province",
	"修改密码":      "Change password",
	"原密码":       "Current password",
	"新密码":       "New password",
	"保存":        "Save",
	"密码已修改，其他设备上的登录和API令牌已失效。": "Password changed; other sessions and API tokens no longer work.",
	"账号类型":    "Account type",
	"自然人":     "Person",
	"法人":      "Enterprise",
	"工作人员":    "Staff",
	"所属机构与角色": "Organisations and roles",
	"机构":      "Organisation",
	"角色":      "Role",
	"您可以":     "You can",
	"办事服务":    "Services",
	"找事项、看指南、在线申请，办件进度随时查。": "Find a service, read its guide, apply online and follow your case.",
	"本市服务机构": "Service organisations",
	"部门":     "Departments",
	"政务服务大厅": "Service halls",
	"综合窗口":   "Comprehensive windows",
	"区县":     "Districts",
	"欢迎":     "Welcome",
	"工作人员登录后进入工作台。": "Staff: sign in to open the console.",
	"注册成功，请登录。":     "Registered. Please sign in.",
	"出错了":           "Something went wrong",
	"返回首页":          "Back to home",
	"页面不存在":         "Page not found",
	"综合窗口受理":        "Window acceptance",
	"后台审批":          "Back-office review",
	"部门管理员":         "Department admin",
	"事项管理员":         "Catalog admin",
	"效能监察":          "Supervision",
	"系统管理员":         "System admin",
	"审计日志":          "Audit log",
	"人员管理":          "Staff",
	"事项管理":          "Catalog",
	"受理办件":          "Accept cases",
	"审批办件":          "Review cases",
	"时限监察":          "Deadlines",
	"统一出件":          "Hand out results",
	"审计日志完整性":       "Audit chain",
	"条记录":           "entries",
	"完整":            "intact",
	"断裂于第":          "broken at entry",
	"个人信息已脱敏显示。":    "Personal data is shown masked.",
}

// T translates a Chinese UI string into the page's locale.
func (l Lang) T(s string) string {
	if l == EN {
		if e, ok := english[s]; ok {
			return e
		}
	}
	return s
}
