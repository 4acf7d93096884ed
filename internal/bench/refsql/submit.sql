-- POST /api/v1/cases: the statements Tongban issues for one online
-- submission, in order, as `tongban-bench trace-sql` shows them (warm
-- caches; a token checked in the last 5 s is not looked up again): the
-- listing's current version number with its item (the version itself is
-- cached), then one transaction (case, event, queued audit entry and
-- outbox row, the last two one statement on PostgreSQL). The
-- idempotency key is looked up only when the insert fails, and
-- the answer's events are the ones just written. Not here: the case-number
-- reservation, one statement per block of up to 32 submissions, and the
-- audit sealer's batched move into the chain, both of which Tongban pays
-- and this reference does not. With NoOutbox (the outbox's own-SQL row of
-- the outbox scenario), the transaction as a server with --outbox=false
-- writes it: no outbox row, the audit entry alone.
\set k random(1, 9000000000000000000)
SELECT l.version, {{.JoinedItemColumns}} FROM listings l JOIN items i ON i.id = l.item_id WHERE l.id = :listing_id;
BEGIN;
INSERT INTO cases (number, listing_id, listing_version, item_name, listing_name, org_id, region_code, board_id,
  applicant_id, applicant_name, channel, state, outcome, step, form, materials, corrections, owed_due,
  commitment, needs_post_check, post_checked, post_check_failed, instant, promised_days,
  accepted_at, due_date, provisional, paused_days, paused_since, decided_at, visits,
  delivery_method, tracking_no, pickup_window_id, reasons, result_no, idempotency_key,
  created_at, updated_at, version)
VALUES ('ref-' || CAST(:k AS TEXT), :listing_id, :listing_version, '{{.ItemName}}', '{{.ListingName}}', :org_id, :region, NULL,
  :user_id, '压测申请人', 'online', 'submitted', '', 0, '{{.Form}}', '{{.Materials}}', '[]', NULL,
  FALSE, FALSE, FALSE, FALSE, FALSE, 1,
  NULL, NULL, FALSE, 0, NULL, NULL, 0,
  'pickup', '', NULL, '[]', '', 'ref-' || CAST(:k AS TEXT),
  CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1) RETURNING id \gset
INSERT INTO case_events ({{.EventID}}case_id, seq, at, actor_id, actor_name, role, org_id, action, from_state, to_state, step, reason, materials, visit)
  SELECT {{.NextEventID}}CAST(:id AS BIGINT), COALESCE(MAX(seq), 0) + 1, CURRENT_TIMESTAMP, CAST(:user_id AS BIGINT), '压测申请人', 'applicant', NULL, 'submit', '', 'submitted', 0, '', '{{.MaterialKeys}}', FALSE
  FROM case_events WHERE case_id = :id RETURNING id AS event_id, seq AS event_seq \gset
{{if and .Postgres (not .NoOutbox)}}WITH queued AS (INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :user_id, '压测申请人', 'case_submit', 'case' || ':' || 'ref-' || CAST(:k AS TEXT), '→待受理', '127.0.0.1'))
{{else}}INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :user_id, '压测申请人', 'case_submit', 'case' || ':' || 'ref-' || CAST(:k AS TEXT), '→待受理', '127.0.0.1');
{{end}}{{if not .NoOutbox}}INSERT INTO outbox (event_id, type, subject, region_code, org_id, at, payload)
  VALUES (:event_id, 'case.submitted', 'ref-' || CAST(:k AS TEXT), :region, :org_id, CURRENT_TIMESTAMP, '{{.OutboxPayload}}') RETURNING id, event_id;
{{end}}COMMIT;
