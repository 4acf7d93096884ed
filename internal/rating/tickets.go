package rating

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

// openTicket opens the rectification of a 差评 on the department that
// handled the encounter, its deadlines counted in working days from the
// rating: 回访核实 in VerifyDays, 整改 in RectifyDays.
func (s *Service) openTicket(ctx context.Context, tx tongban.Store, rt *tongban.Rating) (*tongban.RatingTicket, error) {
	sched, err := s.Calendar.Schedule(ctx)
	if err != nil {
		return nil, err
	}
	t := &tongban.RatingTicket{RatingID: rt.ID, CaseID: rt.CaseID, CaseNumber: rt.CaseNumber, OrgID: rt.OrgID,
		RegionCode: rt.RegionCode, State: tongban.TicketVerifying,
		VerifyDue:  sched.Due(rt.UpdatedAt, s.Config.VerifyDays, nil).Due.String(),
		RectifyDue: sched.Due(rt.UpdatedAt, s.Config.RectifyDays, nil).Due.String(),
		CreatedAt:  rt.UpdatedAt}
	if err := tx.CreateRatingTicket(ctx, t); err != nil {
		return nil, err
	}
	return t, record(ctx, tx, tongban.RatingTicketed, rt, rt.UpdatedAt, nil)
}

// TicketView is a ticket as the department and supervisors see it: the
// rating's level, reasons and comment, never the rater.
type TicketView struct {
	Ticket  *tongban.RatingTicket `json:"ticket"`
	Level   tongban.RatingLevel   `json:"level"`
	Channel tongban.RatingChannel `json:"channel"`
	Reasons []string              `json:"reasons,omitempty"`
	Comment string                `json:"comment,omitempty"`
	// Appeal is the department's appeal (申诉) against the rating, if any.
	Appeal *tongban.RatingAppeal `json:"appeal,omitempty"`
}

// Tickets lists the tickets of the departments r's actor answers for
// (PermRatingAnswer) or supervises (PermSupervise), open ones unless all.
func (s *Service) Tickets(ctx context.Context, r identity.Request, all bool) ([]*TicketView, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	f := tongban.RatingTicketFilter{Limit: 500}
	for _, p := range []identity.Permission{identity.PermRatingAnswer, identity.PermSupervise} {
		sc, err := s.authz(s.Store).Scope(ctx, r.Actor, p)
		if err != nil {
			return nil, err
		}
		f.OrgIDs, f.Regions = append(f.OrgIDs, sc.OrgIDs...), append(f.Regions, sc.Regions...)
	}
	if len(f.OrgIDs) == 0 && len(f.Regions) == 0 {
		return nil, tongban.Errorf(tongban.EForbidden, "您无权查看差评整改工单")
	}
	if !all {
		f.States = []tongban.TicketState{tongban.TicketVerifying, tongban.TicketRectifying}
	}
	ts, err := s.Store.RatingTickets(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]*TicketView, 0, len(ts))
	for _, t := range ts {
		v, err := s.view(ctx, t)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Service) view(ctx context.Context, t *tongban.RatingTicket) (*TicketView, error) {
	rt, err := ratingOfTicket(ctx, s.Store, t)
	if err != nil {
		return nil, err
	}
	v := &TicketView{Ticket: t, Level: rt.Level, Channel: rt.Channel, Reasons: rt.Reasons, Comment: rt.Comment}
	a, err := s.Store.AppealOfRating(ctx, rt.ID)
	if err != nil && !tongban.IsCode(err, tongban.ENotFound) {
		return nil, err
	}
	v.Appeal = a
	return v, nil
}

