package oidc

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

// ClientInput registers (or changes) a department system.
type ClientInput struct {
	Name           string   `json:"name"`
	OrgID          int64    `json:"org_id"`
	RedirectURIs   []string `json:"redirect_uris"`
	PostLogoutURIs []string `json:"post_logout_redirect_uris,omitempty"`
	Public         bool     `json:"public"`
	IDNumber       bool     `json:"id_number,omitempty"`
	IDTokenAlg     string   `json:"id_token_signed_response_alg,omitempty"`
}

// Audit actions of client administration.
const (
	AuditClientCreate  = "oidc_client_create"
	AuditClientSecret  = "oidc_client_secret"
	AuditClientDisable = "oidc_client_disable"
)

func (in *ClientInput) validate() error {
	in.Name = strings.TrimSpace(in.Name)
	switch n := len([]rune(in.Name)); {
	case n == 0:
		return tongban.FieldError("name", "请填写系统名称")
	case n > 50:
		return tongban.FieldError("name", "系统名称不能超过50个字")
	}
	if in.OrgID <= 0 {
		return tongban.FieldError("org_id", "请选择所属部门")
	}
	if len(in.RedirectURIs) == 0 {
		return tongban.FieldError("redirect_uris", "请至少填写一个回调地址")
	}
	var err error
	if in.RedirectURIs, err = cleanURIs("redirect_uris", "回调地址", in.RedirectURIs); err != nil {
		return err
	}
	if in.PostLogoutURIs, err = cleanURIs("post_logout_redirect_uris", "退出后回调地址", in.PostLogoutURIs); err != nil {
		return err
	}
	if in.IDTokenAlg == "" {
		in.IDTokenAlg = RS256
	}
	if !slices.Contains(Algorithms, in.IDTokenAlg) {
		return tongban.FieldError("id_token_signed_response_alg", "签名算法只能是 RS256 或 ES256")
	}
	return nil
}

// cleanURIs checks redirect URIs: absolute, https (or http to this
// machine, for development), no fragment, no credentials; at most ten.
func cleanURIs(field, label string, uris []string) ([]string, error) {
	if len(uris) > 10 {
		return nil, tongban.FieldError(field, "%s最多10个", label)
	}
	var out []string
	for i, raw := range uris {
		raw = strings.TrimSpace(raw)
		u, err := url.Parse(raw)
		bad := func(why string) error {
			return tongban.FieldError(fmt.Sprintf("%s[%d]", field, i), "%s %s %s", label, raw, why)
		}
		switch {
		case raw == "" || len(raw) > 500:
			return nil, bad("为空或过长")
		case err != nil || !u.IsAbs() || u.Host == "":
			return nil, bad("不是完整的网址")
		case u.Fragment != "" || strings.Contains(raw, "#"):
			return nil, bad("不能带 # 片段")
		case u.User != nil:
			return nil, bad("不能含用户名或密码")
		case u.Scheme == "https":
		case u.Scheme == "http" && loopback(u.Hostname()):
		default:
			return nil, bad("须使用 https（仅本机测试可用 http）")
		}
		if !slices.Contains(out, raw) {
			out = append(out, raw)
		}
	}
	return out, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Register registers a department system for its department; only a
// system admin whose region covers the department may. The secret of a
// confidential client is returned here once and kept only hashed.
func (p *Provider) Register(ctx context.Context, r identity.Request, in ClientInput) (*tongban.OIDCClient, string, error) {
	if err := in.validate(); err != nil {
		return nil, "", err
	}
	if err := p.Identity.Authorizer.RequireOrg(ctx, r.Actor, identity.PermIntegrationManage, in.OrgID); err != nil {
		return nil, "", err
	}
	c := &tongban.OIDCClient{ClientID: "tb-" + randomString(12), Name: in.Name, OrgID: in.OrgID,
		RedirectURIs: in.RedirectURIs, PostLogoutURIs: in.PostLogoutURIs, Public: in.Public, IDNumber: in.IDNumber,
		IDTokenAlg: in.IDTokenAlg, CreatedBy: r.Actor.ID, CreatedAt: p.Clock.Now()}
	secret := ""
	if !c.Public {
		secret = randomString(32)
		c.SecretHash = hash(secret)
	}
	err := p.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.CreateOIDCClient(ctx, c); err != nil {
			return err
		}
		detail := fmt.Sprintf("%s %s 回调 %s", c.ClientID, c.Name, strings.Join(c.RedirectURIs, " "))
		if c.IDNumber {
			detail += "（可获取身份证号）"
		}
		return p.audit(ctx, tx, r, AuditClientCreate, c, detail)
	})
	if err != nil {
		return nil, "", err
	}
	c, err = p.Store.OIDCClient(ctx, c.ClientID)
	return c, secret, err
}

