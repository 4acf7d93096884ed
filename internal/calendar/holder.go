package calendar

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tongban/tongban"
)

// Holder keeps the current schedule of a running server. Readers take
// Current without locking; a reload builds a new Schedule and swaps it in,
// so admin edits count from the next request, without a restart. Several
// app servers share one database, so each one also polls it (Watch) and
// reloads when the loaded years change.
type Holder struct {
	cur atomic.Pointer[Schedule]

	mu    sync.Mutex // serializes reloads, so an older read never wins
	stamp string     // of the years behind cur
}

// NewHolder returns a holder serving s (nil: no year loaded).
func NewHolder(s *Schedule) *Holder {
	h := &Holder{}
	if s == nil {
		s = &Schedule{}
	}
	h.cur.Store(s)
	return h
}

// Current returns the schedule in force. It is never nil.
func (h *Holder) Current() *Schedule { return h.cur.Load() }

// Schedule returns Current; it lets a Holder stand wherever a source of
// schedules is asked for per action (as in the case workflow).
func (h *Holder) Schedule(context.Context) (*Schedule, error) { return h.Current(), nil }

// Reload reads the schedule from st and swaps it in.
func (h *Holder) Reload(ctx context.Context, st tongban.CalendarStore) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	s, years, err := Load(ctx, st)
	if err != nil {
		return err
	}
	h.cur.Store(s)
	h.stamp = stampOf(years)
	return nil
}

// Refresh reloads only if the loaded years (or their load times) differ
// from those behind Current: one small query when nothing changed.
func (h *Holder) Refresh(ctx context.Context, st tongban.CalendarStore) (changed bool, err error) {
	years, err := st.CalendarYears(ctx)
	if err != nil {
		return false, err
	}
	h.mu.Lock()
	same := stampOf(years) == h.stamp
	h.mu.Unlock()
	if same {
		return false, nil
	}
	return true, h.Reload(ctx, st)
}

// Watch calls Refresh every interval until ctx ends, so edits made through
// another app server reach this one.
func (h *Holder) Watch(ctx context.Context, st tongban.CalendarStore, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		changed, err := h.Refresh(ctx, st)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("节假日安排刷新失败", "err", err)
		case changed:
			log.Info("节假日安排已更新", "years", h.Current().Years())
		}
	}
}

func stampOf(years []tongban.CalendarYear) string {
	var b strings.Builder
	for _, y := range years {
		b.WriteString(strconv.Itoa(y.Year))
		b.WriteByte('@')
		b.WriteString(y.LoadedAt.UTC().Format(time.RFC3339Nano))
		b.WriteByte(';')
	}
	return b.String()
}
