-- POST /api/v1/cases: the statements Tongban issues for one online
-- submission, in order, as `tongban-bench trace-sql` shows them (warm
-- caches): authentication, the idempotency look-ups, the listing and its
-- item, one transaction (applicant, case number, case, event, audit
-- entry), then the reads of the answer's view.
\set k random(1, 9000000000000000000)
SELECT id, user_id, name, hash, created_at, revoked_at FROM api_tokens WHERE hash = :token_hash;
SELECT {{.UserColumns}} FROM users WHERE id = :user_id;
SELECT g.role, g.org_id, o.name FROM role_grants g JOIN orgs o ON o.id = g.org_id WHERE g.user_id = :user_id ORDER BY g.org_id, g.role;
SELECT {{.CaseColumns}} FROM cases WHERE applicant_id = :user_id AND idempotency_key = 'ref-' || CAST(:k AS TEXT);
SELECT {{.CaseColumns}} FROM cases WHERE applicant_id = :user_id AND idempotency_key = 'ref-' || CAST(:k AS TEXT);
SELECT {{.ListingColumns}} FROM listings l JOIN items i ON i.id = l.item_id JOIN orgs o ON o.id = l.org_id WHERE l.id = :listing_id;
SELECT {{.ItemColumns}} FROM items WHERE id = :item_id;
BEGIN;
SELECT {{.UserColumns}} FROM users WHERE id = :user_id;
SELECT g.role, g.org_id, o.name FROM role_grants g JOIN orgs o ON o.id = g.org_id WHERE g.user_id = :user_id ORDER BY g.org_id, g.role;
INSERT INTO case_sequences (region_code, day, n) VALUES (:region, :day, 1) ON CONFLICT (region_code, day) DO UPDATE SET n = case_sequences.n + 1 RETURNING n \gset
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
INSERT INTO case_events (case_id, seq, at, actor_id, actor_name, role, org_id, action, from_state, to_state, step, reason, materials, visit)
  SELECT CAST(:id AS BIGINT), COALESCE(MAX(seq), 0) + 1, CURRENT_TIMESTAMP, CAST(:user_id AS BIGINT), '压测申请人', 'applicant', NULL, 'submit', '', 'submitted', 0, '', '{{.MaterialKeys}}', FALSE
  FROM case_events WHERE case_id = :id RETURNING id AS event_id, seq AS event_seq \gset
SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE \gset
INSERT INTO audit_log (seq, at, actor_id, actor, action, object, detail, ip, prev_hash, hash)
  VALUES (:seq + 1, CURRENT_TIMESTAMP, :user_id, '压测申请人', 'case_submit', 'case' || ':' || 'ref-' || CAST(:k AS TEXT), '→待受理', '127.0.0.1', :hash, '{{.Hash}}');
UPDATE audit_head SET seq = :seq + 1, hash = '{{.Hash}}' WHERE id = 1;
COMMIT;
SELECT {{.EventColumns}} FROM case_events WHERE case_id = :id ORDER BY seq;
SELECT snapshot FROM listing_versions WHERE listing_id = :listing_id AND version = :listing_version;