func (p *Provider) audit(ctx context.Context, tx tongban.Store, r identity.Request, action string, c *tongban.OIDCClient, detail string) error {
	actor := "系统"
	if r.Actor != nil {
		actor = r.Actor.Name + "(" + r.Actor.Username + ")"
	}
	return audit.Append(ctx, tx, &tongban.AuditEntry{At: p.Clock.Now(), ActorID: actorID(r), Actor: actor, Action: action,
		Object: "oidc_client:" + c.ClientID, Detail: detail, IP: r.IP})
}

func actorID(r identity.Request) int64 {
	if r.Actor == nil {
		return 0
	}
	return r.Actor.ID
}

// Clients lists the systems registered for the orgs u may manage.
func (p *Provider) Clients(ctx context.Context, r identity.Request) ([]*tongban.OIDCClient, error) {
	if err := p.Identity.Authorizer.Require(r.Actor, identity.PermIntegrationManage); err != nil {
		return nil, err
	}
	all, err := p.Store.OIDCClients(ctx, nil)
	if err != nil {
		return nil, err
	}
	var out []*tongban.OIDCClient
	for _, c := range all {
		if p.Identity.Authorizer.RequireOrg(ctx, r.Actor, identity.PermIntegrationManage, c.OrgID) == nil {
			out = append(out, c)
		}
	}
	return out, nil
}

// managed loads a client the actor may manage.
func (p *Provider) managed(ctx context.Context, r identity.Request, clientID string) (*tongban.OIDCClient, error) {
	c, err := p.Store.OIDCClient(ctx, clientID)
	if err != nil {
		return nil, err
	}
	if err := p.Identity.Authorizer.RequireOrg(ctx, r.Actor, identity.PermIntegrationManage, c.OrgID); err != nil {
		return nil, err
	}
	return c, nil
}

// NewSecret replaces a confidential client's secret (the old one stops
// working at once) and returns the new one, once.
func (p *Provider) NewSecret(ctx context.Context, r identity.Request, clientID string) (string, error) {
	c, err := p.managed(ctx, r, clientID)
	if err != nil {
		return "", err
	}
	if c.Public {
		return "", tongban.Errorf(tongban.EInvalid, "公开客户端没有密钥")
	}
	secret := randomString(32)
	c.SecretHash = hash(secret)
	err = p.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.UpdateOIDCClient(ctx, c); err != nil {
			return err
		}
		return p.audit(ctx, tx, r, AuditClientSecret, c, "更换密钥")
	})
	return secret, err
}

// SetDisabled stops (or resumes) a client's sign-ins; stopping revokes the
// tokens it holds.
func (p *Provider) SetDisabled(ctx context.Context, r identity.Request, clientID string, disabled bool) error {
	c, err := p.managed(ctx, r, clientID)
	if err != nil {
		return err
	}
	c.Disabled = disabled
	return p.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.UpdateOIDCClient(ctx, c); err != nil {
			return err
		}
		detail := "启用"
		if disabled {
			detail = "停用"
			if _, err := tx.RevokeOIDCTokens(ctx, tongban.OIDCTokenFilter{ClientID: c.ClientID}, p.Clock.Now()); err != nil {
				return err
			}
		}
		return p.audit(ctx, tx, r, AuditClientDisable, c, detail)
	})
}
