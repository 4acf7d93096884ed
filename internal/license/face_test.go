package license

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/notice"
)

// pdfText is the PDF's text by pdftotext (poppler), required on CI.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is required on CI (poppler-utils)")
		}
		t.Skip("pdftotext not installed")
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestFacePDF: the face names the type, number, holder (ID number masked),
// every face item in the type's order, issuer, dates, the seal's words,
// the identifier and the share annotation.
func TestFacePDF(t *testing.T) {
	l := sampleLicense()
	l.HolderKind, l.HolderName, l.HolderCode, l.HolderCodeMasked = tongban.HolderPerson, "张三", "11010519491231002X", "1101**********002X"
	l.KeyID = "0123456789abcdef"
	typ := &tongban.LicenseType{Fields: []tongban.LicenseField{{Key: "addr", Name: "建设地址"}, {Key: "p", Name: "工程名称"}}}
	b, err := FacePDF(Face{License: l, Type: typ, VerifyURL: "https://tongban.example/v/abc",
		Annotation: "仅供办理食品经营许可证延续使用，有效期至2026年12月31日"}, notice.DefaultFont)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	text := pdfText(t, b)
	flat := strings.Join(strings.Fields(text), "")
	for _, want := range []string{"建筑工程施工许可证", "430000202304030101", "张三", "1101**********002X", "某某小区1号楼", "长沙市岳麓区",
		"湖南省住房和城乡建设厅", "2026年12月3日", "电子证照专用章", realIdentifier, "仅供办理食品经营许可证延续使用，有效期至2026年12月31日"} {
		if !strings.Contains(flat, want) {
			t.Errorf("face lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(flat, l.HolderCode) {
		t.Error("the face prints the full ID number")
	}
	if strings.Index(flat, "建设地址") > strings.Index(flat, "工程名称") {
		t.Error("face items not in the type's order")
	}
	if os.Getenv("FACE_PDF_OUT") != "" {
		os.WriteFile(os.Getenv("FACE_PDF_OUT"), b, 0o644)
	}
}
