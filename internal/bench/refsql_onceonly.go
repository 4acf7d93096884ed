package bench

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/tongban/tongban/internal/sqldb"
)

// The once-only references' prototypes: one submission of each side, made
// through the API before the references are loaded (caches warm), whose
// rows the scripts copy their values from.
const (
	onceProtoRefs    = "bench-once-proto-refs"
	onceProtoUploads = "bench-once-proto-uploads"
	// onceRefPrefix starts every number, key and outbox event id the two
	// scripts write, so their rows can be told apart and removed; not "ref-",
	// which the lifecycle reference takes for submit.sql's cases (refBlock).
	onceRefPrefix = "once-ref-"
)

// onceProtoKey is the idempotency key of the prototype submission of
// one side of the once-only scenario, whose values its script copies.
func onceProtoKey(refs bool) string {
	if refs {
		return onceProtoRefs
	}
	return onceProtoUploads
}

// onceOnlyFile is the script of one side of the once-only scenario.
func onceOnlyFile(refs bool) string {
	if refs {
		return "onceonly_refs.sql"
	}
	return "onceonly_uploads.sql"
}

// LoadOnceOnlyReference renders refsql/onceonly_refs.sql (refs) or
// onceonly_uploads.sql for f, with the values of the prototype submission
// of that side (submitted with key onceProtoRefs or onceProtoUploads
// beforehand), and reads the ranges its applicants and licences are drawn
// from.
func LoadOnceOnlyReference(ctx context.Context, db *sqldb.DB, f *OnceOnlyFixture, refs bool) (*Reference, error) {
	file := onceOnlyFile(refs)
	data, defs, err := onceOnlyValues(ctx, db, f, onceProtoKey(refs), refs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	data["Postgres"] = postgresFlag(db)
	eventIDTemplate(data)
	tpl, err := refTemplate(file)
	if err != nil {
		return nil, err
	}
	s, err := renderScript(file, tpl, data)
	if err != nil {
		return nil, err
	}
	return &Reference{Script: s, Defines: defs, PerRun: 1}, nil
}

// onceOnlyValues reads the prototype submission made with key (by f's
// first applicant, on f's listing): the template's texts, quoted, and the
// script's variables.
func onceOnlyValues(ctx context.Context, db *sqldb.DB, f *OnceOnlyFixture, key string, refs bool) (map[string]string, map[string]string, error) {
	var number, itemName, listingName, applicantName, form, materials, delivery string
	var caseID, applicantID, listingVersion, orgID, promised int64
	var region string
	err := db.QueryRowContext(ctx, `SELECT id, number, applicant_id, listing_version, org_id, region_code, item_name, listing_name,
		applicant_name, form, materials, delivery_method, promised_days FROM cases WHERE listing_id = $1 AND idempotency_key = $2`,
		f.Listing.ID, key).Scan(&caseID, &number, &applicantID, &listingVersion, &orgID, &region, &itemName, &listingName,
		&applicantName, &form, &materials, &delivery, &promised)
	if err != nil {
		return nil, nil, fmt.Errorf("the prototype submission %s: %w", key, err)
	}
	var actorName, eventMaterials string
	var facts sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT actor_name, materials, facts FROM case_events WHERE case_id = $1 AND seq = 1`,
		caseID).Scan(&actorName, &eventMaterials, &facts); err != nil {
		return nil, nil, fmt.Errorf("the prototype's event: %w", err)
	}
	object := "case:" + number
	var outboxType, payload string
	if err := db.QueryRowContext(ctx, `SELECT type, payload FROM outbox WHERE subject = $1 ORDER BY id LIMIT 1`,
		object).Scan(&outboxType, &payload); err != nil {
		return nil, nil, fmt.Errorf("the prototype's outbox row: %w", err)
	}
	// Queued, or already sealed into the chain.
	var detail string
	if err := db.QueryRowContext(ctx, `SELECT detail FROM audit_queue WHERE object = $1
		UNION ALL SELECT detail FROM audit_log WHERE object = $1`, object).Scan(&detail); err != nil {
		return nil, nil, fmt.Errorf("the prototype's audit entry: %w", err)
	}
	eventFacts := "NULL"
	if facts.Valid {
		eventFacts = "'" + sqlLiteral(facts.String) + "'"
	}
	data := map[string]string{
		"ItemName": sqlLiteral(itemName), "ListingName": sqlLiteral(listingName), "ApplicantName": sqlLiteral(applicantName),
		"Form": sqlLiteral(form), "Materials": sqlLiteral(materials), "PromisedDays": strconv.FormatInt(promised, 10),
		"DeliveryMethod": sqlLiteral(delivery), "ActorName": sqlLiteral(actorName), "EventMaterials": sqlLiteral(eventMaterials),
		"EventFacts": eventFacts, "AuditDetail": sqlLiteral(detail), "OutboxType": sqlLiteral(outboxType),
		"OutboxPayload": sqlLiteral(payload),
	}
	defs := map[string]string{"listing_id": strconv.FormatInt(f.Listing.ID, 10), "listing_version": strconv.FormatInt(listingVersion, 10),
		"org_id": strconv.FormatInt(orgID, 10), "region": region}
	// Every applicant of the fixture filed a first case of the listing
	// (its library entry's); their ids must be one run, all users.
	lo, hi, err := idRun(ctx, db, `SELECT MIN(applicant_id), MAX(applicant_id), COUNT(DISTINCT applicant_id) FROM cases
		WHERE listing_id = $1 AND idempotency_key LIKE 'bench-once-first-%'`, f.Listing.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("the fixture's applicants: %w", err)
	}
	defs["user_min"], defs["user_max"] = strconv.FormatInt(lo, 10), strconv.FormatInt(hi, 10)
	if !refs {
		return data, defs, nil
	}
	if err := onceOnlyRefValues(ctx, db, number, applicantID, lo, hi, data, defs); err != nil {
		return nil, nil, err
	}
	return data, defs, nil
}

// onceOnlyRefValues adds what the by-reference script needs: the
// prototype's claims (the resource and its record, the licence, the
// library entry), its consent and data-use records, and the range of the
// fixture's licences (holders user_min … user_max).
func onceOnlyRefValues(ctx context.Context, db *sqldb.DB, number string, applicantID, userMin, userMax int64, data, defs map[string]string) error {
	var identifier, reason string
	var version int64
	if err := db.QueryRowContext(ctx, `SELECT identifier, version, reason FROM license_consents WHERE case_number = $1`,
		number).Scan(&identifier, &version, &reason); err != nil {
		return fmt.Errorf("the prototype's consent: %w", err)
	}
	var share, kind, index string
	if err := db.QueryRowContext(ctx, `SELECT r.share_condition, r.subject_kind, d.subject_index
		FROM data_resources r JOIN data_records d ON d.resource_id = r.id WHERE r.code = $1 ORDER BY d.id DESC LIMIT 1`,
		onceResource).Scan(&share, &kind, &index); err != nil {
		return fmt.Errorf("a record of %s: %w", onceResource, err)
	}
	var entry int64
	if err := db.QueryRowContext(ctx, `SELECT MAX(id) FROM library_entries WHERE owner_id = $1 AND standard_code = $2`,
		applicantID, onceLibrary).Scan(&entry); err != nil {
		return fmt.Errorf("the prototype's library entry: %w", err)
	}
	lo, hi, err := idRun(ctx, db, `SELECT MIN(id), MAX(id), COUNT(*) FROM licenses
		WHERE type_code = $1 AND status = 'valid' AND holder_id BETWEEN $2 AND $3`, onceLicenceType, userMin, userMax)
	if err != nil {
		return fmt.Errorf("the fixture's licences: %w", err)
	}
	uses, err := useRows(ctx, db, number, applicantID)
	if err != nil {
		return err
	}
	for k, v := range map[string]string{"LicenceIdentifier": identifier, "ConsentReason": reason, "ShareCondition": share,
		"SubjectKind": kind, "SubjectIndex": index, "Resource": onceResource} {
		data[k] = sqlLiteral(v)
	}
	data["LicenceVersion"], data["UseRows"] = strconv.FormatInt(version, 10), uses
	defs["entry_id"] = strconv.FormatInt(entry, 10)
	defs["licence_min"], defs["licence_max"] = strconv.FormatInt(lo, 10), strconv.FormatInt(hi, 10)
	return nil
}

// useRows are the prototype's data-use records as the rows of the
// scripts' multi-row insert (store.useInsert): its texts as literals, the
// applicant (subject, and actor where the applicant was) as :uid and the
// case number as the script's.
func useRows(ctx context.Context, db *sqldb.DB, number string, applicantID int64) (string, error) {
	rows, err := db.QueryContext(ctx, `SELECT COALESCE(actor_id, 0), kind, actor_name, COALESCE(org_id, 0), org_name, resource, fields, reason
		FROM data_uses WHERE case_number = $1 ORDER BY id`, number)
	if err != nil {
		return "", fmt.Errorf("the prototype's data-use records: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var actor, org int64
		var kind, actorName, orgName, resource, fields, reason string
		if err := rows.Scan(&actor, &kind, &actorName, &org, &orgName, &resource, &fields, &reason); err != nil {
			return "", err
		}
		actorSQL := idLiteral(actor)
		if actor == applicantID {
			actorSQL = ":uid"
		}
		out = append(out, fmt.Sprintf("(:uid, CURRENT_TIMESTAMP, '%s', %s, '%s', %s, '%s', '%s', '%s', '%s' || CAST(:k AS TEXT), '%s')",
			sqlLiteral(kind), actorSQL, sqlLiteral(actorName), idLiteral(org), sqlLiteral(orgName), sqlLiteral(resource),
			sqlLiteral(fields), onceRefPrefix+"r-", sqlLiteral(reason)))
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	if len(out) == 0 {
		return "", fmt.Errorf("the prototype %s has no data-use record", number)
	}
	return strings.Join(out, ",\n  "), nil
}

// idLiteral is a nullable id as SQL: NULL for 0, as the store writes it.
func idLiteral(id int64) string {
	if id == 0 {
		return "NULL"
	}
	return strconv.FormatInt(id, 10)
}

// idRun reads MIN, MAX and COUNT from q and checks they are one run of
// consecutive ids: the scripts draw ids at random between the two.
func idRun(ctx context.Context, db *sqldb.DB, q string, args ...any) (lo, hi int64, err error) {
	var n int64
	var first, last sql.NullInt64
	if err := db.QueryRowContext(ctx, q, args...).Scan(&first, &last, &n); err != nil {
		return 0, 0, err
	}
	if !first.Valid || n != last.Int64-first.Int64+1 {
		return 0, 0, fmt.Errorf("%d ids from %d to %d, not one run", n, first.Int64, last.Int64)
	}
	return first.Int64, last.Int64, nil
}

// removeOnceOnlyRows deletes the 用证 consents and data-use records the
// by-reference script wrote: they are listed on the fixture's licences and
// to its applicants, as no real submission's are. The scripts' cases stay,
// as submit.sql's do: their events are immutable (a trigger refuses their
// deletion), their numbers and keys are the scripts' own (onceRefPrefix),
// and the steps after this one read cases by number only. Their outbox
// rows stay too, as every reference's do (the publisher has read them);
// the audit entries are sealed into the chain.
func removeOnceOnlyRows(ctx context.Context, db *sqldb.DB) error {
	like := onceRefPrefix + "%"
	for _, q := range []string{
		`DELETE FROM license_consents WHERE case_number LIKE $1`,
		`DELETE FROM data_uses WHERE case_number LIKE $1`,
	} {
		if _, err := db.ExecContext(ctx, q, like); err != nil {
			return fmt.Errorf("%s: %w", firstLine(q), err)
		}
	}
	return nil
}
