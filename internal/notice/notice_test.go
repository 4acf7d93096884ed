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
	StatusURL: "http://127.0.0.1:8080/cases/511600000000-20251009-000017", Complaint: "12345",
}

func TestComposeWording(t *testing.T) {
	acc, err := Compose(Acceptance, facts)
	if err != nil {
		t.Fatal(err)
	}
	text := acc.PlainText()
	for _, want := range []string{"受理通知书", "予以受理", "5个工作日", "2025年10月16日", "511600000000-20251009-000017", "广安市市场监督管理局"} {
		if !strings.Contains(text, want) {
			t.Errorf("acceptance lacks %q:\n%s", want, text)
		}
	}
	f := facts
	f.Reasons = []string{"营业执照：复印件模糊，无法辨认统一社会信用代码", "食品安全管理制度：未提交"}
	cor, _ := Compose(Correction, f)
	text = cor.PlainText()
	if !strings.Contains(text, "一次性告知") || !strings.Contains(text, "1. 营业执照") || !strings.Contains(text, "2. 食品安全管理制度") || !strings.Contains(text, "暂停计算") {
		t.Errorf("correction notice:\n%s", text)
	}
	rej, _ := Compose(Rejection, Facts{Reasons: []string{"申请事项不属于本机关职权范围"}, OrgName: "x"})
	if rej.Items[0] != "申请事项不属于本机关职权范围" || !strings.Contains(rej.PlainText(), "行政复议") {
		t.Errorf("rejection notice:\n%s", rej.PlainText())
	}
	f.Decision, f.ResultName, f.Delivery = "准予许可", "食品经营许可证", "在广安市政务服务中心统一出件窗口领取"
	done, _ := Compose(Completion, f)
	if !strings.Contains(done.PlainText(), "准予许可，办理结果为「食品经营许可证」") {
		t.Errorf("completion notice:\n%s", done.PlainText())
	}
	if _, err := Compose("other", facts); err == nil {
		t.Error("unknown kind accepted")
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
	for _, want := range []string{"一次性告知书", "广安市市场监督管理局", "511600000000-20251009-000017", "食品安全管理制度", "2025年10月9日"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
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
