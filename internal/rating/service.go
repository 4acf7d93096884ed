// Package rating holds the rules of 好差评 (国办发〔2019〕51号, GB/T 39734-2020):
// who rates which encounter of a case, through which channel, with what,
// and the rectification ticket (整改) every bad rating opens on the
// department that handled the encounter.
package rating

import (
	"context"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
)

// Config is a city's 好差评 settings.
type Config struct {
	// VerifyDays is the working days a department has for 回访核实 of a
	// 差评; RectifyDays the working days, counted from the rating, to
	// finish 整改. Defaults: 1 and 10 (Wuhu's 10 working days, seed 002).
	VerifyDays  int
	RectifyDays int
	// ChangeWindow is how long after rating the rater may change it.
	// Default 7 days.
	ChangeWindow time.Duration
	// The loop around them (loop_config.go): 督办 deadlines and cards, and
	// the 12345 complaint deadlines.
	Loop LoopConfig
}

// Defaults of Config.
const (
	DefaultVerifyDays   = 1
	DefaultRectifyDays  = 10
	DefaultChangeWindow = 7 * 24 * time.Hour
)

// WithDefaults fills zero settings.
func (c Config) WithDefaults() Config {
	if c.VerifyDays == 0 {
		c.VerifyDays = DefaultVerifyDays
	}
	if c.RectifyDays == 0 {
		c.RectifyDays = DefaultRectifyDays
	}
	if c.ChangeWindow == 0 {
		c.ChangeWindow = DefaultChangeWindow
	}
	c.Loop = c.Loop.WithDefaults()
	return c
}

// Calendar supplies the working-day schedule in force (calendar.Holder).
type Calendar interface {
	Schedule(context.Context) (*calendar.Schedule, error)
}

// Service applies the rules of ratings and tickets over a store.
type Service struct {
	Store    tongban.Store
	Calendar Calendar
	Clock    tongban.Clock
	Config   Config
	// Outbox announces rating.submitted and rating.changed in the
	// rating's transaction; on unless configured off.
	Outbox bool
	// Links signs the QR and SMS rating links; nil: none are offered.
	Links *Links
}

// New returns a Service with cfg's defaults filled.
func New(st tongban.Store, cal Calendar, clock tongban.Clock, cfg Config) *Service {
	return &Service{Store: st, Calendar: cal, Clock: clock, Config: cfg.WithDefaults(), Outbox: true}
}

// authz decides with orgs read through st: inside a transaction, the
// transaction itself — a read through the root store there would wait
// for a second connection, and with as many such actions at once as the
// pool has connections, every one would wait for ever.
func (s *Service) authz(st tongban.Store) identity.Authorizer { return identity.Authorizer{Orgs: st} }
