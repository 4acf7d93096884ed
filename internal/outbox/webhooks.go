package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/tongban/tongban"
)

// Webhooks delivers events to the webhooks departments registered. As a
// TxConsumer it fans each event out into one pending delivery per webhook
// that wants it, in the transaction that moves its cursor; its senders
// then work through the deliveries, one sender per webhook, so a slow or
// dead endpoint delays only itself. Per webhook, deliveries of one subject
// go in order: one waits while an earlier one of its subject is pending.
type Webhooks struct {
	Store   tongban.Store
	Clock   tongban.Clock
	Log     *slog.Logger
	Client  *http.Client // nil: a client with a 10 s timeout
	Metrics *Metrics
	// Parallel is how many deliveries of one webhook are in flight at
	// once (each of a different subject); 8 if zero.
	Parallel int
	// Background runs each webhook's sender in a goroutine of its own, as
	// a server does; without it Work runs one round of every sender and
	// waits for them (tests).
	Background bool

	orgs    orgTree
	mu      sync.Mutex
	senders map[int64]*sender
}

// Name is the fan-out's cursor.
func (wh *Webhooks) Name() string { return "webhooks" }

// Prepare fans each event out into a pending delivery for each active
// webhook whose type and org filters take it.
func (wh *Webhooks) Prepare(ctx context.Context, st tongban.Store, events []*tongban.OutboxEvent) (Write, error) {
	hooks, err := st.Webhooks(ctx, nil, true)
	if err != nil || len(hooks) == 0 {
		return nil, err
	}
	tree, err := wh.orgs.get(ctx, st, wh.Clock.Now())
	if err != nil {
		return nil, err
	}
	now := wh.Clock.Now()
	var ds []*tongban.WebhookDelivery
	for _, e := range events {
		for _, h := range hooks {
			if h.Wants(e.Type) && tree.covers(h, e) {
				ds = append(ds, &tongban.WebhookDelivery{WebhookID: h.ID, OutboxID: e.ID, Subject: e.Subject,
					Status: tongban.DeliveryPending, NextAt: now, CreatedAt: now})
			}
		}
	}
	if len(ds) == 0 {
		return nil, nil
	}
	return func(ctx context.Context, tx tongban.Store) error { return tx.EnqueueDeliveries(ctx, ds) }, nil
}

// Work starts a sender for each active webhook (and stops those of
// webhooks gone or paused), then nudges them; without Background it runs
// one round of each and waits.
func (wh *Webhooks) Work(ctx context.Context) error {
	hooks, err := wh.Store.Webhooks(ctx, nil, true)
	if err != nil {
		return err
	}
	wh.mu.Lock()
	if wh.senders == nil {
		wh.senders = map[int64]*sender{}
	}
	live := map[int64]bool{}
	for _, h := range hooks {
		live[h.ID] = true
		s := wh.senders[h.ID]
		if s != nil && s.hook.URL == h.URL && s.hook.Secret == h.Secret {
			continue
		}
		if s != nil {
			s.stop()
		}
		s = &sender{wh: wh, hook: h, nudge: make(chan struct{}, 1)}
		wh.senders[h.ID] = s
		if wh.Background {
			s.start()
		}
	}
	for id, s := range wh.senders {
		if !live[id] {
			s.stop()
			delete(wh.senders, id)
		}
	}
	all := make([]*sender, 0, len(wh.senders))
	for _, s := range wh.senders {
		all = append(all, s)
	}
	wh.mu.Unlock()
	if wh.Background {
		for _, s := range all {
			s.poke()
		}
		return nil
	}
	var wg sync.WaitGroup
	for _, s := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				worked, err := s.round(ctx)
				if err != nil {
					wh.log().Warn("推送失败", "webhook", s.hook.ID, "err", err)
				}
				if !worked || err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	return nil
}

// Stop stops every sender (this server no longer leads).
func (wh *Webhooks) Stop() {
	wh.mu.Lock()
	defer wh.mu.Unlock()
	for id, s := range wh.senders {
		s.stop()
		delete(wh.senders, id)
	}
}

func (wh *Webhooks) log() *slog.Logger {
	if wh.Log == nil {
		return slog.Default()
	}
	return wh.Log
}

func (wh *Webhooks) client() *http.Client {
	if wh.Client != nil {
		return wh.Client
	}
	return defaultClient
}

var defaultClient = &http.Client{Timeout: 10 * time.Second}

// sender delivers to one webhook.
type sender struct {
	wh    *Webhooks
	hook  *tongban.Webhook
	nudge chan struct{}
	quit  chan struct{}
	done  chan struct{}
	// cancel ends an attempt in flight when the sender stops.
	cancel context.CancelFunc
	// failing is set after a failed attempt: until one succeeds, a round
	// tries a single delivery (a probe) instead of a batch, and none before
	// downUntil, so a dead endpoint is not hammered with every pending event.
	failing   bool
	downUntil time.Time
}

// senderBatch is how many due deliveries a round takes: several of one
// subject among them (a case's events that came together), sent in order.
const senderBatch = 128

