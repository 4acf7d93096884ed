// Package notify tells people about what happens to them: an in-app inbox
// for everyone, and SMS and email fed from the outbox, in Chinese, SMS only
// in daytime hours, as each person chose. It also sends the one-time codes
// that prove a person holds a phone (binding it, resetting a password, the
// extra step of a sign-in under attack).
package notify

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/outbox"
)

// Service turns outbox events into inbox entries and queued messages (as an
// outbox consumer, in the transaction that moves its cursor, so each event
// is noted exactly once) and sends the queued messages (as a publisher
// worker, so one server sends).
type Service struct {
	Store   tongban.Store
	Clock   tongban.Clock
	Log     *slog.Logger
	SMS     SMS    // nil: no SMS
	Mail    Mailer // nil: no email
	Sign    string // the SMS signature (短信签名): "【通办】"; "通办" if empty
	Daytime Daytime
	// MaxAttempts is how often a message is tried before it is given up.
	MaxAttempts int
	// RatingLink returns the signed rating link (好差评, channel 短信) of an
	// encounter of a case ("case", or a visit's event id), for the rating
	// invitation; nil or "": the invitation says to sign in instead.
	RatingLink func(number, encounter string) string

	mu         sync.Mutex
	background bool
	running    chan struct{} // closed when the background round in flight ends
	cancel     context.CancelFunc
	metrics    *metrics
}

var _ outbox.TxConsumer = (*Service)(nil)
var _ outbox.Worker = (*Service)(nil)

func (s *Service) sign() string {
	if s.Sign == "" {
		return "【通办】"
	}
	return "【" + s.Sign + "】"
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

func (s *Service) daytime() Daytime {
	if s.Daytime == (Daytime{}) {
		return DefaultDaytime
	}
	return s.Daytime
}

// Name is the notifications' cursor in the outbox.
func (s *Service) Name() string { return "notify" }

// Prepare notes each event for the people it concerns: their inbox entry
// about its subject, and an SMS and an email when the event is worth one
// and the person has not turned that off. It reads the people and renders
// the notes; the returned writes store them.
func (s *Service) Prepare(ctx context.Context, st tongban.Store, events []*tongban.OutboxEvent) (outbox.Write, error) {
	now := s.Clock.Now()
	seen := map[int64]bool{}
	var ids []int64
	type job struct {
		e     *tongban.OutboxEvent
		notes []note
		who   []int64
	}
	var jobs []job
	for _, e := range events {
		notes := s.withRatingLinks(render(e))
		who := recipients(e)
		if len(notes) == 0 || len(who) == 0 {
			continue
		}
		jobs = append(jobs, job{e, notes, who})
		for _, id := range who {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	if len(jobs) == 0 {
		return nil, nil
	}
	prefs, err := st.NotifyPrefsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	// An event naming an account that is gone is absent: nothing to tell.
	users, err := st.UsersByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	var inbox []*tongban.Notification
	var messages []*tongban.Message
	for _, j := range jobs {
		for _, id := range j.who {
			u := users[id]
			if u == nil {
				continue
			}
			for _, n := range j.notes {
				inbox = append(inbox, inboxEntry(j.e, u, n, now))
				messages = append(messages, s.messages(j.e, u, prefs[id], n, now)...)
			}
		}
	}
	return func(ctx context.Context, tx tongban.Store) error {
		// The batch's inbox entries in a few statements (up to 32 rows each), not one each.
		if err := tx.UpsertNotifications(ctx, inbox...); err != nil {
			return err
		}
		for _, m := range messages {
			if _, err := tx.QueueMessage(ctx, m); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// inboxEntry is the (user, subject) entry an event's note brings up to date.
func inboxEntry(e *tongban.OutboxEvent, u *tongban.User, n note, now time.Time) *tongban.Notification {
	subject := e.Subject
	if n.Category == CategoryRating {
		subject = "rating:" + e.Subject // the invitation stays beside the case's own entry
		if n.RateEncounter != "" && n.RateEncounter != tongban.EncounterCase {
			subject += ":visit:" + n.RateEncounter // each visit's invitation its own entry
		}
	}
	return &tongban.Notification{UserID: u.ID, Subject: subject, Category: n.Category,
		Title: n.Title, Body: n.Body, Link: n.Link, EventID: e.EventID, CreatedAt: now, UpdatedAt: now}
}

// messages are the SMS and the email a note is worth, as the person chose.
func (s *Service) messages(e *tongban.OutboxEvent, u *tongban.User, p *tongban.NotifyPrefs, n note, now time.Time) []*tongban.Message {
	var out []*tongban.Message
	if n.SMS != "" && s.SMS != nil && p.Wants(tongban.MessageSMS, n.Category) {
		if phone, ok := smsNumber(u); ok {
			out = append(out, &tongban.Message{EventID: e.EventID, UserID: u.ID, Channel: tongban.MessageSMS,
				Template: n.Template, To: phone.Reveal(), ToMasked: phone.Masked(), Body: s.sign() + n.SMS,
				NextAt: s.daytime().Next(now), CreatedAt: now})
		}
	}
	if n.Email != "" && s.Mail != nil && p != nil && p.Email != "" && p.Wants(tongban.MessageEmail, n.Category) {
		out = append(out, &tongban.Message{EventID: e.EventID, UserID: u.ID, Channel: tongban.MessageEmail,
			Template: n.Template, To: p.Email, ToMasked: MaskEmail(p.Email), Subject: n.Title + " - 通办",
			Body: n.Email + "\n\n此邮件由通办政务服务平台自动发送，请勿回复。", NextAt: now, CreatedAt: now})
	}
	return out
}

// smsNumber is where a person's SMS go: their phone, once they proved they
// hold it (a number anyone typed at registration may be someone else's).
func smsNumber(u *tongban.User) (tongban.Phone, bool) {
	return u.Phone, PhoneProved(u)
}

// PhoneProved reports whether u proved, with a one-time code, that they
// hold their mobile number; only then is it texted or released.
func PhoneProved(u *tongban.User) bool {
	return u.Phone.IsMobile() && u.PhoneVerifiedAt != nil
}

// MaskEmail shows an address as z***@example.cn.
func MaskEmail(addr string) string {
	at := -1
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == '@' {
			at = i
			break
		}
	}
	if at <= 0 {
		return "***"
	}
	r := []rune(addr[:at])
	return string(r[0]) + "***" + addr[at:]
}
