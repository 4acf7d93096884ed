// Package notice writes the written notices a case produces — 受理通知书
// (with 容缺受理), 不予受理通知书, 一次性告知书 (补正), 办结通知书 and the
// denial decision (不予行政许可决定书 / 不予办理决定书) — in lawful wording,
// for a printable page and as a PDF with a Chinese font, the issuing org,
// the case number, a notice number, the date and a QR code to the public
// progress page.
package notice

import (
	"fmt"
	"strings"
)

// Kind is a kind of notice.
type Kind string

const (
	Acceptance Kind = "acceptance" // 受理通知书 (容缺受理通知书 with owed materials)
	Rejection  Kind = "rejection"  // 不予受理通知书
	Correction Kind = "correction" // 一次性告知书（补正材料）
	Completion Kind = "completion" // 办结通知书 (an approval's result)
	Denial     Kind = "denial"     // 不予行政许可决定书 / 不予办理决定书
)

var titles = map[Kind]string{
	Acceptance: "受理通知书",
	Rejection:  "不予受理通知书",
	Correction: "一次性告知书",
	Completion: "办结通知书",
	Denial:     "不予办理决定书",
}

// codes prefix notice numbers: 受理 SL, 不予受理 BYSL, 补正 BZ, 办结 BJ, 不予许可/办理 BY.
var codes = map[Kind]string{Acceptance: "SL", Rejection: "BYSL", Correction: "BZ", Completion: "BJ", Denial: "BY"}

// Title is the notice's Chinese title; a denial of a 行政许可 is titled
// 不予行政许可决定书 by Compose.
func (k Kind) Title() string { return titles[k] }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { _, ok := titles[k]; return ok }

// Kinds lists every kind, for documentation and errors.
var Kinds = []Kind{Acceptance, Rejection, Correction, Completion, Denial}

// Owed is one 容缺 material still to be handed in, with its deadline.
type Owed struct {
	Name string
	Due  string // YYYY-MM-DD
}

// Facts are what a notice states about a case.
type Facts struct {
	OrgName       string // the issuing org (its seal)
	CaseNumber    string //
	NoticeNo      string // 文书编号, e.g. 511602000000-20260302-000017-BZ01
	ApplicantName string // as registered; notices go to the applicant
	ItemName      string //
	SubmittedOn   string // YYYY-MM-DD
	IssuedOn      string // YYYY-MM-DD
	PromisedDays  int    // acceptance: the promised working days
	DueDate       string // acceptance: YYYY-MM-DD
	Owed          []Owed // acceptance: 容缺 materials owed, each with its deadline
	// Reasons: rejection and denial, the reasons; correction, each missing
	// or defective material with why.
	Reasons []string
	// Correction: whether the case had been accepted (the clock is paused)
	// or not (the clock has not started), and the deadline to supplement.
	Accepted      bool
	CorrectionDue string // YYYY-MM-DD
	// Where the applicant deals with the case in person: the handling
	// window (correction) or where a decision is collected (denial).
	WindowName, WindowAddress, WindowPhone string
	Licensing                              bool   // the item is a 行政许可: 准予/不予许可, 不予行政许可决定书
	Decision                               string // completion: 准予许可 / 准予办理
	ResultName                             string // completion: the result (e.g. 食品经营许可证)
	Delivery                               string // completion, denial: how the paper reaches the applicant
	ReviewBody                             string // rejection, denial: 复议机关
	Court                                  string // rejection, denial: the court for 行政诉讼
	StatusURL                              string // the QR code's target: the public progress page
	// RatingURL is the signed rating link (好差评, 二维码) printed beside the
	// progress QR on a decision the case can be rated on; "" otherwise.
	RatingURL string
	Complaint string // complaint channel, e.g. 12345
}

// Notice is a composed notice: the first paragraph, then the numbered items
// (reasons, materials to correct, materials owed), then the remaining
// paragraphs, and for notices handed over at a counter a 签收 line.
type Notice struct {
	Kind       Kind
	Title      string
	Number     string // the line under the title naming the case and the notice
	Salutation string
	Paragraphs []string
	Items      []string
	SignLine   string // 签收 by the applicant at the counter; "" when none
	Facts      Facts
}

