package rating

import (
	"context"
	"strconv"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/workflow"
)

// NoticeInput is a supervisor's 督办: what it is about, the demand and the
// working days the department has to answer.
type NoticeInput struct {
	// Subject is case, ticket or complaint; Ref the case number, the
	// ticket id or the complaint number.
	Subject tongban.NoticeSubject `json:"subject"`
	Ref     string                `json:"ref"`
	Demand  string                `json:"demand"`
	Days    int                   `json:"days"` // 0: LoopConfig.NoticeDays
}

// NoticeView is a 督办 with its card as of now (or as of its answer).
type NoticeView struct {
	Notice *tongban.SupervisionNotice `json:"notice"`
	Card   tongban.Card               `json:"card,omitempty"`
	// DaysLate is the working days past the deadline (at the answer, or now).
	DaysLate int `json:"days_late,omitempty"`
}

// Escalation is the rule of the cards: an unanswered 督办 is 黄牌 the day
// after its deadline and 红牌 once RedDays working days have passed since
// the deadline. An answer freezes the card at the answer's time, so a late
// answer stays on the record as late.
func (s *Service) Escalation(sched *calendar.Schedule, n *tongban.SupervisionNotice, now time.Time) (tongban.Card, int) {
	at := now
	if n.Answered() {
		at = n.AnsweredAt
	}
	due, err := calendar.ParseDate(n.Due)
	if err != nil || !calendar.DateOf(at).After(due) {
		return tongban.CardNone, 0
	}
	late, _ := sched.WorkdaysBetween(due.Time(), at)
	if late >= s.Config.Loop.RedDays {
		return tongban.CardRed, late
	}
	return tongban.CardYellow, late
}

// subject finds what a 督办 is about and checks it may be 督办-ed now: an
// open case that is overdue or stalled, an open ticket or an unreplied,
// dispatched complaint past its deadline.
func (s *Service) subject(ctx context.Context, tx tongban.Store, sched *calendar.Schedule, in NoticeInput, now time.Time) (*tongban.SupervisionNotice, error) {
	today := calendar.DateOf(now).String()
	switch in.Subject {
	case tongban.NoticeCase:
		c, err := tx.CaseByNumber(ctx, in.Ref)
		if err != nil {
			return nil, tongban.FieldError("ref", "办件 %s 不存在", in.Ref)
		}
		if !c.State.Open() {
			return nil, tongban.FieldError("ref", "办件 %s 已是“%s”，无需督办", c.Number, c.State.Label())
		}
		// Stalled on the office's side: a case waiting for the applicant's
		// 补正 is not the department's delay.
		idle, _ := sched.WorkdaysBetween(c.UpdatedAt, now)
		stalled := idle >= s.Config.Loop.StallDays && c.State != tongban.CaseAwaitingCorrection
		if workflow.StatusAt(sched, c, now).Level != calendar.Red && !stalled {
			return nil, tongban.FieldError("ref", "办件 %s 既未超期，也未停滞 %d 个工作日以上，不能督办", c.Number, s.Config.Loop.StallDays)
		}
		return &tongban.SupervisionNotice{SubjectID: c.ID, SubjectRef: c.Number, OrgID: c.OrgID, RegionCode: c.RegionCode}, nil
	case tongban.NoticeTicket:
		id, _ := strconv.ParseInt(in.Ref, 10, 64)
		t, err := tx.RatingTicket(ctx, id)
		if err != nil {
			return nil, tongban.FieldError("ref", "整改工单 %s 不存在", in.Ref)
		}
		if !TicketOverdue(t, now) {
			return nil, tongban.FieldError("ref", "整改工单 %d 为“%s”，未超期，不能督办", t.ID, t.State.Label())
		}
		return &tongban.SupervisionNotice{SubjectID: t.ID, SubjectRef: strconv.FormatInt(t.ID, 10), OrgID: t.OrgID, RegionCode: t.RegionCode}, nil
	case tongban.NoticeComplaint:
		c, err := tx.ComplaintByNumber(ctx, in.Ref)
		if err != nil {
			return nil, tongban.FieldError("ref", "投诉工单 %s 不存在", in.Ref)
		}
		if c.OrgID == 0 {
			// 督办 is addressed to the department that owes the reply; before
			// 派单 there is none (the 派单 deadline is the hotline's to keep).
			return nil, tongban.FieldError("ref", "投诉工单 %s 尚未派单，没有承办部门可督办，请先派单", c.Number)
		}
		if !c.State.Unreplied() || c.ReplyDue >= today {
			return nil, tongban.FieldError("ref", "投诉工单 %s 为“%s”，未超期，不能督办", c.Number, c.State.Label())
		}
		return &tongban.SupervisionNotice{SubjectID: c.ID, SubjectRef: c.Number, OrgID: c.OrgID, RegionCode: c.RegionCode}, nil
	}
	return nil, tongban.FieldError("subject", "督办对象应为 case（办件）、ticket（差评整改工单）或 complaint（投诉工单）")
}

