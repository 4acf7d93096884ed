package store

import (
	"context"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// licenseConsentColumns is how many values one license_consents row binds.
const licenseConsentColumns = 8

// licenceConsentInsert starts every insert of license_consents rows.
const licenceConsentInsert = `INSERT INTO license_consents (license_id, identifier, version, holder_id, case_number,
		reason, given_by, created_at) `

// consentInsert is the multi-row insert of cs, binding from $first.
func consentInsert(first int, cs []*tongban.LicenseConsent) (string, []any) {
	var b strings.Builder
	b.WriteString(licenceConsentInsert + "VALUES ")
	args := writeConsentValues(&b, first, cs)
	return b.String(), args
}

// writeConsentValues writes cs's rows to b, binding from $first, and
// returns their values.
func writeConsentValues(b *strings.Builder, first int, cs []*tongban.LicenseConsent) []any {
	args := make([]any, 0, len(cs)*licenseConsentColumns)
	for i, c := range cs {
		if i > 0 {
			b.WriteString(", ")
		}
		writePlaceholders(b, first+len(args), licenseConsentColumns)
		c.CreatedAt = utc(c.CreatedAt)
		args = append(args, c.LicenseID, c.Identifier, c.Version, c.HolderID, c.CaseNumber, c.Reason, zeroID(c.GivenBy), c.CreatedAt)
	}
	return args
}

// consentInsertWhileHeld is the insert of cs, as one statement that
// inserts them all only while every one of their licences is still 有效
// (heldWith's count in its WHERE), else none. SQLite's way: it has no data-modifying WITH to
// carry the count, and a count of its own was one statement more in the
// write lock.
func consentInsertWhileHeld(cs []*tongban.LicenseConsent) (string, []any) {
	var b strings.Builder
	b.WriteString(licenceConsentInsert + "SELECT * FROM (VALUES ")
	args := writeConsentValues(&b, 1, cs)
	held, hargs, want := heldWith(1+len(args), cs)
	b.WriteString(") AS v WHERE (WITH " + held + " SELECT n FROM held) = " + itoa(want))
	return b.String(), append(args, hargs...)
}

// useInsert is the multi-row insert of us, binding from $first.
func useInsert(first int, us []*tongban.DataUse) (string, []any) {
	var b strings.Builder
	b.WriteString(`INSERT INTO data_uses
		(subject_id, at, kind, actor_id, actor_name, org_id, org_name, resource, fields, case_number, reason) VALUES `)
	args := make([]any, 0, len(us)*dataUseColumns)
	for i, u := range us {
		if i > 0 {
			b.WriteString(", ")
		}
		writePlaceholders(&b, first+len(args), dataUseColumns)
		u.At = utc(u.At)
		args = append(args, u.SubjectID, u.At, u.Kind, nullID(u.ActorID), u.ActorName, nullID(u.OrgID), u.OrgName, u.Resource,
			jsonText(u.Fields), u.CaseNumber, u.Reason)
	}
	return b.String(), args
}

// recordParts are the parts of a WITH clause inserting cs and us (either
// may be empty, not both), binding from $first, to put before another
// statement: on PostgreSQL its data-modifying parts run with that
// statement, all or none.
func recordParts(first int, cs []*tongban.LicenseConsent, us []*tongban.DataUse) ([]string, []any) {
	var parts []string
	var args []any
	if len(cs) > 0 {
		q, a := consentInsert(first, cs)
		parts, args = append(parts, "consents AS ("+q+")"), append(args, a...)
	}
	if len(us) > 0 {
		q, a := useInsert(first+len(args), us)
		parts, args = append(parts, "uses AS ("+q+")"), append(args, a...)
	}
	return parts, args
}

// withClause is WITH and the parts, ready to prefix a statement.
func withClause(parts []string) string {
	return "WITH " + strings.Join(parts, ", ") + " "
}

// RecordUsesAndConsents writes the consents and the uses in one round trip
// on PostgreSQL (the consents' insert as a data-modifying WITH of the
// uses' insert, which also counts the consents' licences still 有效).
// SQLite has no such WITH, and its statements cost no round trip, so it
// runs two inserts, the consents' counting the licences
// (consentInsertWhileHeld). Consents alone on PostgreSQL: a count, then
// their insert. A licence no longer 有效 refuses all
// (tongban.LicenceWithdrawn).
func (s *Store) RecordUsesAndConsents(ctx context.Context, cs []*tongban.LicenseConsent, us []*tongban.DataUse) error {
	if len(cs) == 0 {
		return s.RecordDataUses(ctx, us)
	}
	if s.db.Dialect == sqldb.Postgres && len(us) > 0 {
		parts, args := recordParts(1, cs, nil)
		held, hargs, want := heldWith(1+len(args), cs)
		args = append(args, hargs...)
		q, a := useInsert(1+len(args), us)
		var n int
		err := s.db.ScanReturning(ctx, s.q, []any{&n}, withClause(append(parts, held))+q+" RETURNING (SELECT n FROM held)", append(args, a...)...)
		if err != nil {
			return classify(err)
		}
		return stillHeld(n, want)
	}
	if s.db.Dialect == sqldb.Postgres { // consents alone
		if err := s.countHeld(ctx, cs); err != nil {
			return err
		}
		q, args := consentInsert(1, cs)
		_, err := s.q.ExecContext(ctx, q, args...)
		return classify(err)
	}
	q, args := consentInsertWhileHeld(cs)
	res, err := s.q.ExecContext(ctx, q, args...)
	if err != nil {
		return classify(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return classify(err)
	} else if n != int64(len(cs)) {
		return licenceWithdrawn()
	}
	return s.RecordDataUses(ctx, us)
}

// heldWith is a WITH part, held, counting the distinct licences of cs
// still 有效 at this statement, binding from $first, and how many there
// are: the licences were checked before the transaction (or in it, before
// this statement), and a consent is written only if none of them was
// revoked or changed since — a status never returns to 有效, and nothing
// else of a licence's row is ever updated.
func heldWith(first int, cs []*tongban.LicenseConsent) (string, []any, int) {
	ids := make([]any, 0, len(cs))
	seen := make(map[int64]bool, len(cs))
	for _, c := range cs {
		if !seen[c.LicenseID] {
			seen[c.LicenseID] = true
			ids = append(ids, c.LicenseID)
		}
	}
	args := append(ids, string(tongban.LicenseValid))
	q := "held AS (SELECT COUNT(*) AS n FROM licenses WHERE id IN " + placeholders(first, len(ids)) +
		" AND status = $" + itoa(first+len(ids)) + ")"
	return q, args, len(ids)
}

// countHeld is heldWith as a statement of its own (SQLite, or consents
// without uses).
func (s *Store) countHeld(ctx context.Context, cs []*tongban.LicenseConsent) error {
	held, args, want := heldWith(1, cs)
	var n int
	if err := s.q.QueryRowContext(ctx, "WITH "+held+" SELECT n FROM held", args...).Scan(&n); err != nil {
		return classify(err)
	}
	return stillHeld(n, want)
}

// stillHeld refuses the records when fewer of their licences than want
// are still 有效.
func stillHeld(n, want int) error {
	if n == want {
		return nil
	}
	return licenceWithdrawn()
}

// licenceWithdrawn is the refusal of records whose licence was revoked or
// changed since it was checked (tongban.LicenceWithdrawn).
func licenceWithdrawn() error {
	return &tongban.Error{Code: tongban.EConflict, Field: "license_id",
		Message: "所用电子证照刚被注销或变更，未保存，请重新提交"}
}

// CreateCaseRecording inserts the records and the first event with the
// case row on PostgreSQL (WITH parts of one statement, which also counts
// the consents' licences still 有效); on SQLite, as separate statements.
// A licence no longer 有效 refuses all (tongban.LicenceWithdrawn); with
// rec.ListingCurrent the case's insert has the condition of
// caseWhileCurrent, and inserts nothing when it fails (tongban.ListingMoved).
func (s *Store) CreateCaseRecording(ctx context.Context, c *tongban.Case, rec tongban.CaseRecords) error {
	in := caseInsertion{current: rec.ListingCurrent, event: rec.Event}
	cs, us := rec.Consents, rec.Uses
	if len(cs) == 0 && len(us) == 0 {
		return s.insertCase(ctx, c, in)
	}
	if s.db.Dialect != sqldb.Postgres {
		if err := s.RecordUsesAndConsents(ctx, cs, us); err != nil {
			return err
		}
		return s.insertCase(ctx, c, in)
	}
	in.parts, in.more = recordParts(caseInsertArgs+1, cs, us)
	if len(cs) == 0 {
		return s.insertCase(ctx, c, in)
	}
	held, hargs, want := heldWith(caseInsertArgs+1+len(in.more), cs)
	n := -1
	in.parts, in.more, in.held = append(in.parts, held), append(in.more, hargs...), &n
	if err := s.insertCase(ctx, c, in); err != nil {
		return err
	}
	if err := stillHeld(n, want); err != nil {
		c.ID = 0
		return err
	}
	return nil
}