func (s *sender) start() {
	s.quit, s.done = make(chan struct{}), make(chan struct{})
	base, cancelAll := context.WithCancel(context.Background())
	s.cancel = cancelAll
	go func() {
		defer close(s.done)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			ctx, cancel := context.WithTimeout(base, 2*time.Minute)
			worked, err := s.round(ctx)
			cancel()
			if base.Err() != nil {
				return
			}
			if err != nil {
				s.wh.log().Warn("推送失败", "webhook", s.hook.ID, "err", err)
			}
			if worked && err == nil {
				continue
			}
			select {
			case <-s.quit:
				return
			case <-s.nudge:
			case <-tick.C:
			}
		}
	}()
}

func (s *sender) poke() {
	select {
	case s.nudge <- struct{}{}:
	default:
	}
}

func (s *sender) stop() {
	if s.quit != nil {
		s.cancel()
		close(s.quit)
		<-s.done
		s.quit = nil
	}
}

// round attempts what is due and reports whether it attempted anything.
func (s *sender) round(ctx context.Context) (bool, error) {
	now := s.wh.Clock.Now()
	if s.failing && now.Before(s.downUntil) {
		return false, nil
	}
	limit := senderBatch
	if s.failing {
		limit = 1
		// Deliveries held back while the endpoint was down still expire.
		if _, err := s.wh.Store.ExpireDeliveries(ctx, s.hook.ID, now.Add(-RetryFor), "重试24小时后放弃"); err != nil {
			return false, err
		}
	}
	due, err := s.wh.Store.DueDeliveries(ctx, s.hook.ID, now, limit)
	if err != nil || len(due) == 0 {
		return false, err
	}
	attempted := s.send(ctx, due)
	err = s.wh.Store.Transact(ctx, func(tx tongban.Store) error {
		for _, d := range attempted {
			if err := tx.RecordAttempt(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return true, err
	}
	s.failing = false
	for _, d := range attempted {
		if d.Status != tongban.DeliveryDelivered {
			if !s.failing || d.NextAt.Before(s.downUntil) {
				s.downUntil = d.NextAt
			}
			s.failing = true
		}
	}
	if m := s.wh.Metrics; m != nil {
		m.attempted(sinkWebhook, attempted, s.wh.Clock.Now())
	}
	return true, nil
}

// send attempts the due deliveries, their subjects side by side (Parallel
// at once) and each subject's in order, one after another: a case's
// events that came together go out in one round, not one a round. A
// subject's run stops at its first failure, so a later event is never
// sent before an earlier one arrived. It returns the deliveries attempted.
func (s *sender) send(ctx context.Context, due []*tongban.WebhookDelivery) []*tongban.WebhookDelivery {
	parallel := s.wh.Parallel
	if parallel <= 0 {
		parallel = 8
	}
	runs := runsBySubject(due)
	tried := make([]int, len(runs))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, run := range runs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			for _, d := range run {
				s.attempt(ctx, d)
				tried[i]++
				if d.Status != tongban.DeliveryDelivered {
					return
				}
			}
		}()
	}
	wg.Wait()
	attempted := make([]*tongban.WebhookDelivery, 0, len(due))
	for i, run := range runs {
		attempted = append(attempted, run[:tried[i]]...)
	}
	return attempted
}

// runsBySubject groups deliveries (oldest first) by subject, each group in
// their order, the groups in the order of their oldest.
func runsBySubject(ds []*tongban.WebhookDelivery) [][]*tongban.WebhookDelivery {
	at := map[string]int{}
	var runs [][]*tongban.WebhookDelivery
	for _, d := range ds {
		i, ok := at[d.Subject]
		if !ok {
			i = len(runs)
			at[d.Subject] = i
			runs = append(runs, nil)
		}
		runs[i] = append(runs[i], d)
	}
	return runs
}

// attempt sends one delivery and sets its outcome fields.
func (s *sender) attempt(ctx context.Context, d *tongban.WebhookDelivery) {
	now := s.wh.Clock.Now()
	d.Attempts++
	d.LastAt = now
	status, err := s.post(ctx, d, now)
	d.LastStatus = status
	if err == nil {
		d.Status, d.DeliveredAt, d.LastError = tongban.DeliveryDelivered, s.wh.Clock.Now(), ""
		return
	}
	d.LastError = truncate(err.Error(), 300)
	d.NextAt = now.Add(RetryAfter(d.Attempts))
	if d.NextAt.Sub(d.RetrySince) > RetryFor {
		d.Status = tongban.DeliveryFailed
	}
}

func (s *sender) post(ctx context.Context, d *tongban.WebhookDelivery, now time.Time) (int, error) {
	body, err := json.Marshal(d.Event)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.hook.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Tongban-Webhook/1")
	req.Header.Set(HeaderEventID, d.Event.EventID)
	req.Header.Set(HeaderEventType, d.Event.Type)
	req.Header.Set(HeaderDeliveryID, strconv.FormatInt(d.ID, 10))
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(HeaderSignature, Sign(s.hook.Secret, now, body))
	resp, err := s.wh.client().Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("HTTP %d %s", resp.StatusCode, bytes.TrimSpace(snippet))
	}
	return resp.StatusCode, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
