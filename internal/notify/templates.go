package notify

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
)

// Categories of notification: a person turns SMS or email off per category
// (tongban.NotifyPrefs); the inbox always gets everything.
const (
	CategoryProgress   = "case_progress" // 受理 and other steps of a case
	CategoryCorrection = "correction"    // 补正
	CategoryResult     = "result"        // 办结, 不予受理, 不予办理, 出件
	CategoryLicense    = "license"       // 证照签发
	CategoryRating     = "rating_invite" // 评价邀请
	CategorySupervise  = "supervision"   // 督办, for staff
)

// Categories lists them in the order the settings page shows.
var Categories = []string{CategoryProgress, CategoryCorrection, CategoryResult, CategoryLicense, CategoryRating, CategorySupervise}

var categoryLabels = map[string]string{
	CategoryProgress: "办件受理与进度", CategoryCorrection: "补正通知", CategoryResult: "办结与结果",
	CategoryLicense: "证照签发", CategoryRating: "评价邀请", CategorySupervise: "督办",
}

// CategoryLabel is a category's Chinese name.
func CategoryLabel(c string) string { return categoryLabels[c] }

// note is what one event tells one person: the inbox entry and, for the
// events worth interrupting someone for, an SMS and an email. A note with
// an empty SMS sends none.
type note struct {
	Template string // the template's name, as the message log shows it (受理, 补正…)
	Category string
	Title    string
	Body     string
	Link     string
	SMS      string // without the 【sign】, added when sent
	Email    string // the email body; the title is its subject
	// RateCase is the case number of a rating invitation, whose SMS
	// carries the signed rating link when there is one; RateEncounter the
	// encounter it invites to rate: "" or "case" for 一事一评, a visit's
	// event id for 一次一评.
	RateCase      string
	RateEncounter string
}

// caseEvent is what the templates read of a case event's payload
// (workflow.CaseAnnouncement).
type caseEvent struct {
	Number   string             `json:"number"`
	EventID  int64              `json:"event_id"`
	Visit    bool               `json:"visit"`
	Action   tongban.CaseAction `json:"action"`
	To       tongban.CaseState  `json:"to"`
	ItemName string             `json:"item_name"`
	Reason   string             `json:"reason"`
	DueDate  string             `json:"due_date"`
}

// recipients names who an event concerns: payload "user_id", or
// "user_ids" for events addressed to several people (督办 to a
// department's staff).
func recipients(e *tongban.OutboxEvent) []int64 {
	var p struct {
		UserID  int64   `json:"user_id"`
		UserIDs []int64 `json:"user_ids"`
	}
	if json.Unmarshal(e.Payload, &p) != nil {
		return nil
	}
	if p.UserID != 0 {
		p.UserIDs = append(p.UserIDs, p.UserID)
	}
	return p.UserIDs
}

// render turns an event into notes; none when the event is not one people
// hear about.
func render(e *tongban.OutboxEvent) []note {
	concept, _, _ := strings.Cut(e.Type, ".")
	switch concept {
	case "case":
		var c caseEvent
		if json.Unmarshal(e.Payload, &c) != nil || c.Number == "" {
			return nil
		}
		notes := caseNotes(c)
		if c.Visit && c.EventID != 0 && len(notes) > 0 {
			notes = append(notes, visitInvite(c))
		}
		return notes
	case "license":
		return licenseNotes(e)
	case "supervision":
		return superviseNotes(e)
	}
	return nil
}

func caseNotes(c caseEvent) []note {
	link := "/cases/" + c.Number
	item := c.ItemName
	if item == "" {
		item = "事项"
	}
	at := fmt.Sprintf("您申请的“%s”（办件编号 %s）", item, c.Number)
	n := note{Link: link, Category: CategoryProgress}
	switch c.Action {
	case tongban.ActionSubmit:
		n.Template, n.Title, n.Body = "提交", "申请已提交", at+"已提交，请等待受理。"
	case tongban.ActionAccept:
		due := ""
		if c.DueDate != "" {
			due = "，承诺于 " + c.DueDate + " 前办结"
		}
		n.Template, n.Title, n.Body = "受理", "申请已受理", at+"已受理"+due+"。"
		n.SMS, n.Email = n.Body+"可登录通办查看进度。", n.Body
	case tongban.ActionReject:
		n.Template, n.Category, n.Title, n.Body = "不予受理", CategoryResult, "申请不予受理", at+"不予受理。理由："+c.Reason
		n.SMS, n.Email = at+"不予受理，详见不予受理通知书。", n.Body
		// 不予受理 ends the case: its 一事一评 opens now, as at 办结.
		return []note{n, ratingInvite(link, c.Number, at+"不予受理，请对本次政务服务进行评价（好差评）。")}
	case tongban.ActionRequestCorrection:
		n.Template, n.Category, n.Title = "补正", CategoryCorrection, "请补正材料"
		n.Body = at + "需要补正材料：" + c.Reason + "。请按一次性告知书补正后重新提交。"
		n.SMS, n.Email = at+"需要补正材料，请登录通办查看一次性告知书。", n.Body
	case tongban.ActionSupplement:
		n.Template, n.Title, n.Body = "补正已提交", "补正材料已提交", at+"的补正材料已提交，请等待受理。"
	case tongban.ActionApprove:
		n.Template, n.Category, n.Title, n.Body = "准予办理", CategoryResult, "准予办理", at+"已准予办理，结果出具后将通知您。"
	case tongban.ActionDeny:
		n.Template, n.Category, n.Title, n.Body = "不予办理", CategoryResult, "不予办理", at+"不予办理。理由："+c.Reason
		n.SMS, n.Email = at+"不予办理，详见不予办理决定书。", n.Body
	case tongban.ActionIssue:
		n.Template, n.Category, n.Title, n.Body = "出件", CategoryResult, "办理结果已出具", at+"的办理结果已出具，将按您选择的方式送达。"
		n.SMS, n.Email = n.Body, n.Body
	case tongban.ActionClose:
		n.Template, n.Category, n.Title, n.Body = "办结", CategoryResult, "办件已办结", at+"已办结。"
		n.SMS, n.Email = n.Body+"感谢您的耐心。", n.Body
		return []note{n, ratingInvite(link, c.Number, at+"已办结，请对本次政务服务进行评价（好差评）。")}
	case tongban.ActionWithdraw:
		n.Template, n.Title, n.Body = "撤回", "申请已撤回", at+"已撤回。"
	case tongban.ActionReview, tongban.ActionSpecialStart, tongban.ActionSpecialEnd, tongban.ActionDeliver,
		tongban.ActionProvideOwed:
		n.Template, n.Title, n.Body = "进度", "办理进度更新", at+"："+c.Action.Label()+"，当前状态："+c.To.Label()+"。"
	default:
		return nil
	}
	return []note{n}
}

