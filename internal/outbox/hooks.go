package outbox

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

// Hooks administers webhooks: a department admin registers its own
// department's systems; a system admin any department's in its region, and
// region-wide ones. Each change is audited; the secret is shown once.
type Hooks struct {
	Store tongban.Store
	Clock tongban.Clock
	Authz identity.Authorizer
}

// HookInput registers or changes a webhook.
type HookInput struct {
	Name       string   `json:"name"`
	OrgID      int64    `json:"org_id"`
	URL        string   `json:"url"`
	EventTypes []string `json:"event_types,omitempty"`
	RegionWide bool     `json:"region_wide,omitempty"`
}

// Audit actions of webhook administration.
const (
	AuditHookCreate     = "webhook_create"
	AuditHookChange     = "webhook_change"
	AuditHookRedelivery = "webhook_redeliver"
)

func (in *HookInput) validate() error {
	in.Name = strings.TrimSpace(in.Name)
	if n := len([]rune(in.Name)); n == 0 || n > 50 {
		return tongban.FieldError("name", "请填写系统名称（不超过50个字）")
	}
	if in.OrgID <= 0 {
		return tongban.FieldError("org_id", "请选择所属部门")
	}
	in.URL = strings.TrimSpace(in.URL)
	u, err := url.Parse(in.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || len(in.URL) > 500 {
		return tongban.FieldError("url", "推送地址应为完整的 http(s) 网址，且不含用户名密码")
	}
	var types []string
	for i, t := range in.EventTypes {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if _, err := path.Match(t, "case.accept"); err != nil || (t != "*" && !strings.Contains(t, ".")) || len(t) > 64 {
			return tongban.FieldError(fmt.Sprintf("event_types[%d]", i), "事件类型应如 case.accept 或 case.*")
		}
		types = append(types, t)
	}
	in.EventTypes = types
	return nil
}

func (h *Hooks) authorize(ctx context.Context, u *tongban.User, orgID int64, regionWide bool) error {
	if err := h.Authz.RequireOrg(ctx, u, identity.PermWebhookManage, orgID); err != nil {
		return err
	}
	if regionWide {
		return h.Authz.RequireOrg(ctx, u, identity.PermIntegrationManage, orgID)
	}
	return nil
}

// Register registers a webhook and returns it with its signing secret,
// shown this once.
func (h *Hooks) Register(ctx context.Context, r identity.Request, in HookInput) (*tongban.Webhook, string, error) {
	if err := in.validate(); err != nil {
		return nil, "", err
	}
	if err := h.authorize(ctx, r.Actor, in.OrgID, in.RegionWide); err != nil {
		return nil, "", err
	}
	hook := &tongban.Webhook{OrgID: in.OrgID, Name: in.Name, URL: in.URL, Secret: NewSecret(), EventTypes: in.EventTypes,
		RegionWide: in.RegionWide, Active: true, CreatedBy: r.Actor.ID, CreatedAt: h.Clock.Now()}
	err := h.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.CreateWebhook(ctx, hook); err != nil {
			return err
		}
		return h.audit(ctx, tx, r, AuditHookCreate, hook, hook.Name+" "+hook.URL+" "+strings.Join(hook.EventTypes, ","))
	})
	if err != nil {
		return nil, "", err
	}
	return hook, hook.Secret, nil
}

func (h *Hooks) audit(ctx context.Context, tx tongban.Store, r identity.Request, action string, hook *tongban.Webhook, detail string) error {
	return audit.Append(ctx, tx, &tongban.AuditEntry{At: h.Clock.Now(), ActorID: r.Actor.ID,
		Actor: r.Actor.Name + "(" + r.Actor.Username + ")", Action: action, Object: fmt.Sprintf("webhook:%d", hook.ID),
		Detail: detail, IP: r.IP})
}

