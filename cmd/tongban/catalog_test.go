package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func guanganFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "data", "guangan-district-items.csv")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("guangan data not present: %v", err)
	}
	return p
}

func TestImportGuanganIntoTheDemoCity(t *testing.T) {
	dir, file := demoData(t), guanganFile(t)
	// Without --create-orgs: every row of a department the city lacks is
	// listed, and nothing is written.
	code, out, errOut := cli(t, "", "import", file, "--data", dir)
	if code != 1 || out != "" || !strings.Contains(errOut, "第1136行 实施部门(department)") || !strings.Contains(errOut, "未导入任何数据") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut[max(0, len(errOut)-400):])
	}
	// The 16 rows the demo already has update those listings in place (a
	// bare list changes only names), which stay published.
	code, out, errOut = cli(t, "", "import", "--data", dir, "--create-orgs", file)
	if code != 0 || !strings.Contains(out, "实施清单新增1119、更新16") || !strings.Contains(out, "导入后已发布16（本次发布0）、草稿1119") ||
		!strings.Contains(errOut, "已写入 1135/1135") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	// Export round-trips through import: the same rows update in place.
	csv := filepath.Join(t.TempDir(), "广安区.csv")
	if code, out, errOut := cli(t, "", "export", csv, "--region", "511602000000", "--data", dir); code != 0 ||
		!strings.Contains(out, "已导出") {
		t.Fatalf("export: exit %d %s %s", code, out, errOut)
	}
	code, out, errOut = cli(t, "", "import", csv, "--data", dir)
	if code != 0 || !strings.Contains(out, "实施清单新增0") {
		t.Fatalf("re-import of the export: exit %d %s %s", code, out, errOut)
	}
	xlsx := filepath.Join(t.TempDir(), "all.xlsx")
	if code, _, errOut := cli(t, "", "export", xlsx, "--data", dir); code != 0 {
		t.Fatalf("xlsx export: %s", errOut)
	}
	if code, _, errOut := cli(t, "", "import", "--data", dir); code != 1 || !strings.Contains(errOut, "usage: tongban import") {
		t.Errorf("import without a file: %d %s", code, errOut)
	}
	if code, _, errOut := cli(t, "", "import", "items.txt", "--data", dir); code != 1 || !strings.Contains(errOut, "xlsx") {
		t.Errorf("import of a .txt: %d %s", code, errOut)
	}
}
