package outbox_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/store"
	"github.com/tongban/tongban/internal/storetest"
)

// world is a city with two districts' departments, an outbox and a
// publisher that runs when told to, on a clock that moves when told to.
type world struct {
	t     *testing.T
	ctx   context.Context
	st    *store.Store
	clock *tongban.ManualClock
	// city office (region 511600), the district's market regulator and its
	// branch office below it, the district's social security bureau, and a
	// department of another district.
	city, dept, branch, rsj, other *tongban.Org
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newWorld(t *testing.T, d sqldb.Dialect) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), st: storetest.Open(t, d), clock: tongban.NewManualClock(t0)}
	for _, r := range []tongban.Region{{Code: "510000000000", Name: "四川省"}, {Code: "511600000000", Name: "广安市"},
		{Code: "511602000000", Name: "广安区"}, {Code: "511603000000", Name: "前锋区"}} {
		w.must(w.st.CreateRegion(w.ctx, &r))
	}
	org := func(code, name, region string, parent *tongban.Org) *tongban.Org {
		o := &tongban.Org{Code: code, Name: name, Kind: tongban.OrgDepartment, RegionCode: region}
		if parent != nil {
			o.ParentID = parent.ID
		}
		w.must(w.st.CreateOrg(w.ctx, o))
		return o
	}
	w.city = org("gas-zwfwj", "广安市政务服务管理局", "511600000000", nil)
	w.dept = org("gaq-scjgj", "广安区市场监督管理局", "511602000000", nil)
	w.branch = org("gaq-scjgj-bc", "广安区市场监督管理局北辰市场监管所", "511602000000", w.dept)
	w.rsj = org("gaq-rsj", "广安区人力资源和社会保障局", "511602000000", nil)
	w.other = org("qfq-scjgj", "前锋区市场监督管理局", "511603000000", nil)
	return w
}

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

// event commits one event of org's, now.
func (w *world) event(typ, subject string, org *tongban.Org) {
	w.t.Helper()
	w.must(outbox.Append(w.ctx, w.st, typ, subject, outbox.Scope{RegionCode: org.RegionCode, OrgID: org.ID},
		w.clock.Now(), map[string]string{"subject": subject}))
}

// stored returns every event in the outbox.
func (w *world) stored() []*tongban.OutboxEvent {
	w.t.Helper()
	evs, err := w.st.OutboxEvents(w.ctx, 0, math.MaxInt64, 10000)
	w.must(err)
	return evs
}

func (w *world) webhook(url string, org *tongban.Org, regionWide bool, types ...string) *tongban.Webhook {
	w.t.Helper()
	h := &tongban.Webhook{OrgID: org.ID, Name: org.Name + "业务系统", URL: url, Secret: outbox.NewSecret(),
		EventTypes: types, RegionWide: regionWide, Active: true, CreatedAt: w.clock.Now()}
	w.must(w.st.CreateWebhook(w.ctx, h))
	return h
}

// publisher runs in the test's goroutine: RunOnce moves the consumers and
// runs one round of every webhook's sender.
func (w *world) publisher(extra ...outbox.Consumer) *outbox.Publisher {
	hooks := &outbox.Webhooks{Store: w.st, Clock: w.clock, Log: quiet}
	return &outbox.Publisher{Store: w.st, Clock: w.clock, Consumers: append([]outbox.Consumer{hooks}, extra...),
		Workers: []outbox.Worker{hooks}, Log: quiet}
}

func (w *world) run(p *outbox.Publisher) {
	w.t.Helper()
	w.must(p.RunOnce(w.ctx))
}

// receiver is a department system's endpoint: it checks each delivery's
// signature as docs/integration.md tells receivers to, and keeps what it
// got. While down it answers 503.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	clock  tongban.Clock
	secret string

	mu       sync.Mutex
	down     bool
	got      []*tongban.OutboxEvent
	attempts int // requests, answered or not
	refused  int // while down, or refused once
	// refuseOnce names events ("subject type") refused at their first
	// attempt, as a receiver's passing fault would.
	refuseOnce map[string]bool
}

func newReceiver(t *testing.T, clock tongban.Clock) *receiver {
	r := &receiver{t: t, clock: clock}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts++
	if r.down {
		r.refused++
		http.Error(w, "维护中", http.StatusServiceUnavailable)
		return
	}
	if err := outbox.Verify(r.secret, req.Header.Get(outbox.HeaderTimestamp), req.Header.Get(outbox.HeaderSignature),
		body, r.clock.Now(), 5*time.Minute); err != nil {
		r.t.Errorf("delivery refused: %v", err)
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var e tongban.OutboxEvent
	if err := json.Unmarshal(body, &e); err != nil {
		r.t.Errorf("delivery body: %v", err)
	}
	if key := e.Subject + " " + e.Type; r.refuseOnce[key] {
		delete(r.refuseOnce, key)
		r.refused++
		http.Error(w, "稍后再试", http.StatusServiceUnavailable)
		return
	}
	if req.Header.Get(outbox.HeaderEventID) != e.EventID || req.Header.Get(outbox.HeaderEventType) != e.Type {
		r.t.Errorf("headers %v do not name event %s %s", req.Header, e.EventID, e.Type)
	}
	r.got = append(r.got, &e)
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) setDown(down bool) {
	r.mu.Lock()
	r.down = down
	r.mu.Unlock()
}

func (r *receiver) received() []*tongban.OutboxEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*tongban.OutboxEvent(nil), r.got...)
}

// checkInOrder fails unless got holds exactly the want events (by ID), each
// once, and events of one subject in the order they were stored.
func checkInOrder(t *testing.T, who string, got, want []*tongban.OutboxEvent) {
	t.Helper()
	pos := map[string]int{}
	for i, e := range want {
		pos[e.EventID] = i
	}
	seen := map[string]bool{}
	last := map[string]int{}
	for _, e := range got {
		i, ok := pos[e.EventID]
		switch {
		case !ok:
			t.Errorf("%s got %s %s %s, which it should not", who, e.Type, e.Subject, e.EventID)
			continue
		case seen[e.EventID]:
			t.Errorf("%s got %s twice", who, e.EventID)
		}
		seen[e.EventID] = true
		if p, ok := last[e.Subject]; ok && p > i {
			t.Errorf("%s got %s's events out of order", who, e.Subject)
		}
		last[e.Subject] = i
	}
	if len(seen) != len(want) {
		t.Errorf("%s got %d of its %d events", who, len(seen), len(want))
	}
}

func filter(evs []*tongban.OutboxEvent, keep func(*tongban.OutboxEvent) bool) []*tongban.OutboxEvent {
	var out []*tongban.OutboxEvent
	for _, e := range evs {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}
