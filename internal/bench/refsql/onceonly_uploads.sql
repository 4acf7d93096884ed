-- POST /api/v1/cases for the once-only listing with its three materials
-- uploaded (the upload side of "submissions, 3 materials by reference"),
-- statement by statement as `tongban-bench trace-sql` shows it ("POST
-- /api/v1/cases (once-only, 3 uploads)", the second of two rounds, so
-- caches are warm: a token checked in the last 5 s, the listing's version
-- and its item are not read again; the outbox publisher's and notifier's
-- statements that land in the same window of the log are not the
-- request's): one transaction, the case row (inserted only while the
-- listing and its item are as read, store.caseWhileCurrent) with its first
-- event, then the queued audit entry with the outbox row — two statements
-- on PostgreSQL; on SQLite (store.CreateCaseRecording, audit.Append) the
-- case, its event, the audit entry and the outbox row, one statement each.
-- Not here: the case-number reservation, one statement per block of up to
-- 32 submissions, which both sides pay and neither reference does (as in
-- submit.sql). The values are copied from the prototype: a submission
-- Tongban made through the API just before (its sealed form, materials,
-- event facts, outbox payload and audit detail); the applicant is a
-- random one of the fixture's, as Tongban's clients are each their own.
\set k random(1, 9000000000000000000)
\set uid random(:user_min, :user_max)
BEGIN;
{{if .Postgres}}WITH c AS (INSERT INTO cases (number, listing_id, listing_version, item_name, listing_name, org_id, region_code, board_id,
  applicant_id, applicant_name, channel, state, outcome, step, form, materials, corrections, owed_due,
  commitment, needs_post_check, post_checked, post_check_failed, instant, promised_days,
  accepted_at, due_date, provisional, paused_days, paused_since, decided_at, visits,
  delivery_method, tracking_no, pickup_window_id, reasons, result_no, idempotency_key,
  created_at, updated_at, version)
  SELECT 'once-ref-u-' || CAST(:k AS TEXT), CAST(:listing_id AS BIGINT), CAST(:listing_version AS INTEGER), '{{.ItemName}}', '{{.ListingName}}', CAST(:org_id AS BIGINT), CAST(:region AS TEXT), NULL,
  CAST(:uid AS BIGINT), '{{.ApplicantName}}', 'online', 'submitted', '', 0, '{{.Form}}', '{{.Materials}}', '[]', NULL,
  FALSE, FALSE, FALSE, FALSE, FALSE, {{.PromisedDays}},
  NULL, NULL, FALSE, 0, NULL, NULL, 0,
  '{{.DeliveryMethod}}', '', NULL, '[]', '', 'once-ref-u-' || CAST(:k AS TEXT),
  CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1
  WHERE EXISTS (SELECT 1 FROM listings l JOIN items i ON i.id = l.item_id WHERE l.id = :listing_id AND l.version = :listing_version AND i.name = '{{.ItemName}}')
  RETURNING id)
INSERT INTO case_events ({{.EventID}}case_id, seq, at, actor_id, actor_name, role, org_id, action, from_state, to_state, step, reason, materials, visit, facts)
  SELECT {{.NextEventID}}c.id, 1, CURRENT_TIMESTAMP, CAST(:uid AS BIGINT), '{{.ActorName}}', 'applicant', NULL, 'submit', '', 'submitted', 0, '', '{{.EventMaterials}}', FALSE, {{.EventFacts}}
  FROM c RETURNING case_id AS id, id AS event_id, seq AS event_seq \gset
WITH queued AS (INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :uid, '{{.ActorName}}', 'case_submit', 'case' || ':' || 'once-ref-u-' || CAST(:k AS TEXT), '{{.AuditDetail}}', '127.0.0.1'))
{{else}}INSERT INTO cases (number, listing_id, listing_version, item_name, listing_name, org_id, region_code, board_id,
  applicant_id, applicant_name, channel, state, outcome, step, form, materials, corrections, owed_due,
  commitment, needs_post_check, post_checked, post_check_failed, instant, promised_days,
  accepted_at, due_date, provisional, paused_days, paused_since, decided_at, visits,
  delivery_method, tracking_no, pickup_window_id, reasons, result_no, idempotency_key,
  created_at, updated_at, version)
  SELECT 'once-ref-u-' || CAST(:k AS TEXT), :listing_id, :listing_version, '{{.ItemName}}', '{{.ListingName}}', :org_id, :region, NULL,
  :uid, '{{.ApplicantName}}', 'online', 'submitted', '', 0, '{{.Form}}', '{{.Materials}}', '[]', NULL,
  FALSE, FALSE, FALSE, FALSE, FALSE, {{.PromisedDays}},
  NULL, NULL, FALSE, 0, NULL, NULL, 0,
  '{{.DeliveryMethod}}', '', NULL, '[]', '', 'once-ref-u-' || CAST(:k AS TEXT),
  CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1
  WHERE EXISTS (SELECT 1 FROM listings l JOIN items i ON i.id = l.item_id WHERE l.id = :listing_id AND l.version = :listing_version AND i.name = '{{.ItemName}}')
  RETURNING id \gset
INSERT INTO case_events ({{.EventID}}case_id, seq, at, actor_id, actor_name, role, org_id, action, from_state, to_state, step, reason, materials, visit, facts)
  SELECT {{.NextEventID}}:id, COALESCE(MAX(seq), 0) + 1, CURRENT_TIMESTAMP, :uid, '{{.ActorName}}', 'applicant', NULL, 'submit', '', 'submitted', 0, '', '{{.EventMaterials}}', FALSE, {{.EventFacts}}
  FROM case_events WHERE case_id = :id RETURNING id AS event_id, seq AS event_seq \gset
INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :uid, '{{.ActorName}}', 'case_submit', 'case' || ':' || 'once-ref-u-' || CAST(:k AS TEXT), '{{.AuditDetail}}', '127.0.0.1');
{{end}}INSERT INTO outbox (event_id, type, subject, region_code, org_id, at, payload)
  VALUES ('once-ref-u-' || CAST(:k AS TEXT), '{{.OutboxType}}', 'case' || ':' || 'once-ref-u-' || CAST(:k AS TEXT), :region, :org_id, CURRENT_TIMESTAMP, '{{.OutboxPayload}}') RETURNING id, event_id;
COMMIT;
