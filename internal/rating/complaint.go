package rating

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
)

// ComplaintInput is a complaint or 办不成事 report as taken: from the
// signed-in citizen on the website, at the counter, or from the 12345
// hotline system over the API (POST /api/v1/complaints).
type ComplaintInput struct {
	Kind    tongban.ComplaintKind `json:"kind"`    // complaint (投诉) or cannot_do (办不成事)
	Content string                `json:"content"` // what happened and what is asked
	// Name and Phone of the complainant: taken from the account on the
	// website, required at the counter and from the hotline.
	Name  string `json:"name,omitempty"`
	Phone string `json:"phone,omitempty"`
	// CaseNumber is a case the complaint is about (optional); a citizen
	// names only their own.
	CaseNumber string `json:"case_number,omitempty"`
	// RegionCode is where the complaint belongs when no case says it; staff
	// default to their own org's region.
	RegionCode  string `json:"region_code,omitempty"`
	ExternalRef string `json:"external_ref,omitempty"` // the hotline system's own number
}

// ComplaintView is a complaint with its steps. The complainant's name is
// masked for everyone but the complainant, like the phone.
type ComplaintView struct {
	Complaint *tongban.Complaint        `json:"complaint"`
	Events    []*tongban.ComplaintEvent `json:"events"`
}

const (
	minComplaint = 5
	maxComplaint = 2000
)

// FileComplaint takes a complaint (受理): its number, the 派单 deadline in
// working days, and the receive event, in one transaction.
func (s *Service) FileComplaint(ctx context.Context, r identity.Request, in ComplaintInput) (*ComplaintView, error) {
	u := r.Actor
	if u == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	if !in.Kind.Valid() {
		return nil, tongban.FieldError("kind", "类型应为 complaint（投诉）或 cannot_do（办不成事反映）")
	}
	content := strings.TrimSpace(in.Content)
	if n := utf8.RuneCountInString(content); n < minComplaint || n > maxComplaint {
		return nil, tongban.FieldError("content", "反映内容应为 %d 至 %d 字", minComplaint, maxComplaint)
	}
	if utf8.RuneCountInString(in.ExternalRef) > 64 {
		return nil, tongban.FieldError("external_ref", "热线工单编号不能超过 64 个字符")
	}
	c := &tongban.Complaint{Kind: in.Kind, Content: content, ExternalRef: strings.TrimSpace(in.ExternalRef),
		State: tongban.ComplaintReceived, ReceivedBy: u.ID}
	switch {
	case u.Kind != tongban.UserStaff:
		c.Source, c.ComplainantID, c.Name, c.Phone = tongban.ComplaintWeb, u.ID, u.Name, u.Phone
		if c.ExternalRef != "" {
			return nil, tongban.FieldError("external_ref", "只有12345热线系统可填写热线工单编号")
		}
	case s.authz(s.Store).Can(u, identity.PermComplaintIntake):
		c.Source = tongban.ComplaintCounter
		if u.Has(tongban.RoleHotline) {
			c.Source = tongban.ComplaintHotline
		}
		c.Name = strings.TrimSpace(in.Name)
		if c.Name == "" || utf8.RuneCountInString(c.Name) > 50 {
			return nil, tongban.FieldError("name", "请填写反映人姓名（不超过50字）")
		}
		p, err := tongban.ParsePhone(in.Phone)
		if err != nil {
			return nil, err
		}
		c.Phone = p
	default:
		return nil, tongban.Errorf(tongban.EForbidden, "您无权受理投诉")
	}
	var out *tongban.Complaint
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := s.complaintPlace(ctx, tx, u, c, in); err != nil {
			return err
		}
		now := s.Clock.Now()
		sched, err := s.Calendar.Schedule(ctx)
		if err != nil {
			return err
		}
		c.ReceivedAt, c.DispatchDue = now, sched.Due(now, s.Config.Loop.DispatchDays, nil).Due.String()
		c.Number = complaintPrefix(now)
		if err := tx.CreateComplaint(ctx, c); err != nil {
			return err
		}
		out = c
		return s.complaintEvent(ctx, tx, r, c, tongban.ComplaintActReceive, "", 0, c.Source.Label())
	})
	if err != nil {
		return nil, err
	}
	return s.complaintView(ctx, r, out)
}

