// Package notice writes the written notices a case produces — 受理通知书,
// 不予受理通知书, 一次性告知书 (补正) and 办结通知书 — in the standard wording,
// for a printable page and as a PDF with a Chinese font, the issuing org,
// the case number, the date and a QR code to the case's status page.
package notice

import (
	"fmt"
	"strings"
)

// Kind is a kind of notice.
type Kind string

const (
	Acceptance Kind = "acceptance" // 受理通知书
	Rejection  Kind = "rejection"  // 不予受理通知书
	Correction Kind = "correction" // 一次性告知书（补正材料）
	Completion Kind = "completion" // 办结通知书
)

var titles = map[Kind]string{
	Acceptance: "受理通知书",
	Rejection:  "不予受理通知书",
	Correction: "一次性告知书",
	Completion: "办结通知书",
}

// Title is the notice's Chinese title.
func (k Kind) Title() string { return titles[k] }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { _, ok := titles[k]; return ok }

// Facts are what a notice states about a case.
type Facts struct {
	OrgName       string   // the issuing org (its seal)
	CaseNumber    string   //
	ApplicantName string   // as registered; notices go to the applicant
	ItemName      string   //
	SubmittedOn   string   // YYYY-MM-DD
	IssuedOn      string   // YYYY-MM-DD
	PromisedDays  int      // acceptance: the promised working days
	DueDate       string   // acceptance: YYYY-MM-DD
	Reasons       []string // rejection: the reasons; correction: each missing or defective material with why
	Decision      string   // completion: 准予许可 / 不予许可 / 办结
	Denied        bool     // completion: the decision refuses, so the appeal rights are stated
	ResultName    string   // completion: the result (e.g. 食品经营许可证)
	Delivery      string   // completion: how the result reaches the applicant
	StatusURL     string   // the QR code's target
	Complaint     string   // complaint channel, e.g. 12345
}

// Notice is a composed notice: the first paragraph, then the numbered items
// (reasons, materials to correct), then the remaining paragraphs.
type Notice struct {
	Kind       Kind
	Title      string
	Number     string // the line under the title naming the case
	Salutation string
	Paragraphs []string
	Items      []string
	Facts      Facts
}

// Compose writes the standard wording of a notice from the facts.
func Compose(kind Kind, f Facts) (Notice, error) {
	if !kind.Valid() {
		return Notice{}, fmt.Errorf("unknown notice kind %q", kind)
	}
	n := Notice{Kind: kind, Title: kind.Title(), Facts: f, Salutation: f.ApplicantName + "：",
		Number: "办件编号：" + f.CaseNumber}
	applied := fmt.Sprintf("你（单位）于%s提出的「%s」申请", cn(f.SubmittedOn), f.ItemName)
	switch kind {
	case Acceptance:
		n.Paragraphs = []string{
			applied + "，经审查，申请材料齐全、符合法定形式，本机关决定予以受理。",
			fmt.Sprintf("承诺办理时限为%d个工作日，将于%s前作出决定（补正材料、听证、检验、专家评审等时间不计算在内）。", f.PromisedDays, cn(f.DueDate)),
			"可扫描右下方二维码或登录政务服务网查询办理进度。",
		}
	case Rejection:
		n.Paragraphs = []string{applied + "，经审查，本机关决定不予受理，理由如下："}
		n.Items = f.Reasons
	case Correction:
		n.Paragraphs = []string{
			applied + "，经审查，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条，现一次性告知需要补正的全部内容如下：",
		}
		n.Items = f.Reasons
	case Completion:
		result := f.Decision
		if f.ResultName != "" {
			result += "，办理结果为「" + f.ResultName + "」"
		}
		n.Paragraphs = []string{
			applied + "，本机关已办理完毕：" + result + "。",
		}
		if f.Delivery != "" {
			n.Paragraphs = append(n.Paragraphs, "领取方式："+f.Delivery+"。")
		}
	}
	if kind == Correction {
		n.Paragraphs = append(n.Paragraphs, "请补正上述全部材料后再次提交。补正期间办理时限暂停计算，收到齐全的补正材料之日起继续计算。")
	}
	if kind == Rejection || (kind == Completion && f.Denied) {
		n.Paragraphs = append(n.Paragraphs, "如不服本决定，可自收到本通知书之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。")
	}
	if f.Complaint != "" {
		n.Paragraphs = append(n.Paragraphs, "监督投诉电话："+f.Complaint+"。")
	}
	return n, nil
}

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
	return b.String()
}

// DateCN is cn for templates.
func DateCN(date string) string { return cn(date) }
