package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
)

// calendarRefresh is how soon an edit made on another app server reaches
// this one.
const calendarRefresh = time.Minute

// openCalendar seeds an empty calendar with the built-in years, loads the
// schedule, and warns (on the server's log) about each of this year and
// next year whose notice is not loaded, for as long as it is not.
func openCalendar(ctx context.Context, st tongban.Store, clock tongban.Clock, log *slog.Logger, authz identity.Authorizer) (*calendar.Holder, *calendar.Editor, error) {
	seeded, err := calendar.SeedStore(ctx, st, clock.Now())
	if err != nil {
		return nil, nil, fmt.Errorf("seed the holiday calendar: %w", err)
	}
	h := calendar.NewHolder(nil)
	if err := h.Reload(ctx, st); err != nil {
		return nil, nil, fmt.Errorf("load the holiday calendar: %w", err)
	}
	if seeded {
		log.Info("节假日安排已按内置数据初始化", "years", h.Current().Years())
	}
	for _, y := range h.Current().Missing(clock.Now()) {
		log.Warn(calendar.MissingMessage(y), "year", y,
			"fix", fmt.Sprintf("工作台 → 节假日安排 导入，或 tongban calendar import --year %d FILE.csv", y))
	}
	return h, &calendar.Editor{Store: st, Clock: clock, Authz: authz, Holder: h}, nil
}

// watchCalendar keeps the holder in step with the database until stopped.
func watchCalendar(h *calendar.Holder, st tongban.Store, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	go h.Watch(ctx, st, calendarRefresh, log)
	return cancel
}
