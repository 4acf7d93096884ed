-- POST /api/v1/cases for the once-only listing with its three materials
-- spared by reference (the subject side of "submissions, 3 materials by
-- reference"), statement by statement as `tongban-bench trace-sql` shows
-- it ("POST /api/v1/cases (once-only, 3 references)", the second of two
-- rounds, so caches are warm: a token checked in the last 5 s, the listing's
-- version and its item, the department and the standard material are not
-- read again). Before the transaction the three claims' rows
-- (Store.ReadClaims): the 企业登记信息 resource with the enterprise's
-- record, the 食品经营许可证 by its identifier, the library entry by its id —
-- one round trip on PostgreSQL (a pgx batch; pgbench's pipeline here; the
-- statement log shows them one by one), in turn on SQLite. Then one
-- transaction. On PostgreSQL (store.CreateCaseRecording) one statement
-- writes the 用证 consent, the three data-use records and the case row
-- (inserted only while the listing and its item are as read) with its
-- first event, and counts the licence still 有效; then the queued audit
-- entry with the outbox row, as for the uploads. On SQLite the same rows,
-- one statement each: the consent (inserted only while its licence is
-- 有效, store.consentInsertWhileHeld), the data-use records, the case, its
-- event, the audit entry, the outbox row. Not here, as in
-- onceonly_uploads.sql: the case-number reservation. The values are copied
-- from the prototype, a submission by reference Tongban made through the
-- API just before (sealed form, materials, event facts, the consent's and
-- the data-use records' texts, outbox payload, audit detail); the three
-- reads are of its applicant's rows (the record: the resource's latest,
-- the same index look-up), and the rows written are spread as Tongban's
-- clients spread them: a random applicant of the fixture and a random one
-- of their licences, whose rows the foreign keys and the count touch.
\set k random(1, 9000000000000000000)
\set uid random(:user_min, :user_max)
\set lic random(:licence_min, :licence_max)
\startpipeline
SELECT r.id, r.code, r.name, r.org_id, o.name, r.subject_kind, r.fields, r.share_condition, r.update_cycle, r.legal_basis, r.standards, r.pull_url, r.pull_timeout_ms, COALESCE(r.updated_by, 0), r.updated_at, d.id, d.resource_id, d.subject_sealed, d.data_sealed, d.source, d.updated_at
  FROM data_resources r JOIN orgs o ON o.id = r.org_id
  LEFT JOIN data_records d ON d.resource_id = r.id AND r.share_condition = '{{.ShareCondition}}' AND r.subject_kind = '{{.SubjectKind}}' AND d.subject_index = '{{.SubjectIndex}}'
  WHERE r.code = '{{.Resource}}';
SELECT id, identifier, type_code, type_name, number, issuer_id, issuer_name, issuer_code, issued_on, valid_from, valid_to, holder_id, holder_name, holder_kind, holder_code_sealed, holder_code_masked, region_code, status, version, face, COALESCE(case_id, 0), key_id, signature, created_at, source, replaces, status_reason, status_at, face_sealed
  FROM licenses WHERE identifier = '{{.LicenceIdentifier}}';
SELECT id, owner_id, standard_code, name, blob_hash, valid_until, case_id, case_number, material_key, COALESCE(confirmed_by, 0), confirmed_org, confirmed_at, deleted_at
  FROM library_entries WHERE id = :entry_id;
\endpipeline
BEGIN;
{{if .Postgres}}WITH consents AS (INSERT INTO license_consents (license_id, identifier, version, holder_id, case_number, reason, given_by, created_at)
  VALUES (:lic, '{{.LicenceIdentifier}}', {{.LicenceVersion}}, :uid, 'once-ref-r-' || CAST(:k AS TEXT), '{{.ConsentReason}}', :uid, CURRENT_TIMESTAMP)),
uses AS (INSERT INTO data_uses (subject_id, at, kind, actor_id, actor_name, org_id, org_name, resource, fields, case_number, reason)
  VALUES {{.UseRows}}),
held AS (SELECT COUNT(*) AS n FROM licenses WHERE id IN (:lic) AND status = 'valid'),
c AS (INSERT INTO cases (number, listing_id, listing_version, item_name, listing_name, org_id, region_code, board_id,
  applicant_id, applicant_name, channel, state, outcome, step, form, materials, corrections, owed_due,
  commitment, needs_post_check, post_checked, post_check_failed, instant, promised_days,
  accepted_at, due_date, provisional, paused_days, paused_since, decided_at, visits,
  delivery_method, tracking_no, pickup_window_id, reasons, result_no, idempotency_key,
  created_at, updated_at, version)
  SELECT 'once-ref-r-' || CAST(:k AS TEXT), CAST(:listing_id AS BIGINT), CAST(:listing_version AS INTEGER), '{{.ItemName}}', '{{.ListingName}}', CAST(:org_id AS BIGINT), CAST(:region AS TEXT), NULL,
  CAST(:uid AS BIGINT), '{{.ApplicantName}}', 'online', 'submitted', '', 0, '{{.Form}}', '{{.Materials}}', '[]', NULL,
  FALSE, FALSE, FALSE, FALSE, FALSE, {{.PromisedDays}},
  NULL, NULL, FALSE, 0, NULL, NULL, 0,
  '{{.DeliveryMethod}}', '', NULL, '[]', '', 'once-ref-r-' || CAST(:k AS TEXT),
  CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1
  WHERE EXISTS (SELECT 1 FROM listings l JOIN items i ON i.id = l.item_id WHERE l.id = :listing_id AND l.version = :listing_version AND i.name = '{{.ItemName}}')
  RETURNING id)
INSERT INTO case_events ({{.EventID}}case_id, seq, at, actor_id, actor_name, role, org_id, action, from_state, to_state, step, reason, materials, visit, facts)
  SELECT {{.NextEventID}}c.id, 1, CURRENT_TIMESTAMP, CAST(:uid AS BIGINT), '{{.ActorName}}', 'applicant', NULL, 'submit', '', 'submitted', 0, '', '{{.EventMaterials}}', FALSE, {{.EventFacts}}
  FROM c RETURNING case_id AS id, id AS event_id, seq AS event_seq, (SELECT n FROM held) AS held \gset
WITH queued AS (INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :uid, '{{.ActorName}}', 'case_submit', 'case' || ':' || 'once-ref-r-' || CAST(:k AS TEXT), '{{.AuditDetail}}', '127.0.0.1'))
{{else}}INSERT INTO license_consents (license_id, identifier, version, holder_id, case_number, reason, given_by, created_at)
  SELECT * FROM (VALUES (:lic, '{{.LicenceIdentifier}}', {{.LicenceVersion}}, :uid, 'once-ref-r-' || CAST(:k AS TEXT), '{{.ConsentReason}}', :uid, CURRENT_TIMESTAMP)) AS v
  WHERE (WITH held AS (SELECT COUNT(*) AS n FROM licenses WHERE id IN (:lic) AND status = 'valid') SELECT n FROM held) = 1;
