package notice

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

var facts = Facts{
	OrgName: "广安市市场监督管理局", CaseNumber: "511600000000-20251009-000017", ApplicantName: "广安市蜀味餐饮管理有限公司",
	ItemName: "食品经营许可证核发", SubmittedOn: "2025-09-30", IssuedOn: "2025-10-09", PromisedDays: 5, DueDate: "2025-10-16",
	StatusURL: "https://zwfw.guangan.example/progress?number=511600000000-20251009-000017", Complaint: "12345",
}

// has fails the test for each phrase the notice's text lacks.
func has(t *testing.T, n Notice, phrases ...string) {
	t.Helper()
	text := n.PlainText()
	for _, p := range phrases {
		if !strings.Contains(text, p) {
			t.Errorf("%s lacks %q:\n%s", n.Title, p, text)
		}
	}
}

// lacks fails the test for each phrase the notice's text has.
func lacks(t *testing.T, n Notice, phrases ...string) {
	t.Helper()
	text := n.PlainText()
	for _, p := range phrases {
		if strings.Contains(text, p) {
			t.Errorf("%s must not say %q:\n%s", n.Title, p, text)
		}
	}
}

func TestAcceptanceNotice(t *testing.T) {
	f := facts
	f.NoticeNo = f.CaseNumber + "-SL01"
	n, err := Compose(Acceptance, f)
	if err != nil {
		t.Fatal(err)
	}
	has(t, n, "受理通知书", "申请材料齐全、符合法定形式，本机关决定予以受理", "5个工作日", "2025年10月16日",
		"文书编号：511600000000-20251009-000017-SL01", "广安市市场监督管理局", "凭办件编号和申请人姓名查询")
	lacks(t, n, "容缺")
}

// A 容缺 acceptance says so, never that the materials are complete, and
// lists each owed material with its deadline and what missing it means.
func TestTolerantAcceptanceNotice(t *testing.T) {
	f := facts
	f.Owed = []Owed{{Name: "食品安全管理制度文本", Due: "2025-10-14"}, {Name: "经营场所平面图", Due: "2025-10-14"}}
	n, _ := Compose(Acceptance, f)
	if n.Title != "容缺受理通知书" || n.SignLine == "" {
		t.Errorf("title %q, sign line %q", n.Title, n.SignLine)
	}
	has(t, n, "容缺受理", "主要申请材料齐全", "1. 「食品安全管理制度文本」，2025年10月14日前补齐",
		"2. 「经营场所平面图」，2025年10月14日前补齐", "逾期未补齐容缺材料的，本机关不予发放办理结果", "签收")
	lacks(t, n, "申请材料齐全、符合法定形式")
}

// The 一次性告知书 gives the deadline and its consequence, where to bring
// the materials, a number, a 签收 line, and clock wording that depends on
// whether the case was accepted.
func TestCorrectionNotice(t *testing.T) {
	f := facts
	f.NoticeNo = f.CaseNumber + "-BZ01"
	f.Reasons = []string{"营业执照：复印件模糊，无法辨认统一社会信用代码", "食品安全管理制度：未提交"}
	f.CorrectionDue = "2025-10-23"
	f.WindowName, f.WindowAddress, f.WindowPhone = "广安市政务服务中心综合受理一号窗口", "广安市广安区金安大道一段166号", "0826-12345"
	before, _ := Compose(Correction, f)
	has(t, before, "一次性告知", "1. 营业执照：复印件模糊", "2. 食品安全管理制度：未提交", "文书编号：511600000000-20251009-000017-BZ01",
		"请于2025年10月23日前补正上述全部材料", "逾期未补正的，视为放弃本次申请",
		"送至广安市政务服务中心综合受理一号窗口（地址：广安市广安区金安大道一段166号，电话：0826-12345）",
		"本申请尚未受理，承诺办理时限尚未开始计算", "申请人（代理人）签收")
	lacks(t, before, "暂停计算")
	f.Accepted = true
	after, _ := Compose(Correction, f)
	has(t, after, "办理时限自本告知书出具之日起暂停计算，自收到齐全的补正材料之日起继续计算")
	lacks(t, after, "尚未开始计算")
}

// A 不予受理通知书 names the 复议机关, the court and both time limits.
func TestRejectionNotice(t *testing.T) {
	f := facts
	f.Reasons = []string{"申请事项不属于本机关职权范围"}
	f.ReviewBody, f.Court = "广安市人民政府", "广安市广安区人民法院"
	n, _ := Compose(Rejection, f)
	if n.Items[0] != "申请事项不属于本机关职权范围" {
		t.Errorf("items %q", n.Items)
	}
	has(t, n, "不予受理通知书", "决定不予受理", "六十日内向广安市人民政府申请行政复议", "六个月内向广安市广安区人民法院提起行政诉讼")
}

