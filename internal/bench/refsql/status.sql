-- GET /api/v1/cases/{number} by its applicant, as traced (warm caches: a
-- token checked in the last 5 s and an immutable listing version already
-- read are not looked up again): the case and its events. (The case is
-- found by its id, a random one, where Tongban looks up its unique number:
-- the same kind of index look-up.)
\set cid random(:min_case, :max_case)
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid;
SELECT {{.EventColumns}} FROM case_events WHERE case_id = :cid ORDER BY seq;
