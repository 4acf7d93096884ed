package bench

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tongban/tongban/internal/sqldb"
)

// refCaseNumber is a case number of the shape Tongban makes, for the
// references' outbox payloads.
const refCaseNumber = "511600000000-20261204-000001"

// issueTemplate adds what refsql/issue_plain.sql and issue_signed.sql are
// rendered with: the issue event's outbox payload and, when f's listing
// issues a licence, the values of the latest licence issued for it (the
// scenario issues one through the API before loading the reference), so
// its face, sealed holder code and DER signature are Tongban's own.
func issueTemplate(ctx context.Context, db *sqldb.DB, f *CaseFixture, data map[string]string) error {
	reason := "结果编号 JY-BENCH"
	if lt := f.Listing.Result.LicenseType; lt != "" {
		var typeName, issuerName, issuerCode, sealed, masked, face, faceSealed, keyID, identifier string
		var sig []byte
		var caseID int64
		err := db.QueryRowContext(ctx, `SELECT l.type_name, l.issuer_name, l.issuer_code, l.holder_code_sealed, l.holder_code_masked,
			l.face, l.face_sealed, l.key_id, l.signature, l.identifier, c.id
			FROM licenses l JOIN cases c ON c.id = l.case_id WHERE c.listing_id = $1 AND l.type_code = $2 ORDER BY l.id DESC LIMIT 1`,
			f.Listing.ID, lt).Scan(&typeName, &issuerName, &issuerCode, &sealed, &masked, &face, &faceSealed, &keyID, &sig, &identifier, &caseID)
		if err != nil {
			return fmt.Errorf("issue reference: a licence of 「%s」 to copy: %w", f.Listing.Name, err)
		}
		var sigLit string
		if db.Dialect == sqldb.Postgres {
			sigLit = `CAST('\x` + hex.EncodeToString(sig) + `' AS BYTEA)`
		} else {
			sigLit = `X'` + hex.EncodeToString(sig) + `'`
		}
		payload, _ := json.Marshal(map[string]any{"identifier": identifier, "type_code": lt, "type_name": typeName,
			"issuer_code": issuerCode, "case_id": caseID, "case_number": refCaseNumber, "key_id": keyID})
		for k, v := range map[string]string{"LicenseType": lt, "LicenseTypeName": typeName, "IssuerName": issuerName,
			"IssuerCode": issuerCode, "HolderCodeSealed": sealed, "HolderCodeMasked": masked, "LicenseFace": face,
			"FaceSealed": faceSealed, "KeyID": keyID, "LicensePayload": string(payload)} {
			data[k] = sqlLiteral(v)
		}
		data["Signature"] = sigLit
		reason += "；电子证照 " + identifier
	}
	// The issue's announcement as the workflow writes it (traced).
	payload, _ := json.Marshal(map[string]any{"number": refCaseNumber, "seq": 4, "event_id": 13, "action": "issue",
		"from": "approved", "to": "result_issued", "step": 1, "listing_id": f.Listing.ID, "item_name": f.Listing.Name,
		"org_id": f.Listing.OrgID, "actor_org_id": f.Listing.OrgID, "actor_role": "approver", "channel": "online",
		"reason": reason, "due_date": "2026-12-07", "user_id": 15, "at": "2026-12-04T11:23:52.316254Z"})
	data["IssuePayload"] = sqlLiteral(string(payload))
	return nil
}

// copyApproved writes n copies of the approved cases numbered protos
// (each of another applicant, ready to issue), in turn, with their events,
// numbered prefix1 … prefixN, in one statement so their ids are
// consecutive, and returns the first and last id: the cases the issue
// references act on. (prefix holds no LIKE wildcard.)
func copyApproved(ctx context.Context, db *sqldb.DB, protos []string, prefix string, n int) (lo, hi int64, err error) {
	args := []any{prefix, n, len(protos)}
	var values []string
	for j, p := range protos {
		args = append(args, p)
		values = append(values, fmt.Sprintf("(%d, CAST($%d AS TEXT))", j, len(args)))
	}
	if _, err := db.ExecContext(ctx, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < CAST($2 AS INTEGER)),
		p(j, num) AS (VALUES `+strings.Join(values, ", ")+`)
		INSERT INTO cases (`+caseCopyColumns+`)
		SELECT CAST($1 AS TEXT) || CAST(s.i AS TEXT), c.listing_id, c.listing_version, c.item_name, c.listing_name, c.org_id, c.region_code, c.board_id,
		  c.applicant_id, c.applicant_name, c.channel, c.state, c.outcome, c.step, c.form, c.materials, c.corrections, c.owed_due,
		  c.commitment, c.needs_post_check, c.post_checked, c.post_check_failed, c.instant, c.promised_days,
		  c.accepted_at, c.due_date, c.provisional, c.paused_days, c.paused_since, c.decided_at, c.visits,
		  c.delivery_method, c.tracking_no, c.pickup_window_id, c.reasons, c.result_no, NULL,
		  c.created_at, c.updated_at, c.version
		FROM s JOIN p ON p.j = s.i % CAST($3 AS INTEGER) JOIN cases c ON c.number = p.num ORDER BY s.i`, args...); err != nil {
		return 0, 0, fmt.Errorf("copying approved cases: %w", err)
	}
	var count int64
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0), COUNT(*) FROM cases WHERE number LIKE $1`,
		prefix+"%").Scan(&lo, &hi, &count); err != nil {
		return 0, 0, err
	}
	if count != int64(n) || hi-lo+1 != count {
		return 0, 0, fmt.Errorf("copying approved cases: %d copies with ids %d … %d, not %d consecutive", count, lo, hi, n)
	}
	// Each copy's events are its prototype's: the one of the same applicant.
	in := make([]string, len(protos))
	for j := range protos {
		in[j] = fmt.Sprintf("$%d", j+3)
	}
	idColumn, idValue := eventIDsCopied(db, "c.id, e.seq")
	if _, err := db.ExecContext(ctx, `INSERT INTO case_events (`+idColumn+`case_id, seq, at, actor_id, actor_name, role, org_id, action,
		  from_state, to_state, step, reason, materials, visit, facts)
		SELECT `+idValue+`c.id, e.seq, e.at, e.actor_id, e.actor_name, e.role, e.org_id, e.action,
		  e.from_state, e.to_state, e.step, e.reason, e.materials, e.visit, e.facts
		FROM cases c JOIN cases p ON p.applicant_id = c.applicant_id AND p.number IN (`+strings.Join(in, ", ")+`)
		JOIN case_events e ON e.case_id = p.id
		WHERE c.id BETWEEN $1 AND $2`, append([]any{lo, hi}, args[3:]...)...); err != nil {
		return 0, 0, fmt.Errorf("copying approved cases' events: %w", err)
	}
	return lo, hi, nil
}