// complaintPlace checks the case named and sets the complaint's region:
// the case's, else the one given, else the staff member's org's.
func (s *Service) complaintPlace(ctx context.Context, tx tongban.Store, u *tongban.User, c *tongban.Complaint, in ComplaintInput) error {
	if number := strings.TrimSpace(in.CaseNumber); number != "" {
		cs, err := tx.CaseByNumber(ctx, number)
		if err != nil || (u.Kind != tongban.UserStaff && cs.ApplicantID != u.ID) {
			return tongban.FieldError("case_number", "办件 %s 不存在或不是您的办件", number)
		}
		c.CaseNumber, c.RegionCode = cs.Number, cs.RegionCode
		return nil
	}
	if code := strings.TrimSpace(in.RegionCode); code != "" {
		reg, err := tx.Region(ctx, code)
		if err != nil {
			return tongban.FieldError("region_code", "行政区划 %s 不存在", code)
		}
		c.RegionCode = reg.Code
		return nil
	}
	if u.Kind == tongban.UserStaff && len(u.Roles) > 0 {
		org, err := tx.Org(ctx, u.Roles[0].OrgID)
		if err != nil {
			return err
		}
		c.RegionCode = org.RegionCode
		return nil
	}
	return tongban.FieldError("region_code", "请选择反映事项所在的行政区划，或填写相关办件编号")
}

// complaintEvent writes a step's event — naming the complaint's department,
// or org when not 0 (退单 names the department that returned it) — its
// outbox event and its audit entry, in the step's transaction.
func (s *Service) complaintEvent(ctx context.Context, tx tongban.Store, r identity.Request, c *tongban.Complaint,
	act tongban.ComplaintAction, due string, level tongban.RatingLevel, note string, org ...int64) error {
	now := s.Clock.Now()
	e := &tongban.ComplaintEvent{ComplaintID: c.ID, At: now, Action: act,
		ActorID: r.Actor.ID, OrgID: c.OrgID, RegionCode: c.RegionCode, Due: due, Level: level, Note: note}
	if len(org) > 0 && org[0] != 0 {
		e.OrgID = org[0]
	}
	if err := tx.AppendComplaintEvent(ctx, e); err != nil {
		return err
	}
	if err := s.announceComplaint(ctx, tx, c, e); err != nil {
		return err
	}
	return audit.Append(ctx, tx, &tongban.AuditEntry{At: now, ActorID: r.Actor.ID, Actor: r.Actor.Name,
		Action: "complaint." + string(act), Object: "complaint:" + c.Number, Detail: c.State.Label(), IP: r.IP})
}

// Step is one step of a complaint after 受理.
type Step struct {
	// Action is dispatch (派单, OrgID the department), handle (办理), reply
	// (回复, Text the answer), return (退单, Text the reason), visit (回访,
	// Text the call-back note) or rate (评价, Level 4 满意, 3 基本满意 or 2
	// 不满意; the first 不满意 reopens it, 重办).
	Action  tongban.ComplaintAction `json:"action"`
	OrgID   int64                   `json:"org_id,omitempty"`
	Text    string                  `json:"text,omitempty"`
	Level   tongban.RatingLevel     `json:"level,omitempty"`
	Version int                     `json:"version"` // 0 skips the check
}

