package bundle

import (
	"context"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/workflow"
)

// Follow hears each case event in its transaction (workflow.Follower).
// When a sub-case's result is issued, the sub-cases waiting on it whose
// prerequisites are now all done start, with its result number in their
// form; when one is denied, rejected or withdrawn, everything waiting on
// it, directly or not, stops with the reason. Other events are ignored
// without a read.
func (s *Service) Follow(ctx context.Context, tx tongban.Store, c *tongban.Case, e *tongban.CaseEvent) error {
	switch e.To {
	case tongban.CaseResultIssued, tongban.CaseDenied, tongban.CaseRejected, tongban.CaseWithdrawn:
	default:
		return nil
	}
	bc, err := tx.BundleCaseOf(ctx, c.ID)
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil
	} else if err != nil {
		return err
	}
	// The case is locked (the workflow's action); the parent after it.
	if bc, err = tx.BundleCaseForUpdate(ctx, bc.ID); err != nil {
		return err
	}
	var sub *tongban.SubCase
	for _, sc := range bc.Subs {
		if sc.CaseID == c.ID {
			sub = sc
		}
	}
	if sub == nil {
		return nil
	}
	if e.To == tongban.CaseResultIssued {
		err = s.startReady(ctx, tx, bc)
	} else {
		why := e.To.Label()
		if len(c.Reasons) > 0 {
			why += "：" + strings.Join(c.Reasons, "；")
		}
		stopDependants(bc, sub.Component, "前置事项「"+sub.Name+"」"+why)
	}
	if err != nil {
		return err
	}
	bc.UpdatedAt = e.At
	return tx.UpdateBundleCase(ctx, bc)
}

// stopDependants stops every waiting sub-case that depends on component,
// directly or through another.
func stopDependants(bc *tongban.BundleCase, component, reason string) {
	stopped := map[string]bool{component: true}
	for changed := true; changed; {
		changed = false
		for _, sc := range bc.Subs {
			if sc.Status != tongban.SubWaiting {
				continue
			}
			for _, a := range sc.After {
				if stopped[a] {
					sc.Status, sc.Reason = tongban.SubStopped, reason
					stopped[sc.Component], changed = true, true
					break
				}
			}
		}
	}
}

// done reports whether a prerequisite's case has its result.
func done(c *tongban.Case) bool {
	return c.Outcome == tongban.CaseApproved && (c.State == tongban.CaseResultIssued || c.State == tongban.CaseClosed)
}

// startReady starts each waiting sub-case whose prerequisites all have
// their results.
func (s *Service) startReady(ctx context.Context, tx tongban.Store, bc *tongban.BundleCase) error {
	cases := map[string]*tongban.Case{}
	for _, sc := range bc.Subs {
		if sc.CaseID == 0 {
			continue
		}
		c, err := tx.Case(ctx, sc.CaseID)
		if err != nil {
			return err
		}
		cases[sc.Component] = c
	}
	var b *tongban.Bundle
	var cl *Checklist
	for _, sc := range bc.Subs {
		if sc.Status != tongban.SubWaiting {
			continue
		}
		ready := true
		for _, a := range sc.After {
			if c := cases[a]; c == nil || !done(c) {
				ready = false
			}
		}
		if !ready {
			continue
		}
		if b == nil {
			var err error
			if b, cl, err = s.pinned(ctx, tx, bc); err != nil {
				return err
			}
		}
		comp, ok := b.Component(sc.Component)
		if !ok {
			return tongban.Errorf(tongban.EInternal, "一件事「%s」第%d版没有事项 %s", b.Name, b.Version, sc.Component)
		}
		results, resultOf := map[string]string{}, map[string]string{}
		var from []string
		for _, a := range sc.After {
			results[a] = cases[a].ResultNo
			if pc, ok := b.Component(a); ok && pc.ResultStandard != "" {
				resultOf[pc.ResultStandard] = cases[a].ResultNo
			}
			from = append(from, "「"+cases[a].ListingName+"」")
		}
		forms, err := Split(b, cl, bc.Form)
		if err != nil {
			return err
		}
		app := workflow.Application{ListingID: sc.ListingID, ListingVersion: sc.ListingVersion, ApplicantID: bc.ApplicantID,
			Channel: bc.Channel, Form: labelled(comp, forms[comp.Key], results),
			Materials: materialsFor(comp, cl, bc.Materials, resultOf), Delivery: bc.Delivery}
		pd, err := s.Workflow.WithTx(tx).PrepareStart(ctx, app, sc.Number, "前置事项"+strings.Join(from, "")+"已出件，一件事自动提交", sc.Spared)
		if err == nil {
			var c *tongban.Case
			if c, err = pd.Write(ctx, tx); err == nil {
				sc.CaseID, sc.Status = c.ID, tongban.SubStarted
				continue
			}
		}
		if e := tongban.AsError(err); e.Code == tongban.EConflict || e.Code == tongban.EInvalid {
			// The listing closed since, say: the sub-case cannot start, and
			// says why, rather than undo the prerequisite's result.
			sc.Status, sc.Reason = tongban.SubStopped, "无法自动提交："+e.Message
			continue
		}
		return err
	}
	return nil
}

// pinned is the bundle version and checklist the application was made
// under, from the listing versions its sub-cases apply under.
func (s *Service) pinned(ctx context.Context, st tongban.Store, bc *tongban.BundleCase) (*tongban.Bundle, *Checklist, error) {
	b, err := st.BundleVersion(ctx, bc.BundleID, bc.BundleVersion)
	if err != nil {
		return nil, nil, err
	}
	ls := Listings{}
	for _, sc := range bc.Subs {
		l, err := s.Workflow.WithTx(st).ListingVersion(ctx, sc.ListingID, sc.ListingVersion)
		if err != nil {
			return nil, nil, err
		}
		ls[sc.Component] = l
	}
	// Only the applicable components have listings here; Tailor with the
	// stored answers selects exactly those.
	cl, err := Tailor(b, ls, bc.Answers)
	return b, cl, err
}

// ChecklistOf is the definition and the material list an application was
// made under (its bundle and listing versions, its answers).
func (s *Service) ChecklistOf(ctx context.Context, bc *tongban.BundleCase) (*tongban.Bundle, *Checklist, error) {
	return s.pinned(ctx, s.Store, bc)
}
