-- POST /api/v1/cases/{number}/issue by the approver, on a case of the
-- lifecycle's listing, whose result is a 营业执照 signed SM2-SM3 (the issue
-- scenario's signed side), statement by statement as `tongban-bench
-- trace-sql` shows it (warm caches, as in issue_plain.sql): the case read
-- by its number and by its id; what the licence is prepared from before
-- the transaction (the applicant with their roles; the licence type, the
-- issuing org and its current seal key are kept from an earlier issue,
-- license.KeptIssuing, so not read); then one transaction (the case
-- locked, its org read, the licence row with its face and DER signature,
-- its key checked not retired by the same statement, the case row, the issue event, the bundle
-- look-up, the queued audit entry, and the event's and the licence's
-- outbox rows in one insert, with the audit entry on PostgreSQL), then the case's events for the answer. Not
-- here: the licence-serial reservation (license_serials), one statement
-- per block of up to 32 issues, which Tongban pays and this reference does
-- not, as submit.sql leaves out the case-number blocks. The licence's
-- values are copied from the latest licence Tongban issued for the listing
-- (the scenario issues one through the API before loading this): its face,
-- sealed face (empty for the demo's enterprise holder: no face item is an
-- identity number), sealed holder code and DER signature (70–72 bytes); the
-- identifier is fresh each run (16 random digits where Tongban's serial
-- stands), so the UNIQUE index is checked as for a real issue. The case is
-- a random one of the copies of approved cases the scenario makes for the
-- references, as in issue_plain.sql (so the licences' holders are up to
-- 64 applicants, as Tongban's are).
\set cid random(:ref_min, :ref_max)
\set k random(1000000000000000, 9999999999999999)
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid;
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid \gset
SELECT u.id, u.kind, u.name, COALESCE(u.username, ''), u.id_number_sealed, u.phone_sealed, COALESCE(u.credit_code, ''), u.legal_rep_name, u.legal_rep_sealed, u.password_hash, u.disabled, u.created_at, u.phone_verified_at, g.role, g.org_id, o.name
  FROM users u LEFT JOIN role_grants g ON g.user_id = u.id LEFT JOIN orgs o ON o.id = g.org_id WHERE u.id = :applicant_id ORDER BY g.org_id, g.role;
BEGIN;
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid FOR UPDATE \gset
SELECT {{.OrgColumns}} FROM orgs WHERE id = :org_id;
INSERT INTO licenses (identifier, type_code, type_name, number, issuer_id, issuer_name, issuer_code, issued_on, valid_from, valid_to,
  holder_id, holder_name, holder_kind, holder_code_sealed, holder_code_masked, region_code, status, version, face, case_id, key_id,
  signature, created_at, source, replaces, face_sealed)
  VALUES ('1.2.156.3005.2.{{.LicenseType}}.{{.IssuerCode}}.' || CAST(:k AS TEXT) || '.001.V', '{{.LicenseType}}', '{{.LicenseTypeName}}',
  '511600' || CAST(:k AS TEXT), :org_id, '{{.IssuerName}}', '{{.IssuerCode}}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, NULL,
  :applicant_id, '压测申请人', 'org', '{{.HolderCodeSealed}}', '{{.HolderCodeMasked}}', :region_code, 'valid', 1, '{{.LicenseFace}}', :cid, '{{.KeyID}}',
  {{.Signature}}, CURRENT_TIMESTAMP, 'issued', '', '{{.FaceSealed}}')
  RETURNING id AS license_id, (SELECT retired_at IS NULL FROM seal_keys WHERE id = '{{.KeyID}}') AS key_current \gset
UPDATE cases SET org_id = :org_id, board_id = NULL, state = 'result_issued', step = 1, form = :form, materials = :materials,
  corrections = '[]', owed_due = NULL, commitment = FALSE, needs_post_check = FALSE, post_checked = FALSE, post_check_failed = FALSE,
  accepted_at = CURRENT_TIMESTAMP, due_date = '2026-12-31', provisional = FALSE, paused_days = 0, paused_since = NULL,
  decided_at = CURRENT_TIMESTAMP, visits = 0, delivery_method = 'pickup', tracking_no = '', pickup_window_id = NULL,
  reasons = '[]', result_no = 'JY-BENCH', updated_at = CURRENT_TIMESTAMP, outcome = 'approved', version = version + 1
  WHERE id = :cid AND version = :version;
INSERT INTO case_events ({{.EventID}}case_id, seq, at, actor_id, actor_name, role, org_id, action, from_state, to_state, step, reason, materials, visit, facts)
  SELECT {{.NextEventID}}CAST(:cid AS BIGINT), COALESCE(MAX(seq), 0) + 1, CURRENT_TIMESTAMP, CAST(:approver_id AS BIGINT), '工作人员', 'staff', CAST(:org_id AS BIGINT), 'issue', 'approved', 'result_issued', 1,
  '结果编号 JY-BENCH；电子证照 1.2.156.3005.2.{{.LicenseType}}.{{.IssuerCode}}.' || CAST(:k AS TEXT) || '.001.V', '[]', FALSE, NULL
  FROM case_events WHERE case_id = :cid RETURNING id AS event_id, seq AS event_seq \gset
SELECT bundle_case_id FROM bundle_subcases WHERE case_id = :cid;
{{if .Postgres}}WITH queued AS (INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :approver_id, '工作人员', 'case_issue', 'case' || ':' || CAST(:number AS TEXT), '准予办理→已出件 结果编号 JY-BENCH', '127.0.0.1'))
{{else}}INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :approver_id, '工作人员', 'case_issue', 'case' || ':' || CAST(:number AS TEXT), '准予办理→已出件 结果编号 JY-BENCH', '127.0.0.1');
{{end}}INSERT INTO outbox (event_id, type, subject, region_code, org_id, at, payload)
  VALUES ('ref-i-' || CAST(:k AS TEXT), 'case.issue', 'case' || ':' || CAST(:number AS TEXT), :region_code, :org_id, CURRENT_TIMESTAMP, '{{.IssuePayload}}'),
  ('ref-l-' || CAST(:k AS TEXT), 'license.issued', 'license' || ':' || '1.2.156.3005.2.{{.LicenseType}}.{{.IssuerCode}}.' || CAST(:k AS TEXT) || '.001.V', :region_code, :org_id, CURRENT_TIMESTAMP, '{{.LicensePayload}}')
  RETURNING id, event_id;
COMMIT;
SELECT {{.EventColumns}} FROM case_events WHERE case_id = :cid ORDER BY seq;
