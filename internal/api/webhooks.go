package api

import (
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/outbox"
)

// Webhooks of department systems, their delivery log and redelivery
// (docs/integration.md).

type webhookAnswer struct {
	*tongban.Webhook
	// Secret signs deliveries; shown once, at registration or replacement.
	Secret string `json:"secret,omitempty"`
}

type webhookView struct {
	*tongban.Webhook
	Pending   int64 `json:"pending"`
	Delivered int64 `json:"delivered"`
	Failed    int64 `json:"failed"`
}

type webhookList struct {
	Webhooks []webhookView `json:"webhooks"`
}

type deliveryList struct {
	Deliveries []*tongban.WebhookDelivery `json:"deliveries"`
}

func (a *API) webhookRoutes() {
	a.add(Route{Method: "POST", Path: "/api/v1/webhooks", Summary: "登记部门系统的推送地址（部门管理员登记本部门的，系统管理员可登记全区域的）；签名密钥只在此返回一次",
		Tag: "integration", Access: staffOnly, In: outbox.HookInput{}, Out: webhookAnswer{}, Status: http.StatusCreated,
		handle: a.registerWebhook})
	a.add(Route{Method: "GET", Path: "/api/v1/webhooks", Summary: "本人可管理的推送地址及其投递统计", Tag: "integration",
		Access: staffOnly, Out: webhookList{}, handle: a.listWebhooks})
	a.add(Route{Method: "PATCH", Path: "/api/v1/webhooks/{id}", Summary: "修改、暂停或启用推送地址，或更换签名密钥", Tag: "integration",
		Access: staffOnly, In: outbox.HookChange{}, Out: webhookAnswer{}, handle: a.changeWebhook})
	a.add(Route{Method: "GET", Path: "/api/v1/webhooks/{id}/deliveries", Summary: "推送地址的投递记录（新的在前）", Tag: "integration",
		Access: staffOnly, Query: []Param{{Name: "status", Description: "pending、delivered 或 failed"},
			{Name: "limit", Description: "条数，默认 50"}, {Name: "offset", Description: "跳过条数"}},
		Out: deliveryList{}, handle: a.listDeliveries})
	a.add(Route{Method: "POST", Path: "/api/v1/webhook-deliveries/{id}/redeliver", Summary: "重新投递一条记录（已投递或已放弃的）",
		Tag: "integration", Access: staffOnly, Out: tongban.WebhookDelivery{}, handle: a.redeliver})
}

func (a *API) registerWebhook(w http.ResponseWriter, r *http.Request) error {
	if err := needs(a.Hooks != nil, "事件推送"); err != nil {
		return err
	}
	var in outbox.HookInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	h, secret, err := a.Hooks.Register(r.Context(), a.request(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, webhookAnswer{Webhook: h, Secret: secret})
}

func (a *API) listWebhooks(w http.ResponseWriter, r *http.Request) error {
	if err := needs(a.Hooks != nil, "事件推送"); err != nil {
		return err
	}
	hs, err := a.Hooks.List(r.Context(), a.request(r))
	if err != nil {
		return err
	}
	out := webhookList{Webhooks: []webhookView{}}
	for _, h := range hs {
		t, err := a.Store.DeliveryTotals(r.Context(), h.ID)
		if err != nil {
			return err
		}
		out.Webhooks = append(out.Webhooks, webhookView{Webhook: h, Pending: t.Pending, Delivered: t.Delivered, Failed: t.Failed})
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) changeWebhook(w http.ResponseWriter, r *http.Request) error {
	if err := needs(a.Hooks != nil, "事件推送"); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in outbox.HookChange
	if err := decode(w, r, &in); err != nil {
		return err
	}
	h, secret, err := a.Hooks.Change(r.Context(), a.request(r), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, webhookAnswer{Webhook: h, Secret: secret})
}

func (a *API) listDeliveries(w http.ResponseWriter, r *http.Request) error {
	if err := needs(a.Hooks != nil, "事件推送"); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := tongban.DeliveryFilter{WebhookID: id, Status: tongban.DeliveryStatus(r.URL.Query().Get("status"))}
	if f.Limit, err = queryInt(r, "limit", 50, 500); err != nil {
		return err
	}
	if f.Offset, err = queryInt(r, "offset", 0, 1_000_000); err != nil {
		return err
	}
	ds, err := a.Hooks.Deliveries(r.Context(), a.request(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, deliveryList{Deliveries: nonNil(ds)})
}

func (a *API) redeliver(w http.ResponseWriter, r *http.Request) error {
	if err := needs(a.Hooks != nil, "事件推送"); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := a.Hooks.Redeliver(r.Context(), a.request(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// queryInt reads an optional integer query parameter within [0, max].
func queryInt(r *http.Request, name string, def, max int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > max {
		return 0, tongban.FieldError(name, "应为 0 到 %d 之间的整数", max)
	}
	return n, nil
}
