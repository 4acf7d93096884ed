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

// AppealInput is a department's appeal (申诉) against the 差评 behind one
// of its tickets.
type AppealInput struct {
	Ground tongban.AppealGround `json:"ground"` // malicious (恶意差评) or mistaken (误评)
	Reason string               `json:"reason"`
}

// AppealDecision is a supervisor's ruling on an appeal.
type AppealDecision struct {
	Upheld  bool   `json:"upheld"`
	Text    string `json:"text"`    // the reasons of the ruling; required
	Version int    `json:"version"` // the appeal version decided; 0 skips the check
}

// text trims a required free text and checks its length.
func text(field, s, empty string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", tongban.FieldError(field, "%s", empty)
	}
	if utf8.RuneCountInString(s) > maxAnswer {
		return "", tongban.FieldError(field, "不能超过 %d 字", maxAnswer)
	}
	return s, nil
}

// Appeal files the department's appeal against a ticket's 差评: its
// administrators only (PermRatingAnswer), once per rating, audited.
func (s *Service) Appeal(ctx context.Context, r identity.Request, ticketID int64, in AppealInput) (*tongban.RatingAppeal, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	if !in.Ground.Valid() {
		return nil, tongban.FieldError("ground", "申诉理由应为 malicious（恶意差评）或 mistaken（误评）")
	}
	reason, err := text("reason", in.Reason, "请写明申诉的事实和理由")
	if err != nil {
		return nil, err
	}
	var out *tongban.RatingAppeal
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		t, err := tx.RatingTicket(ctx, ticketID)
		if err != nil {
			return err
		}
		if err := s.authz(tx).RequireOrg(ctx, r.Actor, identity.PermRatingAnswer, t.OrgID); err != nil {
			return tongban.Errorf(tongban.EForbidden, "只有被评价部门的管理员能对该差评申诉")
		}
		now := s.Clock.Now()
		a := &tongban.RatingAppeal{RatingID: t.RatingID, CaseID: t.CaseID, CaseNumber: t.CaseNumber, OrgID: t.OrgID,
			RegionCode: t.RegionCode, Ground: in.Ground, Reason: reason, State: tongban.AppealPending,
			FiledBy: r.Actor.ID, FiledAt: now}
		if err := tx.CreateRatingAppeal(ctx, a); err != nil {
			return err
		}
		out = a
		return audit.Append(ctx, tx, &tongban.AuditEntry{At: now, ActorID: r.Actor.ID, Actor: r.Actor.Name,
			Action: "rating.appeal", Object: "rating_ticket:" + strconv.FormatInt(t.ID, 10),
			Detail: t.CaseNumber + " " + in.Ground.Label(), IP: r.IP})
	})
	return out, err
}

// DecideAppeal is a supervisor's ruling (PermAppealDecide over the
// department). An upheld appeal takes the rating out of 好评率 and 差评率
// and closes its ticket if still open, as 核实无效 with the ruling; a
// rejected one changes nothing else. Either way the record stays.
func (s *Service) DecideAppeal(ctx context.Context, r identity.Request, id int64, d AppealDecision) (*tongban.RatingAppeal, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	ruling, err := text("text", d.Text, "请写明裁定理由")
	if err != nil {
		return nil, err
	}
	var out *tongban.RatingAppeal
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		a, err := tx.RatingAppeal(ctx, id)
		if err != nil {
			return err
		}
		if err := s.authz(tx).RequireOrg(ctx, r.Actor, identity.PermAppealDecide, a.OrgID); err != nil {
			return tongban.Errorf(tongban.EForbidden, "只有负责该部门的监察人员能裁定申诉")
		}
		if d.Version != 0 && d.Version != a.Version {
			return tongban.Errorf(tongban.EConflict, "申诉已被他人处理，请刷新后再试")
		}
		if a.State != tongban.AppealPending {
			return tongban.Errorf(tongban.EConflict, "该申诉已裁定为“%s”", a.State.Label())
		}
		now := s.Clock.Now()
		a.State, a.Decision, a.DecidedBy, a.DecidedAt = tongban.AppealRejected, ruling, r.Actor.ID, now
		if d.Upheld {
			a.State = tongban.AppealUpheld
		}
		if err := tx.DecideRatingAppeal(ctx, a); err != nil {
			return err
		}
		if a.State == tongban.AppealUpheld {
			t, err := tx.TicketOfRating(ctx, a.RatingID)
			if err != nil {
				return err
			}
			rt, err := ratingOfTicket(ctx, tx, t)
			if err != nil {
				return err
			}
			if err := record(ctx, tx, tongban.RatingExcluded, rt, now, nil); err != nil {
				return err
			}
			if t.State.Open() {
				t.State, t.Answer, t.ClosedAt, t.HandlerID = tongban.TicketInvalid, "申诉成立："+ruling, now, r.Actor.ID
				if err := tx.UpdateRatingTicket(ctx, t); err != nil {
					return err
				}
				if err := recordAnswer(ctx, tx, t, "appeal", now); err != nil {
					return err
				}
			}
		}
		out = a
		return audit.Append(ctx, tx, &tongban.AuditEntry{At: now, ActorID: r.Actor.ID, Actor: r.Actor.Name,
			Action: "rating.appeal.decide", Object: "rating_appeal:" + strconv.FormatInt(a.ID, 10),
			Detail: a.CaseNumber + " → " + a.State.Label(), IP: r.IP})
	})
	return out, err
}

// Appeals lists the appeals in r's reach: its departments' (PermRatingAnswer)
// and those it decides (PermAppealDecide); pending ones unless all.
func (s *Service) Appeals(ctx context.Context, r identity.Request, all bool) ([]*tongban.RatingAppeal, error) {
	sc, err := s.scope(ctx, r, "您无权查看申诉", identity.PermRatingAnswer, identity.PermAppealDecide)
	if err != nil {
		return nil, err
	}
	f := tongban.RatingAppealFilter{OrgIDs: sc.OrgIDs, Regions: sc.Regions}
	if !all {
		f.States = []tongban.AppealState{tongban.AppealPending}
	}
	return s.Store.RatingAppeals(ctx, f)
}

// scope joins r's scopes of the permissions; refused when empty.
func (s *Service) scope(ctx context.Context, r identity.Request, refusal string, perms ...identity.Permission) (tongban.OrgScope, error) {
	var out tongban.OrgScope
	if r.Actor == nil {
		return out, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	for _, p := range perms {
		sc, err := s.authz(s.Store).Scope(ctx, r.Actor, p)
		if err != nil {
			return out, err
		}
		out.OrgIDs, out.Regions = append(out.OrgIDs, sc.OrgIDs...), append(out.Regions, sc.Regions...)
	}
	if len(out.OrgIDs) == 0 && len(out.Regions) == 0 {
		return out, tongban.Errorf(tongban.EForbidden, "%s", refusal)
	}
	return out, nil
}
