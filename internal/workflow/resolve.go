package workflow

import (
	"context"
	"fmt"
	"time"

	"github.com/tongban/tongban"
)

// MaterialResolver checks an applicant's claim that a material needs no
// paper — an e-licence, a library entry, a shared-data record — and returns
// the reference that spares it, or an error saying why not (EInvalid,
// without a field: the workflow names the material). It runs inside the
// action's transaction (tx), so a consent or data-use record it writes
// commits with the case (data-use records are queued and written together
// once every claim is resolved, see queuedUses); it must not call out of the process (pulls from a
// provider happen before the submission, see internal/exchange).
type MaterialResolver interface {
	ResolveMaterial(ctx context.Context, tx tongban.Store, q MaterialClaim) (*tongban.MaterialRef, error)
}

// MaterialClaim is one material an applicant asks to be spared.
type MaterialClaim struct {
	Applicant *tongban.User
	Actor     *tongban.User // who submits: the applicant online, a clerk at a window
	Case      *tongban.Case // number, listing and org are set; ID is 0 while being created
	Material  tongban.Material
	Claimed   tongban.CaseMaterial // Status and the applicant's Claim
	Now       time.Time
	// OrgName is the name of the case's department (Case.OrgID), read once
	// per action for every claim's data-use record.
	OrgName string
	// Prepared is what the resolver's PrepareMaterial read for this claim
	// before the transaction, when the same action runs both; nil else.
	Prepared any
	// ReadAhead is, for PrepareMaterial only, the rows of the action's
	// claims read together beforehand (see ClaimReader); nil else.
	ReadAhead map[tongban.ClaimKey]tongban.ClaimRow
}

// resolveMaterials turns every claim among ms (materials an action takes,
// in input order, checked by checkMaterials) that needs a reference into
// one the server resolved, or refuses the action naming the material.
func (t *txn) resolveMaterials(ms []tongban.CaseMaterial) error {
	var applicant *tongban.User
	var orgName string
	tx := &queuedUses{Store: t.tx}
	for i := range ms {
		m := &ms[i]
		kind := m.Status.RefKind()
		if kind == "" || m.Ref != nil {
			continue
		}
		field := fmt.Sprintf("materials[%d].status", i)
		lm, _ := t.listing.Material(m.Key)
		res := t.s.Resolvers[m.Status]
		if res == nil {
			return tongban.FieldError(field, "「%s」暂不能以%s免于提交，请上传材料", lm.Name, m.Status.Label())
		}
		if applicant == nil {
			var err error
			if applicant, err = t.applicantUser(); err != nil {
				return err
			}
			if orgName = t.orgName; orgName == "" && t.c.OrgID != 0 {
				org, err := t.tx.Org(t.ctx, t.c.OrgID)
				if err != nil {
					return err
				}
				orgName = org.Name
			}
		}
		var prepared any
		if i < len(t.prepared) {
			prepared = t.prepared[i]
		}
		ref, err := res.ResolveMaterial(t.ctx, tx, MaterialClaim{Applicant: applicant, Actor: t.r.Actor, Case: t.c,
			Material: lm, Claimed: *m, Now: t.now, OrgName: orgName, Prepared: prepared})
		if err != nil {
			e := tongban.AsError(err)
			if e.Code != tongban.EInvalid && e.Code != tongban.ENotFound {
				return err
			}
			return &tongban.Error{Code: tongban.EInvalid, Field: field, Err: err,
				Message: fmt.Sprintf("「%s」未能以%s核验：%s", lm.Name, m.Status.Label(), e.Message)}
		}
		if ref == nil || ref.Kind != kind || ref.ID == "" {
			return tongban.Errorf(tongban.EInternal, "resolver for %s returned no %s reference", m.Status, kind)
		}
		m.Ref = ref
		if ref.File != "" {
			m.BlobHash = ref.File
		}
	}
	if t.holdRecords {
		t.held = tx // written with the case row (commit)
		return nil
	}
	return tx.flush(t.ctx)
}

// applicantUser is the case's applicant: the actor online, else read.
func (t *txn) applicantUser() (*tongban.User, error) {
	if t.r.Actor != nil && t.r.Actor.ID == t.c.ApplicantID {
		return t.r.Actor, nil
	}
	return t.tx.User(t.ctx, t.c.ApplicantID)
}

// MaterialPreparer is the optional part of a MaterialResolver that must
// reach outside the process first — a pull from a shared-data provider.
// The workflow calls it before the action's transaction, never inside
// one, so the resolver itself then only reads the database.
// What it returns (its reads: a resource and record, a verified licence)
// is handed to ResolveMaterial as MaterialClaim.Prepared, so the
// transaction need not read it again; the resolver checks in the
// transaction what could have changed since.
type MaterialPreparer interface {
	PrepareMaterial(ctx context.Context, q MaterialClaim) (any, error)
}

// prepareClaims runs the preparers of the claims among ms, outside any
// transaction, and returns what each prepared, by index in ms. applicant
// is read if nil and needed. The rows the preparers name are read first,
// together (readAhead).
func (s *Service) prepareClaims(ctx context.Context, r Request, c *tongban.Case, l *tongban.Listing, applicant *tongban.User,
	ms []tongban.CaseMaterial) ([]any, error) {
	type claim struct {
		i int
		p MaterialPreparer
		q MaterialClaim
	}
	var claims []claim
	var keys []tongban.ClaimKey
	for i, m := range ms {
		p, ok := s.Resolvers[m.Status].(MaterialPreparer)
		if !ok || m.Status.RefKind() == "" || m.Ref != nil {
			continue
		}
		if applicant == nil {
			var err error
			if applicant, err = s.Store.User(ctx, c.ApplicantID); err != nil {
				return nil, err
			}
		}
		lm, _ := l.Material(m.Key)
		q := MaterialClaim{Applicant: applicant, Actor: r.Actor, Case: c, Material: lm, Claimed: m, Now: s.now()}
		if cr, ok := p.(ClaimReader); ok {
			keys = append(keys, cr.ClaimKeys(q)...)
		}
		claims = append(claims, claim{i, p, q})
	}
	ahead := s.readAhead(ctx, keys)
	var out []any
	for _, cl := range claims {
		cl.q.ReadAhead = ahead
		got, err := cl.p.PrepareMaterial(ctx, cl.q)
		if err != nil {
			e := tongban.AsError(err)
			if e.Code == tongban.EInvalid && e.Field == "" {
				e = &tongban.Error{Code: e.Code, Field: fmt.Sprintf("materials[%d].status", cl.i), Message: e.Message, Err: err}
			}
			return nil, e
		}
		if got != nil {
			if out == nil {
				out = make([]any, len(ms))
			}
			out[cl.i] = got
		}
	}
	return out, nil
}

// prepareForCase prepares the claims of an action on a stored case.
func (s *Service) prepareForCase(ctx context.Context, r Request, id int64, ms []tongban.CaseMaterial) error {
	need := false
	for _, m := range ms {
		if _, ok := s.Resolvers[m.Status].(MaterialPreparer); ok {
			need = true
		}
	}
	if !need {
		return nil
	}
	c, err := s.Store.Case(ctx, id)
	if err != nil {
		return err
	}
	l, err := s.ListingVersion(ctx, c.ListingID, c.ListingVersion)
	if err != nil {
		return err
	}
	_, err = s.prepareClaims(ctx, r, c, l, nil, ms)
	return err
}