// Advance applies a step: 派单 and 回访 by the hotline or a supervisor,
// 办理 and 回复 by the department's administrators, 评价 by the
// complainant or, as told on the call-back, by whoever called back. Each
// step writes its event and audit entry with the complaint.
func (s *Service) Advance(ctx context.Context, r identity.Request, number string, st Step) (*ComplaintView, error) {
	u := r.Actor
	if u == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	var out *tongban.Complaint
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		c, err := tx.ComplaintByNumber(ctx, number)
		if err != nil {
			return err
		}
		if err := s.mayReadComplaint(ctx, tx, u, c); err != nil {
			return err
		}
		if st.Version != 0 && st.Version != c.Version {
			return tongban.Errorf(tongban.EConflict, "投诉工单已被他人处理，请刷新后再试")
		}
		sched, err := s.Calendar.Schedule(ctx)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		org, reply := c.OrgID, c.Reply
		due, note, err := s.step(ctx, tx, sched, u, c, &st, now)
		if err != nil {
			return err
		}
		reopen := false
		if st.Action == tongban.ComplaintActRate && st.Level == tongban.RatingDissatisfied {
			if reopen, err = s.reopens(ctx, tx, c); err != nil {
				return err
			}
		}
		if reopen { // 重办: back to the department, a new reply deadline
			c.State, c.AssignedAt, c.Satisfaction, c.ClosedAt = tongban.ComplaintAssigned, now, 0, time.Time{}
			c.Reply, c.VisitNote, c.RepliedAt = "", "", time.Time{}
			c.ReplyDue = sched.Due(now, s.Config.Loop.ReplyDays, nil).Due.String()
		}
		if err := tx.UpdateComplaint(ctx, c); err != nil {
			return err
		}
		out = c
		if err := s.complaintEvent(ctx, tx, r, c, st.Action, due, st.Level, note, org); err != nil {
			return err
		}
		if !reopen {
			return nil
		}
		return s.complaintEvent(ctx, tx, r, c, tongban.ComplaintActReopen, c.ReplyDue, 0, "原答复："+reply)
	})
	if err != nil {
		return nil, err
	}
	return s.complaintView(ctx, r, out)
}

// step checks who may take st on c in its state, and applies it; it
// returns the deadline the step answered and the event's note.
func (s *Service) step(ctx context.Context, tx tongban.Store, sched *calendar.Schedule, u *tongban.User, c *tongban.Complaint, st *Step, now time.Time) (string, string, error) {
	a := s.authz(tx)
	wrong := func() error {
		return tongban.Errorf(tongban.EConflict, "投诉工单当前为“%s”，不能%s", c.State.Label(), st.Action.Label())
	}
	handler := func() error {
		if a.RequireOrg(ctx, u, identity.PermComplaintHandle, c.OrgID) != nil {
			return tongban.Errorf(tongban.EForbidden, "只有承办部门的管理员能%s", st.Action.Label())
		}
		return nil
	}
	switch st.Action {
	case tongban.ComplaintActDispatch:
		if c.State != tongban.ComplaintReceived && c.State != tongban.ComplaintAssigned {
			return "", "", wrong()
		}
		if !a.Can(u, identity.PermComplaintDispatch) {
			return "", "", tongban.Errorf(tongban.EForbidden, "您无权派单")
		}
		org, err := tx.Org(ctx, st.OrgID)
		if err != nil || org.Kind != tongban.OrgDepartment {
			return "", "", tongban.FieldError("org_id", "请选择承办部门")
		}
		if a.RequireOrg(ctx, u, identity.PermComplaintDispatch, org.ID) != nil {
			return "", "", tongban.FieldError("org_id", "不能派单给您负责范围以外的部门")
		}
		answered := c.DispatchDue
		if c.State == tongban.ComplaintAssigned {
			answered = "" // 改派: the first dispatch answered the deadline
		}
		c.OrgID, c.State, c.AssignedAt = org.ID, tongban.ComplaintAssigned, now
		c.ReplyDue = sched.Due(now, s.Config.Loop.ReplyDays, nil).Due.String()
		return answered, org.Name, nil
	case tongban.ComplaintActHandle:
		if c.State != tongban.ComplaintAssigned {
			return "", "", wrong()
		}
		if err := handler(); err != nil {
			return "", "", err
		}
		c.State = tongban.ComplaintHandling
		return "", "", nil
	case tongban.ComplaintActReply:
		if c.State != tongban.ComplaintAssigned && c.State != tongban.ComplaintHandling {
			return "", "", wrong()
		}
		if err := handler(); err != nil {
			return "", "", err
		}
		reply, err := text("text", st.Text, "请填写答复内容")
		if err != nil {
			return "", "", err
		}
		c.State, c.Reply, c.RepliedAt = tongban.ComplaintReplied, reply, now
		return c.ReplyDue, "", nil
	case tongban.ComplaintActReturn:
		if c.State != tongban.ComplaintAssigned && c.State != tongban.ComplaintHandling {
			return "", "", wrong()
		}
		if err := handler(); err != nil {
			return "", "", err
		}
		reason, err := text("text", st.Text, "请填写退单理由")
		if err != nil {
			return "", "", err
		}
		// Back to 已受理: the hotline dispatches it again, on a new deadline.
		c.OrgID, c.State, c.AssignedAt, c.ReplyDue = 0, tongban.ComplaintReceived, time.Time{}, ""
		c.DispatchDue = sched.Due(now, s.Config.Loop.DispatchDays, nil).Due.String()
		return "", reason, nil
	case tongban.ComplaintActVisit:
		if c.State != tongban.ComplaintReplied {
			return "", "", wrong()
		}
		if !a.Can(u, identity.PermComplaintVisit) {
			return "", "", tongban.Errorf(tongban.EForbidden, "只有12345热线或监察人员能回访")
		}
		note, err := text("text", st.Text, "请填写回访情况")
		if err != nil {
			return "", "", err
		}
		c.State, c.VisitNote = tongban.ComplaintVisited, note
		return "", note, nil
	case tongban.ComplaintActRate:
		if c.State != tongban.ComplaintVisited && !(c.State == tongban.ComplaintReplied && u.ID == c.ComplainantID) {
			return "", "", wrong()
		}
		if u.ID != c.ComplainantID && !a.Can(u, identity.PermComplaintVisit) {
			return "", "", tongban.Errorf(tongban.EForbidden, "只有反映人本人或回访人员（记录反映人的评价）能评价")
		}
		if st.Level != tongban.RatingSatisfied && st.Level != tongban.RatingFair && st.Level != tongban.RatingDissatisfied {
			return "", "", tongban.FieldError("level", "评价应为 4（满意）、3（基本满意）或 2（不满意）")
		}
		c.State, c.Satisfaction, c.ClosedAt = tongban.ComplaintClosed, st.Level, now
		return "", st.Level.Label(), nil
	}
	return "", "", tongban.FieldError("action", "操作应为 dispatch（派单）、handle（办理）、reply（回复）、return（退单）、visit（回访）或 rate（评价）")
}

