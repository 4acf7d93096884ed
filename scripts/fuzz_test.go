// Package scripts holds only tests of the shell scripts beside it.
package scripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzModule lays out a throwaway module holding scripts/fuzz and one fuzz
// target, so the script's handling of outcomes is tried without the project's
// own targets.
func fuzzModule(t *testing.T, target string) string {
	t.Helper()
	dir := t.TempDir()
	script, err := os.ReadFile("fuzz")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod":       "module example.com/fuzzcheck\n\ngo 1.26\n",
		"p/p_test.go":  "package p\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\nvar _ = os.Getenv\n\n" + target,
		"scripts/fuzz": string(script),
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runFuzz(t *testing.T, dir string, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("bash", append([]string{filepath.Join(dir, "scripts", "fuzz")}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// A real crasher fails the run, its output is kept, and Go's failing input is
// saved under testdata/fuzz where plain go test replays it from then on.
func TestFuzzCrasherFailsAndIsKept(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the fuzzer")
	}
	dir := fuzzModule(t, `func FuzzBoom(f *testing.F) {
	f.Add("a")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 2 && s[0] == 'z' {
			t.Fatal("boom")
		}
	})
}
`)
	out, err := runFuzz(t, dir, nil, "20s")
	if err == nil {
		t.Fatalf("scripts/fuzz passed with a crasher:\n%s", out)
	}
	for _, want := range []string{"boom", "Failing input written to", "FAILED example.com/fuzzcheck/p FuzzBoom"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	saved, _ := filepath.Glob(filepath.Join(dir, "p", "testdata", "fuzz", "FuzzBoom", "*"))
	if len(saved) != 1 {
		t.Fatalf("crashers saved: %v", saved)
	}
	if out, err := runFuzz(t, dir, nil, "--seeds"); err == nil || !strings.Contains(out, "boom") {
		t.Errorf("--seeds passed with a saved crasher (err %v):\n%s", err, out)
	}
}

// A target that stops at its time limit with "context deadline exceeded" and
// no crasher (Go 1.26's coordinator race, imitated here) is tried again and
// does not fail the run; a clean target passes both modes.
func TestFuzzDeadlineWithoutCrasherIsRetried(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the fuzzer")
	}
	dir := fuzzModule(t, `func FuzzRace(f *testing.F) {
	f.Add("a")
	f.Fuzz(func(t *testing.T, s string) {})
	if os.Getenv("IMITATE_COORDINATOR_RACE") == "1" {
		f.Error("context deadline exceeded")
	}
}
`)
	out, err := runFuzz(t, dir, []string{"IMITATE_COORDINATOR_RACE=1"}, "1s")
	if err != nil {
		t.Fatalf("scripts/fuzz failed on the coordinator race: %v\n%s", err, out)
	}
	if n := strings.Count(out, "fuzz example.com/fuzzcheck/p FuzzRace (1s, attempt"); n != 3 {
		t.Errorf("%d attempts, want 3:\n%s", n, out)
	}
	if !strings.Contains(out, "does not fail the run") {
		t.Errorf("the race is not reported:\n%s", out)
	}
	if saved, _ := filepath.Glob(filepath.Join(dir, "p", "testdata", "fuzz", "*", "*")); len(saved) != 0 {
		t.Errorf("inputs saved without a crasher: %v", saved)
	}
	// A clean target is tried once, unless Go's own coordinator race hit
	// it (it does, now and then, on a busy host): that retry must say so.
	out, err = runFuzz(t, dir, nil, "1s")
	if err != nil || strings.Contains(out, "attempt 2") && !strings.Contains(out, "stopped at its time limit with no crasher") {
		t.Errorf("a clean target: err %v\n%s", err, out)
	}
	if out, err := runFuzz(t, dir, nil, "--seeds"); err != nil {
		t.Errorf("--seeds on a clean target: %v\n%s", err, out)
	}
}
