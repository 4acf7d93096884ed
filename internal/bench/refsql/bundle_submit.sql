-- POST /api/v1/bundles/{id}/cases for 开办餐饮店“一件事”: the statements
-- Tongban issues for one application, in order, as `tongban-bench
-- trace-sql` shows them: the idempotency key looked up, the bundle's
-- current body and its four components' listings, the started component's
-- item and version, three case-number reservations (the parent's and the
-- sub-cases'), then one transaction: the started sub-case (企业设立登记, whichever position it holds)
-- with its event, audit entry and outbox row (one statement on
-- PostgreSQL), the parent with its four
-- sub-case rows (three waiting for the registration) and its audit entry.
-- The rows are copied from the prototype application the fixture made
-- (INSERT … SELECT by primary key: one indexed read more than Tongban's
-- literal values, which favours the reference by a hair).
\set k random(1, 9000000000000000000)
SELECT id FROM bundle_cases WHERE applicant_id = :user_id AND idempotency_key = 'ref-b-' || CAST(:k AS TEXT);
SELECT body FROM bundles WHERE id = :bundle_id;
SELECT {{.ListingColumns}} FROM listings l JOIN items i ON i.id = l.item_id JOIN orgs o ON o.id = l.org_id WHERE l.id = :l0;
SELECT {{.ListingColumns}} FROM listings l JOIN items i ON i.id = l.item_id JOIN orgs o ON o.id = l.org_id WHERE l.id = :l1;
SELECT {{.ListingColumns}} FROM listings l JOIN items i ON i.id = l.item_id JOIN orgs o ON o.id = l.org_id WHERE l.id = :l2;
SELECT {{.ListingColumns}} FROM listings l JOIN items i ON i.id = l.item_id JOIN orgs o ON o.id = l.org_id WHERE l.id = :l3;
SELECT {{.ItemColumns}} FROM items WHERE id = :item_id;
SELECT version FROM listings WHERE id = :l0;
INSERT INTO case_sequences (region_code, day, n) VALUES (:region, 'refbundle', 1) ON CONFLICT (region_code, day) DO UPDATE SET n = case_sequences.n + 1 RETURNING n;
INSERT INTO case_sequences (region_code, day, n) VALUES (:region, 'refbundle', 1) ON CONFLICT (region_code, day) DO UPDATE SET n = case_sequences.n + 1 RETURNING n;
INSERT INTO case_sequences (region_code, day, n) VALUES (:region, 'refbundle', 1) ON CONFLICT (region_code, day) DO UPDATE SET n = case_sequences.n + 1 RETURNING n;
BEGIN;
INSERT INTO cases (number, listing_id, listing_version, item_name, listing_name, org_id, region_code, board_id,
  applicant_id, applicant_name, channel, state, outcome, step, form, materials, corrections, owed_due,
  commitment, needs_post_check, post_checked, post_check_failed, instant, promised_days,
  accepted_at, due_date, provisional, paused_days, paused_since, decided_at, visits,
  delivery_method, tracking_no, pickup_window_id, reasons, result_no, idempotency_key,
  created_at, updated_at, version)
  SELECT 'ref-b-' || CAST(:k AS TEXT), listing_id, listing_version, item_name, listing_name, org_id, region_code, board_id,
  applicant_id, applicant_name, channel, state, outcome, step, form, materials, corrections, owed_due,
  commitment, needs_post_check, post_checked, post_check_failed, instant, promised_days,
  accepted_at, due_date, provisional, paused_days, paused_since, decided_at, visits,
  delivery_method, tracking_no, pickup_window_id, reasons, result_no, NULL,
  CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1 FROM cases WHERE id = :proto_case RETURNING id \gset
INSERT INTO case_events ({{.EventID}}case_id, seq, at, actor_id, actor_name, role, org_id, action, from_state, to_state, step, reason, materials, visit, facts)
  SELECT {{.NextEventID}}CAST(:id AS BIGINT), COALESCE(MAX(seq), 0) + 1, CURRENT_TIMESTAMP, CAST(:user_id AS BIGINT), '压测企业', 'applicant', NULL, 'submit', '', 'submitted', 0, '', '[]', FALSE, '{}'
  FROM case_events WHERE case_id = :id RETURNING id AS event_id \gset
{{if .Postgres}}WITH queued AS (INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :user_id, '压测企业', 'case_submit', 'case' || ':' || 'ref-b-' || CAST(:k AS TEXT), '→待受理', '127.0.0.1'))
{{else}}INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :user_id, '压测企业', 'case_submit', 'case' || ':' || 'ref-b-' || CAST(:k AS TEXT), '→待受理', '127.0.0.1');
{{end}}INSERT INTO outbox (event_id, type, subject, region_code, org_id, at, payload)
  SELECT 'ref-b-' || CAST(:k AS TEXT), type, subject, region_code, org_id, CURRENT_TIMESTAMP, payload FROM outbox WHERE id = :proto_outbox RETURNING id, event_id;