// mayReadComplaint: the complainant, the department it is dispatched to,
// and the hotline, dispatchers and supervisors of its region.
func (s *Service) mayReadComplaint(ctx context.Context, st tongban.Store, u *tongban.User, c *tongban.Complaint) error {
	if c.ComplainantID != 0 && u.ID == c.ComplainantID {
		return nil
	}
	a := s.authz(st)
	if c.OrgID != 0 && a.RequireOrg(ctx, u, identity.PermComplaintHandle, c.OrgID) == nil {
		return nil
	}
	for _, p := range []identity.Permission{identity.PermComplaintDispatch, identity.PermComplaintVisit, identity.PermSupervise} {
		sc, err := a.Scope(ctx, u, p)
		if err != nil {
			return err
		}
		for _, region := range sc.Regions {
			if tongban.RegionContains(region, c.RegionCode) {
				return nil
			}
		}
	}
	return tongban.Errorf(tongban.ENotFound, "投诉工单 %s 不存在", c.Number)
}

func (s *Service) complaintView(ctx context.Context, r identity.Request, c *tongban.Complaint) (*ComplaintView, error) {
	es, err := s.Store.ComplaintEvents(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if r.Actor == nil || r.Actor.ID != c.ComplainantID {
		c.Name = tongban.MaskName(c.Name)
	}
	return &ComplaintView{Complaint: c, Events: es}, nil
}

// Complaint returns one complaint for whoever may read it; to anyone
// else it does not exist.
func (s *Service) Complaint(ctx context.Context, r identity.Request, number string) (*ComplaintView, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	c, err := s.Store.ComplaintByNumber(ctx, number)
	if err != nil {
		return nil, err
	}
	if err := s.mayReadComplaint(ctx, s.Store, r.Actor, c); err != nil {
		return nil, err
	}
	return s.complaintView(ctx, r, c)
}

// Complaints lists the complaints in r's reach, newest first: a citizen's
// own; staff's by department or region. Open ones (not yet 评价) unless all.
func (s *Service) Complaints(ctx context.Context, r identity.Request, all bool) ([]*tongban.Complaint, error) {
	u := r.Actor
	if u == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	f := tongban.ComplaintFilter{Limit: 500}
	if u.Kind != tongban.UserStaff {
		f.ComplainantID = u.ID
	} else {
		sc, err := s.scope(ctx, r, "您无权查看投诉工单", identity.PermComplaintHandle, identity.PermComplaintDispatch,
			identity.PermComplaintVisit, identity.PermSupervise)
		if err != nil {
			return nil, err
		}
		f.OrgIDs, f.Regions = sc.OrgIDs, sc.Regions
	}
	if !all {
		f.States = []tongban.ComplaintState{tongban.ComplaintReceived, tongban.ComplaintAssigned,
			tongban.ComplaintHandling, tongban.ComplaintReplied, tongban.ComplaintVisited}
	}
	cs, err := s.Store.Complaints(ctx, f)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.ComplainantID != u.ID {
			c.Name = tongban.MaskName(c.Name)
		}
	}
	return cs, nil
}

