package exchange

import (
	"context"
	"fmt"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/workflow"
)

// Licenses resolves `e_license` materials (用证): the applicant's own valid
// e-licence of the type the material's standard material names, whose
// record still matches its signature. The use is recorded in the data-use
// record in the case's transaction. A claim naming an identifier uses that
// licence; without one the newest valid licence of the type is used.
type Licenses struct{}

var _ workflow.MaterialResolver = Licenses{}

func (Licenses) ResolveMaterial(ctx context.Context, tx tongban.Store, q workflow.MaterialClaim) (*tongban.MaterialRef, error) {
	if q.Material.Standard == "" {
		return nil, tongban.Errorf(tongban.EInvalid, "该材料未关联标准材料，不能以电子证照代替")
	}
	sm, err := tx.StandardMaterial(ctx, q.Material.Standard)
	if err != nil {
		return nil, err
	}
	if sm.LicenseType == "" {
		return nil, tongban.Errorf(tongban.EInvalid, "「%s」没有对应的电子证照类型", sm.Name)
	}
	var l *tongban.License
	if claim := strings.TrimSpace(q.Claimed.Claim); claim != "" {
		if _, err := license.ParseIdentifier(claim); err != nil {
			return nil, err
		}
		l, err = tx.LicenseByIdentifier(ctx, claim)
		if tongban.IsCode(err, tongban.ENotFound) || (err == nil && l.HolderID != q.Applicant.ID) {
			return nil, tongban.Errorf(tongban.EInvalid, "申请人没有标识为 %s 的电子证照", claim)
		} else if err != nil {
			return nil, err
		}
		if err := usable(ctx, tx, l, sm, q); err != nil {
			return nil, err
		}
	} else {
		held, err := tx.LicensesOfHolder(ctx, q.Applicant.ID)
		if err != nil {
			return nil, err
		}
		for _, h := range held {
			if h.TypeCode == sm.LicenseType && usable(ctx, tx, h, sm, q) == nil {
				l = h
				break
			}
		}
		if l == nil {
			return nil, tongban.Errorf(tongban.EInvalid, "申请人没有有效的「%s」电子证照，请上传材料", sm.Name)
		}
	}
	use, err := caseUse(ctx, tx, q, tongban.DataUseLicense)
	if err != nil {
		return nil, err
	}
	use.Resource, use.Fields = l.Identifier, []string{l.TypeName}
	use.Reason = fmt.Sprintf("办理「%s」，以电子证照「%s」（%s）代替「%s」", q.Case.ItemName, l.TypeName, l.IssuerName, q.Material.Name)
	if err := tx.RecordDataUse(ctx, use); err != nil {
		return nil, err
	}
	return &tongban.MaterialRef{Kind: tongban.RefLicense, ID: l.Identifier, Version: l.Version,
		Note: fmt.Sprintf("电子证照「%s」，%s 于 %s 签发，签名已核验", l.TypeName, l.IssuerName, l.IssuedOn.Format("2006-01-02"))}, nil
}

// usable refuses a licence of another type, not valid, expired, or whose
// record no longer matches its signature.
func usable(ctx context.Context, tx tongban.Store, l *tongban.License, sm *tongban.StandardMaterial, q workflow.MaterialClaim) error {
	v, err := license.Verify(ctx, tx, l.Identifier, q.Now)
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
