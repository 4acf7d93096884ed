-- GET /api/v1/cases/{number} by its applicant, as traced (warm caches: a
-- token checked in the last 5 s and an immutable listing version already
-- read are not looked up again): the case and its events in one
-- statement. (The case is found by its id, a random one, where Tongban
-- looks up its unique number: the same kind of index look-up.)
\set cid random(:min_case, :max_case)
SELECT c.*, {{.JoinedEventColumns}} FROM (SELECT {{.CaseColumns}} FROM cases WHERE id = :cid) c JOIN case_events e ON e.case_id = c.id ORDER BY e.seq;
