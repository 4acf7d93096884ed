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
	render := func(name string, postgres bool, flags ...string) *Script {
		src, _ := refFiles.ReadFile("refsql/" + name)
		data := map[string]string{"Postgres": ""}
		if postgres {
			data["Postgres"] = "yes"
		}
		eventIDTemplate(data)
		for _, f := range flags {
			data[f] = "yes"
		}
		var b strings.Builder
		if err := template.Must(template.New(name).Parse(string(src))).Execute(&b, data); err != nil {
			t.Fatal(err)
		}
		s, err := ParseScript(b.String())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return s
	}
	count := func(name string, postgres bool) (tx, statements int, text string) {
		s := render(name, postgres)
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
	// As traced: the plain issue's 10 statements besides BEGIN and COMMIT
	// on SQLite (9 on PostgreSQL, where the audit entry and the outbox row
	// are one); the signed one's applicant read before the transaction
	// (type, org and key are kept) and the licence insert in it (the
	// serial reservation is left out).
	for _, pg := range []bool{false, true} {
		ptx, pn, ptext := count("issue_plain.sql", pg)
		stx, sn, stext := count("issue_signed.sql", pg)
		want := 10
		if pg {
			want = 9
		}
		if ptx != 1 || stx != 1 || pn != want || sn != want+2 {
			t.Errorf("postgres %v: plain: %d transactions, %d statements; signed: %d, %d", pg, ptx, pn, stx, sn)
		}
		if strings.Contains(ptext, "licenses") || !strings.Contains(stext, "INSERT INTO licenses") ||
			!strings.Contains(stext, "'license.issued'") || strings.Count(stext, "INSERT INTO outbox") != 1 {
			t.Error("the signed script writes the licence and both outbox rows in one insert; the plain one no licence")
		}
	}
	// As traced, the once-only submissions: the uploads' transaction is the
	// case with its first event and the audit entry with the outbox row
	// (two statements on PostgreSQL, four on SQLite); by reference, the
	// three claims' reads before it, in one pipeline, and in it the consent
	// and the data-use records besides (in the case's statement on
	// PostgreSQL, two statements more on SQLite), the consent only while
	// its licence is 有效.
	for _, pg := range []bool{false, true} {
		shape := func(name string) (pipelined, before, in int, text string) {
			s := render(name, pg)
			tx, pipe := false, false
			for _, c := range s.cmds {
				switch {
				case c.kind == cmdBegin || c.kind == cmdCommit:
					tx = c.kind == cmdBegin
				case c.kind == cmdPipeline:
					pipe = c.name == `\startpipeline`
				case c.kind == cmdSQL && tx:
					in++
				case c.kind == cmdSQL && pipe:
					pipelined++
				case c.kind == cmdSQL:
					before++
				}
			}
			return pipelined, before, in, s.Text
		}
		up, ub, ui, utext := shape("onceonly_uploads.sql")
		rp, rb, ri, rtext := shape("onceonly_refs.sql")
		wantUp, wantRefs := 4, 6
		if pg {
			wantUp, wantRefs = 2, 2
		}
		if up != 0 || ub != 0 || ui != wantUp || rp != 3 || rb != 0 || ri != wantRefs {
			t.Errorf("postgres %v: uploads %d pipelined, %d before, %d in the transaction; refs %d, %d, %d",
				pg, up, ub, ui, rp, rb, ri)
		}
		for _, table := range []string{"license_consents", "data_uses", "data_records", "library_entries", "FROM licenses"} {
			if strings.Contains(utext, table) || !strings.Contains(rtext, table) {
				t.Errorf("postgres %v: %s in the uploads' script, or not in the references'", pg, table)
			}
		}
		if strings.Count(rtext, "status = 'valid'") != 1 || strings.Count(utext, "WHERE EXISTS") != 1 || strings.Count(rtext, "WHERE EXISTS") != 1 {
			t.Errorf("postgres %v: the consent counts its licence still valid once, and each case is inserted only while its listing is as read", pg)
		}
	}
	// The submission without its outbox row, as a server with
	// --outbox=false writes it: the case, its event and the audit entry,
	// and on PostgreSQL that entry on its own.
	for _, pg := range []bool{false, true} {
		with, without := render("submit.sql", pg), render("submit.sql", pg, "NoOutbox")
		if !strings.Contains(with.Text, "INSERT INTO outbox") || strings.Contains(without.Text, "INSERT INTO outbox") ||
			strings.Count(without.Text, "INSERT INTO audit_queue") != 1 || strings.Contains(without.Text, "WITH queued") ||
			!strings.Contains(without.Text, "INSERT INTO cases") || !strings.Contains(without.Text, "INSERT INTO case_events") {
			t.Errorf("postgres %v: submit.sql with NoOutbox:\n%s", pg, without.Text)
		}
	}
	// On PostgreSQL the store writes an action's queued audit entry and
	// its outbox rows in one statement (store.AppendOutboxAudited); the
	// scripts do too, and on SQLite queue the same entries separately.
	for _, name := range files {
		name = strings.TrimPrefix(name, "refsql/")
		pg, lite := render(name, true), render(name, false)
		audits := func(s *Script) (n int) {
			for _, c := range s.cmds {
				n += strings.Count(c.sql, "INSERT INTO audit_queue")
			}
			return n
		}
		if audits(pg) != audits(lite) {
			t.Errorf("%s: %d audit entries on PostgreSQL, %d on SQLite", name, audits(pg), audits(lite))
		}
		for _, c := range pg.cmds {
			if strings.Contains(c.sql, "INSERT INTO outbox (") && name != "rating_submit.sql" &&
				!strings.HasPrefix(c.sql, "WITH queued AS (INSERT INTO audit_queue") {
				t.Errorf("%s: on PostgreSQL an outbox insert without its audit entry: %.60s", name, c.sql)
			}
		}
	}
}
