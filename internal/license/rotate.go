package license

import (
	"context"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

// AuditRotate is the audit action of a seal key rotation.
const AuditRotate = "seal_key_rotate"

// RotateSealKey gives an issuing org a new seal key: licences issued from
// now on are signed with it; the old key is retired but stays published
// (GET /api/v1/seals), so every licence it signed still verifies. System
// admins and the org's department admins may rotate.
func (s *Service) RotateSealKey(ctx context.Context, r identity.Request, orgID int64) (*tongban.SealKey, error) {
	if r.Actor != nil {
		if err := s.authz().RequireOrg(ctx, r.Actor, identity.PermLicenseManage, orgID); err != nil {
			return nil, err
		}
	}
	org, err := s.Store.Org(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if org.CreditCode == "" {
		return nil, tongban.FieldError("org_id", "机构「%s」未登记统一社会信用代码，不签发电子证照，没有电子印章", org.Name)
	}
	key, err := NewSealKey(orgID)
	if err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "生成电子印章密钥失败")
	}
	now := s.Clock.Now()
	key.CreatedAt = now
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		detail := "新密钥 " + key.ID
		old, err := tx.SealKeyOf(ctx, orgID)
		switch {
		case err == nil:
			if err := tx.RetireSealKey(ctx, old.ID, now); err != nil {
				return err
			}
			detail = "旧密钥 " + old.ID + " 停用（保留用于验签），" + detail
		case !tongban.IsCode(err, tongban.ENotFound):
			return err
		}
		if err := tx.CreateSealKey(ctx, key); err != nil {
			return err
		}
		return audit.Append(ctx, tx, auditEntry(r, now, AuditRotate, "org:"+org.Code, org.Name+" 电子印章密钥轮换："+detail))
	})
	if err != nil {
		return nil, err
	}
	return key, nil
}
