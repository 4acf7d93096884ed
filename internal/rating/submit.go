package rating

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/outbox"
)

// Input is what the rater gives: the body of POST /api/v1/cases/{number}/ratings.
type Input struct {
	// Encounter is "case" (一事一评) or a visit's event id (一次一评).
	Encounter  string                         `json:"encounter"`
	Channel    tongban.RatingChannel          `json:"channel"`
	Level      tongban.RatingLevel            `json:"level"`
	Indicators map[string]tongban.RatingLevel `json:"indicators,omitempty"`
	// Reasons of a 差评, from tongban.BadRatingReasons; a written reason
	// goes in Comment.
	Reasons []string `json:"reasons,omitempty"`
	Comment string   `json:"comment,omitempty"`
	// Link is the signed rating link's token (the part after /r/): the
	// proof of a qr or sms channel, which is never taken on the rater's
	// word.
	Link string `json:"link,omitempty"`
	// FromClient marks input that came from the applicant's own client
	// (the API, a web form): its channel must be proved (proveChannel).
	// Tongban's own channel services leave it false.
	FromClient bool `json:"-"`
}

// Rated is a rating with the ticket its 差评 opened, if any.
type Rated struct {
	Rating *tongban.Rating       `json:"rating"`
	Ticket *tongban.RatingTicket `json:"ticket,omitempty"`
	// Verdict is the rater's judgement of the department's answer.
	Verdict *tongban.RatingVerdict `json:"verdict,omitempty"`
}

const maxComment = 500

func (in *Input) validate() error {
	if !in.Level.Valid() {
		return tongban.FieldError("level", "评价等级应为 1（非常不满意）到 5（非常满意）")
	}
	if !in.Channel.Valid() {
		return tongban.FieldError("channel", "评价渠道应为 web、mobile、window_device、qr 或 sms")
	}
	set := tongban.IndicatorsFor(in.Channel)
	for k, v := range in.Indicators {
		if !slices.Contains(set.Items, k) {
			return tongban.FieldError("indicators", "“%s”不是%s渠道的评价指标（应为 %s）", k, in.Channel.Label(), strings.Join(set.Items, "、"))
		}
		if !v.Valid() {
			return tongban.FieldError("indicators", "指标“%s”的评分应为 1 到 5", k)
		}
	}
	in.Comment = strings.TrimSpace(in.Comment)
	if utf8.RuneCountInString(in.Comment) > maxComment {
		return tongban.FieldError("comment", "评价内容不能超过 %d 字", maxComment)
	}
	for _, r := range in.Reasons {
		if !slices.Contains(tongban.BadRatingReasons, r) {
			return tongban.FieldError("reasons", "差评原因“%s”不在标准原因中；其他原因请写在评价内容里", r)
		}
	}
	if !in.Level.Bad() && len(in.Reasons) > 0 {
		return tongban.FieldError("reasons", "只有差评（不满意、非常不满意）需要选择原因")
	}
	if in.Level.Bad() && len(in.Reasons) == 0 && in.Comment == "" {
		return tongban.FieldError("reasons", "差评须选择或填写原因")
	}
	if slices.Contains(in.Reasons, "其他") && in.Comment == "" {
		return tongban.FieldError("comment", "选择“其他”原因时请在评价内容里写明")
	}
	return nil
}

// applicantCase returns the case if r's actor is its applicant: staff may
// not rate for an applicant, nor anyone rate someone else's case.
func (s *Service) applicantCase(ctx context.Context, r identity.Request, number string) (*tongban.Case, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	if r.Actor.Kind == tongban.UserStaff {
		return nil, tongban.Errorf(tongban.EForbidden, "工作人员不能代替申请人评价，评价只能由申请人本人作出")
	}
	c, err := s.Store.CaseByNumber(ctx, number)
	if err != nil {
		return nil, err
	}
	if c.ApplicantID != r.Actor.ID {
		return nil, tongban.Errorf(tongban.EForbidden, "只能评价本人申请的办件")
	}
	return c, nil
}

