-- GET /api/v1/cases/{number} by its applicant, as traced: authentication,
-- the case, its events and its listing version. (The case is found by its
-- id, a random one, where Tongban looks up its unique number: the same
-- kind of index look-up.)
\set cid random(:min_case, :max_case)
SELECT id, user_id, name, hash, created_at, revoked_at FROM api_tokens WHERE hash = :token_hash;
SELECT {{.UserColumns}} FROM users WHERE id = :user_id;
SELECT g.role, g.org_id, o.name FROM role_grants g JOIN orgs o ON o.id = g.org_id WHERE g.user_id = :user_id ORDER BY g.org_id, g.role;
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid;
SELECT {{.EventColumns}} FROM case_events WHERE case_id = :cid ORDER BY seq;
SELECT snapshot FROM listing_versions WHERE listing_id = :listing_id AND version = :listing_version;
