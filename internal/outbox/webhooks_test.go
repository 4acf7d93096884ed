package outbox_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// Each webhook hears its department's events (its own org and below, or its
// whole region when registered region-wide), of the types it asked for,
// signed, once each, in order per subject.
func TestWebhooksHearTheirDepartment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		p := w.publisher()
		w.run(p) // cursors start here: what came before is not replayed

		deptSys, otherSys, citySys := newReceiver(t, w.clock), newReceiver(t, w.clock), newReceiver(t, w.clock)
		deptSys.secret = w.webhook(deptSys.srv.URL, w.dept, false, "case.*").Secret
		otherSys.secret = w.webhook(otherSys.srv.URL, w.other, false).Secret
		citySys.secret = w.webhook(citySys.srv.URL, w.city, true, "case.accepted").Secret
		paused := w.webhook(deptSys.srv.URL, w.dept, false)
		paused.Active = false
		w.must(w.st.UpdateWebhook(w.ctx, paused))

		for i := range 4 {
			for _, step := range []string{"case.submitted", "case.accepted", "case.approved"} {
				org := []*tongban.Org{w.dept, w.branch, w.rsj, w.other}[i]
				w.event(step, fmt.Sprintf("case:5116-%d", i), org)
				w.clock.Advance(time.Second)
			}
		}
		w.event("license.issued", "license:1.2.156.3005.2.x", w.dept)
		w.run(p)
		w.run(p) // a second run sends nothing again

		all := w.stored()
		isCase := func(e *tongban.OutboxEvent) bool { return strings.HasPrefix(e.Type, "case.") }
		checkInOrder(t, "the district regulator", deptSys.received(), filter(all, func(e *tongban.OutboxEvent) bool {
			return isCase(e) && (e.OrgID == w.dept.ID || e.OrgID == w.branch.ID)
		}))
		checkInOrder(t, "the other district", otherSys.received(), filter(all, func(e *tongban.OutboxEvent) bool {
			return e.OrgID == w.other.ID
		}))
		checkInOrder(t, "the city's platform", citySys.received(), filter(all, func(e *tongban.OutboxEvent) bool {
			return e.Type == "case.accepted"
		}))
		log, err := w.st.Deliveries(w.ctx, tongban.DeliveryFilter{WebhookID: paused.ID})
		w.must(err)
		if len(log) != 0 {
			t.Errorf("a paused webhook got %d deliveries", len(log))
		}
		log, err = w.st.Deliveries(w.ctx, tongban.DeliveryFilter{})
		w.must(err)
		for _, d := range log {
			if d.Status != tongban.DeliveryDelivered || d.Attempts != 1 || d.LastStatus != http.StatusNoContent || d.Event == nil {
				t.Errorf("delivery log: %+v", d)
			}
		}
	})
}

// A case's events that came together go out in one round, in order, not
// one a round; when one of them fails, the later ones wait for it.
func TestASubjectsEventsGoInOneRoundInOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		counting := &dueCountingStore{Store: w.st}
		hooks := &outbox.Webhooks{Store: counting, Clock: w.clock, Log: quiet}
		p := &outbox.Publisher{Store: w.st, Clock: w.clock, Consumers: []outbox.Consumer{hooks},
			Workers: []outbox.Worker{hooks}, Log: quiet}
		w.run(p)
		sys := newReceiver(t, w.clock)
		sys.secret = w.webhook(sys.srv.URL, w.dept, false).Secret
		steps := []string{"case.submitted", "case.accepted", "case.approved"}
		for _, step := range steps {
			w.event(step, "case:A", w.dept)
		}
		w.event("case.submitted", "case:B", w.dept)
		counting.due = nil
		w.run(p)
		checkInOrder(t, "the endpoint", sys.received(), w.stored())
		if len(counting.due) == 0 || counting.due[0] != 4 {
			t.Errorf("rounds took %v deliveries; want all four in the first", counting.due)
		}

		before := len(sys.received())
		sys.mu.Lock()
		sys.refuseOnce = map[string]bool{"case:C case.accepted": true}
		sys.mu.Unlock()
		for _, step := range steps {
			w.event(step, "case:C", w.dept)
		}
		w.run(p)
		if got := sys.received()[before:]; len(got) != 1 || got[0].Type != "case.submitted" {
			var types []string
			for _, e := range got {
				types = append(types, e.Type)
			}
			t.Fatalf("after case:C's second event failed, the endpoint got %v", types)
		}
		w.clock.Advance(outbox.RetryAfter(1))
		w.run(p)
		checkInOrder(t, "the endpoint", sys.received(), w.stored())
		log, err := w.st.Deliveries(w.ctx, tongban.DeliveryFilter{})
		w.must(err)
		for _, dl := range log {
			want := 1
			if dl.Event.Subject == "case:C" && dl.Event.Type == "case.accepted" {
				want = 2
			}
			if dl.Status != tongban.DeliveryDelivered || dl.Attempts != want {
				t.Errorf("%s %s: %s after %d attempts, want delivered after %d", dl.Event.Subject, dl.Event.Type,
					dl.Status, dl.Attempts, want)
			}
		}
	})
}

