package rating

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// VerdictInput is the rater's judgement of the department's answer: the
// body of POST /api/v1/cases/{number}/ratings/{encounter}/verdict.
type VerdictInput struct {
	// Level is 4 满意, 3 基本满意 or 2 不满意.
	Level   tongban.RatingLevel `json:"level"`
	Comment string              `json:"comment,omitempty"`
}

// Judge records the rater's verdict on the answer to their 差评, once the
// ticket is closed (已整改, or 核实无效 with its explanation). Only the
// rater judges, once.
func (s *Service) Judge(ctx context.Context, r identity.Request, number, encounter string, in VerdictInput) (*Rated, error) {
	c, err := s.applicantCase(ctx, r, number)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(tongban.VerdictLevels, in.Level) {
		return nil, tongban.FieldError("level", "对答复的评价应为 4（满意）、3（基本满意）或 2（不满意）")
	}
	in.Comment = strings.TrimSpace(in.Comment)
	if utf8.RuneCountInString(in.Comment) > maxComment {
		return nil, tongban.FieldError("comment", "评价内容不能超过 %d 字", maxComment)
	}
	rt, err := s.Store.RatingOf(ctx, c.ID, encounter)
	if err != nil {
		return nil, err
	}
	if rt.RaterID != r.Actor.ID {
		return nil, tongban.Errorf(tongban.EForbidden, "只能评价对本人差评的答复")
	}
	out := &Rated{Rating: rt}
	now := s.Clock.Now()
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		t, err := tx.TicketOfRating(ctx, rt.ID)
		if tongban.IsCode(err, tongban.ENotFound) {
			return tongban.Errorf(tongban.EConflict, "该评价不是差评，没有需要评价的整改答复")
		}
		if err != nil {
			return err
		}
		if t.State.Open() {
			return tongban.Errorf(tongban.EConflict, "整改工单当前为“%s”，部门答复后才能评价答复", t.State.Label())
		}
		v := &tongban.RatingVerdict{TicketID: t.ID, Level: in.Level, Comment: in.Comment, RaterID: r.Actor.ID, CreatedAt: now}
		if err := tx.CreateRatingVerdict(ctx, v); err != nil {
			return err
		}
		out.Ticket, out.Verdict = t, v
		return record(ctx, tx, tongban.RatingJudged, rt, now, func(e *tongban.RatingEvent) { e.Level = in.Level })
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