// Compose writes the wording of a notice from the facts.
func Compose(kind Kind, f Facts) (Notice, error) {
	if !kind.Valid() {
		return Notice{}, fmt.Errorf("unknown notice kind %q", kind)
	}
	n := Notice{Kind: kind, Title: kind.Title(), Facts: f, Salutation: f.ApplicantName + "：",
		Number: "办件编号：" + f.CaseNumber}
	if f.NoticeNo != "" {
		n.Number = "文书编号：" + f.NoticeNo + "　" + n.Number
	}
	applied := fmt.Sprintf("你（单位）于%s提出的「%s」申请", cn(f.SubmittedOn), f.ItemName)
	switch kind {
	case Acceptance:
		acceptance(&n, f, applied)
	case Rejection:
		n.Paragraphs = []string{applied + "，经审查，不属于本机关受理范围或者不符合受理条件，本机关决定不予受理，理由如下："}
		n.Items = f.Reasons
		n.Paragraphs = append(n.Paragraphs, remedies(f, "本通知书")...)
	case Correction:
		correction(&n, f, applied)
	case Completion:
		result := f.Decision
		if f.ResultName != "" {
			result += "，办理结果为「" + f.ResultName + "」"
		}
		n.Paragraphs = []string{applied + "，本机关已办理完毕：" + result + "。"}
		if f.Delivery != "" {
			n.Paragraphs = append(n.Paragraphs, "领取方式："+f.Delivery+"。")
		}
	case Denial:
		denial(&n, f, applied)
	}
	n.Paragraphs = append(n.Paragraphs, "可扫描二维码或登录政务服务网，凭办件编号和申请人姓名查询办理进度。")
	if f.Complaint != "" {
		n.Paragraphs = append(n.Paragraphs, "监督投诉电话："+f.Complaint+"。")
	}
	return n, nil
}

// acceptance is the 受理通知书, or with owed materials the 容缺受理 one: a
// 容缺 acceptance does not say the materials are complete.
func acceptance(n *Notice, f Facts, applied string) {
	limit := fmt.Sprintf("承诺办理时限为%d个工作日，自受理之次日起计算，将于%s前作出决定（补正材料、听证、检验检测、专家评审等时间不计算在内）。",
		f.PromisedDays, cn(f.DueDate))
	if f.PromisedDays == 0 {
		limit = "本事项为即办件，当场办结。"
	}
	if len(f.Owed) == 0 {
		n.Paragraphs = []string{applied + "，经审查，申请材料齐全、符合法定形式，本机关决定予以受理。", limit}
		return
	}
	n.Title = "容缺受理通知书"
	n.Paragraphs = []string{applied + "，经审查，基本条件具备、主要申请材料齐全且符合法定形式，但下列非主要材料尚未提交。" +
		"根据容缺受理制度，本机关决定予以容缺受理。请于所列期限前补齐以下材料："}
	for _, o := range f.Owed {
		n.Items = append(n.Items, "「"+o.Name+"」，"+cn(o.Due)+"前补齐")
	}
	n.Paragraphs = append(n.Paragraphs, limit,
		"逾期未补齐容缺材料的，本机关不予发放办理结果，并依法终止办理；已作出准予决定的，依法予以撤销。容缺材料可网上提交，或送至受理窗口。")
	n.SignLine = signLine
}

