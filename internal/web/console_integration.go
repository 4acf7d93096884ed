package web

import (
	"net/http"

	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/outbox"
)

// 集成运行状态: the system admin sees whether events flow (which server
// publishes, what waits, how fast deliveries arrive, what fails) and how
// SMS and email are doing (/console/integration).

type integrationPage struct {
	Base
	Off      bool // the outbox is turned off
	Status   *outbox.Status
	Messages map[string]int64 // by status
	Failing  []hookRow
}

func (w *Web) registerConsoleIntegration(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/integration", w.handle(w.consoleIntegration))
}

func (w *Web) consoleIntegration(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	if err := w.Identity.Require(u, identity.PermIntegrationManage); err != nil {
		return err
	}
	p := integrationPage{Base: w.base(rw, r, "集成运行状态"), Off: w.Publisher == nil}
	if w.Publisher != nil {
		if p.Status, err = outbox.CurrentStatus(r.Context(), w.Store, w.Publisher.ConsumerNames(), w.Identity.Clock.Now()); err != nil {
			return err
		}
	}
	totals, err := w.Store.MessageTotals(r.Context())
	if err != nil {
		return err
	}
	p.Messages = map[string]int64{}
	for st, n := range totals {
		p.Messages[string(st)] = n
	}
	if w.Hooks != nil {
		hooks, err := w.Hooks.List(r.Context(), w.request(r))
		if err != nil {
			return err
		}
		for _, h := range hooks {
			t, err := w.Store.DeliveryTotals(r.Context(), h.ID)
			if err != nil {
				return err
			}
			if t.Failed > 0 || t.Pending > 0 {
				p.Failing = append(p.Failing, hookRow{Webhook: h, Totals: t})
			}
		}
	}
	return w.render(rw, r, http.StatusOK, "console_integration", p)
}