// licenseNotes reads the licence's name ("type_name" or "name") and its
// identifier from the payload of license.* events.
func licenseNotes(e *tongban.OutboxEvent) []note {
	var l struct {
		TypeName   string `json:"type_name"`
		Name       string `json:"name"`
		Identifier string `json:"identifier"`
	}
	if json.Unmarshal(e.Payload, &l) != nil {
		return nil
	}
	name := l.TypeName
	if name == "" {
		name = l.Name
	}
	if name == "" {
		name = "电子证照"
	}
	_, what, _ := strings.Cut(e.Type, ".")
	n := note{Category: CategoryLicense, Link: "/licenses"}
	switch what {
	case "issued":
		n.Template, n.Title, n.Body = "证照签发", "电子证照已签发", "您的电子证照《"+name+"》已签发，可在“我的证照”中查看和使用。"
		n.SMS, n.Email = n.Body, n.Body
	case "revoked":
		n.Template, n.Title, n.Body = "证照注销", "电子证照已注销", "您的电子证照《"+name+"》已注销。"
		n.SMS, n.Email = n.Body, n.Body
	case "changed":
		n.Template, n.Title, n.Body = "证照变更", "电子证照已变更", "您的电子证照《"+name+"》已变更，请查看最新版本。"
	default:
		return nil
	}
	return []note{n}
}

// superviseNotes: a 督办 notice reaches the staff named in user_ids.
func superviseNotes(e *tongban.OutboxEvent) []note {
	var s struct {
		Title    string `json:"title"`
		Deadline string `json:"deadline"`
		Number   string `json:"number"`
		Level    string `json:"level"`
	}
	if json.Unmarshal(e.Payload, &s) != nil {
		return nil
	}
	body := "收到督办"
	if s.Level != "" {
		body += "（" + s.Level + "）"
	}
	if s.Title != "" {
		body += "：" + s.Title
	}
	if s.Number != "" {
		body += "，办件 " + s.Number
	}
	if s.Deadline != "" {
		body += "，请于 " + s.Deadline + " 前办理并回复"
	}
	link := ""
	if s.Number != "" {
		link = "/console/cases/" + s.Number
	}
	return []note{{Template: "督办", Category: CategorySupervise, Title: "督办通知", Body: body + "。", Link: link}}
}

// codeText is the 验证码 message.
func codeText(purpose tongban.CodePurpose, code string) string {
	return "您正在" + purpose.Label() + "，验证码为 " + code + "，5分钟内有效。如非本人操作，请忽略本短信，切勿将验证码告诉他人。"
}

// ratingInvite is the 评价邀请 of a case whose 一事一评 is open: at 办结 and
// at 不予受理. withRatingLinks puts the signed 短信 link in its SMS and email.
func ratingInvite(link, number, body string) note {
	invite := note{Template: "评价邀请", Category: CategoryRating, Link: link, RateCase: number,
		Title: "请评价本次服务", Body: body}
	invite.SMS, invite.Email = invite.Body+"评价入口：登录通办，在“我的办件”中评价。", invite.Body
	return invite
}

// visitInvite is the 评价邀请 of one in-person visit (一次一评: a counter
// submission, a correction visit, a pickup), sent after the visit; its SMS
// carries the signed link of that visit alone (withRatingLinks).
func visitInvite(c caseEvent) note {
	item := c.ItemName
	if item == "" {
		item = "事项"
	}
	body := fmt.Sprintf("您今天到窗口办理“%s”（办件编号 %s，%s），请对本次窗口服务进行评价（一次一评）。", item, c.Number, c.Action.Label())
	invite := note{Template: "到场评价邀请", Category: CategoryRating, Link: "/cases/" + c.Number, RateCase: c.Number,
		RateEncounter: strconv.FormatInt(c.EventID, 10), Title: "请评价本次窗口服务", Body: body}
	invite.SMS, invite.Email = body+"评价入口：登录通办，在“我的办件”中评价。", body
	return invite
}