// encounterOrg checks that the encounter can be rated now and returns the
// department that handled it: for the case, its department once decided;
// for a visit, the org the visit was received at.
func (s *Service) encounterOrg(ctx context.Context, c *tongban.Case, encounter string) (int64, error) {
	if encounter == tongban.EncounterCase {
		if !Decided(c) {
			return 0, tongban.FieldError("encounter", "办件尚未作出决定，办结或作出决定后才能评价（一事一评）")
		}
		return c.OrgID, nil
	}
	id, err := strconv.ParseInt(encounter, 10, 64)
	if err != nil || id <= 0 {
		return 0, tongban.FieldError("encounter", "评价对象应为 case（一事一评）或一次到场服务的事件编号（一次一评）")
	}
	evs, err := s.Store.CaseEvents(ctx, c.ID)
	if err != nil {
		return 0, err
	}
	for _, e := range evs {
		if e.ID == id && e.Visit {
			if e.OrgID != 0 {
				return e.OrgID, nil
			}
			return c.OrgID, nil
		}
	}
	return 0, tongban.FieldError("encounter", "该办件没有编号为 %d 的到场服务", id)
}

// proveChannel checks the channel a client's rating claims: 网站 and 移动端 are where the signed-in applicant is;
// 二维码 and 短信 need the signed link of this very case, encounter and
// channel; 窗口评价器 is the window's device, for which the API and the
// website do not speak. So a channel figure counts only what the channel
// really carried. A change that keeps the rating's channel (old) needs no
// new proof: it was proved when given.
func (s *Service) proveChannel(number string, old tongban.RatingChannel, in Input) error {
	if !in.FromClient || in.Channel == old {
		return nil
	}
	switch in.Channel {
	case tongban.RatingQR, tongban.RatingSMS:
		if s.Links == nil || in.Link == "" {
			return tongban.FieldError("link", "经二维码或短信评价须通过其评价链接提交；在网站或移动端评价请选择 web 或 mobile 渠道")
		}
		l, err := s.Links.Verify(in.Link)
		if err != nil {
			return err
		}
		if l.Number != number || l.Encounter != in.Encounter || l.Channel != in.Channel {
			return tongban.FieldError("link", "评价链接不是本办件此次服务的%s链接", in.Channel.Label())
		}
	case tongban.RatingWindowDevice:
		return tongban.FieldError("channel", "窗口评价器的评价只能在办事窗口的评价器上作出")
	}
	return nil
}

// Decided reports whether a case has had its decision (or refusal), so its
// 一事一评 is open; withdrawn and undecided cases have none.
func Decided(c *tongban.Case) bool {
	return !c.State.Open() && c.State != tongban.CaseWithdrawn
}

// Submit records the applicant's rating of an encounter of the case
// numbered number; a 差评 opens its ticket in the same transaction. A
// second rating of the encounter is an EConflict.
func (s *Service) Submit(ctx context.Context, r identity.Request, number string, in Input) (*Rated, error) {
	c, err := s.applicantCase(ctx, r, number)
	if err != nil {
		return nil, err
	}
	return s.submit(ctx, c, r.Actor.ID, in)
}

