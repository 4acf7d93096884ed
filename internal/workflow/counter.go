package workflow

import (
	"context"
	"fmt"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// InstantOwedDays is how long a 即办件 accepted with 容缺 gives the applicant
// to hand the owed materials in, since it has no promised time to lean on.
const InstantOwedDays = 5

// AcceptInput is a clerk's acceptance.
type AcceptInput struct {
	// Owed are the 容缺 materials: non-key materials the applicant will hand
	// in after acceptance, where the listing allows it.
	Owed []string
	// OwedDays is the working days allowed for them; 0 means by the case's
	// due date (InstantOwedDays for a 即办件).
	OwedDays int
	Note     string
	// Confirm are the provided files the clerk checked and passes (审核通过),
	// which enter the applicant's material library; see ConfirmMaterials.
	Confirm []MaterialConfirmation
}

// Accept (受理) starts the clock. Every required material must be there or
// owed (容缺). A case taken at a window is routed to its sector's board; a
// 即办件 is decided in the same transaction (accept and approve events).
func (s *Service) Accept(ctx context.Context, r Request, id int64, in AcceptInput) (*tongban.Case, error) {
	return s.act(ctx, r, id, true, func(t *txn) error {
		a, window, err := t.frontDesk()
		if err != nil {
			return err
		}
		if err := checkFrom(t.c, tongban.ActionAccept); err != nil {
			return err
		}
		owed, err := checkOwed(t.listing, t.c, in.Owed)
		if err != nil {
			return err
		}
		if len(in.Confirm) > 0 {
			if err := t.confirm(a, in.Confirm, "confirm"); err != nil {
				return err
			}
		}
		if missing := missingRequired(t.listing, t.c, owed); len(missing) > 0 {
			return tongban.FieldError("materials", "缺少必要材料%s，请一次性告知申请人补正", names(missing))
		}
		t.c.AcceptedAt = t.now
		if err := t.routeOnAccept(window); err != nil {
			return err
		}
		reason := strings.TrimSpace(in.Note)
		var owedKeys []string
		if len(owed) > 0 {
			setDeadline(t.sched, t.c, nil) // the due date, for the default owed date
			due := t.c.DueDate
			switch {
			case in.OwedDays > 0:
				due = t.sched.Due(t.now, in.OwedDays, nil).Due.String()
			case t.c.Instant:
				due = t.sched.Due(t.now, InstantOwedDays, nil).Due.String()
			}
			t.c.OwedDue = due
			var ns []string
			for _, lm := range t.listing.Materials { // listing order, for a stable notice
				if owed[lm.Key] {
					setMaterial(t.c, tongban.CaseMaterial{Key: lm.Key, Name: lm.Name, Status: tongban.MaterialOwed})
					owedKeys = append(owedKeys, lm.Key)
					ns = append(ns, "「"+lm.Name+"」")
				}
			}
			reason = strings.TrimSpace(fmt.Sprintf("容缺受理，待补%s，%s前补齐。%s", strings.Join(ns, ""), due, reason))
		}
		t.record(a, tongban.ActionAccept, tongban.CaseAccepted, reason, owedKeys, false)
		t.c.Step = t.proc.First()
		if t.c.Instant {
			t.c.Step = t.proc.Last()
			t.decide(a, tongban.CaseApproved, "即办件，受理即办结", nil)
		}
		return nil
	})
}

// decide records approval or denial at the deciding step.
func (t *txn) decide(a *actor, to tongban.CaseState, note string, reasons []string) {
	t.c.DecidedAt, t.c.Outcome = t.now, to
	action := tongban.ActionApprove
	if to == tongban.CaseDenied {
		action, note = tongban.ActionDeny, strings.Join(reasons, "；")
		t.c.Reasons = reasons
	}
	t.record(a, action, to, note, nil, false)
}

// Reject (不予受理) refuses an application that cannot be accepted at all
// (not this department's business, not an applicable matter…). Reasons
// are required: they go on the 不予受理通知书 and to supervisors.
func (s *Service) Reject(ctx context.Context, r Request, id int64, reasons []string) (*tongban.Case, error) {
	return s.act(ctx, r, id, false, func(t *txn) error {
		a, _, err := t.frontDesk()
		if err != nil {
			return err
		}
		if err := checkFrom(t.c, tongban.ActionReject); err != nil {
			return err
		}
		if !t.c.AcceptedAt.IsZero() {
			return illegalBecause(t.c, tongban.ActionReject, "办件已受理，应作出不予办理的决定")
		}
		reasons = cleanList(reasons)
		if len(reasons) == 0 {
			return tongban.FieldError("reasons", "不予受理须说明理由")
		}
		t.c.Reasons, t.c.Outcome, t.c.Corrections = reasons, tongban.CaseRejected, nil
		t.record(a, tongban.ActionReject, tongban.CaseRejected, strings.Join(reasons, "；"), nil, false)
		return nil
	})
}

// RequestCorrection issues the 一次性告知 (correction notice): ONE notice
// naming every missing or defective material with its reason. Before
// acceptance the front desk issues it; during review the back office may,
// and then the clock stops until the applicant supplements. A later
// notice of the same phase may only repeat materials an earlier one named:
// anything else should have been in the first.
func (s *Service) RequestCorrection(ctx context.Context, r Request, id int64, items []tongban.Deficiency) (*tongban.Case, error) {
	return s.act(ctx, r, id, false, func(t *txn) error {
		var a *actor
		var err error
		switch t.c.State {
		case tongban.CaseSubmitted:
			a, _, err = t.frontDesk()
		case tongban.CaseAccepted, tongban.CaseInReview:
			a, err = t.backOffice()
		default:
			if _, err := firstOf(t.frontDeskOnly, t.backOffice); err != nil {
				return err
			}
			return illegal(t.c, tongban.ActionRequestCorrection)
		}
		if err != nil {
			return err
		}
		if err := t.notPaused(tongban.ActionRequestCorrection); err != nil {
			return err
		}
		notice, err := checkNotice(t.listing, items)
		if err != nil {
			return err
		}
		evs, err := t.events()
		if err != nil {
			return err
		}
		accepted := !t.c.AcceptedAt.IsZero()
		if earlier := noticed(evs, accepted); earlier != nil {
			for i, d := range notice {
				if !earlier[d.Key] {
					return tongban.FieldError(fmt.Sprintf("items[%d].key", i),
						"一次性告知：「%s」未列入此前的补正告知，不能另行要求补正", d.Name)
				}
			}
		}
		t.c.Corrections = notice
		var keys, lines []string
		for _, d := range notice {
			keys = append(keys, d.Key)
			lines = append(lines, d.Name+"："+d.Reason)
		}
		t.record(a, tongban.ActionRequestCorrection, tongban.CaseAwaitingCorrection, strings.Join(lines, "；"), keys, false)
		return nil
	})
}

func (t *txn) frontDeskOnly() (*actor, error) {
	a, _, err := t.frontDesk()
	return a, err
}

// checkNotice validates a correction notice and names its materials.
func checkNotice(l *tongban.Listing, items []tongban.Deficiency) ([]tongban.Deficiency, error) {
	if len(items) == 0 {
		return nil, tongban.FieldError("items", "请列明需要补正的全部材料及理由")
	}
	seen := map[string]bool{}
	out := make([]tongban.Deficiency, 0, len(items))
	for i, d := range items {
		field := fmt.Sprintf("items[%d]", i)
		d.Key, d.Reason = strings.TrimSpace(d.Key), strings.TrimSpace(d.Reason)
		lm, ok := l.Material(d.Key)
		switch {
		case !ok:
			return nil, tongban.FieldError(field+".key", "材料「%s」不在该事项的材料清单中", d.Key)
		case seen[d.Key]:
			return nil, tongban.FieldError(field+".key", "「%s」重复列出", lm.Name)
		case d.Reason == "":
			return nil, tongban.FieldError(field+".reason", "请说明「%s」需要补正的理由", lm.Name)
		}
		seen[d.Key] = true
		d.Name = lm.Name
		out = append(out, d)
	}
	return out, nil
}

// noticed returns the materials named by earlier correction notices of the
// same phase (before or after acceptance), or nil if there were none.
func noticed(evs []*tongban.CaseEvent, afterAcceptance bool) map[string]bool {
	var keys map[string]bool
	for _, e := range evs {
		if e.Action != tongban.ActionRequestCorrection {
			continue
		}
		if (e.From != tongban.CaseSubmitted) != afterAcceptance {
			continue
		}
		if keys == nil {
			keys = map[string]bool{}
		}
		for _, k := range e.Materials {
			keys[k] = true
		}
	}
	return keys
}

// Supplement (补正) hands in what the notice asked for, every item of it.
// The applicant does it online; at a window a clerk records it for the
// applicant standing there, which is a visit. The case returns to where it
// was: awaiting acceptance, or at its review step with the clock running.
func (s *Service) Supplement(ctx context.Context, r Request, id int64, materials []tongban.CaseMaterial) (*tongban.Case, error) {
	if err := s.prepareForCase(ctx, r, id, materials); err != nil {
		return nil, err
	}
	return s.act(ctx, r, id, false, func(t *txn) error {
		visit := false
		a, err := t.applicant()
		if err != nil {
			var werr error
			if a, _, werr = t.window(identity.PermCaseAccept); werr != nil {
				return err
			}
			visit = true
		}
		if err := checkFrom(t.c, tongban.ActionSupplement); err != nil {
			return err
		}
		in, err := checkMaterials(t.listing, materials)
		if err != nil {
			return err
		}
		if err := t.resolveMaterials(in); err != nil {
			return err
		}
		given := map[string]bool{}
		for _, m := range in {
			given[m.Key] = true
		}
		var lacking []string
		for _, d := range t.c.Corrections {
			if !given[d.Key] {
				lacking = append(lacking, "「"+d.Name+"」")
			}
		}
		if len(lacking) > 0 {
			return tongban.FieldError("materials", "补正材料不全，还缺%s", strings.Join(lacking, ""))
		}
		for _, m := range in {
			setMaterial(t.c, m)
		}
		t.c.Commitment = hasCommitment(t.c.Materials)
		t.c.NeedsPostCheck = t.c.NeedsPostCheck || t.c.Commitment
		to := tongban.CaseSubmitted
		if !t.c.AcceptedAt.IsZero() {
			to = t.proc.reviewState(t.c.Step)
		}
		t.record(a, tongban.ActionSupplement, to, "", keysOf(in), visit)
		return nil
	})
}

// notPaused refuses review work while a 特别程序 holds the case.
func (t *txn) notPaused(action tongban.CaseAction) error {
	if !t.c.PausedSince.IsZero() && t.c.State != tongban.CaseAwaitingCorrection {
		return illegalBecause(t.c, action, "特别程序进行中，请先结束特别程序")
	}
	return nil
}
