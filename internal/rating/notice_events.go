package rating

import (
	"context"
	"strconv"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/outbox"
)

// noticeEvent is the outbox payload of a 督办 (supervision.issued,
// supervision.answered, supervision.escalated): what it is about, whom it is
// addressed to and how far it has gone. No texts (the demand and the answer
// may name people), so department systems fetch the 督办 itself to read
// them. Issued and escalated ones name the department's administrators in
// user_ids, and notifications (internal/notify) bring them the 督办.
type noticeEvent struct {
	ID         int64                 `json:"id"`
	Subject    tongban.NoticeSubject `json:"subject"`
	SubjectRef string                `json:"subject_ref"`
	OrgID      int64                 `json:"org_id"`
	Due        string                `json:"due"`
	Card       tongban.Card          `json:"card,omitempty"`
	DaysLate   int                   `json:"days_late,omitempty"`
	At         time.Time             `json:"at"`
	// What notifications show: title, the case number, the deadline and
	// the card's label; and who hears of it.
	Title    string  `json:"title"`
	Number   string  `json:"number,omitempty"`
	Deadline string  `json:"deadline"`
	Level    string  `json:"level,omitempty"`
	UserIDs  []int64 `json:"user_ids,omitempty"`
}

// announceNotice writes one 督办 event in tx, the transaction of the change.
func (s *Service) announceNotice(ctx context.Context, tx tongban.Store, what string, n *tongban.SupervisionNotice,
	card tongban.Card, late int, at time.Time) error {
	if !s.Outbox {
		return nil
	}
	e := noticeEvent{ID: n.ID, Subject: n.Subject, SubjectRef: n.SubjectRef, OrgID: n.OrgID, Due: n.Due,
		Card: card, DaysLate: late, At: at.UTC(), Title: n.Subject.Label() + "督办", Deadline: n.Due, Level: card.Label()}
	if n.Subject == tongban.NoticeCase {
		e.Number = n.SubjectRef
	} else {
		e.Title += " " + n.SubjectRef
	}
	if what != "answered" {
		ids, err := s.noticeAnswerers(ctx, tx, n.OrgID)
		if err != nil {
			return err
		}
		e.UserIDs = ids
	}
	return outbox.Append(ctx, tx, "supervision."+what, "notice:"+strconv.FormatInt(n.ID, 10),
		outbox.Scope{RegionCode: n.RegionCode, OrgID: n.OrgID}, at, e)
}

// noticeAnswerers are the staff who answer the department's 督办: those
// holding a role in it that grants notice.answer there.
func (s *Service) noticeAnswerers(ctx context.Context, tx tongban.Store, orgID int64) ([]int64, error) {
	staff, err := tx.Users(ctx, tongban.UserFilter{Kind: tongban.UserStaff, OrgIDs: []int64{orgID}})
	if err != nil {
		return nil, err
	}
	authz := identity.Authorizer{Orgs: tx}
	var ids []int64
	for _, u := range staff {
		if u.Disabled {
			continue
		}
		if u, err = tx.User(ctx, u.ID); err != nil { // with its roles
			return nil, err
		}
		if authz.RequireOrg(ctx, u, identity.PermNoticeAnswer, orgID) == nil {
			ids = append(ids, u.ID)
		}
	}
	return ids, nil
}

// AnnounceEscalations writes a supervision.escalated event for every unanswered
// 督办 whose card has gone up (黄牌, then 红牌) since it was last announced,
// and returns how many. The card stays computed (Escalation); the notice
// only remembers which card was announced, in the same transaction as the
// event, so each escalation is announced once however many servers sweep.
// A 督办 that went straight to 红牌 while nobody swept gets one event.
func (s *Service) AnnounceEscalations(ctx context.Context) (int, error) {
	if !s.Outbox {
		return 0, nil
	}
	sched, err := s.Calendar.Schedule(ctx)
	if err != nil {
		return 0, err
	}
	now := s.Clock.Now()
	open, err := s.Store.Notices(ctx, tongban.NoticeFilter{Open: true, DueBefore: calendar.DateOf(now).String()})
	if err != nil {
		return 0, err
	}
	done := 0
	for _, n := range open {
		card, late := s.Escalation(sched, n, now)
		if card == tongban.CardNone || card == n.Announced || n.Announced == tongban.CardRed {
			continue
		}
		err := s.Store.Transact(ctx, func(tx tongban.Store) error {
			if err := tx.AnnounceNoticeCard(ctx, n.ID, n.Announced, card); err != nil {
				return err
			}
			return s.announceNotice(ctx, tx, "escalated", n, card, late, now)
		})
		if tongban.IsCode(err, tongban.EConflict) {
			continue // answered meanwhile, or announced by another server
		}
		if err != nil {
			return done, err
		}
		done++
	}
	return done, nil
}