// submit records the rating of c's encounter by its applicant, raterID.
func (s *Service) submit(ctx context.Context, c *tongban.Case, raterID int64, in Input) (*Rated, error) {
	if in.Encounter == "" {
		in.Encounter = tongban.EncounterCase
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	org, err := s.encounterOrg(ctx, c, in.Encounter)
	if err != nil {
		return nil, err
	}
	if err := s.proveChannel(c.Number, "", in); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	set := tongban.IndicatorsFor(in.Channel)
	rt := &tongban.Rating{CaseID: c.ID, CaseNumber: c.Number, Encounter: in.Encounter, Channel: in.Channel,
		Level: in.Level, IndicatorVersion: set.Version, Indicators: in.Indicators, Reasons: in.Reasons,
		Comment: in.Comment, RaterID: raterID, OrgID: org, RegionCode: c.RegionCode, ListingID: c.ListingID,
		CreatedAt: now, UpdatedAt: now}
	out := &Rated{Rating: rt}
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.CreateRating(ctx, rt); err != nil {
			return err
		}
		if err := record(ctx, tx, tongban.RatingGiven, rt, now, nil); err != nil {
			return err
		}
		if rt.Level.Bad() {
			if out.Ticket, err = s.openTicket(ctx, tx, rt); err != nil {
				return err
			}
		}
		return s.announce(ctx, tx, "rating.submitted", rt, out.Ticket)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Change rewrites the rater's own rating within the change window. A
// change to a 差评 opens a ticket if the rating had none; a ticket already
// opened stays, with its record, whatever the new level.
func (s *Service) Change(ctx context.Context, r identity.Request, number, encounter string, in Input) (*Rated, error) {
	c, err := s.applicantCase(ctx, r, number)
	if err != nil {
		return nil, err
	}
	old, err := s.Store.RatingOf(ctx, c.ID, encounter)
	if err != nil {
		return nil, err
	}
	if old.RaterID != r.Actor.ID {
		return nil, tongban.Errorf(tongban.EForbidden, "只能修改本人作出的评价")
	}
	now := s.Clock.Now()
	if now.Sub(old.CreatedAt) > s.Config.ChangeWindow {
		return nil, tongban.Errorf(tongban.EConflict, "评价作出已超过 %d 天，不能再修改", int(s.Config.ChangeWindow.Hours()/24))
	}
	in.Encounter = encounter
	if in.Channel == "" {
		in.Channel = old.Channel
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	if err := s.proveChannel(c.Number, old.Channel, in); err != nil {
		return nil, err
	}
	set := tongban.IndicatorsFor(in.Channel)
	prevLevel, prevChannel := old.Level, old.Channel
	old.Channel, old.Level, old.IndicatorVersion = in.Channel, in.Level, set.Version
	old.Indicators, old.Reasons, old.Comment, old.UpdatedAt = in.Indicators, in.Reasons, in.Comment, now
	out := &Rated{Rating: old}
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.UpdateRating(ctx, old); err != nil {
			return err
		}
		if err := record(ctx, tx, tongban.RatingChanged, old, now, func(e *tongban.RatingEvent) {
			e.PrevLevel, e.PrevChannel = prevLevel, prevChannel
		}); err != nil {
			return err
		}
		t, err := tx.TicketOfRating(ctx, old.ID)
		switch {
		case err == nil:
			out.Ticket = t
		case !tongban.IsCode(err, tongban.ENotFound):
			return err
		case old.Level.Bad():
			if out.Ticket, err = s.openTicket(ctx, tx, old); err != nil {
				return err
			}
		}
		return s.announce(ctx, tx, "rating.changed", old, out.Ticket)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Mine lists the applicant's ratings of their case, with their tickets.
func (s *Service) Mine(ctx context.Context, r identity.Request, number string) ([]*Rated, error) {
	c, err := s.applicantCase(ctx, r, number)
	if err != nil {
		return nil, err
	}
	rs, err := s.Store.CaseRatings(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	out := []*Rated{}
	for _, rt := range rs {
		x := &Rated{Rating: rt}
		if t, err := s.Store.TicketOfRating(ctx, rt.ID); err == nil {
			x.Ticket = t
			if x.Verdict, err = s.Store.RatingVerdictOf(ctx, t.ID); tongban.IsCode(err, tongban.ENotFound) {
				x.Verdict = nil
			} else if err != nil {
				return nil, err
			}
		} else if !tongban.IsCode(err, tongban.ENotFound) {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// announcement is the outbox payload of a rating: no rater, so department
// systems learn what was rated, not by whom.
type announcement struct {
	Case      string                `json:"case_number"`
	Encounter string                `json:"encounter"`
	Channel   tongban.RatingChannel `json:"channel"`
	Level     tongban.RatingLevel   `json:"level"`
	Bad       bool                  `json:"bad"`
	TicketID  int64                 `json:"ticket_id,omitempty"`
}

func (s *Service) announce(ctx context.Context, tx tongban.Store, typ string, rt *tongban.Rating, t *tongban.RatingTicket) error {
	if !s.Outbox {
		return nil
	}
	a := announcement{Case: rt.CaseNumber, Encounter: rt.Encounter, Channel: rt.Channel, Level: rt.Level, Bad: rt.Level.Bad()}
	if t != nil {
		a.TicketID = t.ID
	}
	return outbox.Append(ctx, tx, typ, "case:"+rt.CaseNumber, outbox.Scope{RegionCode: rt.RegionCode, OrgID: rt.OrgID},
		rt.UpdatedAt, a)
}
