package bench

import (
	"io/fs"
	"strings"
	"testing"
	"text/template"
)

// TestRefScriptsParse renders every reference script with placeholder
// values and parses it: a script that no longer parses fails here, not
// in the middle of a bench run. The issue scripts are also checked for
// the statements that make the difference between them.
func TestRefScriptsParse(t *testing.T) {
	files, err := fs.Glob(refFiles, "refsql/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	for _, name := range files {
		src, err := refFiles.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := template.New(name).Parse(string(src))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var b strings.Builder
		if err := tpl.Execute(&b, map[string]string{}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s, err := ParseScript(b.String())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(s.cmds) == 0 {
			t.Errorf("%s: no statement", name)
		}
	}
	count := func(name string) (tx, statements int, text string) {
		src, _ := refFiles.ReadFile("refsql/" + name)
		s, err := ParseScript(string(src))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range s.cmds {
			switch c.kind {
			case cmdBegin:
				tx++
			case cmdSQL:
				statements++
			}
		}
		return tx, statements, s.Text
	}
	ptx, pn, ptext := count("issue_plain.sql")
	stx, sn, stext := count("issue_signed.sql")
	// As traced: the plain issue's 11 statements besides BEGIN and COMMIT;
	// the signed one's 2 prepare reads before the transaction and the
	// licence insert in it (the serial reservation is left out).
	if ptx != 1 || stx != 1 || pn != 11 || sn != 14 {
		t.Errorf("plain: %d transactions, %d statements; signed: %d, %d", ptx, pn, stx, sn)
	}
	if strings.Contains(ptext, "licenses") || !strings.Contains(stext, "INSERT INTO licenses") ||
		!strings.Contains(stext, "'license.issued'") || strings.Count(stext, "INSERT INTO outbox") != 1 {
		t.Error("the signed script writes the licence and both outbox rows in one insert; the plain one no licence")
	}
}
