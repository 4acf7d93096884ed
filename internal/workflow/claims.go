package workflow

import (
	"cmp"
	"context"
	"slices"

	"github.com/tongban/tongban"
)

// Claims are the references an application claims for a case the platform
// files later under a number reserved now — a bundle's sub-case waiting
// for its prerequisites. They are resolved while the applicant's choice
// and consent are at hand: prepared before the application's transaction
// (a shared-data pull), resolved inside it, with the consent and data-use
// records written under the reserved number; the case carries the
// resolved references when it is filed (PrepareStart) and asks nothing
// again.
type Claims struct {
	s         *Service
	r         Request
	p         *prepared
	c         *tongban.Case
	materials []tongban.CaseMaterial
	orgName   string
	prepared  []any
}

// PrepareClaims checks the materials of a case to be filed later under
// number as a submission does, and prepares their claims. It returns nil
// when none claims a reference. A refusal names materials[i] by the
// index in in.Materials.
func (s *Service) PrepareClaims(ctx context.Context, r Request, in Application, number string) (*Claims, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	p, err := s.prepare(ctx, in.ListingID, in.ListingVersion, true, false)
	if err != nil {
		return nil, err
	}
	l := p.listing
	materials, err := checkMaterials(l, in.Materials)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(materials, func(m tongban.CaseMaterial) bool { return m.Status.RefKind() != "" }) {
		return nil, nil
	}
	applicant := r.Actor
	if in.ApplicantID != 0 && in.ApplicantID != r.Actor.ID {
		if applicant, err = s.Store.User(ctx, in.ApplicantID); err != nil {
			return nil, err
		}
	}
	org, err := s.Store.Org(ctx, l.OrgID) // outside the transaction: the region, and the name for the records
	if err != nil {
		return nil, err
	}
	region := cmp.Or(l.RegionCode, org.RegionCode)
	c := &tongban.Case{Number: number, ListingID: l.ID, ListingVersion: l.Version, ItemName: l.Name, ListingName: l.Name,
		OrgID: l.OrgID, RegionCode: region, ApplicantID: applicant.ID, ApplicantName: applicant.Name, Channel: in.Channel}
	if p.item != nil {
		c.ItemName = p.item.Name
	}
	prepared, err := s.prepareClaims(ctx, r, c, l, applicant, materials)
	if err != nil {
		return nil, err
	}
	return &Claims{s: s, r: r, p: p, c: c, materials: materials, orgName: org.Name, prepared: prepared}, nil
}

// ForgetPrepared is Pending.ForgetPrepared for claims.
func (cl *Claims) ForgetPrepared() bool {
	if cl == nil {
		return false
	}
	had := cl.prepared != nil
	cl.prepared = nil
	return had
}

// Resolve resolves the claims in tx, the application's transaction, and
// returns the materials spared, each with its reference, keyed as the
// listing keys them.
func (cl *Claims) Resolve(ctx context.Context, tx tongban.Store) ([]tongban.CaseMaterial, error) {
	if cl == nil {
		return nil, nil
	}
	ms := slices.Clone(cl.materials)
	t := cl.s.newTxn(ctx, tx, cl.r, cl.c, cl.p)
	t.orgName, t.prepared = cl.orgName, cl.prepared
	if err := t.resolveMaterials(ms); err != nil {
		return nil, err
	}
	var out []tongban.CaseMaterial
	for _, m := range ms {
		if m.Ref != nil {
			m.Claim, m.Consent, m.UseReason = "", false, ""
			out = append(out, m)
		}
	}
	return out, nil
}

// carryResolved gives the materials of a case the platform files the
// references resolved for it at application (see Claims), where the
// material is still claimed as that kind of reference.
func carryResolved(ms, resolved []tongban.CaseMaterial) {
	for i := range ms {
		for _, r := range resolved {
			if r.Key == ms[i].Key && r.Ref != nil && ms[i].Status.RefKind() == r.Ref.Kind {
				ref := *r.Ref
				ms[i].Ref = &ref
				if ref.File != "" {
					ms[i].BlobHash = ref.File
				}
			}
		}
	}
}
