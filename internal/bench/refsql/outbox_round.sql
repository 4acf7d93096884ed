-- The outbox publisher's round on PostgreSQL, as `tongban-bench
-- trace-sql` shows it (internal/outbox.Publisher.RunOnce, every 100 ms,
-- with the webhook fan-out and the notifications as consumers and no
-- webhook registered): the horizon, each consumer's cursor, the new events
-- read once, the webhooks read, the fan-out's cursor moved, the applicants'
-- preferences and accounts read, their inbox entries upserted and the
-- notifications' cursor moved, then the workers' reads (the webhooks
-- again, the queued messages due). Run by one client beside submit.sql's,
-- at the publisher's rate (outboxOwnSQL), so that PostgreSQL does the
-- publishing's share of the work as it does under Tongban.
--
-- Where it is kinder than Tongban: the inbox entries are one INSERT …
-- SELECT (Tongban sends them from Go, up to 32 rows a statement, and a
-- round of more than 500 events in more transactions), and the
-- preferences and accounts are read for the one applicant of the script's
-- submissions (Tongban reads each round's applicants, up to 32). The
-- horizon stays :lag rows behind the newest row, since a script cannot
-- tell, as Tongban's horizon does, which lower rows are still uncommitted:
-- a row is published one round later, not skipped.
SELECT COALESCE((SELECT MAX(id) FROM outbox), 0) - :lag AS horizon, COALESCE((SELECT string_agg(DISTINCT virtualtransaction, ',') FROM pg_locks WHERE locktype = 'relation' AND relation = 'outbox'::regclass AND granted AND mode <> 'AccessShareLock' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())), '') AS writers \gset
SELECT last_id AS hooks_at FROM outbox_cursors WHERE name = 'webhooks' \gset
SELECT id, event_id, type, subject, region_code, COALESCE(org_id, 0), at, payload FROM outbox WHERE id > :hooks_at AND id <= :horizon ORDER BY id LIMIT 500;
SELECT id, org_id, name, url, secret, event_types, region_wide, active, COALESCE(created_by, 0), created_at FROM webhooks WHERE active = TRUE ORDER BY id;
BEGIN;
INSERT INTO outbox_cursors (name, last_id) VALUES ('webhooks', :horizon) ON CONFLICT (name) DO NOTHING;
SELECT last_id FROM outbox_cursors WHERE name = 'webhooks' FOR UPDATE;
UPDATE outbox_cursors SET last_id = GREATEST(last_id, :horizon), updated_at = CURRENT_TIMESTAMP WHERE name = 'webhooks';
COMMIT;
SELECT last_id AS notify_at FROM outbox_cursors WHERE name = 'notify' \gset
SELECT user_id, email, off, updated_at FROM notify_prefs WHERE user_id IN (:user_id);
SELECT {{.UserColumns}}, phone_verified_at FROM users WHERE id IN (:user_id);
BEGIN;
INSERT INTO outbox_cursors (name, last_id) VALUES ('notify', :horizon) ON CONFLICT (name) DO NOTHING;
SELECT last_id FROM outbox_cursors WHERE name = 'notify' FOR UPDATE;
INSERT INTO notifications (user_id, subject, category, title, body, link, event_id, created_at, updated_at)
  SELECT CAST(:user_id AS BIGINT), subject, 'case_progress', '申请已提交', '您申请的“{{.ItemName}}”（办件编号 ' || subject || '）已提交，请等待受理。',
    '/cases/' || subject, event_id, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
  FROM outbox WHERE id > :notify_at AND id <= :horizon ORDER BY id
  ON CONFLICT (user_id, subject) DO UPDATE SET category = excluded.category, title = excluded.title, body = excluded.body,
    link = excluded.link, event_id = excluded.event_id, read_at = NULL, updated_at = excluded.updated_at
  WHERE notifications.event_id <> excluded.event_id;
UPDATE outbox_cursors SET last_id = GREATEST(last_id, :horizon), updated_at = CURRENT_TIMESTAMP WHERE name = 'notify';
COMMIT;
SELECT id, org_id, name, url, secret, event_types, region_wide, active, COALESCE(created_by, 0), created_at FROM webhooks WHERE active = TRUE ORDER BY id;
SELECT id, event_id, COALESCE(user_id, 0), channel, template, recipient, recipient_masked, subject, body, status, attempts, next_at, created_at, sent_at, last_error FROM notify_messages WHERE status = 'queued' AND next_at <= CURRENT_TIMESTAMP ORDER BY next_at, id LIMIT 100;
