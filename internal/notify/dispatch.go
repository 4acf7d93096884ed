package notify

import (
	"context"
	"sync"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/outbox"
)

// DefaultMaxAttempts is how often a message is tried before it is given up.
const DefaultMaxAttempts = 8

// Background makes Work send in a goroutine of its own, as a server does
// (so a slow mail server never holds up the publisher); tests leave it off
// and Work sends before it returns.
func (s *Service) Background() *Service {
	s.mu.Lock()
	s.background = true
	s.mu.Unlock()
	return s
}

// Work sends the queued messages that are due (a publisher worker: only the
// leading server sends).
func (s *Service) Work(ctx context.Context) error {
	s.mu.Lock()
	if !s.background {
		s.mu.Unlock()
		return s.dispatch(ctx)
	}
	if s.running != nil {
		s.mu.Unlock()
		return nil
	}
	run, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	done := make(chan struct{})
	s.running, s.cancel = done, cancel
	s.mu.Unlock()
	go func() {
		defer close(done)
		defer cancel()
		if err := s.dispatch(run); err != nil {
			s.log().Warn("发送通知出错", "err", err)
		}
		s.mu.Lock()
		s.running = nil
		s.mu.Unlock()
	}()
	return nil
}

// Stop ends a background round in flight (this server no longer leads).
func (s *Service) Stop() {
	s.mu.Lock()
	done, cancel := s.running, s.cancel
	s.mu.Unlock()
	if done != nil {
		cancel()
		<-done
	}
}

const dispatchBatch, dispatchParallel = 100, 8

// dispatch sends what is due, in batches, until nothing is. Each attempt
// is counted before the message goes out and the next try is set, so a
// crash mid-send retries later rather than losing the message or trying it
// without end.
func (s *Service) dispatch(ctx context.Context) error {
	for {
		now := s.Clock.Now()
		due, err := s.Store.DueMessages(ctx, now, dispatchBatch)
		if err != nil || len(due) == 0 {
			return err
		}
		sem := make(chan struct{}, dispatchParallel)
		var wg sync.WaitGroup
		errs := make([]error, len(due))
		for i, m := range due {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				errs[i] = s.attempt(ctx, m, now)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

func (s *Service) attempt(ctx context.Context, m *tongban.Message, now time.Time) error {
	m.Attempts++
	retry := now.Add(outbox.RetryAfter(m.Attempts))
	if m.Channel == tongban.MessageSMS {
		retry = s.daytime().Next(retry)
	}
	ok, err := s.Store.ClaimMessage(ctx, m.ID, retry)
	if err != nil || !ok {
		return err
	}
	err = s.send(ctx, m)
	switch {
	case err == nil:
		m.Status, m.SentAt, m.LastError = tongban.MessageSent, s.Clock.Now(), ""
	case m.Attempts >= s.maxAttempts():
		m.Status, m.LastError = tongban.MessageFailed, err.Error()
	default:
		m.LastError = err.Error()
	}
	s.metrics.count(m, err)
	if err != nil {
		s.log().Warn("通知发送失败", "channel", m.Channel, "to", m.ToMasked, "attempt", m.Attempts, "err", err)
	}
	return s.Store.FinishMessage(ctx, m)
}

func (s *Service) maxAttempts() int {
	if s.MaxAttempts <= 0 {
		return DefaultMaxAttempts
	}
	return s.MaxAttempts
}

func (s *Service) send(ctx context.Context, m *tongban.Message) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	switch m.Channel {
	case tongban.MessageSMS:
		if s.SMS == nil {
			return tongban.Errorf(tongban.EUnavailable, "未配置短信通道")
		}
		phone, err := tongban.ParsePhone(m.To)
		if err != nil {
			return err
		}
		return s.SMS.SendSMS(ctx, phone, m.Body)
	case tongban.MessageEmail:
		if s.Mail == nil {
			return tongban.Errorf(tongban.EUnavailable, "未配置邮件通道")
		}
		return s.Mail.SendMail(ctx, m.To, m.Subject, m.Body)
	}
	return tongban.Errorf(tongban.EInternal, "unknown channel %q", m.Channel)
}