// Ticket returns one ticket for its department or a supervisor.
func (s *Service) Ticket(ctx context.Context, r identity.Request, id int64) (*TicketView, error) {
	t, err := s.Store.RatingTicket(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.mayRead(ctx, r, t); err != nil {
		return nil, err
	}
	return s.view(ctx, t)
}

func (s *Service) mayRead(ctx context.Context, r identity.Request, t *tongban.RatingTicket) error {
	if r.Actor == nil {
		return tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	a := s.authz(s.Store)
	if a.RequireOrg(ctx, r.Actor, identity.PermRatingAnswer, t.OrgID) == nil ||
		a.RequireOrg(ctx, r.Actor, identity.PermSupervise, t.OrgID) == nil {
		return nil
	}
	return tongban.Errorf(tongban.EForbidden, "您无权查看该整改工单")
}

// Answer is the department's step on a ticket.
type Answer struct {
	// Action is "verify" (回访核实: Valid says whether the 差评 was founded)
	// or "rectify" (整改完成).
	Action string `json:"action"`
	Valid  bool   `json:"valid"`
	// Text is the 回访核实 finding, the 整改 report, or for an unfounded
	// 差评 the written explanation (解释说明); required.
	Text    string `json:"text"`
	Version int    `json:"version"` // the ticket version answered; 0 skips the check
}

const maxAnswer = 2000

// Respond applies a department's answer: 待核实 → 整改中 (founded) or 核实无效
// (unfounded, with the explanation), and 整改中 → 已整改 with the report.
func (s *Service) Respond(ctx context.Context, r identity.Request, id int64, a Answer) (*TicketView, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	a.Text = strings.TrimSpace(a.Text)
	if a.Text == "" {
		return nil, tongban.FieldError("text", "请填写核实情况、整改情况或解释说明")
	}
	if utf8.RuneCountInString(a.Text) > maxAnswer {
		return nil, tongban.FieldError("text", "答复不能超过 %d 字", maxAnswer)
	}
	var out *tongban.RatingTicket
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		t, err := tx.RatingTicket(ctx, id)
		if err != nil {
			return err
		}
		if err := s.authz(tx).RequireOrg(ctx, r.Actor, identity.PermRatingAnswer, t.OrgID); err != nil {
			return tongban.Errorf(tongban.EForbidden, "只有被评价部门的管理员能答复该整改工单")
		}
		if a.Version != 0 && a.Version != t.Version {
			return tongban.Errorf(tongban.EConflict, "整改工单已被他人处理，请刷新后再试")
		}
		now := s.Clock.Now()
		switch {
		case a.Action == "verify" && t.State == tongban.TicketVerifying && a.Valid:
			t.State, t.Finding, t.VerifiedAt = tongban.TicketRectifying, a.Text, now
		case a.Action == "verify" && t.State == tongban.TicketVerifying:
			t.State, t.Answer, t.VerifiedAt, t.ClosedAt = tongban.TicketInvalid, a.Text, now, now
		case a.Action == "rectify" && t.State == tongban.TicketRectifying:
			t.State, t.Answer, t.ClosedAt = tongban.TicketRectified, a.Text, now
		case a.Action != "verify" && a.Action != "rectify":
			return tongban.FieldError("action", "操作应为 verify（回访核实）或 rectify（整改完成）")
		default:
			return tongban.Errorf(tongban.EConflict, "整改工单当前为“%s”，不能%s", t.State.Label(), actionLabel(a.Action))
		}
		t.HandlerID = r.Actor.ID
		if err := tx.UpdateRatingTicket(ctx, t); err != nil {
			return err
		}
		if err := recordAnswer(ctx, tx, t, a.Action, now); err != nil {
			return err
		}
		out = t
		return audit.Append(ctx, tx, &tongban.AuditEntry{At: now, ActorID: r.Actor.ID, Actor: r.Actor.Name,
			Action: "rating.ticket." + a.Action, Object: "rating_ticket:" + strconv.FormatInt(t.ID, 10),
			Detail: t.CaseNumber + " → " + t.State.Label(), IP: r.IP})
	})
	if err != nil {
		return nil, err
	}
	return s.view(ctx, out)
}

func actionLabel(a string) string {
	if a == "rectify" {
		return "登记整改完成"
	}
	return "回访核实"
}