INSERT INTO data_uses (subject_id, at, kind, actor_id, actor_name, org_id, org_name, resource, fields, case_number, reason)
  VALUES {{.UseRows}};
INSERT INTO cases (number, listing_id, listing_version, item_name, listing_name, org_id, region_code, board_id,
  applicant_id, applicant_name, channel, state, outcome, step, form, materials, corrections, owed_due,
  commitment, needs_post_check, post_checked, post_check_failed, instant, promised_days,
  accepted_at, due_date, provisional, paused_days, paused_since, decided_at, visits,
  delivery_method, tracking_no, pickup_window_id, reasons, result_no, idempotency_key,
  created_at, updated_at, version)
  SELECT 'once-ref-r-' || CAST(:k AS TEXT), :listing_id, :listing_version, '{{.ItemName}}', '{{.ListingName}}', :org_id, :region, NULL,
  :uid, '{{.ApplicantName}}', 'online', 'submitted', '', 0, '{{.Form}}', '{{.Materials}}', '[]', NULL,
  FALSE, FALSE, FALSE, FALSE, FALSE, {{.PromisedDays}},
  NULL, NULL, FALSE, 0, NULL, NULL, 0,
  '{{.DeliveryMethod}}', '', NULL, '[]', '', 'once-ref-r-' || CAST(:k AS TEXT),
  CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1
  WHERE EXISTS (SELECT 1 FROM listings l JOIN items i ON i.id = l.item_id WHERE l.id = :listing_id AND l.version = :listing_version AND i.name = '{{.ItemName}}')
  RETURNING id \gset
INSERT INTO case_events ({{.EventID}}case_id, seq, at, actor_id, actor_name, role, org_id, action, from_state, to_state, step, reason, materials, visit, facts)
  SELECT {{.NextEventID}}:id, COALESCE(MAX(seq), 0) + 1, CURRENT_TIMESTAMP, :uid, '{{.ActorName}}', 'applicant', NULL, 'submit', '', 'submitted', 0, '', '{{.EventMaterials}}', FALSE, {{.EventFacts}}
  FROM case_events WHERE case_id = :id RETURNING id AS event_id, seq AS event_seq \gset
INSERT INTO audit_queue (at, actor_id, actor, action, object, detail, ip)
  VALUES (CURRENT_TIMESTAMP, :uid, '{{.ActorName}}', 'case_submit', 'case' || ':' || 'once-ref-r-' || CAST(:k AS TEXT), '{{.AuditDetail}}', '127.0.0.1');
{{end}}INSERT INTO outbox (event_id, type, subject, region_code, org_id, at, payload)
  VALUES ('once-ref-r-' || CAST(:k AS TEXT), '{{.OutboxType}}', 'case' || ':' || 'once-ref-r-' || CAST(:k AS TEXT), :region, :org_id, CURRENT_TIMESTAMP, '{{.OutboxPayload}}') RETURNING id, event_id;
COMMIT;
