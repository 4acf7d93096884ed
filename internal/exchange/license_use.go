package exchange

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/workflow"
)

// Licenses resolves `e_license` materials (用证): the applicant's own valid
// e-licence of the type the material's standard material names, whose
// record still matches its signature, and the applicant's consent to use
// it for this case. The consent (licence, version, case, 用证事由, time)
// and the use (用证记录) are recorded in the case's transaction. A claim
// naming an identifier uses that licence; without one the newest valid
// licence of the type is used.
type Licenses struct {
	// Store, if set, lets PrepareMaterial find and verify the claimed
	// licence before the submission's transaction (see verifiedLicence).
	Store tongban.Store
	// Standards, if set, serves the standard material (which licence type
	// stands for it) from memory, with StandardCache's staleness.
	Standards *StandardCache
}

// MaxUseReason bounds a stated 用证事由, in characters.
const MaxUseReason = 100

var (
	_ workflow.MaterialResolver = Licenses{}
	_ workflow.MaterialPreparer = Licenses{}
	_ workflow.ClaimReader      = Licenses{}
	_ workflow.SettledResolver  = Licenses{}
)

// verifiedLicence is the claimed licence PrepareMaterial found usable
// (type, status, signature) before the transaction.
type verifiedLicence struct {
	l *tongban.License
}

// PrepareMaterial does the resolver's reads and the signature check
// before the submission's transaction, so that the transaction need not
// read the licence again. Any doubt is left to the resolver, which then
// checks everything itself: nothing is refused here.
func (ls Licenses) PrepareMaterial(ctx context.Context, q workflow.MaterialClaim) (any, error) {
	if ls.Store == nil || !q.Claimed.Consent {
		return nil, nil
	}
	l, _, err := ls.find(ctx, q.ReadFrom(ls.Store), false, q)
	if err != nil || l == nil {
		return nil, nil
	}
	return &verifiedLicence{l: l}, nil
}

// ClaimKeys names the licence PrepareMaterial reads for a claim naming
// one by its identifier.
func (ls Licenses) ClaimKeys(q workflow.MaterialClaim) []tongban.ClaimKey {
	claim := strings.TrimSpace(q.Claimed.Claim)
	if ls.Store == nil || !q.Claimed.Consent || claim == "" || q.Material.Standard == "" {
		return nil
	}
	if _, err := license.ParseIdentifier(claim); err != nil {
		return nil
	}
	return []tongban.ClaimKey{{License: claim}}
}

// usableStill is the licence as PrepareMaterial verified it, for the same
// applicant and not expired by now. Whether it is still 有效 is not read
// here: the consent's insert counts it (tongban.LicenceWithdrawn), in the
// same statement as the case row on PostgreSQL. Its signed content needs
// no second look: Tongban never updates a licence's row but for its
// status (and the sealing of a face at rest, which keeps the face).
func (v *verifiedLicence) usableStill(q workflow.MaterialClaim) *tongban.License {
	if v == nil || v.l.HolderID != q.Applicant.ID || v.l.Expired(q.Now) {
		return nil
	}
	return v.l
}

// Settled reports whether the licence PrepareMaterial verified is usable
// still (see usableStill): then resolving reads nothing, and the consent's
// insert counts it still 有效.
func (Licenses) Settled(q workflow.MaterialClaim) bool { return settledLicence(q) != nil }

// settledLicence is the licence PrepareMaterial verified, if the claim
// consents to it and it is usable still; nil else.
func settledLicence(q workflow.MaterialClaim) *tongban.License {
	prepared, _ := q.Prepared.(*verifiedLicence)
	if !q.Claimed.Consent {
		return nil
	}
	return prepared.usableStill(q)
}

func (ls Licenses) ResolveMaterial(ctx context.Context, tx tongban.Store, q workflow.MaterialClaim) (*tongban.MaterialRef, error) {
	l := settledLicence(q)
	if l == nil {
		var err error
		if l, _, err = ls.find(ctx, tx, true, q); err != nil {
			return nil, err
		}
	}
	return ls.use(ctx, tx, q, l)
}

