package bench

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/tongban/tongban/internal/outbox"
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
	return append([]Row{row}, own...), []Goal{goal}, nil
}

// outboxOwnSQL replays the submission's own SQL with its outbox row and
// without it (refsql/submit.sql, NoOutbox), alternately at c clients on
// the database of the server started with --outbox=false, whose publisher
// does not run, so the rows the script adds are not consumed: the part of
// the outbox's cost that is its database write. On PostgreSQL a third side
// adds the publishing: the same submissions with one more client running
// the publisher's round (refsql/outbox_round.sql) at its pace, every
// outbox.PollEvery, which reads the rows back, writes the applicants'
// inbox entries and moves the cursors, as Tongban's publisher does. That
// side is the bound on what Tongban's ratio can reach there; Tongban pays
// on top of it what no script does (the announcement encoded, the
// publisher's Go work beside the requests'). Information, not a goal.
// SQLite's row alone already bounds its goal (below 0.9 ×), and the
// round's horizon is PostgreSQL's, so SQLite runs the first two sides.
func (p *Plan) outboxOwnSQL(ctx context.Context, t *Tongban, f *CaseFixture, c int) ([]Row, error) {
	const scenario = "outbox's own SQL: submission with vs without its outbox row"
	db, err := sqldb.Open(ctx, t.DB)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	with, err := LoadReference(ctx, db, f, "submit.sql")
	if err != nil {
		return nil, err
	}
	without, err := LoadReference(ctx, db, f, "submit.sql", "NoOutbox")
	if err != nil {
		return nil, err
	}
	with.Name = refName(t.Engine, "POST /api/v1/cases SQL")
	without.Name = refName(t.Engine, "POST /api/v1/cases SQL without the outbox row")
	side := func(ref *Reference) func(context.Context) (Measurement, error) {
		return func(ctx context.Context) (Measurement, error) { return p.runRef(ctx, t, db, ref, c) }
	}
	sides := []func(context.Context) (Measurement, error){side(without), side(with)}
	var round *Reference
	if t.Engine == "postgres" {
		if round, err = LoadRoundReference(ctx, db, f, roundLag); err != nil {
			return nil, err
		}
		sides = append(sides, func(ctx context.Context) (Measurement, error) {
			return p.runRefBeside(ctx, t, with, round, c)
		})
	}
	p.logf("%s/%s: %d clients, %d pairs, %s each", scenario, t.Engine, c, p.pairsAt(c), p.Duration)
	ms, err := AlternateN(ctx, p.pairsAt(c), sides...)
	if err != nil {
		return nil, err
	}
	row := func(subject []Measurement, name, note string) Row {
		cmp := Comparison{Ref: ms[0], Subject: subject}
		return Row{Scenario: name, Engine: t.Engine, Clients: c, Unit: "cases/s", Subject: cmp.MedianSubject(),
			RefName: without.Name, Ref: cmp.MedianRef(), Ratios: cmp.Ratios(), Note: note}
	}
	rows := []Row{row(ms[1], scenario, fmt.Sprintf("not Tongban: %s's rate over %s's, on the --outbox=false server's database "+
		"(no publisher); the bound on the outbox row's ratio, not a goal", with.Name, without.Name))}
	if round != nil {
		rows = append(rows, row(ms[2], "outbox's own SQL with the publisher's rounds",
			fmt.Sprintf("not Tongban: %s with one more pgbench client running the publisher's round (refsql/outbox_round.sql: "+
				"the events read back, the applicants' inbox entries, the cursors) %.0f times a second, over %s's rate; "+
				"the bound on the outbox's ratio on PostgreSQL, not a goal", with.Name, roundsPerSecond, without.Name)))
	}
	return rows, nil
}

// roundsPerSecond is the publisher's pace (outbox.PollEvery), and roundLag
// how far behind the newest outbox row the script's horizon stays (see
// refsql/outbox_round.sql): more than 32 clients can hold uncommitted.
const (
	roundsPerSecond = float64(time.Second / outbox.PollEvery)
	roundLag        = 256
)

// LoadRoundReference renders refsql/outbox_round.sql for fixture f, with
// its horizon lag rows behind the newest outbox row, and starts the two
// consumers' cursors at the outbox's end where the database has none (a
// server with --outbox=false never made them).
func LoadRoundReference(ctx context.Context, db *sqldb.DB, f *CaseFixture, lag int) (*Reference, error) {
	round, err := LoadReference(ctx, db, f, "outbox_round.sql")
	if err != nil {
		return nil, err
	}
	round.Name = refName(string(db.Dialect), "the outbox publisher's round")
	round.Defines["lag"] = strconv.Itoa(lag)
	_, err = db.ExecContext(ctx, `INSERT INTO outbox_cursors (name, last_id)
		SELECT n, COALESCE((SELECT MAX(id) FROM outbox), 0) FROM (VALUES ('webhooks'), ('notify')) AS v(n)
		ON CONFLICT (name) DO NOTHING`)
	return round, err
}

// runRefBeside runs ref at c clients on PostgreSQL as runRef does, with
// one more pgbench client running beside it, for as long, at
// roundsPerSecond; the measurement is ref's.
func (p *Plan) runRefBeside(ctx context.Context, t *Tongban, ref, beside *Reference, c int) (Measurement, error) {
	done := make(chan error, 1)
	go func() {
		r, err := PGBench{DB: t.DB, Script: beside.Script.Text, Clients: 1, Duration: p.Duration,
			Vars: beside.Defines, Prepared: true, Rate: roundsPerSecond}.Run(ctx)
		if err == nil && (r.Failed > 0 || r.Transactions == 0) {
			err = fmt.Errorf("%s: %d transactions, %d failed\n%s", beside.Name, r.Transactions, r.Failed, r.Output)
		}
		done <- err
	}()
	m, err := p.runRef(ctx, t, nil, ref, c)
	if berr := <-done; err == nil {
		err = berr
	}
	return m, err
}
