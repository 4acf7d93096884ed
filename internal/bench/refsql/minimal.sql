-- The least a durable submission must write, in one transaction: one
-- case row with a ~1 KB form, one event row, one audit row. (The audit
-- row's sequence number is random and high, outside Tongban's chain.)
\set k random(1000000000000, 9000000000000000000)
BEGIN;
INSERT INTO cases (number, listing_id, listing_version, item_name, listing_name, org_id, region_code,
  applicant_id, applicant_name, channel, state, form, materials, promised_days, delivery_method,
  idempotency_key, created_at, updated_at)
VALUES ('min-' || CAST(:k AS TEXT), :listing_id, :listing_version, '{{.ItemName}}', '{{.ListingName}}', :org_id, :region,
  :user_id, '压测申请人', 'online', 'submitted', '{{.Form}}', '{{.Materials}}', 1, 'pickup',
  'min-' || CAST(:k AS TEXT), CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id \gset
INSERT INTO case_events ({{.EventID}}case_id, seq, at, actor_id, actor_name, role, action, to_state, materials)
  VALUES ({{.NextEventID}}:id, 1, CURRENT_TIMESTAMP, :user_id, '压测申请人', 'applicant', 'submit', 'submitted', '{{.MaterialKeys}}');
INSERT INTO audit_log (seq, at, actor_id, actor, action, object, detail, ip, prev_hash, hash)
  VALUES (:k, CURRENT_TIMESTAMP, :user_id, '压测申请人', 'case_submit', 'case' || ':' || 'min-' || CAST(:k AS TEXT), '→待受理', '127.0.0.1', '{{.Hash}}', '{{.Hash}}');
COMMIT;
