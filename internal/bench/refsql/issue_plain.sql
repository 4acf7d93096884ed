-- POST /api/v1/cases/{number}/issue by the approver, on a case of a
-- listing whose result is not a licence (the issue scenario's plain side),
-- statement by statement as `tongban-bench trace-sql` shows it ("issue
-- (plain result)"; warm caches: a token checked in the last 5 s and an
-- immutable listing version already read are not looked up again; the
-- audit entry is queued, and sealed into the chain later): the case read
-- by its number and by its id, then one transaction (the case locked, its
-- org read, the case row, the issue event, the bundle look-up, the queued
-- audit entry and the event's outbox row, one statement on PostgreSQL),
-- then the case's events for
-- the answer. The case is a random one of the copies the scenario makes
-- for the references (:ref_min … :ref_max) of approved cases staged
-- through the API, one for each of up to 64 applicants, each copy with its
-- prototype's events; it is found by id where Tongban looks up its unique
-- number (the same kind of index look-up). As in lifecycle.sql a case may
-- be issued again by a later run, so the copies outnumber the runs.
\set cid random(:ref_min, :ref_max)
\set k random(1000000000000000, 9999999999999999)
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid;
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid \gset
BEGIN;
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid FOR UPDATE \gset
SELECT {{.OrgColumns}} FROM orgs WHERE id = :org_id;
UPDATE cases SET org_id = :org_id, board_id = NULL, state = 'result_issued', step = 1, form = :form, materials = :materials,
  corrections = '[]', owed_due = NULL, commitment = FALSE, needs_post_check = FALSE, post_checked = FALSE, post_check_failed = FALSE,
  accepted_at = CURRENT_TIMESTAMP, due_date = '2026-12-31', provisional = FALSE, paused_days = 0, paused_since = NULL,
  decided_at = CURRENT_TIMESTAMP, visits = 0, delivery_method = 'pickup', tracking_no = '', pickup_window_id = NULL,
  reasons = '[]', result_no = 'JY-BENCH', updated_at = CURRENT_TIMESTAMP, outcome = 'approved', version = version + 1
  WHERE id = :cid AND version = :version;
INSERT INTO case_events ({{.EventID}}case_id, seq, at, actor_id, actor_name, role, org_id, action, from_state, to_state, step, reason, materials, visit, facts)
  SELECT {{.NextEventID}}CAST(:cid AS BIGINT), COALESCE(MAX(seq), 0) + 1, CURRENT_TIMESTAMP, CAST(:approver_id AS BIGINT), '工作人员', 'staff', CAST(:org_id AS BIGINT), 'issue', 'approved', 'result_issued', 1, '结果编号 JY-BENCH', '[]', FALSE, NULL
  FROM case_events WHERE case_id = :cid RETURNING id AS event_id, seq AS event_seq \gset
SELECT bundle_case_id FROM bundle_subcases WHERE case_id = :cid;
{{if .Postgres}}WITH queued AS (INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :approver_id, '工作人员', 'case_issue', 'case' || ':' || CAST(:number AS TEXT), '准予办理→已出件 结果编号 JY-BENCH', '127.0.0.1'))
{{else}}INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :approver_id, '工作人员', 'case_issue', 'case' || ':' || CAST(:number AS TEXT), '准予办理→已出件 结果编号 JY-BENCH', '127.0.0.1');
{{end}}INSERT INTO outbox (event_id, type, subject, region_code, org_id, at, payload)
  VALUES ('ref-i-' || CAST(:k AS TEXT), 'case.issue', 'case' || ':' || CAST(:number AS TEXT), :region_code, :org_id, CURRENT_TIMESTAMP, '{{.IssuePayload}}') RETURNING id, event_id;
COMMIT;
SELECT {{.EventColumns}} FROM case_events WHERE case_id = :cid ORDER BY seq;