// correction is the 一次性告知书: every deficiency at once, the deadline
// and what missing it means, where to bring the materials, and what
// happens to the clock.
func correction(n *Notice, f Facts, applied string) {
	n.Paragraphs = []string{applied + "，经审查，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条，现一次性告知需要补正的全部内容如下："}
	n.Items = f.Reasons
	due := "请补正上述全部材料后再次提交。"
	if f.CorrectionDue != "" {
		due = "请于" + cn(f.CorrectionDue) + "前补正上述全部材料。逾期未补正的，视为放弃本次申请，本机关将终止办理，已提交的材料可申请退回。"
	}
	n.Paragraphs = append(n.Paragraphs, due)
	if f.Accepted {
		n.Paragraphs = append(n.Paragraphs, "本申请已受理，办理时限自本告知书出具之日起暂停计算，自收到齐全的补正材料之日起继续计算。")
	} else {
		n.Paragraphs = append(n.Paragraphs, "本申请尚未受理，承诺办理时限尚未开始计算；补正材料齐全、符合法定形式的，本机关予以受理，并自受理之次日起计算办理时限。")
	}
	if w := window(f); w != "" {
		n.Paragraphs = append(n.Paragraphs, "补正材料可网上提交，或送至"+w+"。")
	}
	n.SignLine = signLine
}

// denial is the decision refusing the application: 不予行政许可决定书 for a
// 行政许可, 不予办理决定书 otherwise, with the reasons and the remedies.
func denial(n *Notice, f Facts, applied string) {
	what := "不予办理"
	if f.Licensing {
		n.Title, what = "不予行政许可决定书", "不予行政许可"
	}
	n.Paragraphs = []string{applied + "，本机关已于受理后依法进行审查。经审查，你（单位）的申请不符合法定条件，本机关决定" + what + "，理由和依据如下："}
	n.Items = f.Reasons
	n.Paragraphs = append(n.Paragraphs, remedies(f, "本决定书")...)
	if f.Delivery != "" {
		n.Paragraphs = append(n.Paragraphs, "本决定书送达方式："+f.Delivery+"。")
	}
}

// remedies states the applicant's rights against a refusal or denial:
// 行政复议 within 60 days (行政复议法 第二十条) before the 复议机关, or
// 行政诉讼 within six months (行政诉讼法 第四十六条) before the court.
func remedies(f Facts, doc string) []string {
	body := "本机关的复议机关"
	if f.ReviewBody != "" {
		body = f.ReviewBody
	}
	court := "有管辖权的人民法院"
	if f.Court != "" {
		court = f.Court
	}
	return []string{fmt.Sprintf("如不服本决定，可以自收到%s之日起六十日内向%s申请行政复议，或者自收到%s之日起六个月内向%s提起行政诉讼。",
		doc, body, doc, court)}
}

// window names the window with its address and phone.
func window(f Facts) string {
	if f.WindowName == "" {
		return ""
	}
	s := f.WindowName
	if f.WindowAddress != "" {
		s += "（地址：" + f.WindowAddress
		if f.WindowPhone != "" {
			s += "，电话：" + f.WindowPhone
		}
		s += "）"
	} else if f.WindowPhone != "" {
		s += "（电话：" + f.WindowPhone + "）"
	}
	return s
}

// signLine is where the applicant signs for a notice handed over at a counter.
const signLine = "申请人（代理人）签收：＿＿＿＿＿＿　签收日期：＿＿＿＿年＿＿月＿＿日"

// cn writes 2026-03-02 as 2026年3月2日.
func cn(date string) string {
	var y, m, d int
	if _, err := fmt.Sscanf(date, "%d-%d-%d", &y, &m, &d); err != nil {
		return date
	}
	return fmt.Sprintf("%d年%d月%d日", y, m, d)
}

// PlainText renders the notice as text, for logs and tests.
func (n Notice) PlainText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n%s\n", n.Title, n.Number, n.Salutation)
	for _, p := range n.Paragraphs[:min(1, len(n.Paragraphs))] {
		b.WriteString(p + "\n")
	}
	for i, it := range n.Items {
		fmt.Fprintf(&b, "%d. %s\n", i+1, it)
	}
	for _, p := range n.Paragraphs[min(1, len(n.Paragraphs)):] {
		b.WriteString(p + "\n")
	}
	fmt.Fprintf(&b, "%s\n%s\n", n.Facts.OrgName, cn(n.Facts.IssuedOn))
	if n.SignLine != "" {
		b.WriteString(n.SignLine + "\n")
	}
	return b.String()
}

// DateCN is cn for templates.
func DateCN(date string) string { return cn(date) }
