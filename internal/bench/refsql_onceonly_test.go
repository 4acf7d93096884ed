package bench

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/sqldb"
)

// The once-only references run against a whole Tongban in this process
// (demo city, the scenario's fixture, the prototypes submitted through the
// API), on SQLite through RunOnce and on PostgreSQL through pgbench, as the
// scenario runs them: each run writes what Tongban's submission writes —
// a case of a fixture applicant with its first event, and by reference the
// consent and as many data-use records as the prototype has — and the
// clean-up leaves no consent or data-use record of theirs.
func TestOnceOnlyReferencesWriteTongbansRows(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			if engine == "postgres" {
				needPGBench(t)
			}
			ctx := context.Background()
			srv, err := StartInProcess(ctx, engine, t.TempDir(), pgAdmin(), InProcessOptions{})
			if err != nil {
				if engine == "postgres" && os.Getenv("CI") != "true" {
					t.Skip(err)
				}
				t.Fatal(err)
			}
			defer srv.Close()
			db := srv.App.DB
			f, err := NewOnceOnlyFixture(ctx, srv.URL, 3, 40_000)
			if err != nil {
				t.Fatal(err)
			}
			var protoUses int
			for _, refs := range []bool{false, true} {
				if err := f.submitOnce(ctx, refs, onceProtoKey(refs)); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM data_uses u JOIN cases c ON c.number = u.case_number
				WHERE c.idempotency_key = $1`, onceProtoRefs).Scan(&protoUses); err != nil || protoUses == 0 {
				t.Fatalf("the prototype's data-use records: %d, %v", protoUses, err)
			}
			for _, refs := range []bool{false, true} {
				ref, err := LoadOnceOnlyReference(ctx, db, f, refs)
				if err != nil {
					t.Fatal(err)
				}
				runs := runOnceOnly(t, engine, srv.App.Config.DB, db, ref)
				prefix := onceRefPrefix + "u-"
				if refs {
					prefix = onceRefPrefix + "r-"
				}
				checkOnceOnlyRows(t, db, prefix, runs, refs, protoUses, ref.Defines)
			}
			if err := removeOnceOnlyRows(ctx, db); err != nil {
				t.Fatal(err)
			}
			for _, table := range []string{"license_consents WHERE case_number", "data_uses WHERE case_number"} {
				var left int
				if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` LIKE 'once-ref-%'`).Scan(&left); err != nil || left != 0 {
					t.Errorf("%s: %d rows left after the clean-up (%v)", table, left, err)
				}
			}
		})
	}
}

// runOnceOnly runs ref as the scenario does on engine and returns how
// many transactions it committed.
func runOnceOnly(t *testing.T, engine, dbURL string, db *sqldb.DB, ref *Reference) int {
	t.Helper()
	ctx := context.Background()
	if engine == "postgres" {
		r, err := PGBench{DB: dbURL, Script: ref.Script.Text, Clients: 2, Duration: time.Second, Vars: ref.Defines, Prepared: true}.Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r.Failed != 0 || r.Transactions == 0 {
			t.Fatalf("pgbench: %d transactions, %d failed\n%s", r.Transactions, r.Failed, r.Output)
		}
		return r.Transactions
	}
	const runs = 20
	for c := range runs {
		if err := ref.Script.RunOnce(ctx, db, c, ref.Defines); err != nil {
			t.Fatal(err)
		}
	}
	return runs
}

// checkOnceOnlyRows checks what runs of a script numbered prefix… wrote.
func checkOnceOnlyRows(t *testing.T, db *sqldb.DB, prefix string, runs int, refs bool, protoUses int, defs map[string]string) {
	t.Helper()
	ctx := context.Background()
	like := prefix + "%"
	count := func(q string) int {
		var n int
		if err := db.QueryRowContext(ctx, q, like).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	cases := count(`SELECT COUNT(*) FROM cases WHERE number LIKE $1 AND state = 'submitted'
		AND applicant_id BETWEEN ` + defs["user_min"] + ` AND ` + defs["user_max"])
	events := count(`SELECT COUNT(*) FROM case_events e JOIN cases c ON c.id = e.case_id
		WHERE c.number LIKE $1 AND e.seq = 1 AND e.action = 'submit' AND e.actor_id = c.applicant_id`)
	outbox := count(`SELECT COUNT(*) FROM outbox WHERE event_id LIKE $1`)
	consents := count(`SELECT COUNT(*) FROM license_consents WHERE case_number LIKE $1`)
	uses := count(`SELECT COUNT(*) FROM data_uses u JOIN cases c ON c.number = u.case_number
		WHERE u.case_number LIKE $1 AND u.subject_id = c.applicant_id`)
	wantConsents, wantUses := 0, 0
	if refs {
		wantConsents, wantUses = runs, runs*protoUses
	}
	if cases != runs || events != runs || outbox != runs || consents != wantConsents || uses != wantUses {
		t.Errorf("%s after %d runs: %d cases, %d first events, %d outbox rows, %d consents, %d data-use records; want %d consents, %d records",
			prefix, runs, cases, events, outbox, consents, uses, wantConsents, wantUses)
	}
}
