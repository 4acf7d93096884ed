package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// calCLI runs tongban with args against the data directory dir.
func calCLI(t *testing.T, dir string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw bytes.Buffer
	noEnv := func(string) string { return "" }
	args = append(args, "--data", dir)
	code = run(context.Background(), args, noEnv, strings.NewReader(stdin), &out, &errw)
	return code, out.String(), errw.String()
}

func TestCalendarCommands(t *testing.T) {
	dir := t.TempDir()
	expect := func(want string, args ...string) {
		t.Helper()
		code, out, errOut := calCLI(t, dir, "", args...)
		if code != 0 || out != want {
			t.Errorf("tongban %s = %d %q (stderr %s); want %q", strings.Join(args, " "), code, out, errOut, want)
		}
	}
	// The example, on the seeded 2025 notice: 10-01..10-08 off, 10-11 worked.
	expect("2025-10-14\n", "calendar", "due", "--from", "2025-09-30", "--days", "5")
	expect("是（调休上班：国庆节、中秋节）\n", "calendar", "is-workday", "2025-09-28")
	expect("否（放假：国庆节、中秋节）\n", "calendar", "is-workday", "2025-10-08")
	// 2026: 02-15..02-23 off, 02-14 and 02-28 worked.
	expect("是（调休上班：春节）\n", "calendar", "is-workday", "2026-02-14")
	// Into 2027, whose notice is not loaded: 元旦 counts as a working day, marked so.
	expect("2027-01-06 (暂定：2027 年节假日安排未导入)\n", "calendar", "due", "--from", "2026-12-30", "--days", "5")

	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("date,kind,name\n2027-01-01,holiday,元旦\n\n2026-12-31,holiday,元旦\n"), 0o600)
	code, _, errOut := calCLI(t, dir, "", "calendar", "import", "--year", "2027", bad)
	if code != 1 || !strings.Contains(errOut, "第4行 date: 2026-12-31 不在 2027 年内") || !strings.Contains(errOut, "没有任何改动") {
		t.Errorf("bad import = %d, stderr %s", code, errOut)
	}
	expect("2027-01-06 (暂定：2027 年节假日安排未导入)\n", "calendar", "due", "--from", "2026-12-30", "--days", "5")

	const notice = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节\n2027-02-08,holiday,春节\n"
	good := filepath.Join(dir, "2027.csv")
	os.WriteFile(good, []byte(notice), 0o600)
	expect("已导入 2027 年节假日安排：放假 2 天、调休上班 1 天\n", "calendar", "import", "--year", "2027", good)
	expect("2027-01-07\n", "calendar", "due", "--from", "2026-12-30", "--days", "5")
	expect(notice, "calendar", "export", "--year", "2027")

	// Stdin works too, and a re-import replaces the year whole.
	code, out, errOut := calCLI(t, dir, "date,kind,name\n2027-01-01,holiday,元旦\n", "calendar", "import", "--year", "2027", "-")
	if code != 0 || !strings.Contains(out, "放假 1 天、调休上班 0 天") {
		t.Errorf("import from stdin = %d %q %s", code, out, errOut)
	}
	expect("date,kind,name\n2027-01-01,holiday,元旦\n", "calendar", "export", "--year", "2027")

	if code, _, errOut := calCLI(t, dir, "", "calendar", "export", "--year", "2030"); code != 1 || !strings.Contains(errOut, "2030 年节假日安排未导入") {
		t.Errorf("export of an unloaded year = %d, %s", code, errOut)
	}
	if code, _, errOut := calCLI(t, dir, "", "calendar", "due", "--from", "2025-9-30", "--days", "5"); code != 1 || !strings.Contains(errOut, "--from") {
		t.Errorf("bad --from = %d, %s", code, errOut)
	}
	if code, _, _ := calCLI(t, dir, "", "calendar", "nonsense"); code != 1 {
		t.Errorf("unknown subcommand exits %d", code)
	}
}

func TestFlagsFirst(t *testing.T) {
	got := strings.Join(flagsFirst([]string{"2025-09-28", "--data", "d", "--db=x", "-h"}), " ")
	if got != "--data d --db=x -h -- 2025-09-28" {
		t.Errorf("flagsFirst = %q", got)
	}
}