INSERT INTO bundle_cases (number, bundle_id, bundle_version, bundle_name, lead_org_id, region_code, applicant_id, applicant_name,
  channel, answers, form, materials, delivery, separate, idempotency_key, created_at, updated_at, version)
  SELECT 'ref-bp-' || CAST(:k AS TEXT), bundle_id, bundle_version, bundle_name, lead_org_id, region_code, applicant_id, applicant_name,
  channel, answers, form, materials, delivery, separate, 'ref-b-' || CAST(:k AS TEXT), CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1
  FROM bundle_cases WHERE id = :proto_bundle RETURNING id AS bid \gset
INSERT INTO bundle_subcases (bundle_case_id, component, position, name, listing_id, listing_version, org_id, org_name, number, case_id, status, reason, after)
  SELECT :bid, component, position, name, listing_id, listing_version, org_id, org_name, 'ref-bs-' || CAST(:k AS TEXT) || '-0', CASE WHEN case_id IS NULL THEN NULL ELSE CAST(:id AS BIGINT) END, status, reason, after
  FROM bundle_subcases WHERE bundle_case_id = :proto_bundle AND position = 0;
INSERT INTO bundle_subcases (bundle_case_id, component, position, name, listing_id, listing_version, org_id, org_name, number, case_id, status, reason, after)
  SELECT :bid, component, position, name, listing_id, listing_version, org_id, org_name, 'ref-bs-' || CAST(:k AS TEXT) || '-1', CASE WHEN case_id IS NULL THEN NULL ELSE CAST(:id AS BIGINT) END, status, reason, after
  FROM bundle_subcases WHERE bundle_case_id = :proto_bundle AND position = 1;
INSERT INTO bundle_subcases (bundle_case_id, component, position, name, listing_id, listing_version, org_id, org_name, number, case_id, status, reason, after)
  SELECT :bid, component, position, name, listing_id, listing_version, org_id, org_name, 'ref-bs-' || CAST(:k AS TEXT) || '-2', CASE WHEN case_id IS NULL THEN NULL ELSE CAST(:id AS BIGINT) END, status, reason, after
  FROM bundle_subcases WHERE bundle_case_id = :proto_bundle AND position = 2;
INSERT INTO bundle_subcases (bundle_case_id, component, position, name, listing_id, listing_version, org_id, org_name, number, case_id, status, reason, after)
  SELECT :bid, component, position, name, listing_id, listing_version, org_id, org_name, 'ref-bs-' || CAST(:k AS TEXT) || '-3', CASE WHEN case_id IS NULL THEN NULL ELSE CAST(:id AS BIGINT) END, status, reason, after
  FROM bundle_subcases WHERE bundle_case_id = :proto_bundle AND position = 3;
INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :user_id, '压测企业', 'bundle_apply', 'bundle_case' || ':' || 'ref-bp-' || CAST(:k AS TEXT), '开办餐饮店', '127.0.0.1');
COMMIT;