// dueCountingStore notes how many deliveries each sender round took.
type dueCountingStore struct {
	tongban.Store
	due []int
}

func (s *dueCountingStore) DueDeliveries(ctx context.Context, webhookID int64, now time.Time, limit int) ([]*tongban.WebhookDelivery, error) {
	ds, err := s.Store.DueDeliveries(ctx, webhookID, now, limit)
	s.due = append(s.due, len(ds))
	return ds, err
}

// An endpoint down for ten minutes gets everything, in order, once it is
// back; meanwhile it is probed along the backoff schedule, not hammered
// with every pending event.
func TestEndpointDownTenMinutes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		p := w.publisher()
		w.run(p)
		sys := newReceiver(t, w.clock)
		sys.secret = w.webhook(sys.srv.URL, w.dept, false).Secret
		sys.setDown(true)
		start := w.clock.Now()
		for i := range 20 {
			w.event("case.submitted", fmt.Sprintf("case:%d", i%4), w.dept)
			if i%5 == 4 {
				w.run(p)
				w.clock.Advance(15 * time.Second)
			}
		}
		for w.clock.Now().Sub(start) < 10*time.Minute {
			w.run(p)
			w.clock.Advance(15 * time.Second)
		}
		if n := len(sys.received()); n != 0 {
			t.Fatalf("received %d while down", n)
		}
		if sys.refused > 12 {
			t.Errorf("a dead endpoint was tried %d times in 10 minutes; want a probe per backoff step", sys.refused)
		}
		sys.setDown(false)
		for i := 0; len(sys.received()) < 20 && i < 200; i++ {
			w.clock.Advance(15 * time.Second)
			w.run(p)
		}
		checkInOrder(t, "the returning endpoint", sys.received(), w.stored())
		if back := w.clock.Now().Sub(start); back > 25*time.Minute {
			t.Errorf("everything arrived %s after the first event; the backoff is too long", back)
		}
		totals, err := w.st.DeliveryTotals(w.ctx, 0)
		w.must(err)
		if totals.Delivered != 20 || totals.Pending != 0 || totals.Failed != 0 {
			t.Errorf("totals %+v", totals)
		}
	})
}

// After a day of failures a delivery is given up (failed in the log), and
// an admin's redelivery sends it once the endpoint works.
func TestGiveUpAfterADayThenRedeliver(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		p := w.publisher()
		w.run(p)
		sys := newReceiver(t, w.clock)
		sys.secret = w.webhook(sys.srv.URL, w.dept, false).Secret
		sys.setDown(true)
		w.event("case.submitted", "case:1", w.dept)
		w.event("case.accepted", "case:1", w.dept)
		for range 26 * 3 {
			w.run(p)
			w.clock.Advance(20 * time.Minute)
		}
		log, err := w.st.Deliveries(w.ctx, tongban.DeliveryFilter{})
		w.must(err)
		if len(log) != 2 {
			t.Fatalf("log: %d deliveries", len(log))
		}
		for _, d := range log {
			if d.Status != tongban.DeliveryFailed || d.LastError == "" {
				t.Errorf("after 26 hours: %+v", d)
			}
		}
		// The first was retried about 30 times; the second waited behind it
		// (same subject) and was never tried.
		if first := log[1]; first.Attempts < 20 || first.Attempts > 40 || first.LastStatus != http.StatusServiceUnavailable {
			t.Errorf("first delivery: %d attempts, last status %d", first.Attempts, first.LastStatus)
		}
		if second := log[0]; second.Attempts != 0 {
			t.Errorf("the later event of the subject was tried %d times before the earlier one got through", second.Attempts)
		}
		sys.setDown(false)
		for _, d := range []int64{log[1].ID, log[0].ID} {
			w.must(w.st.RequeueDelivery(w.ctx, d, w.clock.Now()))
		}
		w.run(p)
		checkInOrder(t, "after redelivery", sys.received(), w.stored())
	})
}