// ForwardRating turns a ticket's 差评 into a 12345 complaint (差评转办),
// taken and dispatched to the rated department at once; once per rating.
// The complainant is the rater, whom the department still does not see
// (names are masked).
func (s *Service) ForwardRating(ctx context.Context, r identity.Request, ticketID int64) (*ComplaintView, error) {
	u := r.Actor
	if u == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	var out *tongban.Complaint
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		t, err := tx.RatingTicket(ctx, ticketID)
		if err != nil {
			return err
		}
		if s.authz(tx).RequireOrg(ctx, u, identity.PermComplaintDispatch, t.OrgID) != nil {
			return tongban.Errorf(tongban.EForbidden, "只有12345热线或监察人员能将差评转为投诉工单")
		}
		prior, err := tx.Complaints(ctx, tongban.ComplaintFilter{RatingID: t.RatingID, Limit: 1})
		if err != nil {
			return err
		}
		if len(prior) > 0 {
			return tongban.Errorf(tongban.EConflict, "该差评已转为投诉工单 %s", prior[0].Number)
		}
		rts, err := tx.CaseRatings(ctx, t.CaseID)
		if err != nil {
			return err
		}
		var rt *tongban.Rating
		for _, x := range rts {
			if x.ID == t.RatingID {
				rt = x
			}
		}
		if rt == nil {
			return tongban.Errorf(tongban.EInternal, "整改工单 %d 的评价不存在", t.ID)
		}
		rater, err := tx.User(ctx, rt.RaterID)
		if err != nil {
			return err
		}
		content := "差评（" + rt.Level.Label() + "）"
		if len(rt.Reasons) > 0 {
			content += "：" + strings.Join(rt.Reasons, "、")
		}
		if rt.Comment != "" {
			content += "。" + rt.Comment
		}
		sched, err := s.Calendar.Schedule(ctx)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		c := &tongban.Complaint{Kind: tongban.ComplaintGeneral, Source: tongban.ComplaintRating, ComplainantID: rater.ID,
			Name: rater.Name, Phone: rater.Phone, Content: content, CaseNumber: t.CaseNumber, RatingID: rt.ID,
			RegionCode: t.RegionCode, State: tongban.ComplaintReceived, ReceivedBy: u.ID, ReceivedAt: now,
			DispatchDue: sched.Due(now, s.Config.Loop.DispatchDays, nil).Due.String(), Number: complaintPrefix(now)}
		if err := tx.CreateComplaint(ctx, c); err != nil {
			return err
		}
		if err := s.complaintEvent(ctx, tx, r, c, tongban.ComplaintActReceive, "", 0, c.Source.Label()); err != nil {
			return err
		}
		answered := c.DispatchDue
		c.OrgID, c.State, c.AssignedAt = t.OrgID, tongban.ComplaintAssigned, now
		c.ReplyDue = sched.Due(now, s.Config.Loop.ReplyDays, nil).Due.String()
		if err := tx.UpdateComplaint(ctx, c); err != nil {
			return err
		}
		out = c
		return s.complaintEvent(ctx, tx, r, c, tongban.ComplaintActDispatch, answered, 0, "整改工单 "+strconv.FormatInt(t.ID, 10))
	})
	if err != nil {
		return nil, err
	}
	return s.complaintView(ctx, r, out)
}

// complaintPrefix starts a complaint's number: TS (投诉) and the China
// date it was taken; the store appends the id.
func complaintPrefix(at time.Time) string {
	return "TS" + strings.ReplaceAll(calendar.DateOf(at).String(), "-", "")
}
