-- POST /api/v1/cases/{number}/ratings by the applicant (一事一评 through the
-- website, 非常满意, so no ticket), as `tongban-bench trace-sql` shows it
-- (warm caches: the token checked in the last 5 s is not looked up again):
-- the case read by its number, then one transaction writing the rating,
-- its `given` rating event and its outbox row. (The case is read by a
-- random id, where Tongban looks up its unique number: the same kind of
-- index look-up; the rating names the first case with an encounter of its
-- own, as each of Tongban's names a staged decided case. No literal holds
-- a colon before a name: pgbench would read it as a variable.)
\set cid random(:min_case, :max_case)
\set k random(1, 9000000000000000000)
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid;
BEGIN;
INSERT INTO ratings (case_id, case_number, encounter, channel, level, indicator_version, indicators, reasons, comment, rater_id, org_id, region_code, listing_id, created_at, updated_at)
  VALUES (:min_case, 'ref-rating', 'ref-' || CAST(:k AS TEXT), 'web', 5, 1, '{"办事效率": 5}', '[]', '', :user_id, :org_id, :region, :listing_id, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id \gset
INSERT INTO rating_events (at, kind, rating_id, day, region_code, org_id, listing_id, channel, prev_channel, level, prev_level, on_time)
  VALUES (CURRENT_TIMESTAMP, 'given', :id, '2026-12-03', :region, :org_id, :listing_id, 'web', '', 5, 0, FALSE) RETURNING id;
INSERT INTO outbox (event_id, type, subject, region_code, org_id, at, payload)
  VALUES ('ref-r-' || CAST(:k AS TEXT), 'rating.submitted', 'case-ref-rating', :region, :org_id, CURRENT_TIMESTAMP,
  '{"case_number": "511602000000-20261203-000001", "encounter": "case", "channel": "web", "level": 5, "bad": false}') RETURNING id;
COMMIT;