// A webhook that hangs delays only itself: the other department's system
// gets its events while the first sender waits on its endpoint.
func TestDeadEndpointDelaysOnlyItself(t *testing.T) {
	w := newWorld(t, sqldb.SQLite)
	release := make(chan struct{})
	hung := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		http.Error(rw, "gone", http.StatusBadGateway)
	}))
	defer hung.Close()
	defer close(release)
	sys := newReceiver(t, tongban.SystemClock{})
	w.webhook(hung.URL, w.dept, true)
	sys.secret = w.webhook(sys.srv.URL, w.rsj, false).Secret

	hooks := &outbox.Webhooks{Store: w.st, Clock: tongban.SystemClock{}, Background: true, Log: quiet,
		Client: &http.Client{Timeout: time.Minute}}
	p := (&outbox.Publisher{Store: w.st, Clock: tongban.SystemClock{}, Consumers: []outbox.Consumer{hooks},
		Workers: []outbox.Worker{hooks}, PollEvery: 20 * time.Millisecond, Log: quiet}).Start()
	defer p.Stop()
	for !p.Leader() {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // the cursors start
	for i := range 30 {
		w.event("case.submitted", fmt.Sprintf("case:%d", i), w.rsj)
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(sys.received()) < 30 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := len(sys.received()); n != 30 {
		t.Fatalf("the healthy endpoint got %d of 30 events while the other hung", n)
	}
}

func TestRetryAfter(t *testing.T) {
	want := []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second}
	for i, w := range want {
		if got := outbox.RetryAfter(i + 1); got != w {
			t.Errorf("RetryAfter(%d) = %s, want %s", i+1, got, w)
		}
	}
	if got := outbox.RetryAfter(30); got != time.Hour {
		t.Errorf("RetryAfter(30) = %s, want the 1 h cap", got)
	}
	var total time.Duration
	n := 0
	for total < outbox.RetryFor {
		n++
		total += outbox.RetryAfter(n)
	}
	if n < 25 || n > 35 {
		t.Errorf("a day holds %d attempts; the schedule is off", n)
	}
}

func TestSignatureVerifies(t *testing.T) {
	secret, body, ts := outbox.NewSecret(), []byte(`{"id":"e1","type":"case.accepted"}`), time.Unix(1772442000, 0)
	sig := outbox.Sign(secret, ts, body)
	stamp := fmt.Sprint(ts.Unix())
	if err := outbox.Verify(secret, stamp, sig, body, ts.Add(time.Minute), 5*time.Minute); err != nil {
		t.Fatalf("a good signature: %v", err)
	}
	for name, tc := range map[string]struct {
		secret, stamp, sig string
		body               []byte
		now                time.Time
	}{
		"another secret":     {outbox.NewSecret(), stamp, sig, body, ts},
		"a changed body":     {secret, stamp, sig, []byte(`{"id":"e1","type":"case.denied"}`), ts},
		"a changed stamp":    {secret, fmt.Sprint(ts.Unix() + 1), sig, body, ts},
		"an old delivery":    {secret, stamp, sig, body, ts.Add(time.Hour)},
		"no signature":       {secret, stamp, "", body, ts},
		"a malformed stamp":  {secret, "yesterday", sig, body, ts},
		"another scheme tag": {secret, stamp, strings.Replace(sig, "v1=", "v0=", 1), body, ts},
	} {
		if err := outbox.Verify(tc.secret, tc.stamp, tc.sig, tc.body, tc.now, 5*time.Minute); err == nil {
			t.Errorf("%s verified", name)
		}
	}
}
