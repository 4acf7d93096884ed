-- A primary-key select of one case row: the floor of any case-status read.
\set cid random(:min_case, :max_case)
SELECT {{.CaseColumns}} FROM cases WHERE id = :cid;
