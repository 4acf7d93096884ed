-- Lifecycle: accept → approve → issue → deliver, four transactions on one
-- case, each with the statements Tongban issues for it as traced
-- (`tongban-bench trace-sql`, warm caches: a token checked in the last 5 s
-- and an immutable listing version already read are not looked up again;
-- the audit entry is queued, and sealed into the chain later; an org is
-- read once in a transaction). The case is a random one of those the
-- submissions created; it is found by id where Tongban looks up its unique
-- number (the same kind of index look-up). One run of this script is four
-- transitions. Each writes its event's outbox row with its audit entry
-- (one statement on PostgreSQL, as the store does). Two differences, both
-- lightening the reference: the issue here stores no licence (Tongban's
-- lifecycle listing issues a signed 营业执照; issue_signed.sql has its
-- statements), and a case delivered by an earlier run updates its
-- handover row where Tongban inserts one.
\set cid random(:ref_min, :ref_max)
\set k random(1, 9000000000000000000)
-- accept (by the clerk)
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid;
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid;
SELECT {{.ItemColumns}} FROM items WHERE id = :item_id;
BEGIN;
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid FOR UPDATE \gset
SELECT {{.OrgColumns}} FROM orgs WHERE id = :window_id;
SELECT {{.OrgColumns}} FROM orgs WHERE id = :org_id;
SELECT {{.OrgColumns}} FROM orgs WHERE kind = 'hall' ORDER BY region_code, id;
SELECT {{.EventColumns}} FROM case_events WHERE case_id = :cid ORDER BY seq;
UPDATE cases SET org_id = :org_id, board_id = NULL, state = 'accepted', step = 0, form = :form, materials = :materials,
  corrections = '[]', owed_due = NULL, commitment = FALSE, needs_post_check = FALSE, post_checked = FALSE, post_check_failed = FALSE,
  accepted_at = CURRENT_TIMESTAMP, due_date = '2026-12-31', provisional = FALSE, paused_days = 0, paused_since = NULL,
  decided_at = NULL, visits = 0, delivery_method = 'pickup', tracking_no = '', pickup_window_id = NULL,
  reasons = '[]', result_no = '', updated_at = CURRENT_TIMESTAMP, outcome = '', version = version + 1
  WHERE id = :cid AND version = :version;
INSERT INTO case_events ({{.EventID}}case_id, seq, at, actor_id, actor_name, role, org_id, action, from_state, to_state, step, reason, materials, visit)
  SELECT {{.NextEventID}}CAST(:cid AS BIGINT), COALESCE(MAX(seq), 0) + 1, CURRENT_TIMESTAMP, CAST(:clerk_id AS BIGINT), '工作人员', 'staff', CAST(:org_id AS BIGINT), 'accept', '', 'accepted', 0, '', '[]', FALSE
  FROM case_events WHERE case_id = :cid RETURNING id AS event_id, seq AS event_seq \gset
{{if .Postgres}}WITH queued AS (INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :clerk_id, '工作人员', 'case_accept', 'case' || ':' || CAST(:number AS TEXT), '→accepted', '127.0.0.1'))
{{else}}INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :clerk_id, '工作人员', 'case_accept', 'case' || ':' || CAST(:number AS TEXT), '→accepted', '127.0.0.1');
{{end}}INSERT INTO outbox (event_id, type, subject, region_code, org_id, at, payload)
  VALUES ('ref-la-' || CAST(:k AS TEXT), 'case.accept', 'case' || ':' || CAST(:number AS TEXT), :region_code, :org_id, CURRENT_TIMESTAMP, '{{.OutboxPayload}}') RETURNING id, event_id;
COMMIT;
-- approve (by the approver)
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid;
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid;
BEGIN;
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid FOR UPDATE \gset
SELECT {{.OrgColumns}} FROM orgs WHERE id = :org_id;
UPDATE cases SET org_id = :org_id, board_id = NULL, state = 'approved', step = 1, form = :form, materials = :materials,
  corrections = '[]', owed_due = NULL, commitment = FALSE, needs_post_check = FALSE, post_checked = FALSE, post_check_failed = FALSE,
  accepted_at = CURRENT_TIMESTAMP, due_date = '2026-12-31', provisional = FALSE, paused_days = 0, paused_since = NULL,
  decided_at = NULL, visits = 0, delivery_method = 'pickup', tracking_no = '', pickup_window_id = NULL,
  reasons = '[]', result_no = '', updated_at = CURRENT_TIMESTAMP, outcome = '', version = version + 1
  WHERE id = :cid AND version = :version;
INSERT INTO case_events ({{.EventID}}case_id, seq, at, actor_id, actor_name, role, org_id, action, from_state, to_state, step, reason, materials, visit)
  SELECT {{.NextEventID}}CAST(:cid AS BIGINT), COALESCE(MAX(seq), 0) + 1, CURRENT_TIMESTAMP, CAST(:approver_id AS BIGINT), '工作人员', 'staff', CAST(:org_id AS BIGINT), 'approve', '', 'approved', 1, '', '[]', FALSE
  FROM case_events WHERE case_id = :cid RETURNING id AS event_id, seq AS event_seq \gset
{{if .Postgres}}WITH queued AS (INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :approver_id, '工作人员', 'case_approve', 'case' || ':' || CAST(:number AS TEXT), '→approved', '127.0.0.1'))
{{else}}INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :approver_id, '工作人员', 'case_approve', 'case' || ':' || CAST(:number AS TEXT), '→approved', '127.0.0.1');
{{end}}INSERT INTO outbox (event_id, type, subject, region_code, org_id, at, payload)
  VALUES ('ref-lp-' || CAST(:k AS TEXT), 'case.approve', 'case' || ':' || CAST(:number AS TEXT), :region_code, :org_id, CURRENT_TIMESTAMP, '{{.OutboxPayload}}') RETURNING id, event_id;
