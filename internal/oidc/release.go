package oidc

import (
	"context"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/notify"
	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// ScopeLabel is what the consent page says a scope releases.
func ScopeLabel(scope string) string {
	switch scope {
	case oidc.ScopeProfile:
		return "您的姓名（企业为名称）"
	case oidc.ScopePhone:
		return "您已验证的手机号码"
	case ScopeIDNumber:
		return "您的居民身份证号码"
	case oidc.ScopeOfflineAccess:
		return "在您不在线时继续访问（刷新令牌）"
	}
	return scope
}

// AuditOIDCRelease is the audit action of a release of personal data to a
// department system.
const AuditOIDCRelease = "oidc_release"

// release fills the userinfo answer from the token's scopes. Each release
// of personal data (a name, a phone, an ID number) is written to the
// person's data-use record and the audit log in one transaction with the
// read, so the person sees which system received what.
func (p *Provider) release(ctx context.Context, info *oidc.UserInfo, t *tongban.OIDCToken) error {
	c, err := p.Store.OIDCClient(ctx, t.ClientID)
	if err != nil {
		return err
	}
	return p.Store.Transact(ctx, func(tx tongban.Store) error {
		u, err := tx.User(ctx, t.UserID)
		if err != nil {
			return err
		}
		info.Subject = subject(u.ID)
		var fields []string
		if hasScope(t.Scopes, oidc.ScopeProfile) {
			info.Name = u.Name
			fields = append(fields, "name")
		}
		if hasScope(t.Scopes, oidc.ScopePhone) && notify.PhoneProved(u) {
			info.PhoneNumber, info.PhoneNumberVerified = "+86"+u.Phone.Reveal(), true
			fields = append(fields, "phone")
		}
		if hasScope(t.Scopes, ScopeIDNumber) && c.IDNumber && u.IDNumber != "" {
			info.AppendClaims(ScopeIDNumber, u.IDNumber.Reveal())
			fields = append(fields, "id_number")
		}
		if len(fields) == 0 {
			return nil
		}
		now := p.Clock.Now()
		actor := c.Name
		if c.OrgName != "" {
			actor = c.OrgName + " " + c.Name
		}
		if err := tx.RecordDataUse(ctx, &tongban.DataUse{SubjectID: u.ID, At: now, Kind: tongban.DataUseAPIRelease,
			ActorName: actor, OrgID: c.OrgID, OrgName: c.OrgName, Resource: "oidc:" + c.ClientID, Fields: fields,
			Reason: "统一身份认证登录（" + c.Name + "）"}); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &tongban.AuditEntry{At: now, Actor: actor, Action: AuditOIDCRelease,
			Object: "user:" + subject(u.ID), Detail: c.ClientID + " " + strings.Join(fields, ",")})
	})
}
