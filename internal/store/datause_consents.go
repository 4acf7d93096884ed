package store

import (
	"context"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// licenseConsentColumns is how many values one license_consents row binds.
const licenseConsentColumns = 8

// consentInsert is the multi-row insert of cs, binding from $first.
func consentInsert(first int, cs []*tongban.LicenseConsent) (string, []any) {
	var b strings.Builder
	b.WriteString(`INSERT INTO license_consents (license_id, identifier, version, holder_id, case_number,
		reason, given_by, created_at) VALUES `)
	args := make([]any, 0, len(cs)*licenseConsentColumns)
	for i, c := range cs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(placeholders(first+len(args), licenseConsentColumns))
		c.CreatedAt = utc(c.CreatedAt)
		args = append(args, c.LicenseID, c.Identifier, c.Version, c.HolderID, c.CaseNumber, c.Reason, zeroID(c.GivenBy), c.CreatedAt)
	}
	return b.String(), args
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
		b.WriteString(placeholders(first+len(args), dataUseColumns))
		u.At = utc(u.At)
		args = append(args, u.SubjectID, u.At, u.Kind, nullID(u.ActorID), u.ActorName, nullID(u.OrgID), u.OrgName, u.Resource,
			jsonText(u.Fields), u.CaseNumber, u.Reason)
	}
	return b.String(), args
}

// recordsWith is a WITH clause inserting cs and us (either may be empty,
// not both), binding from $first, to put before another statement: on
// PostgreSQL its data-modifying parts run with that statement, all or none.
func recordsWith(first int, cs []*tongban.LicenseConsent, us []*tongban.DataUse) (string, []any) {
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
	return "WITH " + strings.Join(parts, ", ") + " ", args
}

// RecordUsesAndConsents writes the consents and the uses in one round trip
// on PostgreSQL (the consents' insert as a data-modifying WITH of the
// uses' insert). SQLite has no such WITH, and its statements cost no
// round trip, so it runs the two inserts.
func (s *Store) RecordUsesAndConsents(ctx context.Context, cs []*tongban.LicenseConsent, us []*tongban.DataUse) error {
	if len(cs) == 0 {
		return s.RecordDataUses(ctx, us)
	}
	if s.db.Dialect == sqldb.Postgres && len(us) > 0 {
		with, args := recordsWith(1, cs, nil)
		q, a := useInsert(1+len(args), us)
		_, err := s.q.ExecContext(ctx, with+q, append(args, a...)...)
		return classify(err)
	}
	q, args := consentInsert(1, cs)
	if _, err := s.q.ExecContext(ctx, q, args...); err != nil {
		return classify(err)
	}
	return s.RecordDataUses(ctx, us)
}

// CreateCaseRecording inserts the records with the case row on PostgreSQL
// (a WITH of the case's insert); on SQLite, as separate statements first.
func (s *Store) CreateCaseRecording(ctx context.Context, c *tongban.Case, cs []*tongban.LicenseConsent, us []*tongban.DataUse) error {
	if len(cs) == 0 && len(us) == 0 {
		return s.CreateCase(ctx, c)
	}
	if s.db.Dialect != sqldb.Postgres {
		if err := s.RecordUsesAndConsents(ctx, cs, us); err != nil {
			return err
		}
		return s.CreateCase(ctx, c)
	}
	with, args := recordsWith(caseInsertArgs+1, cs, us)
	return s.insertCase(ctx, c, with, args)
}