// TicketOverdue reports an open ticket past the deadline of its step:
// 回访核实 while 待核实, 整改 while 整改中.
func TicketOverdue(t *tongban.RatingTicket, now time.Time) bool {
	today := calendar.DateOf(now).String()
	switch t.State {
	case tongban.TicketVerifying:
		return today > t.VerifyDue
	case tongban.TicketRectifying:
		return today > t.RectifyDue
	}
	return false
}

// IssueNotice issues a 督办 (PermNoticeIssue over the department), due in
// working days; a subject with an unanswered 督办 gets no second one.
func (s *Service) IssueNotice(ctx context.Context, r identity.Request, in NoticeInput) (*NoticeView, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	demand, err := text("demand", in.Demand, "请写明督办要求")
	if err != nil {
		return nil, err
	}
	if in.Days == 0 {
		in.Days = s.Config.Loop.NoticeDays
	}
	if in.Days < 1 || in.Days > 30 {
		return nil, tongban.FieldError("days", "督办期限应为 1 至 30 个工作日")
	}
	sched, err := s.Calendar.Schedule(ctx)
	if err != nil {
		return nil, err
	}
	var out *tongban.SupervisionNotice
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		now := s.Clock.Now()
		n, err := s.subject(ctx, tx, sched, in, now)
		if err != nil {
			return err
		}
		if err := s.authz(tx).RequireOrg(ctx, r.Actor, identity.PermNoticeIssue, n.OrgID); err != nil {
			return tongban.Errorf(tongban.EForbidden, "您无权督办该部门")
		}
		open, err := tx.Notices(ctx, tongban.NoticeFilter{Subject: in.Subject, SubjectID: n.SubjectID, Open: true, Limit: 1})
		if err != nil {
			return err
		}
		if len(open) > 0 {
			return tongban.Errorf(tongban.EConflict, "该%s已有未答复的督办（期限 %s）", in.Subject.Label(), open[0].Due)
		}
		n.Subject, n.Demand, n.IssuedBy, n.IssuedAt = in.Subject, demand, r.Actor.ID, now
		n.Due = sched.Due(now, in.Days, nil).Due.String()
		if err := tx.CreateNotice(ctx, n); err != nil {
			return err
		}
		out = n
		if err := s.announceNotice(ctx, tx, "issued", n, tongban.CardNone, 0, now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &tongban.AuditEntry{At: now, ActorID: r.Actor.ID, Actor: r.Actor.Name,
			Action: "notice.issue", Object: "notice:" + strconv.FormatInt(n.ID, 10),
			Detail: in.Subject.Label() + " " + n.SubjectRef + " 期限 " + n.Due, IP: r.IP})
	})
	if err != nil {
		return nil, err
	}
	return s.noticeView(sched, out), nil
}

