package workflow

import (
	"context"
	"math/rand/v2"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// postCheckable are the outcomes whose commitments are checked afterwards:
// a commitment that was believed.
var postCheckable = []tongban.CaseState{tongban.CaseApproved}

// SamplePostChecks draws n random cases (双随机) among the approved 告知承诺
// cases of the region within that are not yet checked (事后核查), for a
// supervisor of that region. within "" is the supervisor's own region.
func (s *Service) SamplePostChecks(ctx context.Context, r Request, within string, n int) ([]*tongban.Case, error) {
	region, err := s.supervisedRegion(ctx, r, within)
	if err != nil {
		return nil, err
	}
	pool, err := s.Store.Cases(ctx, tongban.CaseFilter{Within: region, PostCheckPending: true,
		Outcomes: postCheckable, Limit: 1000})
	if err != nil {
		return nil, err
	}
	rand.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	return pool[:min(max(n, 0), len(pool))], nil
}

// supervisedRegion is within, checked to lie in a region the actor
// supervises, or the actor's first supervised region.
func (s *Service) supervisedRegion(ctx context.Context, r Request, within string) (string, error) {
	if r.Actor == nil {
		return "", tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	for _, g := range r.Actor.Roles {
		if !holds(g.Role, identity.PermSupervise) {
			continue
		}
		home, err := s.Store.Org(ctx, g.OrgID)
		if err != nil {
			return "", err
		}
		if within == "" {
			return home.RegionCode, nil
		}
		if tongban.RegionContains(home.RegionCode, within) {
			return within, nil
		}
	}
	return "", tongban.Errorf(tongban.EForbidden, "您不负责监察该地区")
}

// PostCheckInput is the result of a 事后核查.
type PostCheckInput struct {
	Passed bool   // the commitment was true
	Note   string // required when it was not
}

// PostCheck records the 事后核查 of a commitment case, by a supervisor of
// its region or by its department. An untrue commitment is flagged for the
// department to act on (revocation and credit records are outside cases).
func (s *Service) PostCheck(ctx context.Context, r Request, id int64, in PostCheckInput) (*tongban.Case, error) {
	return s.act(ctx, r, id, false, func(t *txn) error {
		a, err := firstOf(t.supervisor, t.backOffice)
		if err != nil {
			return err
		}
		if err := checkFrom(t.c, tongban.ActionPostCheck); err != nil {
			return err
		}
		if !t.c.NeedsPostCheck || t.c.PostChecked || t.c.Outcome != tongban.CaseApproved {
			return illegalBecause(t.c, tongban.ActionPostCheck, "该办件无待核查的告知承诺")
		}
		note := strings.TrimSpace(in.Note)
		reason := "核查属实"
		if !in.Passed {
			if note == "" {
				return tongban.FieldError("note", "核查不实须写明情况")
			}
			reason = "承诺不实"
		}
		if note != "" {
			reason += "：" + note
		}
		t.c.PostChecked, t.c.PostCheckFailed = true, !in.Passed
		t.record(a, tongban.ActionPostCheck, t.c.State, reason, nil, false)
		return nil
	})
}
