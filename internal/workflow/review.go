package workflow

import (
	"context"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// Review passes the current decision step with the approver's opinion
// (审查意见) and moves the case to the next one. The deciding step is left
// with Approve or Deny instead.
func (s *Service) Review(ctx context.Context, r Request, id int64, opinion string) (*tongban.Case, error) {
	return s.act(ctx, r, id, false, func(t *txn) error {
		a, err := t.reviewer(tongban.ActionReview)
		if err != nil {
			return err
		}
		next, ok := t.proc.Next(t.c.Step)
		if !ok {
			return illegalBecause(t.c, tongban.ActionReview, "当前环节「"+t.proc.Name(t.c.Step)+"」须作出准予或不予办理的决定")
		}
		if err := t.otherActor(a, t.c.Step); err != nil {
			return err
		}
		opinion = strings.TrimSpace(opinion)
		if opinion == "" {
			return tongban.FieldError("opinion", "请填写「%s」环节意见", t.proc.Name(t.c.Step))
		}
		t.record(a, tongban.ActionReview, tongban.CaseInReview, opinion, nil, false)
		t.c.Step = next
		return nil
	})
}

// Approve (准予办理) decides at the last step.
func (s *Service) Approve(ctx context.Context, r Request, id int64, opinion string) (*tongban.Case, error) {
	return s.act(ctx, r, id, false, func(t *txn) error {
		a, err := t.decider(tongban.ActionApprove)
		if err != nil {
			return err
		}
		t.decide(a, tongban.CaseApproved, strings.TrimSpace(opinion), nil)
		return nil
	})
}

// Deny (不予办理) decides against the applicant at the last step. Reasons
// are required and kept on the case, which stays listable by supervisors
// after it closes (否定备案).
func (s *Service) Deny(ctx context.Context, r Request, id int64, reasons []string) (*tongban.Case, error) {
	return s.act(ctx, r, id, false, func(t *txn) error {
		a, err := t.decider(tongban.ActionDeny)
		if err != nil {
			return err
		}
		reasons = cleanList(reasons)
		if len(reasons) == 0 {
			return tongban.FieldError("reasons", "不予办理须说明理由和依据")
		}
		t.decide(a, tongban.CaseDenied, "", reasons)
		return nil
	})
}

// reviewer is a back-office actor working an unpaused case under review.
func (t *txn) reviewer(action tongban.CaseAction) (*actor, error) {
	a, err := t.backOffice()
	if err != nil {
		return nil, err
	}
	if err := checkFrom(t.c, action); err != nil {
		return nil, err
	}
	return a, t.notPaused(action)
}

// decider is a reviewer at the deciding step.
func (t *txn) decider(action tongban.CaseAction) (*actor, error) {
	a, err := t.reviewer(action)
	if err != nil {
		return nil, err
	}
	if !t.proc.IsLast(t.c.Step) {
		return nil, illegalBecause(t.c, action, "当前环节为「"+t.proc.Name(t.c.Step)+"」，须由「"+t.proc.Name(t.proc.Last())+"」环节作出决定")
	}
	return a, t.otherActor(a, t.c.Step)
}

// StartSpecial begins a 特别程序 (听证, 检验检测, 专家评审, 公示…): the
// clock stops until EndSpecial. kind names it for the record.
func (s *Service) StartSpecial(ctx context.Context, r Request, id int64, kind, note string) (*tongban.Case, error) {
	return s.act(ctx, r, id, false, func(t *txn) error {
		a, err := t.reviewer(tongban.ActionSpecialStart)
		if err != nil {
			return err
		}
		kind = strings.TrimSpace(kind)
		if kind == "" {
			return tongban.FieldError("kind", "请写明特别程序的种类，如听证、检验检测、专家评审")
		}
		reason := kind
		if note = strings.TrimSpace(note); note != "" {
			reason += "：" + note
		}
		t.record(a, tongban.ActionSpecialStart, t.c.State, reason, nil, false)
		return nil
	})
}

// EndSpecial ends the running 特别程序; the due date moves by its working days.
func (s *Service) EndSpecial(ctx context.Context, r Request, id int64, note string) (*tongban.Case, error) {
	return s.act(ctx, r, id, false, func(t *txn) error {
		a, err := t.backOffice()
		if err != nil {
			return err
		}
		if err := checkFrom(t.c, tongban.ActionSpecialEnd); err != nil {
			return err
		}
		if t.c.PausedSince.IsZero() {
			return illegalBecause(t.c, tongban.ActionSpecialEnd, "没有进行中的特别程序")
		}
		t.record(a, tongban.ActionSpecialEnd, t.c.State, strings.TrimSpace(note), nil, false)
		return nil
	})
}

// Issue (出具结果) records the result made: a licence, a decision letter.
// A 即办件 is concluded at the window that took it.
func (s *Service) Issue(ctx context.Context, r Request, id int64, resultNo string) (*tongban.Case, error) {
	return s.IssueWithFace(ctx, r, id, resultNo, nil)
}

// IssueWithFace is Issue with the face items of the licence the result is,
// as the approver confirmed or filled them in (by printed name); they take
// precedence over the case's form. A required item nothing gives refuses
// the action, naming it. A licence signed by a seal key rotated since it
// was read is refused by the store with nothing changed (the issuer keeps
// the key it read for later issues); the issue is then made once more,
// reading the current key.
func (s *Service) IssueWithFace(ctx context.Context, r Request, id int64, resultNo string, face map[string]string) (*tongban.Case, error) {
	c, err := s.issueWithFace(ctx, r, id, resultNo, face)
	if tongban.SealKeyRetired(err) {
		c, err = s.issueWithFace(ctx, r, id, resultNo, face)
	}
	return c, err
}

func (s *Service) issueWithFace(ctx context.Context, r Request, id int64, resultNo string, face map[string]string) (*tongban.Case, error) {
	var serial *tongban.LicenseSerial // reserved before the transaction, see reserveLicenseSerial
	var pre preparedIssue             // read and signed before it, see prepareLicense
	reserve := func(c0 *tongban.Case, p *prepared) (err error) {
		if serial, err = s.reserveLicenseSerial(ctx, c0, p.listing); err != nil {
			return err
		}
		pre = s.prepareLicense(ctx, r, c0, p.listing, face, serial)
		return nil
	}
	c, err := s.actAfter(ctx, r, id, false, reserve, func(t *txn) error {
		if serial != nil {
			serial.Used = false // a retried transaction starts again
		}
		checks := []func() (*actor, error){t.backOffice}
		if t.c.Instant {
			checks = append(checks, func() (*actor, error) {
				a, _, err := t.window(identity.PermCaseAccept)
				return a, err
			})
		}
		a, err := firstOf(checks...)
		if err != nil {
			return err
		}
		if err := checkFrom(t.c, tongban.ActionIssue); err != nil {
			return err
		}
		if i, ok := t.proc.Conclusion(); ok {
			if err := t.otherActor(a, i); err != nil {
				return err
			}
		}
		t.c.ResultNo = strings.TrimSpace(resultNo)
		lic, err := t.issueLicense(face, serial, pre)
		if err != nil {
			return err
		}
		if lic != nil && t.c.ResultNo == "" {
			t.c.ResultNo = lic.Number
		}
		reason := ""
		if t.c.ResultNo != "" {
			reason = "结果编号 " + t.c.ResultNo
		}
		if lic != nil {
			reason += "；电子证照 " + lic.Identifier
			if lic.Replaces != "" {
				reason += "（原证照 " + lic.Replaces + " 已变更）"
			}
		}
		t.record(a, tongban.ActionIssue, tongban.CaseResultIssued, reason, nil, false)
		if i, ok := t.proc.Conclusion(); ok {
			t.c.Step = i
		}
		return nil
	})
	s.settleLicenseSerial(serial, err)
	return c, err
}