func (s *Service) noticeView(sched *calendar.Schedule, n *tongban.SupervisionNotice) *NoticeView {
	v := &NoticeView{Notice: n}
	v.Card, v.DaysLate = s.Escalation(sched, n, s.Clock.Now())
	return v
}

// NoticeAnswer is the department's answer to a 督办.
type NoticeAnswer struct {
	Text    string `json:"text"`
	Version int    `json:"version"` // 0 skips the check
}

// AnswerNotice records the department's answer (PermNoticeAnswer over the
// notice's department), once, audited.
func (s *Service) AnswerNotice(ctx context.Context, r identity.Request, id int64, a NoticeAnswer) (*NoticeView, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	answer, err := text("text", a.Text, "请填写督办答复")
	if err != nil {
		return nil, err
	}
	sched, err := s.Calendar.Schedule(ctx)
	if err != nil {
		return nil, err
	}
	var out *tongban.SupervisionNotice
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		n, err := tx.Notice(ctx, id)
		if err != nil {
			return err
		}
		if err := s.authz(tx).RequireOrg(ctx, r.Actor, identity.PermNoticeAnswer, n.OrgID); err != nil {
			return tongban.Errorf(tongban.EForbidden, "只有被督办部门的管理员能答复督办")
		}
		if n.Answered() || (a.Version != 0 && a.Version != n.Version) {
			return tongban.Errorf(tongban.EConflict, "该督办已答复，请刷新后再试")
		}
		now := s.Clock.Now()
		n.Answer, n.AnsweredBy, n.AnsweredAt = answer, r.Actor.ID, now
		if err := tx.AnswerNotice(ctx, n); err != nil {
			return err
		}
		out = n
		card, late := s.Escalation(sched, n, now)
		if err := s.announceNotice(ctx, tx, "answered", n, card, late, now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &tongban.AuditEntry{At: now, ActorID: r.Actor.ID, Actor: r.Actor.Name,
			Action: "notice.answer", Object: "notice:" + strconv.FormatInt(n.ID, 10),
			Detail: n.Subject.Label() + " " + n.SubjectRef, IP: r.IP})
	})
	if err != nil {
		return nil, err
	}
	return s.noticeView(sched, out), nil
}

// Notices lists the 督办 in r's reach (its departments' and those it
// issues or supervises), unanswered ones unless all, with their cards.
func (s *Service) Notices(ctx context.Context, r identity.Request, all bool) ([]*NoticeView, error) {
	sc, err := s.scope(ctx, r, "您无权查看督办", identity.PermNoticeAnswer, identity.PermNoticeIssue, identity.PermSupervise)
	if err != nil {
		return nil, err
	}
	return s.noticesIn(ctx, tongban.NoticeFilter{OrgIDs: sc.OrgIDs, Regions: sc.Regions, Open: !all})
}

func (s *Service) noticesIn(ctx context.Context, f tongban.NoticeFilter) ([]*NoticeView, error) {
	sched, err := s.Calendar.Schedule(ctx)
	if err != nil {
		return nil, err
	}
	ns, err := s.Store.Notices(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]*NoticeView, len(ns))
	for i, n := range ns {
		out[i] = s.noticeView(sched, n)
	}
	return out, nil
}

// Notice returns one 督办 for its department or a supervisor.
func (s *Service) Notice(ctx context.Context, r identity.Request, id int64) (*NoticeView, error) {
	n, err := s.Store.Notice(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	a := s.authz(s.Store)
	if a.RequireOrg(ctx, r.Actor, identity.PermNoticeAnswer, n.OrgID) != nil &&
		a.RequireOrg(ctx, r.Actor, identity.PermSupervise, n.OrgID) != nil {
		return nil, tongban.Errorf(tongban.EForbidden, "您无权查看该督办")
	}
	sched, err := s.Calendar.Schedule(ctx)
	if err != nil {
		return nil, err
	}
	return s.noticeView(sched, n), nil
}