COMMIT;
SELECT {{.EventColumns}} FROM case_events WHERE case_id = :cid ORDER BY seq;
-- issue (by the approver)
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid;
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid;
BEGIN;
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid FOR UPDATE \gset
SELECT {{.OrgColumns}} FROM orgs WHERE id = :org_id;
UPDATE cases SET org_id = :org_id, board_id = NULL, state = 'result_issued', step = 1, form = :form, materials = :materials,
  corrections = '[]', owed_due = NULL, commitment = FALSE, needs_post_check = FALSE, post_checked = FALSE, post_check_failed = FALSE,
  accepted_at = CURRENT_TIMESTAMP, due_date = '2026-12-31', provisional = FALSE, paused_days = 0, paused_since = NULL,
  decided_at = NULL, visits = 0, delivery_method = 'pickup', tracking_no = '', pickup_window_id = NULL,
  reasons = '[]', result_no = '', updated_at = CURRENT_TIMESTAMP, outcome = '', version = version + 1
  WHERE id = :cid AND version = :version;
INSERT INTO case_events ({{.EventID}}case_id, seq, at, actor_id, actor_name, role, org_id, action, from_state, to_state, step, reason, materials, visit)
  SELECT {{.NextEventID}}CAST(:cid AS BIGINT), COALESCE(MAX(seq), 0) + 1, CURRENT_TIMESTAMP, CAST(:approver_id AS BIGINT), '工作人员', 'staff', CAST(:org_id AS BIGINT), 'issue', '', 'result_issued', 1, '', '[]', FALSE
  FROM case_events WHERE case_id = :cid RETURNING id AS event_id, seq AS event_seq \gset
SELECT bundle_case_id FROM bundle_subcases WHERE case_id = :cid;
{{if .Postgres}}WITH queued AS (INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :approver_id, '工作人员', 'case_issue', 'case' || ':' || CAST(:number AS TEXT), '→result_issued', '127.0.0.1'))
{{else}}INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :approver_id, '工作人员', 'case_issue', 'case' || ':' || CAST(:number AS TEXT), '→result_issued', '127.0.0.1');
{{end}}INSERT INTO outbox (event_id, type, subject, region_code, org_id, at, payload)
  VALUES ('ref-li-' || CAST(:k AS TEXT), 'case.issue', 'case' || ':' || CAST(:number AS TEXT), :region_code, :org_id, CURRENT_TIMESTAMP, '{{.OutboxPayload}}') RETURNING id, event_id;
COMMIT;
SELECT {{.EventColumns}} FROM case_events WHERE case_id = :cid ORDER BY seq;
-- deliver (by the clerk)
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid;
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid;
BEGIN;
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid FOR UPDATE \gset
SELECT {{.OrgColumns}} FROM orgs WHERE id = :window_id;
SELECT {{.OrgColumns}} FROM orgs WHERE id = :org_id;
SELECT {{.OrgColumns}} FROM orgs WHERE id = :org_id;
INSERT INTO case_handovers (case_id, window_id, clerk_id, collector, collector_name, collector_id_sealed, collector_id_masked, power_of_attorney, signed_at)
  VALUES (:cid, :window_id, :clerk_id, 'self', '压测申请人', '', '', FALSE, CURRENT_TIMESTAMP)
  ON CONFLICT (case_id) DO UPDATE SET signed_at = excluded.signed_at;
UPDATE cases SET org_id = :org_id, board_id = NULL, state = 'closed', step = 1, form = :form, materials = :materials,
  corrections = '[]', owed_due = NULL, commitment = FALSE, needs_post_check = FALSE, post_checked = FALSE, post_check_failed = FALSE,
  accepted_at = CURRENT_TIMESTAMP, due_date = '2026-12-31', provisional = FALSE, paused_days = 0, paused_since = NULL,
  decided_at = NULL, visits = 0, delivery_method = 'pickup', tracking_no = '', pickup_window_id = NULL,
  reasons = '[]', result_no = '', updated_at = CURRENT_TIMESTAMP, outcome = '', version = version + 1
  WHERE id = :cid AND version = :version;
INSERT INTO case_events ({{.EventID}}case_id, seq, at, actor_id, actor_name, role, org_id, action, from_state, to_state, step, reason, materials, visit)
  SELECT {{.NextEventID}}CAST(:cid AS BIGINT), COALESCE(MAX(seq), 0) + 1, CURRENT_TIMESTAMP, CAST(:clerk_id AS BIGINT), '工作人员', 'staff', CAST(:org_id AS BIGINT), 'deliver', '', 'closed', 1, '', '[]', FALSE
  FROM case_events WHERE case_id = :cid RETURNING id AS event_id, seq AS event_seq \gset
{{if .Postgres}}WITH queued AS (INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :clerk_id, '工作人员', 'case_deliver', 'case' || ':' || CAST(:number AS TEXT), '→closed', '127.0.0.1'))
{{else}}INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :clerk_id, '工作人员', 'case_deliver', 'case' || ':' || CAST(:number AS TEXT), '→closed', '127.0.0.1');
{{end}}INSERT INTO outbox (event_id, type, subject, region_code, org_id, at, payload)
  VALUES ('ref-ld-' || CAST(:k AS TEXT), 'case.deliver', 'case' || ':' || CAST(:number AS TEXT), :region_code, :org_id, CURRENT_TIMESTAMP, '{{.OutboxPayload}}') RETURNING id, event_id;
COMMIT;
SELECT {{.EventColumns}} FROM case_events WHERE case_id = :cid ORDER BY seq;
