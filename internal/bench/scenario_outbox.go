package bench

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"

	"github.com/tongban/tongban/internal/sqldb"
)

// OutboxCost: what writing every case event to the outbox (in the
// action's own transaction) costs submissions. Two servers of the same
// binary on fresh databases of the engine, one with the outbox on (the
// default) and one with --outbox=false, each with its own applicants; the
// same submission load alternately on each at 32 clients.
func (p *Plan) OutboxCost(ctx context.Context) ([]Row, []Goal, error) {
	return p.onEachEngine(ctx, p.outboxCostOn)
}

func (p *Plan) outboxCostOn(ctx context.Context, engine string) ([]Row, []Goal, error) {
	const scenario, c = "submissions, outbox on vs off", 32
	start := func(name string, flags ...string) (*Tongban, *CaseFixture, error) {
		t, err := NewTongban(ctx, p.Tongban, engine, p.WorkDir, p.PGAdmin, name+"-"+engine)
		if err != nil {
			return nil, nil, err
		}
		t.Flags = flags
		if err := t.Start(); err != nil {
			t.Close()
			return nil, nil, err
		}
		f, err := NewCaseFixture(ctx, t.URL(""), c)
		if err != nil {
			t.Close()
			return nil, nil, err
		}
		return t, f, nil
	}
	p.logf("outbox/%s: starting two servers (outbox on, off) and registering %d applicants on each", engine, c)
	on, fon, err := start("tongban-outbox-on")
	if err != nil {
		return nil, nil, err
	}
	defer on.Close()
	off, foff, err := start("tongban-outbox-off", "--outbox=false")
	if err != nil {
		return nil, nil, err
	}
	defer off.Close()

	var run atomic.Int64
	submit := func(f *CaseFixture) func() Load {
		return func() Load {
			n := run.Add(1)
			return Load{
				Request: func(c, i int) (*http.Request, error) {
					return f.SubmitRequest(c, fmt.Sprintf("outbox-%d-%d-%d", n, c, i))
				},
				Check: func(c, i int, resp *http.Response, body []byte) error {
					if resp.StatusCode != http.StatusCreated || caseNumber(body) == "" {
						return fmt.Errorf("submit: %d %s", resp.StatusCode, trim(body))
					}
					return nil
				},
			}
		}
	}
	note := "POST /api/v1/cases (the submissions scenario's body, uploads referenced, Idempotency-Key) on a server writing " +
		"each case event to the outbox in the action's transaction (publishing to no sink), against the same load on a " +
		"server started with --outbox=false, each on its own fresh database, alternately"
	p.logf("outbox/%s: %s", engine, note)
	ms, err := AlternateN(ctx, p.pairsAt(c), func(ctx context.Context) (Measurement, error) {
		return p.run(ctx, submit(foff)(), c)
	}, func(ctx context.Context) (Measurement, error) {
		return p.run(ctx, submit(fon)(), c)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("outbox at %d clients: %w", c, err)
	}
	cmp := Comparison{Ref: ms[0], Subject: ms[1]}
	row := Row{Scenario: scenario, Engine: engine, Clients: c, Unit: "cases/s", Subject: cmp.MedianSubject(),
		RefName: "outbox off", Ref: cmp.MedianRef(), Ratios: cmp.Ratios(), Note: note}
	goal := Goal{Name: fmt.Sprintf("submissions with the outbox on ≥ 0.9 × with it off at 32 clients (%s)", engine),
		Got: fmt.Sprintf("%.2f × (%.0f vs %.0f cases/s)", row.Ratio(), row.Subject.Throughput, row.Ref.Throughput),
		Met: row.Ratio() >= 0.9, Gap: pct(row.Ratio()/0.9, "of the goal")}
	own, err := p.outboxOwnSQL(ctx, off, foff, c)
	if err != nil {
		return []Row{row}, []Goal{goal}, fmt.Errorf("outbox's own SQL: %w", err)
	}
	return []Row{row, own}, []Goal{goal}, nil
}

// outboxOwnSQL replays the submission's own SQL with its outbox row and
// without it (refsql/submit.sql, NoOutbox), alternately at c clients on
// the database of the server started with --outbox=false, whose publisher
// does not run, so the rows the script adds are not consumed: the part of
// the outbox's cost that is its database write, the bound on what
// Tongban's ratio can reach. Tongban's side pays on top of it what no
// script does: encoding the announcement, the publisher's rounds and the
// applicants' notifications they write. Information, not a goal.
func (p *Plan) outboxOwnSQL(ctx context.Context, t *Tongban, f *CaseFixture, c int) (Row, error) {
	const scenario = "outbox's own SQL: submission with vs without its outbox row"
	db, err := sqldb.Open(ctx, t.DB)
	if err != nil {
		return Row{}, err
	}
	defer db.Close()
	with, err := LoadReference(ctx, db, f, "submit.sql")
	if err != nil {
		return Row{}, err
	}
	without, err := LoadReference(ctx, db, f, "submit.sql", "NoOutbox")
	if err != nil {
		return Row{}, err
	}
	with.Name = refName(t.Engine, "POST /api/v1/cases SQL")
	without.Name = refName(t.Engine, "POST /api/v1/cases SQL without the outbox row")
	p.logf("%s/%s: %d clients, %d pairs, %s each", scenario, t.Engine, c, p.pairsAt(c), p.Duration)
	side := func(ref *Reference) func(context.Context) (Measurement, error) {
		return func(ctx context.Context) (Measurement, error) { return p.runRef(ctx, t, db, ref, c) }
	}
	ms, err := AlternateN(ctx, p.pairsAt(c), side(without), side(with))
	if err != nil {
		return Row{}, err
	}
	cmp := Comparison{Ref: ms[0], Subject: ms[1]}
	return Row{Scenario: scenario, Engine: t.Engine, Clients: c, Unit: "cases/s", Subject: cmp.MedianSubject(),
		RefName: without.Name, Ref: cmp.MedianRef(), Ratios: cmp.Ratios(),
		Note: fmt.Sprintf("not Tongban: %s's rate over %s's, on the --outbox=false server's database (no publisher); "+
			"the bound on the outbox row's ratio, not a goal", with.Name, without.Name)}, nil
}
