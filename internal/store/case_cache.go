package store

import (
	"context"
	"slices"

	"github.com/tongban/tongban"
)

// DefaultCaseCache bounds the cases CaseByNumberWithEvents keeps decoded
// in memory unless the operator says otherwise (--case-cache, KeepCases).
// A kept case costs 2.3–3.2 KiB, and the collector lets the heap grow by
// as much again, so 4,096 is about 12 MiB live; 65,536 made case-status
// reads 37–47 % faster where every polled case fitted, but would put the
// memory scenario's server (100,000 listings, 1,000,000 cases) near or
// past 1 GiB (docs/benchmarks.md, "The verify page's licence kept"). When full, an
// arbitrary entry makes room.
const DefaultCaseCache = 4096

// caseStampQuery reads what tells whether a kept case is still current:
// its version, bumped by every UpdateCase, and its events' count and last
// seq (events are only ever appended). It reads the number index, the
// case's row and the case_events (case_id, seq) index, on SQLite the
// table itself, kept in that order (migration 00066): the case's events
// lie together, so either is one descent.
const caseStampQuery = `SELECT c.id, c.version, COUNT(e.seq), COALESCE(MAX(e.seq), 0)
	FROM cases c LEFT JOIN case_events e ON e.case_id = c.id WHERE c.number = $1 GROUP BY c.id, c.version`

// caseStamp is a case's version and the extent of its history.
type caseStamp struct {
	id      int64
	version int
	events  int
	lastSeq int
}

func stampOf(c *tongban.Case) caseStamp {
	st := caseStamp{id: c.ID, version: c.Version, events: len(c.Events)}
	if n := len(c.Events); n > 0 {
		st.lastSeq = c.Events[n-1].Seq
	}
	return st
}

// caseCache keeps cases read with their events, decoded (form opened,
// JSON columns parsed), for GET /api/v1/cases/{number} and the case page:
// applicants poll their cases, and decoding the row was most of a read's
// CPU after the SQL. It is never stale: every read of a kept case first reads its
// stamp from the database (caseStampQuery, one small statement) and uses
// the kept case only if its version, event count and last event are the
// same — a case's row changes only through UpdateCase, which bumps the
// version (SealPlainForms reseals a form without changing it), and its
// events are only appended. Only reads outside a transaction use it or
// fill it: a transaction's reads see its own uncommitted writes, which a
// rollback could make a version number that never was.
type caseCache = keptMap[cachedCase]

type cachedCase struct {
	stamp caseStamp
	c     *tongban.Case
}

func newCaseCache(size int) *caseCache { return newKeptMap[cachedCase](size) }

// KeepCases sets how many cases are kept decoded (n ≥ 1), dropping those
// kept so far. Call it before the store serves.
func (s *Store) KeepCases(n int) { s.cases = newCaseCache(max(n, 1)) }

// putCase keeps a copy of c, read with its events in one statement (so its
// stamp is its own), unless a newer read got there first.
func putCase(k *caseCache, c *tongban.Case) {
	e := &cachedCase{stamp: stampOf(c), c: copyCase(c)}
	k.put(c.Number, e, func(old *cachedCase) bool { return old.stamp.version > e.stamp.version })
}

// copyCase copies c deeply enough that callers may change what they get
// (the workflow acts on the case it read: it sets fields, changes
// materials in place and appends events) without touching the kept case.
func copyCase(c *tongban.Case) *tongban.Case {
	out := *c
	out.Form = slices.Clone(c.Form)
	out.Materials = slices.Clone(c.Materials)
	for i, m := range out.Materials {
		if m.Ref != nil {
			ref := *m.Ref
			out.Materials[i].Ref = &ref
		}
	}
	out.Corrections = slices.Clone(c.Corrections)
	out.Reasons = slices.Clone(c.Reasons)
	if c.Events != nil {
		out.Events = make([]*tongban.CaseEvent, len(c.Events))
		for i, e := range c.Events {
			ev := *e
			ev.Materials = slices.Clone(e.Materials)
			if e.Facts != nil {
				f := *e.Facts
				ev.Facts = &f
			}
			out.Events[i] = &ev
		}
	}
	return &out
}

// cachedCaseWithEvents is a copy of the kept case numbered number if it is
// current, nil if none is; an unknown number is ENotFound. A number not
// kept reads no stamp: the full read follows anyway, and with many more
// cases polled than kept (a city's, or the bench's random reads) the
// stamp of a miss was a sixth of a read's CPU for nothing.
func (s *Store) cachedCaseWithEvents(ctx context.Context, number string) (*tongban.Case, error) {
	e := s.cases.get(number)
	if e == nil {
		return nil, nil
	}
	var st caseStamp
	err := s.q.QueryRowContext(ctx, caseStampQuery, number).Scan(&st.id, &st.version, &st.events, &st.lastSeq)
	if err != nil {
		return nil, notFound(err, "办件 %s 不存在", number)
	}
	if e.stamp != st {
		return nil, nil
	}
	return copyCase(e.c), nil
}
