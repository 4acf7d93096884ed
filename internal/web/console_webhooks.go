package web

import (
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/outbox"
)

// 事件推送: department admins register their systems' webhooks, read each
// one's delivery log and send deliveries again (/console/webhooks).

type webhooksPage struct {
	Base
	Hooks   []hookRow
	Orgs    []*tongban.Org
	Form    form
	Created *tongban.Webhook
	Secret  string
	// CanRegionWide: a system admin may register region-wide webhooks.
	CanRegionWide bool
}

type hookRow struct {
	*tongban.Webhook
	OrgName string
	Totals  tongban.DeliveryTotals
}

type deliveriesPage struct {
	Base
	Hook       *tongban.Webhook
	Deliveries []*tongban.WebhookDelivery
	Status     string
	Statuses   []tongban.DeliveryStatus
}

func (w *Web) registerConsoleWebhooks(mux *http.ServeMux) {
	if w.Hooks == nil {
		return
	}
	mux.HandleFunc("GET /console/webhooks", w.handle(w.consoleWebhooks))
	mux.HandleFunc("POST /console/webhooks", w.handle(w.consoleWebhookRegister))
	mux.HandleFunc("GET /console/webhooks/{id}", w.handle(w.consoleWebhookLog))
	mux.HandleFunc("POST /console/webhooks/{id}", w.handle(w.consoleWebhookChange))
	mux.HandleFunc("POST /console/webhooks/deliveries/{id}", w.handle(w.consoleRedeliver))
}

func (w *Web) webhooksPage(rw http.ResponseWriter, r *http.Request) (webhooksPage, error) {
	u, err := w.signedIn(r)
	if err != nil {
		return webhooksPage{}, err
	}
	p := webhooksPage{Base: w.base(rw, r, "事件推送"), Form: newForm(), CanRegionWide: w.Identity.Can(u, identity.PermIntegrationManage)}
	hooks, err := w.Hooks.List(r.Context(), w.request(r))
	if err != nil {
		return p, err
	}
	for _, h := range hooks {
		row := hookRow{Webhook: h}
		if o, err := w.Store.Org(r.Context(), h.OrgID); err == nil {
			row.OrgName = o.Name
		}
		if row.Totals, err = w.Store.DeliveryTotals(r.Context(), h.ID); err != nil {
			return p, err
		}
		p.Hooks = append(p.Hooks, row)
	}
	p.Orgs, err = w.manageableOrgs(r.Context(), u, identity.PermWebhookManage)
	return p, err
}

func (w *Web) consoleWebhooks(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.webhooksPage(rw, r)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "console_webhooks", p)
}

func (w *Web) consoleWebhookRegister(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.webhooksPage(rw, r)
	if err != nil {
		return err
	}
	in := outbox.HookInput{Name: r.PostFormValue("name"), OrgID: formInt(r, "org_id"), URL: r.PostFormValue("url"),
		EventTypes: lines(r.PostFormValue("event_types")), RegionWide: r.PostFormValue("region_wide") == "on"}
	h, secret, err := w.Hooks.Register(r.Context(), w.request(r), in)
	if err != nil {
		if !formError(err) {
			return err
		}
		p.Form.fail(err)
		for _, k := range []string{"name", "url", "event_types"} {
			p.Form.Values[k] = r.PostFormValue(k)
		}
		return w.render(rw, r, tongban.HTTPStatus(err), "console_webhooks", p)
	}
	p.Created, p.Secret = h, secret // shown on this answer only
	p.Hooks = append(p.Hooks, hookRow{Webhook: h})
	return w.render(rw, r, http.StatusCreated, "console_webhooks", p)
}

func (w *Web) consoleWebhookChange(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	var c outbox.HookChange
	switch r.PostFormValue("action") {
	case "pause", "resume":
		active := r.PostFormValue("action") == "resume"
		c.Active = &active
	case "secret":
		c.NewSecret = true
	default:
		return tongban.FieldError("action", "未知操作")
	}
	h, secret, err := w.Hooks.Change(r.Context(), w.request(r), id, c)
	if err != nil {
		return err
	}
	if secret == "" {
		return w.done(rw, r, "/console/webhooks", "已更新推送地址 "+h.Name)
	}
	p, err := w.webhooksPage(rw, r)
	if err != nil {
		return err
	}
	p.Created, p.Secret = h, secret
	return w.render(rw, r, http.StatusOK, "console_webhooks", p)
}

func (w *Web) consoleWebhookLog(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	h, err := w.Hooks.Get(r.Context(), w.request(r), id)
	if err != nil {
		return err
	}
	p := deliveriesPage{Base: w.base(rw, r, "投递记录"), Hook: h, Status: r.URL.Query().Get("status"),
		Statuses: []tongban.DeliveryStatus{tongban.DeliveryPending, tongban.DeliveryDelivered, tongban.DeliveryFailed}}
	p.Deliveries, err = w.Hooks.Deliveries(r.Context(), w.request(r), tongban.DeliveryFilter{WebhookID: id,
		Status: tongban.DeliveryStatus(p.Status), Limit: 100})
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "console_webhook_log", p)
}

func (w *Web) consoleRedeliver(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	d, err := w.Hooks.Redeliver(r.Context(), w.request(r), id)
	if err != nil {
		return err
	}
	return w.done(rw, r, "/console/webhooks/"+strconv.FormatInt(d.WebhookID, 10), "已安排重新投递")
}

func pathInt(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, tongban.Errorf(tongban.ENotFound, "页面不存在")
	}
	return n, nil
}