// find is the licence the claim means, checked usable: the one it names,
// or the applicant's newest valid one of the material's licence type.
func (ls Licenses) find(ctx context.Context, tx tongban.Store, inTx bool, q workflow.MaterialClaim) (*tongban.License, *tongban.StandardMaterial, error) {
	if q.Material.Standard == "" {
		return nil, nil, tongban.Errorf(tongban.EInvalid, "该材料未关联标准材料，不能以电子证照代替")
	}
	var sm *tongban.StandardMaterial
	var err error
	switch {
	case ls.Standards != nil && inTx:
		sm, err = ls.Standards.GetIn(ctx, tx, q.Material.Standard)
	case ls.Standards != nil:
		sm, err = ls.Standards.Get(ctx, q.Material.Standard)
	default:
		sm, err = tx.StandardMaterial(ctx, q.Material.Standard)
	}
	if err != nil {
		return nil, nil, err
	}
	if sm.LicenseType == "" {
		return nil, nil, tongban.Errorf(tongban.EInvalid, "「%s」没有对应的电子证照类型", sm.Name)
	}
	if !q.Claimed.Consent {
		return nil, nil, tongban.Errorf(tongban.EInvalid, "使用电子证照须经申请人授权本次办件使用（consent），否则请上传材料")
	}
	var l *tongban.License
	if claim := strings.TrimSpace(q.Claimed.Claim); claim != "" {
		if _, err := license.ParseIdentifier(claim); err != nil {
			return nil, nil, err
		}
		l, err = tx.LicenseByIdentifier(ctx, claim)
		if tongban.IsCode(err, tongban.ENotFound) || (err == nil && l.HolderID != q.Applicant.ID) {
			return nil, nil, tongban.Errorf(tongban.EInvalid, "申请人没有标识为 %s 的电子证照", claim)
		} else if err != nil {
			return nil, nil, err
		}
		if err := usable(ctx, tx, l, sm, q); err != nil {
			return nil, nil, err
		}
	} else {
		held, err := tx.LicensesOfHolder(ctx, q.Applicant.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, h := range held {
			if h.TypeCode == sm.LicenseType && usable(ctx, tx, h, sm, q) == nil {
				l = h
				break
			}
		}
		if l == nil {
			return nil, nil, tongban.Errorf(tongban.EInvalid, "申请人没有有效的「%s」电子证照，请上传材料", sm.Name)
		}
	}
	return l, sm, nil
}

// use records the consent and the data use of the licence for the case.
func (Licenses) use(ctx context.Context, tx tongban.Store, q workflow.MaterialClaim, l *tongban.License) (*tongban.MaterialRef, error) {
	reason, err := useReason(q)
	if err != nil {
		return nil, err
	}
	consent := &tongban.LicenseConsent{LicenseID: l.ID, Identifier: l.Identifier, Version: l.Version, HolderID: q.Applicant.ID,
		CaseNumber: q.Case.Number, Reason: reason, CreatedAt: q.Now}
	if q.Actor != nil {
		consent.GivenBy = q.Actor.ID
	}
	if err := tx.CreateLicenseConsent(ctx, consent); err != nil {
		return nil, err
	}
	use, err := caseUse(ctx, tx, q, tongban.DataUseLicense)
	if err != nil {
		return nil, err
	}
	use.Resource, use.Fields = l.Identifier, []string{l.TypeName}
	use.Reason = fmt.Sprintf("%s：经持证人授权，以电子证照「%s」（%s）代替「%s」", reason, l.TypeName, l.IssuerName, q.Material.Name)
	if err := tx.RecordDataUse(ctx, use); err != nil {
		return nil, err
	}
	return &tongban.MaterialRef{Kind: tongban.RefLicense, ID: l.Identifier, Version: l.Version,
		Note: fmt.Sprintf("电子证照「%s」，%s 于 %s 签发，签名已核验；持证人已授权：%s", l.TypeName, l.IssuerName,
			l.IssuedOn.Format("2006-01-02"), reason)}, nil
}

// usable refuses a licence of another type, not valid, expired, or whose
// record no longer matches its signature.
func usable(ctx context.Context, tx tongban.Store, l *tongban.License, sm *tongban.StandardMaterial, q workflow.MaterialClaim) error {
	v, err := license.VerifyLicense(ctx, tx, l, q.Now)
	if err != nil {
		return err
	}
	switch {
	case l.TypeCode != sm.LicenseType:
		return tongban.Errorf(tongban.EInvalid, "电子证照「%s」不是本材料要求的「%s」", l.TypeName, sm.Name)
	case v.Verdict != license.VerdictValid:
		return tongban.Errorf(tongban.EInvalid, "电子证照「%s」%s，不能使用", l.TypeName, v.Label)
	}
	return nil
}

// useReason is the 用证事由 the applicant stated, or 办理「事项」.
func useReason(q workflow.MaterialClaim) (string, error) {
	r := strings.TrimSpace(q.Claimed.UseReason)
	switch {
	case r == "":
		return "办理「" + q.Case.ItemName + "」", nil
	case utf8.RuneCountInString(r) > MaxUseReason:
		return "", tongban.Errorf(tongban.EInvalid, "用证事由不超过%d个字", MaxUseReason)
	case strings.ContainsFunc(r, func(c rune) bool { return c < 0x20 || c == 0x7f }):
		return "", tongban.Errorf(tongban.EInvalid, "用证事由含有控制字符")
	}
	return r, nil
}

// LicenceOffer is one material of a listing an applicant's valid
// e-licences can stand for, with those licences, newest first.
type LicenceOffer struct {
	Key         string             `json:"key"`
	Material    string             `json:"material"`
	LicenseType string             `json:"license_type"`
	Licenses    []*tongban.License `json:"licenses"` // ID numbers masked
}

// Offers finds, for each material of ms whose standard material names a
// licence type, the applicant's licences of that type that the resolver
// would take now: 有效 and with an intact signature. Materials without
// such a licence are left out: the applicant provides them.
func (Licenses) Offers(ctx context.Context, st tongban.Store, applicant *tongban.User, ms []tongban.Material, now time.Time) ([]LicenceOffer, error) {
	var held []*tongban.License
	var out []LicenceOffer
	for _, m := range ms {
		if m.Standard == "" {
			continue
		}
		sm, err := st.StandardMaterial(ctx, m.Standard)
		if tongban.IsCode(err, tongban.ENotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		if sm.LicenseType == "" {
			continue
		}
		if held == nil {
			if held, err = st.LicensesOfHolder(ctx, applicant.ID); err != nil {
				return nil, err
			}
		}
		q := workflow.MaterialClaim{Applicant: applicant, Now: now}
		o := LicenceOffer{Key: m.Key, Material: m.Name, LicenseType: sm.LicenseType}
		for _, h := range held {
			if h.TypeCode == sm.LicenseType && usable(ctx, st, h, sm, q) == nil {
				o.Licenses = append(o.Licenses, h)
			}
		}
		if len(o.Licenses) > 0 {
			out = append(out, o)
		}
	}
	return out, nil
}
