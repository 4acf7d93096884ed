package bench

import (
	"context"
	"fmt"
	"net/http"
)

// onceOnly: enterprises submitting a listing of three materials, each
// spared by a reference the server resolves in the submission — their
// 企业登记信息 record for the 营业执照 (shared data, pulled before the
// transaction), their 食品经营许可证 e-licence for the 原食品经营许可证
// (verified against its SM2 signature, 用证 consent and data-use record
// written), their confirmed 法定代表人身份证明 from the material library —
// against the same listing with the three files uploaded, alternately on
// the same server (issue 11's goal: ≥ 0.7 × at 32 clients).
func (r *caseRun) onceOnly(ctx context.Context) ([]Row, []Goal, error) {
	const scenario, unit = "submissions, 3 materials by reference", "cases/s"
	r.p.logf("%s/%s: staging the listing, %d enterprises, their licences and library entries", scenario, r.t.Engine, 32)
	f, err := NewOnceOnlyFixture(ctx, r.t.URL(""), 32, 20_000)
	if err != nil {
		return nil, nil, err
	}
	load := func(refs bool) func() Load {
		return func() Load {
			run := r.runs.Add(1)
			return Load{
				Request: func(c, n int) (*http.Request, error) {
					key := fmt.Sprintf("bench-once-%d-%d-%d", run, c, n)
					if refs {
						return f.RefsRequest(c, key)
					}
					return f.SubmitRequest(c, key)
				},
				Check: func(c, n int, resp *http.Response, body []byte) error {
					if resp.StatusCode != http.StatusCreated || caseNumber(body) == "" {
						return fmt.Errorf("submit: %d %s", resp.StatusCode, trim(body))
					}
					return nil
				},
			}
		}
	}
	var rows []Row
	for _, c := range r.p.caseClients() {
		r.p.logf("%s/%s: %d clients, %d pairs of uploads and references, %s each", scenario, r.t.Engine, c, r.p.pairsAt(c), r.p.Duration)
		ms, err := AlternateN(ctx, r.p.pairsAt(c), r.subject(load(false), c), r.subject(load(true), c))
		if err != nil {
			return rows, nil, fmt.Errorf("%s at %d clients: %w", scenario, c, err)
		}
		cmp := Comparison{Ref: ms[0], Subject: ms[1]}
		rows = append(rows, Row{Scenario: scenario, Engine: r.t.Engine, Clients: c, Unit: unit, Subject: cmp.MedianSubject(),
			RefName: "the same listing, 3 files uploaded", Ref: cmp.MedianRef(), Ratios: cmp.Ratios(),
			Note: fmt.Sprintf("「%s」: shared %s, licence %s, library %s", f.Listing.Name, onceResource, onceLicenceType, onceLibrary)})
	}
	goals := r.goals(rows, scenario, "the same listing, 3 files uploaded", 0.7)
	own, err := r.onceOnlyOwnSQL(ctx, f)
	if err != nil {
		return append(rows, own...), goals, fmt.Errorf("%s: %w", scenario, err)
	}
	return append(rows, own...), goals, nil
}

// onceOnlyOwnSQL replays the two submissions' own SQL without Tongban
// (refsql/onceonly_refs.sql against refsql/onceonly_uploads.sql),
// alternately in pairs at each client count on the same database: how much
// of a submission by reference's cost is the database work its guarantees
// require (the claims' reads, the consent, the data-use records): its extra
// time per case, against the Tongban row's, says whether Tongban's gap is
// that work (docs/benchmarks.md). Information, not a goal. It runs
// after Tongban's pairs, so its cases are not in the tables while those are
// measured, and removes its consents and data-use records when done
// (removeOnceOnlyRows).
func (r *caseRun) onceOnlyOwnSQL(ctx context.Context, f *OnceOnlyFixture) (rows []Row, err error) {
	const scenario = "by reference's own SQL: refs vs uploads"
	refs := map[bool]*Reference{}
	for _, side := range []bool{false, true} {
		if err := f.submitOnce(ctx, side, onceProtoKey(side)); err != nil { // the prototype the script copies
			// The server's log says what a 500 was (a full run at fe9c3ee
			// met one here once, and the log went with the run's files).
			return nil, fmt.Errorf("%s: the prototype: %w\nthe server's log ends:\n%s", onceOnlyFile(side), err, r.t.LogTail(10))
		}
		ref, err := LoadOnceOnlyReference(ctx, r.db, f, side)
		if err != nil {
			return nil, err
		}
		ref.Name = r.refName(onceOnlyFile(side))
		refs[side] = ref
	}
	defer func() {
		if derr := removeOnceOnlyRows(context.WithoutCancel(ctx), r.db); derr != nil && err == nil {
			err = fmt.Errorf("removing the reference's consents and data-use records: %w", derr)
		}
	}()
	for _, c := range r.p.caseClients() {
		r.p.logf("%s/%s: %d clients, %d pairs, %s each", scenario, r.t.Engine, c, r.p.pairsAt(c), r.p.Duration)
		ms, err := AlternateN(ctx, r.p.pairsAt(c), r.side(refs[false], c), r.side(refs[true], c))
		if err != nil {
			return rows, fmt.Errorf("%s at %d clients: %w", scenario, c, err)
		}
		cmp := Comparison{Ref: ms[0], Subject: ms[1]}
		rows = append(rows, Row{Scenario: scenario, Engine: r.t.Engine, Clients: c, Unit: "cases/s", Subject: cmp.MedianSubject(),
			RefName: refs[false].Name, Ref: cmp.MedianRef(), Ratios: cmp.Ratios(),
			Note: fmt.Sprintf("not Tongban: %s's rate over %s's, without Tongban, on its database; "+
				"the database work alone: compare its extra time per case with the Tongban row's; not a goal", refs[true].Name, refs[false].Name)})
	}
	return rows, nil
}