// List returns the webhooks the actor may manage.
func (h *Hooks) List(ctx context.Context, r identity.Request) ([]*tongban.Webhook, error) {
	if err := h.Authz.Require(r.Actor, identity.PermWebhookManage); err != nil {
		return nil, err
	}
	all, err := h.Store.Webhooks(ctx, nil, false)
	if err != nil {
		return nil, err
	}
	var out []*tongban.Webhook
	for _, hook := range all {
		if h.authorize(ctx, r.Actor, hook.OrgID, hook.RegionWide) == nil {
			out = append(out, hook)
		}
	}
	return out, nil
}

// Get returns a webhook the actor may manage.
func (h *Hooks) Get(ctx context.Context, r identity.Request, id int64) (*tongban.Webhook, error) {
	hook, err := h.Store.Webhook(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := h.authorize(ctx, r.Actor, hook.OrgID, hook.RegionWide); err != nil {
		return nil, err
	}
	return hook, nil
}

// HookChange changes a webhook; nil fields stay as they are.
type HookChange struct {
	Name       *string   `json:"name,omitempty"`
	URL        *string   `json:"url,omitempty"`
	EventTypes *[]string `json:"event_types,omitempty"`
	Active     *bool     `json:"active,omitempty"`
	NewSecret  bool      `json:"new_secret,omitempty"` // replace the secret; the answer shows the new one once
}

// Change applies c and returns the webhook and, when asked for, its new secret.
func (h *Hooks) Change(ctx context.Context, r identity.Request, id int64, c HookChange) (*tongban.Webhook, string, error) {
	hook, err := h.Get(ctx, r, id)
	if err != nil {
		return nil, "", err
	}
	in := HookInput{Name: hook.Name, OrgID: hook.OrgID, URL: hook.URL, EventTypes: hook.EventTypes, RegionWide: hook.RegionWide}
	if c.Name != nil {
		in.Name = *c.Name
	}
	if c.URL != nil {
		in.URL = *c.URL
	}
	if c.EventTypes != nil {
		in.EventTypes = *c.EventTypes
	}
	if err := in.validate(); err != nil {
		return nil, "", err
	}
	hook.Name, hook.URL, hook.EventTypes = in.Name, in.URL, in.EventTypes
	var changes []string
	if c.Active != nil && *c.Active != hook.Active {
		hook.Active = *c.Active
		changes = append(changes, map[bool]string{true: "启用", false: "暂停"}[hook.Active])
	}
	secret := ""
	if c.NewSecret {
		secret = NewSecret()
		hook.Secret = secret
		changes = append(changes, "更换密钥")
	}
	err = h.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.UpdateWebhook(ctx, hook); err != nil {
			return err
		}
		return h.audit(ctx, tx, r, AuditHookChange, hook, strings.Join(append(changes, hook.URL), " "))
	})
	return hook, secret, err
}

// Deliveries is a webhook's delivery log, newest first.
func (h *Hooks) Deliveries(ctx context.Context, r identity.Request, f tongban.DeliveryFilter) ([]*tongban.WebhookDelivery, error) {
	if _, err := h.Get(ctx, r, f.WebhookID); err != nil {
		return nil, err
	}
	if f.Status != "" && !f.Status.Valid() {
		return nil, tongban.FieldError("status", "投递状态只能是 pending、delivered 或 failed")
	}
	return h.Store.Deliveries(ctx, f)
}

// Redeliver sends a delivery again (delivered or given up), now.
func (h *Hooks) Redeliver(ctx context.Context, r identity.Request, deliveryID int64) (*tongban.WebhookDelivery, error) {
	d, err := h.Store.Delivery(ctx, deliveryID)
	if err != nil {
		return nil, err
	}
	hook, err := h.Get(ctx, r, d.WebhookID)
	if err != nil {
		return nil, err
	}
	err = h.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.RequeueDelivery(ctx, d.ID, h.Clock.Now()); err != nil {
			return err
		}
		return h.audit(ctx, tx, r, AuditHookRedelivery, hook, fmt.Sprintf("重新投递 %d（%s %s）", d.ID, d.Event.Type, d.Subject))
	})
	if err != nil {
		return nil, err
	}
	return h.Store.Delivery(ctx, deliveryID)
}
