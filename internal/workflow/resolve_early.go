package workflow

import (
	"context"
	"slices"
	"time"

	"github.com/tongban/tongban"
)

// SettledResolver is the optional part of a MaterialResolver that can tell
// that what its PrepareMaterial read settles a claim: resolving it then
// needs no read, only the records it queues (a consent, a data use), which
// the transaction writes with the case row. Such claims are resolved before
// the submission's transaction. On SQLite its one writer runs every
// transaction's work in turn, so the resolvers' own work there (the
// records, their reasons, the references' notes: about 20 µs a case of
// three claims) held every other submission back; now the writer runs the
// statements alone. What can change after the read is checked in the
// transaction still: the consents' insert counts each licence still 有效
// (tongban.LicenceWithdrawn).
type SettledResolver interface {
	MaterialResolver
	Settled(q MaterialClaim) bool
}

// early is an application's claims resolved before its transaction: the
// materials with their references, the records queued, and the action time
// they were resolved at, which the transaction then takes as its own so
// that the records and the case agree.
type early struct {
	materials []tongban.CaseMaterial
	records   *queuedUses
	now       time.Time
}

// resolveEarly resolves pd's claims before the transaction when each one
// is settled by what its preparer read; otherwise (one claim unsettled, or
// any refusal, which the transaction then gives with its field) it leaves
// them all to Write. Whether all are settled is asked first, so a claim
// left to the transaction is resolved once.
func (pd *Pending) resolveEarly(ctx context.Context, c *tongban.Case) {
	s, l := pd.s, pd.p.listing
	if pd.orgName == "" && c.OrgID != 0 {
		return // the records name the department, which would be read
	}
	now := s.now()
	ms := slices.Clone(pd.materials)
	type settled struct {
		i   int
		res SettledResolver
		q   MaterialClaim
	}
	var claims []settled
	for i, m := range ms {
		if m.Status.RefKind() == "" || m.Ref != nil {
			continue
		}
		res, ok := s.Resolvers[m.Status].(SettledResolver)
		if !ok || i >= len(pd.prepared) || pd.prepared[i] == nil {
			return
		}
		lm, _ := l.Material(m.Key)
		q := MaterialClaim{Applicant: pd.applicant, Actor: pd.r.Actor, Case: c, Material: lm, Claimed: m, Now: now,
			OrgName: pd.orgName, Prepared: pd.prepared[i]}
		if !res.Settled(q) {
			return
		}
		claims = append(claims, settled{i, res, q})
	}
	// The records go through no store: a settled claim queues them, and
	// the store is there for what the MaterialResolver interface asks.
	q := &queuedUses{Store: s.Store}
	for _, cl := range claims {
		m := &ms[cl.i]
		ref, err := cl.res.ResolveMaterial(ctx, q, cl.q)
		if err != nil || ref == nil || ref.Kind != m.Status.RefKind() || ref.ID == "" {
			return
		}
		m.Ref = ref
		if ref.File != "" {
			m.BlobHash = ref.File
		}
	}
	if len(q.uses) == 0 && len(q.consents) == 0 {
		return
	}
	pd.early = &early{materials: ms, records: q, now: now}
}
