-- Diagnostic: the least durable write plus the two rows every Tongban
-- submission locks until it commits, the day's case counter of the region
-- (gapless case numbers) and the audit chain's head. Compared with
-- minimal.sql it shows what those serialization points cost.
\set k random(1000000000000, 9000000000000000000)
BEGIN;
INSERT INTO case_sequences (region_code, day, n) VALUES (:region, :day, 1) ON CONFLICT (region_code, day) DO UPDATE SET n = case_sequences.n + 1 RETURNING n \gset
INSERT INTO cases (number, listing_id, listing_version, item_name, listing_name, org_id, region_code,
  applicant_id, applicant_name, channel, state, form, materials, promised_days, delivery_method,
  idempotency_key, created_at, updated_at)
VALUES ('ser-' || CAST(:k AS TEXT), :listing_id, :listing_version, '{{.ItemName}}', '{{.ListingName}}', :org_id, :region,
  :user_id, '压测申请人', 'online', 'submitted', '{{.Form}}', '{{.Materials}}', 1, 'pickup',
  'ser-' || CAST(:k AS TEXT), CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id \gset
INSERT INTO case_events ({{.EventID}}case_id, seq, at, actor_id, actor_name, role, action, to_state, materials)
  VALUES ({{.NextEventID}}:id, 1, CURRENT_TIMESTAMP, :user_id, '压测申请人', 'applicant', 'submit', 'submitted', '{{.MaterialKeys}}');
SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE \gset
INSERT INTO audit_log (seq, at, actor_id, actor, action, object, detail, ip, prev_hash, hash)
  VALUES (:seq + 1, CURRENT_TIMESTAMP, :user_id, '压测申请人', 'case_submit', 'case' || ':' || 'ser-' || CAST(:k AS TEXT), '→待受理', '127.0.0.1', :hash, '{{.Hash}}');
UPDATE audit_head SET seq = :seq + 1, hash = '{{.Hash}}' WHERE id = 1;
COMMIT;