// A denial of a 行政许可 is a 不予行政许可决定书; of anything else a
// 不予办理决定书; both with reasons, 复议机关, court, limits and delivery.
func TestDenialNotice(t *testing.T) {
	f := facts
	f.Licensing = true
	f.Reasons = []string{"经营场所与有毒有害场所距离不足25米，不符合《食品经营许可和备案管理办法》第十二条"}
	f.ReviewBody, f.Court = "广安市人民政府", "广安市广安区人民法院"
	f.Delivery = "窗口领取（广安市政务服务中心 统一出件窗口）"
	n, _ := Compose(Denial, f)
	if n.Title != "不予行政许可决定书" {
		t.Errorf("title %q", n.Title)
	}
	has(t, n, "决定不予行政许可，理由和依据如下", "1. 经营场所与有毒有害场所距离不足25米", "自收到本决定书之日起六十日内向广安市人民政府申请行政复议",
		"自收到本决定书之日起六个月内向广安市广安区人民法院提起行政诉讼", "本决定书送达方式：窗口领取（广安市政务服务中心 统一出件窗口）")
	f.Licensing = false
	n, _ = Compose(Denial, f)
	if n.Title != "不予办理决定书" {
		t.Errorf("title %q", n.Title)
	}
	has(t, n, "决定不予办理，理由和依据如下")
	lacks(t, n, "不予行政许可", "不予许可")
}

func TestCompletionNotice(t *testing.T) {
	f := facts
	f.Decision, f.ResultName, f.Delivery = "准予许可", "食品经营许可证", "在广安市政务服务中心统一出件窗口领取"
	done, _ := Compose(Completion, f)
	has(t, done, "准予许可，办理结果为「食品经营许可证」", "领取方式：在广安市政务服务中心统一出件窗口领取")
	if _, err := Compose("other", facts); err == nil {
		t.Error("unknown kind accepted")
	}
}

// Lines never begin with closing punctuation nor end with opening
// punctuation (避头尾), whatever the width.
func TestWrapKeepsPunctuationOffLineStarts(t *testing.T) {
	text := "你（单位）于2026年3月2日提出的「食品经营许可证核发」申请，经审查，申请材料不齐全。请补正：「营业执照」、「平面图」。"
	measure := func(s string) float64 { return float64(len([]rune(s))) }
	for width := 3.0; width <= 30; width++ {
		lines := wrap(text, width, 2, measure)
		if strings.Join(lines, "") != text {
			t.Fatalf("width %v: text changed: %q", width, lines)
		}
		for i, l := range lines {
			r := []rune(l)
			if i > 0 && strings.ContainsRune(noLineStart, r[0]) {
				t.Errorf("width %v: line %d starts with %q: %q", width, i, r[0], lines)
			}
			if i < len(lines)-1 && strings.ContainsRune(noLineEnd, r[len(r)-1]) {
				t.Errorf("width %v: line %d ends with %q: %q", width, i, r[len(r)-1], lines)
			}
		}
	}
}

// The PDF carries the Chinese text (checked by extracting it with
// pdftotext) and a QR image.
func TestPDFHasChineseTextAndQR(t *testing.T) {
	if _, err := os.Stat(DefaultFont); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("font required in CI: %v (scripts/test-deps installs it)", err)
		}
		t.Skip("font not installed; scripts/test-deps installs it")
	}
	f := facts
	f.Reasons = []string{"营业执照：复印件模糊", "食品安全管理制度：未提交"}
	n, _ := Compose(Correction, f)
	pdf, err := PDF(n, DefaultFont)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("/Image")) {
		t.Fatal("not a PDF with an image")
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext required in CI (poppler-utils; scripts/test-deps installs it)")
		}
		t.Skip("pdftotext not installed")
	}
	path := t.TempDir() + "/n.pdf"
	os.WriteFile(path, pdf, 0o644)
	out, err := exec.Command(pdftotext, "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"一次性告知书", "广安市市场监督管理局", "511600000000-20251009-000017", "食品安全管理制度", "2025年10月9日", "签收"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
	for i, line := range strings.Split(text, "\n") {
		if l := []rune(strings.TrimSpace(line)); len(l) > 0 && strings.ContainsRune(noLineStart, l[0]) {
			t.Errorf("PDF line %d starts with closing punctuation: %q", i+1, line)
		}
	}
	if _, err := PDF(n, "/nonexistent.ttf"); err == nil || !strings.Contains(err.Error(), "fonts-arphic-gbsn00lp") {
		t.Errorf("missing font: %v", err)
	}
}

func TestQRPNG(t *testing.T) {
	png, err := QRPNG(facts.StatusURL)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("QR: %v", err)
	}
}
